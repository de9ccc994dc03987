// Long-mode fuzzing of the parser and analyser (issue G): by default 100,000
// inputs (CI runs 10,000 in test/unit/reliability/fuzz.test.ts). Every input
// goes through parse (both modes), analyze (both modes × all layouts), report
// (with the numeric self-check on every 5th input) and analyzeDocument for
// both markdown and TypeScript; see test/support/fuzz/ for the generators and
// the properties.
//
//   npm run fuzz                              100,000 inputs, seed 1
//   npm run fuzz -- --count 20000 --seed 7    another run
//   npm run fuzz -- --budget 200              per-call time budget (ms) for inputs ≤ 2 KB
//
// Prints the inputs tried, throughput, the slowest call, and every distinct
// failure with a shrunk input; exits with status 1 when anything failed.

import { runCampaign } from '../test/support/fuzz/campaign.ts';
import { loadCorpus } from '../test/support/fuzz/corpus.ts';

function option(name, fallback) {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && process.argv[k + 1] !== undefined ? Number(process.argv[k + 1]) : fallback;
}

const count = option('count', 100_000);
const seed = option('seed', 1);
const budgetMs = option('budget', 200);
const budgetLength = option('budget-length', 2048);

const corpus = loadCorpus();
console.log(
  `fuzz: seed ${seed}, ${count.toLocaleString('en')} inputs; corpus of ${corpus.documents.length} documents and ${corpus.snippets.length} snippets` +
    (corpus.seeds.length ? ` (seeds: ${corpus.seeds.join(', ')})` : ' (no /work/shared/seeds on this machine)'),
);

const result = runCampaign({
  seed,
  count,
  budgetMs,
  budgetLength,
  allLayouts: true,
  bothDocuments: true,
  selfCheckEvery: 5,
  maxDocument: 16_384,
  progressEvery: 5000,
  onProgress: (done, r) =>
    console.log(
      `  ${done.toLocaleString('en').padStart(9)} inputs  ${(r.totalMs / 1000).toFixed(0).padStart(5)} s  ` +
        `${r.failures.length} distinct failures  slowest call ${r.maxMs.toFixed(0)} ms (≤ ${budgetLength} chars), ${r.maxMsAny.toFixed(0)} ms (any)`,
    ),
  onFailure: (f) => console.log(`  ! ${f.property} in ${f.call} (input #${f.index}): ${f.message.slice(0, 200)}`),
});

console.log('');
console.log(`inputs tried:      ${result.tried.toLocaleString('en')} (${Object.entries(result.byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`);
console.log(`calls / checks:    ${result.calls.toLocaleString('en')} calls, ${result.checks.toLocaleString('en')} property checks`);
console.log(`time:              ${(result.totalMs / 1000).toFixed(1)} s (${(result.totalMs / result.tried).toFixed(2)} ms per input)`);
console.log(`slowest call:      ${result.maxMs.toFixed(1)} ms, ${result.maxCall}, on inputs ≤ ${budgetLength} characters (budget ${budgetMs} ms; best of 3 when over)`);
console.log(`                   input #${result.maxIndex}: ${JSON.stringify(result.maxInput)}`);
console.log(`slowest any input: ${result.maxMsAny.toFixed(1)} ms, ${result.maxAnyCall}, on input #${result.maxAnyIndex} of ${result.maxAnyLength} characters (longest input ${result.maxLength})`);
console.log(`                   (reproduce an input with generateInput(${seed}, index) from test/support/fuzz/campaign.ts)`);
console.log(`failures:          ${result.failures.length} distinct`);
for (const f of result.failures) {
  console.log(`\n- ${f.property} in ${f.call}, ×${f.count} (first: input #${f.index}, ${f.kind})`);
  console.log(`  ${f.message}`);
  console.log(`  minimal input: ${JSON.stringify(f.minimal.slice(0, 1000))}`);
}
process.exitCode = result.failures.length > 0 ? 1 : 0;
