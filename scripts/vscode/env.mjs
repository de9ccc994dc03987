// Shared facts for the real-VS-Code scripts: where the repository and the cache live,
// which code-server version we pin, whether we run under CI, and a small helper to run
// child processes with their output streamed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Newer code-server releases require Node 22 or 24; 4.100.3 (VS Code 1.100) runs on Node 20
// and matches the `engines.vscode` floor of the extension.
export const codeServerVersion = '4.100.3';

export const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tensor-derivatives');

export const isCI = process.env.CI === 'true';

/**
 * A prerequisite (system package, code-server, browser) is missing and could not be
 * installed. Under CI this must fail the run; elsewhere a test driver may skip with a notice.
 */
export class PrerequisiteError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PrerequisiteError';
  }
}

/**
 * Runs a command to completion. Output is inherited unless `quiet` is set, in which case it
 * is collected and only shown when the command fails, so a failure is never silent.
 */
export function run(command, args, { cwd, env, quiet = false } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) return resolvePromise(output);
      const tail = quiet ? `\n${output.slice(-4000)}` : '';
      reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}${tail}`));
    });
  });
}

/** Prints a prerequisite failure and exits: non-zero under CI, zero with a loud notice elsewhere. */
export function exitForMissingPrerequisite(error, what) {
  if (isCI) {
    console.error(`\n[${what}] FAILED: a prerequisite is missing.\n${error.message}\n`);
    process.exit(1);
  }
  console.error(`\n[${what}] SKIPPED (not under CI): a prerequisite is missing.\n${error.message}\n`);
  process.exit(0);
}

/**
 * Makes Ctrl+C (and SIGTERM/SIGHUP) end the process through a normal exit, so 'exit'
 * handlers run; code-server.mjs uses one to stop the servers it started.
 */
export function exitOnSignals() {
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
    process.once(signal, () => {
      console.error(`\ninterrupted (${signal})`);
      process.exit(128 + number);
    });
  }
}

/**
 * Creates a temporary folder that is removed when the process exits (Ctrl+C included, with
 * exitOnSignals), unless `keep` is set.
 */
export function scratchDir(prefix, { keep = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (!keep) process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
