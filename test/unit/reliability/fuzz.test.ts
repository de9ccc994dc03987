// Issue G: parser/analyser fuzzing (CI run). 10,000 inputs from a fixed seed —
// mutated real notes and test sources, grammar programs, mutated programs,
// noise, and stress inputs (deep nesting, long chains, huge numbers, unicode,
// unterminated environments) — each through parse (both modes), analyze (both
// modes × all layouts), report (with the numeric self-check on every 10th
// input), analyzeDocument (markdown or TypeScript, alternating) and hovers.
// See test/support/fuzz/invariants.ts for the properties and bench/fuzz.mjs
// (`npm run fuzz`) for the long mode.
//
// A failure prints the property, the call, the message and a shrunk input;
// reproduce one with generateInput(SEED, index) from test/support/fuzz/campaign.ts.

import { strict as assert } from 'node:assert';
import { runCampaign, type CampaignResult } from '../../support/fuzz/campaign';
import { loadCorpus } from '../../support/fuzz/corpus';

const SEED = 20_261_122;
const COUNT = 10_000;
/** Per-call budget; FUZZ_BUDGET_MS raises it on a slow machine. */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 200);
const BUDGET_LENGTH = 2048;

function describeFailures(r: CampaignResult): string {
  return r.failures
    .map((f) => `${f.property} in ${f.call} (×${f.count}, input #${f.index}, ${f.kind}): ${f.message}\n  minimal input: ${JSON.stringify(f.minimal.slice(0, 500))}`)
    .join('\n');
}

describe('reliability: fuzzing the parser and analyser', function () {
  this.timeout(240_000);

  it('has a corpus of real notes and sources to mutate', () => {
    const corpus = loadCorpus();
    assert.ok(corpus.documents.length >= 5, `only ${corpus.documents.length} documents`);
    assert.ok(corpus.snippets.length >= 500, `only ${corpus.snippets.length} snippets`);
  });

  it(`survives ${COUNT.toLocaleString('en')} generated inputs: no throw, valid diagnostics, ≤ ${BUDGET_MS} ms per call on inputs ≤ ${BUDGET_LENGTH} characters`, () => {
    const r = runCampaign({ seed: SEED, count: COUNT, budgetMs: BUDGET_MS, budgetLength: BUDGET_LENGTH, selfCheckEvery: 10 });
    // The record the issue asks for: how much was tried and how slow the slowest call was.
    console.log(
      `      fuzz: ${r.tried} inputs (${Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`).join(', ')}), ` +
        `${r.calls} calls, ${r.checks} property checks in ${(r.totalMs / 1000).toFixed(1)} s; ` +
        `slowest call ${r.maxMs.toFixed(1)} ms (${r.maxCall}) on inputs ≤ ${BUDGET_LENGTH} chars, ` +
        `${r.maxMsAny.toFixed(1)} ms on any input (longest input ${r.maxLength} chars)`,
    );
    assert.equal(r.tried, COUNT);
    assert.equal(r.failures.length, 0, describeFailures(r));
  });
});
