#!/usr/bin/env node
// code-server: installs the pinned release into a cache folder (outside the project's
// node_modules, because its native postinstall needs root-only npm flags), starts it on
// loopback with a private profile, waits until it serves, and stops it.
//
// CLI:  node scripts/vscode/code-server.mjs install   # ensure it is installed, print where
//       node scripts/vscode/code-server.mjs path      # print the entry script, fail if absent
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { PrerequisiteError, cacheRoot, codeServerVersion, run } from './env.mjs';
import { withLock } from './lock.mjs';
import { chromiumPath, ensureAptPackages, seedRipgrepCache } from './prerequisites.mjs';
import { createProfile } from './profile.mjs';

export const installDir = join(cacheRoot, `code-server-${codeServerVersion}`);
const entry = join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
// Written only after npm finished, so an interrupted install is redone, not trusted.
const completeMarker = join(installDir, '.install-complete');

function isInstalled() {
  return existsSync(completeMarker) && existsSync(entry);
}

async function npmInstallCodeServer() {
  rmSync(installDir, { recursive: true, force: true });
  mkdirSync(installDir, { recursive: true });
  // A package.json of its own keeps npm from walking up to some enclosing project.
  writeFileSync(join(installDir, 'package.json'), '{ "name": "code-server-cache", "private": true }\n');
  const env = {
    // node-pty's postinstall runs `npx node-gyp`; this answers npx's prompt.
    npm_config_yes: 'true',
    // Build native modules against the machine's Node headers instead of downloading them.
    ...(existsSync('/usr/include/node/node.h') && !process.env.npm_config_nodedir ? { npm_config_nodedir: '/usr' } : {}),
  };
  console.log(`[code-server] installing code-server@${codeServerVersion} into ${installDir} (takes a minute or two)…`);
  await run(
    'npm',
    ['install', '--unsafe-perm', '--no-audit', '--no-fund', `code-server@${codeServerVersion}`],
    { cwd: installDir, env, quiet: true },
  );
  if (!existsSync(entry)) throw new Error(`npm finished but ${entry} is missing`);
  writeFileSync(completeMarker, `${new Date().toISOString()}\n`);
}

/**
 * Makes sure code-server (and the system packages the recipe needs, Chromium included) is
 * installed. Fast when it already is: two file checks, no apt or npm.
 * Throws PrerequisiteError when something cannot be installed.
 */
export async function ensureCodeServer() {
  if (isInstalled() && existsSync(chromiumPath)) return { entry, installDir };
  await ensureAptPackages();
  mkdirSync(cacheRoot, { recursive: true });
  await withLock(`${installDir}.lock`, async () => {
    if (isInstalled()) return;
    await seedRipgrepCache();
    try {
      await npmInstallCodeServer();
    } catch (error) {
      throw new PrerequisiteError(`Installing code-server@${codeServerVersion} failed:\n${error.message}`);
    }
  });
  return { entry, installDir };
}

// Clean-ups of servers still running. They run when this process exits, however it exits
// (drivers turn Ctrl+C into an exit with exitOnSignals), so a detached code-server never
// outlives the script that started it.
const emergencyStops = new Set();
process.on('exit', () => {
  for (const emergencyStop of emergencyStops) emergencyStop();
});

/** Fails clearly when `port` is taken; otherwise the health check could reach another server. */
function assertPortFree(port) {
  return new Promise((resolveFree, reject) => {
    const server = createServer();
    server.once('error', (error) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on 127.0.0.1 is already in use`) : error),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree()));
  });
}

/** Asks the OS for a free loopback port. */
export function findFreePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilServing(baseUrl, child, logTail, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode}):\n${logTail()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`code-server did not answer on ${baseUrl} within ${timeoutMs / 1000}s:\n${logTail()}`);
}

/**
 * Starts code-server with a private profile. `install(profile)` runs before the server
 * starts, to put extensions into `profile.extensionsDir`. Returns a handle with `baseUrl`,
 * `workbenchUrl(folder)`, `profile`, `logFile`, `logTail()`, `hasExited()` and `stop()`.
 */
export async function startCodeServer({
  folder,
  port,
  settings = {},
  env = {},
  install = async () => {},
  keepProfile = false,
  timeoutMs = 60_000,
} = {}) {
  const { entry: entryScript } = await ensureCodeServer();
  if (port !== undefined) await assertPortFree(port);
  const profile = createProfile(settings);
  try {
    await install(profile);
  } catch (error) {
    if (!keepProfile) rmSync(profile.root, { recursive: true, force: true });
    throw error;
  }
  const chosenPort = port ?? (await findFreePort());
  const baseUrl = `http://127.0.0.1:${chosenPort}`;
  const logFile = join(profile.root, 'code-server.log');
  const log = createWriteStream(logFile);
  let recent = '';
  const args = [
    entryScript,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${chosenPort}`,
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    // Its own config file, or code-server writes a default one (with a password) to ~/.config.
    '--config', join(profile.root, 'config.yaml'),
    ...(folder ? [resolve(folder)] : []),
  ];
  // detached: the server and the extension hosts it forks share one process group that
  // stop() can end together, without touching any other process.
  const child = spawn(process.execPath, args, {
    // code-server keeps logs and a heartbeat file under XDG_DATA_HOME; keep them private too.
    env: { ...process.env, XDG_DATA_HOME: join(profile.root, 'data'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      log.write(chunk);
      recent = (recent + chunk).slice(-8000);
    });
  }
  const logTail = () => recent;
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));

  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  // Synchronous, because it may run inside the process's 'exit' event.
  const emergencyStop = () => {
    signalGroup('SIGKILL');
    if (!keepProfile) rmSync(profile.root, { recursive: true, force: true });
  };
  emergencyStops.add(emergencyStop);

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    emergencyStops.delete(emergencyStop);
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(5000, true, { ref: false })]);
      if (timedOut) signalGroup('SIGKILL');
    }
    // Extension hosts may outlive the server by a moment; make sure none is left behind.
    signalGroup('SIGKILL');
    await new Promise((resolveClose) => log.end(resolveClose));
    if (!keepProfile) rmSync(profile.root, { recursive: true, force: true });
  }

  try {
    await waitUntilServing(baseUrl, child, logTail, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    baseUrl,
    port: chosenPort,
    profile,
    logFile,
    logTail,
    hasExited: () => child.exitCode !== null || child.signalCode !== null,
    // Slashes stay readable in the printed URL; VS Code accepts them unencoded.
    workbenchUrl: (dir = folder) =>
      dir ? `${baseUrl}/?folder=${encodeURIComponent(resolve(dir)).replace(/%2F/g, '/')}` : `${baseUrl}/`,
    stop,
  };
}

async function main([command = 'install']) {
  if (command === 'install') {
    const started = Date.now();
    try {
      const { entry: entryScript } = await ensureCodeServer();
      console.log(`code-server ${codeServerVersion} ready: ${entryScript} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    } catch (error) {
      if (!(error instanceof PrerequisiteError)) throw error;
      // Installing is this command's whole job, so failing is right even outside CI.
      console.error(`[code-server] FAILED: ${error.message}`);
      process.exit(1);
    }
  } else if (command === 'path') {
    if (!isInstalled()) {
      console.error(`code-server ${codeServerVersion} is not installed (run: node scripts/vscode/code-server.mjs install)`);
      process.exit(1);
    }
    console.log(entry);
  } else {
    console.error('usage: node scripts/vscode/code-server.mjs [install|path]');
    process.exit(2);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
