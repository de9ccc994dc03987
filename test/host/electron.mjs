#!/usr/bin/env node
// Runs the same in-host suites (test/host/suite) under desktop VS Code via
// @vscode/test-electron, for machines that can download it (this project's CI machines
// cannot; they use scripts/vscode/run-host-tests.mjs with code-server instead).
//
// Usage: npm run build && node test/host/electron.mjs [--grep <pattern>]
// VSCODE_TEST_VERSION picks the VS Code build (default: the engines.vscode floor, 1.100.0).
import { runTests } from '@vscode/test-electron';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, scratchDir } from '../../scripts/vscode/env.mjs';
import { buildHostRunner, hostFixtureWorkspace, runnerEntry } from '../../scripts/vscode/host-runner.mjs';

const { values: options } = parseArgs({ options: { grep: { type: 'string' } } });

await buildHostRunner();
const scratch = scratchDir('tensor-derivatives-electron-');
const workspace = join(scratch, 'workspace');
cpSync(hostFixtureWorkspace, workspace, { recursive: true });
try {
  await runTests({
    version: process.env.VSCODE_TEST_VERSION ?? '1.100.0',
    // Downloads go to the git-ignored .cache/, not test-electron's default .vscode-test/.
    cachePath: join(repoRoot, '.cache', 'vscode-test'),
    extensionDevelopmentPath: repoRoot,
    // The runner's run() export is what test-electron calls; it rejects on any failure.
    extensionTestsPath: runnerEntry,
    extensionTestsEnv: { TENSOR_DERIVATIVES_HOST_TEST_GREP: options.grep ?? '' },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(scratch, 'user-data')],
  });
} catch (error) {
  console.error(`host tests failed: ${error.message ?? error}`);
  process.exitCode = 1;
}
