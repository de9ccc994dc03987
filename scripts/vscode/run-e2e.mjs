#!/usr/bin/env node
// `npm run test:e2e`: builds the extension, makes sure code-server and Chromium are
// installed, then runs the Playwright suites test/e2e/*.test.mjs with mocha. The suites
// share one code-server + browser session (test/e2e/lib/session.mjs), closed at the end.
// Prints mocha's spec output and a final "N passed, N failed" line; exits non-zero on failure.
//
// Options: --grep <pattern>   only tests whose full title matches
//          --no-build         reuse the current dist/
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCodeServer } from './code-server.mjs';
import { PrerequisiteError, exitForMissingPrerequisite, exitOnSignals, repoRoot, run } from './env.mjs';
import { summaryLine } from './report.mjs';

const { values: options } = parseArgs({
  options: {
    grep: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

async function main() {
  exitOnSignals();
  if (!options['no-build']) await run('npm', ['run', '--silent', 'build'], { cwd: repoRoot });
  await ensureCodeServer();

  const { closeSharedSession } = await import('../../test/e2e/lib/session.mjs');
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    timeout: 60_000,
    // A browser test that fails once is worth seeing, not hiding behind retries.
    retries: 0,
    rootHooks: { afterAll: closeSharedSession },
  });
  if (options.grep) mocha.grep(options.grep);
  const e2eDir = join(repoRoot, 'test', 'e2e');
  for (const file of readdirSync(e2eDir).filter((name) => name.endsWith('.test.mjs')).sort()) {
    mocha.addFile(join(e2eDir, file));
  }
  await mocha.loadFilesAsync();
  const stats = await new Promise((resolveRun) => {
    const runner = mocha.run(() => resolveRun(runner.stats));
  });
  console.log(summaryLine({ passes: stats.passes, failures: stats.failures, pending: stats.pending }));
  return stats.failures === 0 && stats.tests > 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof PrerequisiteError) exitForMissingPrerequisite(error, 'test:e2e');
  console.error(`\n[test:e2e] ERROR: ${error.stack || error.message}`);
  console.error('0 passed, 1 failed');
  process.exitCode = 1;
}
