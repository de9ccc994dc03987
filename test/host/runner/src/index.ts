// Entry point of the test-only runner extension. Two ways in:
//  - code-server (scripts/vscode/run-host-tests.mjs): installed next to our extension with
//    activation "*"; on activation it runs the suites and writes JSON results to the file
//    named by TENSOR_DERIVATIVES_HOST_TEST_RESULTS (or the resultsFile setting).
//  - @vscode/test-electron (test/host/electron.mjs): this module is the extensionTestsPath,
//    and VS Code calls run(), which must reject when a test fails.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { crashedRun, runSuites } from './run-suites';
import type { HostTestResults } from './results';

const grep = process.env.TENSOR_DERIVATIVES_HOST_TEST_GREP || undefined;

export async function run(): Promise<void> {
  const results = await runSuites({ grep });
  if (results.failures > 0) throw new Error(`${results.failures} host test(s) failed`);
}

function writeResults(file: string, results: HostTestResults): void {
  mkdirSync(dirname(file), { recursive: true });
  // Write then rename, so the driver polling for the file never reads half of it.
  writeFileSync(`${file}.partial`, JSON.stringify(results, null, 2));
  renameSync(`${file}.partial`, file);
}

export function activate(): void {
  const resultsFile =
    process.env.TENSOR_DERIVATIVES_HOST_TEST_RESULTS ||
    vscode.workspace.getConfiguration('tensorDerivativesHostTests').get<string>('resultsFile');
  // Installed but not asked to run: stay idle.
  if (!resultsFile) return;
  // Not awaited: activation must return promptly, the suites run afterwards.
  void runSuites({ grep }).then(
    (results) => writeResults(resultsFile, results),
    (err: unknown) => writeResults(resultsFile, crashedRun(err)),
  );
}

export function deactivate(): void {
  // Nothing to release.
}
