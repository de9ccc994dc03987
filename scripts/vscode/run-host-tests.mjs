#!/usr/bin/env node
// `npm run test:host`: runs the in-host mocha suites (test/host/suite) inside a real VS Code
// extension host served by code-server. It builds our extension and the test-only runner
// extension, installs both into a private profile, opens a copy of the fixture workspace in
// headless Chromium (the extension host only starts once a browser connects), waits for the
// runner's JSON results, prints them and exits non-zero on any failure.
//
// Options: --grep <pattern>   only tests whose full title matches
//          --no-build         reuse the current dist/ (skip `npm run build`)
//          --vsix <file>      install this packaged .vsix instead of the working tree
//                             (implies --no-build; e.g. after `npm run package`)
//          --keep             keep the temporary profile and workspace (paths are printed)
//          --timeout <s>      give up after this many seconds (default 240)
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { launchBrowser, openWorkbench } from './browser.mjs';
import { startCodeServer } from './code-server.mjs';
import { PrerequisiteError, exitForMissingPrerequisite, exitOnSignals, repoRoot, run, scratchDir } from './env.mjs';
import { installRepoExtension, installUnpackedExtension, installVsix } from './extension-folder.mjs';
import { buildHostRunner, hostFixtureWorkspace } from './host-runner.mjs';
import { printResults } from './report.mjs';

const { values: options } = parseArgs({
  options: {
    grep: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    vsix: { type: 'string' },
    keep: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '240' },
  },
});

async function waitForResults(file, server, deadline) {
  while (Date.now() < deadline) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
    if (server.hasExited()) {
      throw new Error(`code-server exited before the tests finished:\n${server.logTail()}`);
    }
    await sleep(250);
  }
  throw new Error(`no results within ${options.timeout}s. code-server log tail:\n${server.logTail()}`);
}

async function main() {
  exitOnSignals();
  const started = Date.now();
  if (!options['no-build'] && !options.vsix) await run('npm', ['run', '--silent', 'build'], { cwd: repoRoot });
  const runnerDir = await buildHostRunner();

  // The tests may edit files, so they get a copy of the fixture workspace.
  const scratch = scratchDir('tensor-derivatives-host-tests-', { keep: options.keep });
  const workspace = join(scratch, 'workspace');
  cpSync(hostFixtureWorkspace, workspace, { recursive: true });
  const resultsFile = join(scratch, 'results.json');

  let server;
  let browser;
  try {
    server = await startCodeServer({
      folder: workspace,
      keepProfile: options.keep,
      env: {
        TENSOR_DERIVATIVES_HOST_TEST_RESULTS: resultsFile,
        TENSOR_DERIVATIVES_HOST_TEST_GREP: options.grep ?? '',
      },
      install: async (profile) => {
        // The runner goes first: a copied folder is only picked up while the extensions
        // folder has no extensions.json yet, and --install-extension writes that file.
        installUnpackedExtension(profile.extensionsDir, runnerDir);
        if (options.vsix) await installVsix(profile, resolve(options.vsix));
        else await installRepoExtension(profile.extensionsDir, repoRoot);
      },
    });
    browser = await launchBrowser();
    await openWorkbench(browser, server.workbenchUrl());
    const results = await waitForResults(resultsFile, server, started + Number(options.timeout) * 1000);
    printResults(results);
    if (options.keep) console.log(`\nkept: profile ${server.profile.root}, workspace ${workspace}, log ${server.logFile}`);
    console.log(`(host run took ${((Date.now() - started) / 1000).toFixed(1)}s)`);
    return results.failures === 0 && results.tests.length > 0 ? 0 : 1;
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof PrerequisiteError) exitForMissingPrerequisite(error, 'test:host');
  console.error(`\n[test:host] ERROR: ${error.stack || error.message}`);
  console.error('0 passed, 1 failed');
  process.exitCode = 1;
}
