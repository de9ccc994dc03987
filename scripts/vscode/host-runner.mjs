// Builds the test-only runner extension (test/host/runner) and the in-host suites
// (test/host/suite/*.test.ts) into a staged extension folder, .cache/host-runner/:
//   package.json            the runner's manifest
//   dist/index.js           runner entry, mocha bundled in, `vscode` external
//   dist/suite/*.test.js    one bundle per suite, loaded by mocha after its globals exist
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './env.mjs';

export const runnerStageDir = join(repoRoot, '.cache', 'host-runner');
export const runnerEntry = join(runnerStageDir, 'dist', 'index.js');
export const hostFixtureWorkspace = join(repoRoot, 'test', 'host', 'fixtures', 'workspace');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  logLevel: 'warning',
};

export async function buildHostRunner() {
  rmSync(runnerStageDir, { recursive: true, force: true });
  mkdirSync(runnerStageDir, { recursive: true });
  cpSync(join(repoRoot, 'test/host/runner/package.json'), join(runnerStageDir, 'package.json'));
  const suiteDir = join(repoRoot, 'test/host/suite');
  const suites = readdirSync(suiteDir).filter((name) => name.endsWith('.test.ts'));
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [join(repoRoot, 'test/host/runner/src/index.ts')],
      outfile: runnerEntry,
      // mocha loads suites with require() at run time and has a parallel mode (unused here)
      // that resolves worker files; those dynamic requires are meant to stay dynamic.
      logOverride: { 'unsupported-require-call': 'silent', 'require-resolve-not-external': 'silent' },
    }),
    // The suites are separate bundles because their top-level describe() calls need the
    // globals mocha installs just before it loads each file.
    esbuild.build({
      ...common,
      entryPoints: suites.map((name) => join(suiteDir, name)),
      outdir: join(runnerStageDir, 'dist', 'suite'),
    }),
  ]);
  return runnerStageDir;
}
