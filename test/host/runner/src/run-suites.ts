// Runs the bundled mocha suites (dist/suite/*.test.js next to this bundle) inside the
// extension host and collects a HostTestResults record as they run.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HostTestCase, HostTestResults } from './results';

export interface RunOptions {
  /** Only run tests whose full title matches (mocha --grep). */
  grep?: string;
}

function errorOf(err: unknown): HostTestCase['error'] {
  if (err instanceof Error) return { message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  return { message: String(err) };
}

export function runSuites(options: RunOptions = {}): Promise<HostTestResults> {
  const suiteDir = join(__dirname, 'suite');
  // Colours off: the output ends up in log files, not a terminal.
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false, reporter: 'spec' });
  if (options.grep) mocha.grep(options.grep);
  for (const file of readdirSync(suiteDir).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(join(suiteDir, file));
  }

  const started = Date.now();
  const tests: HostTestCase[] = [];
  return new Promise((resolveResults, reject) => {
    try {
      const runner = mocha.run(() => {
        resolveResults({
          vscodeVersion: vscode.version,
          startedAt: new Date(started).toISOString(),
          durationMs: Date.now() - started,
          passes: tests.filter((t) => t.state === 'passed').length,
          failures: tests.filter((t) => t.state === 'failed').length,
          pending: tests.filter((t) => t.state === 'pending').length,
          tests,
        });
      });
      runner.on('pass', (test) => tests.push({ titlePath: test.titlePath(), state: 'passed', durationMs: test.duration ?? 0 }));
      runner.on('pending', (test) => tests.push({ titlePath: test.titlePath(), state: 'pending', durationMs: 0 }));
      // Also fires for failing hooks, whose "test" is the hook itself.
      runner.on('fail', (test, err) =>
        tests.push({ titlePath: test.titlePath(), state: 'failed', durationMs: test.duration ?? 0, error: errorOf(err) }),
      );
    } catch (err) {
      // Loading a suite file threw (a syntax or import error): report it as one failure.
      reject(err);
    }
  });
}

/** A results record for a run that could not even start. */
export function crashedRun(err: unknown): HostTestResults {
  return {
    vscodeVersion: vscode.version,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    passes: 0,
    failures: 1,
    pending: 0,
    tests: [{ titlePath: ['host test runner', 'loading the suites'], state: 'failed', durationMs: 0, error: errorOf(err) }],
  };
}
