// The JSON the in-host runner writes and scripts/vscode/run-host-tests.mjs reads. Keep the
// two in step: the driver only relies on the fields declared here.
export interface HostTestCase {
  /** Suite titles then the test title, as mocha's titlePath(). */
  titlePath: string[];
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: { message: string; stack?: string };
}

export interface HostTestResults {
  vscodeVersion: string;
  startedAt: string;
  durationMs: number;
  passes: number;
  failures: number;
  pending: number;
  tests: HostTestCase[];
}
