// Installs the system packages code-server and the browser tests need (Debian apt), and
// pre-seeds the ripgrep download cache so code-server's install works without GitHub.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrerequisiteError, run } from './env.mjs';

// libkrb5-dev and pkg-config build code-server's kerberos native module, ripgrep replaces
// the binary @vscode/ripgrep would download, and chromium drives the workbench.
export const aptPackages = ['libkrb5-dev', 'pkg-config', 'ripgrep', 'chromium'];

export const chromiumPath = '/usr/bin/chromium';

function isInstalled(pkg) {
  try {
    const status = execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return status.includes('install ok installed');
  } catch {
    return false;
  }
}

function hasCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Returns the command prefix that gives root rights without a prompt, or undefined. */
function rootPrefix() {
  if (process.getuid?.() === 0) return [];
  if (hasCommand('sudo')) {
    try {
      execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
      return ['sudo', '-n'];
    } catch {
      // sudo would prompt for a password; treat it as unavailable.
    }
  }
  return undefined;
}

/**
 * Installs whichever of `packages` are missing. apt-get runs only when something is missing,
 * so a warm machine pays one dpkg-query per package.
 */
export async function ensureAptPackages(packages = aptPackages) {
  if (!hasCommand('dpkg-query') || !hasCommand('apt-get')) {
    throw new PrerequisiteError(
      `This is not a Debian-like system, so the recipe's packages cannot be installed automatically. ` +
        `Install the equivalents of: ${packages.join(', ')} (Chromium at ${chromiumPath}).`,
    );
  }
  const missing = packages.filter((pkg) => !isInstalled(pkg));
  if (missing.length === 0) return;
  const prefix = rootPrefix();
  const manual = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (!prefix) {
    throw new PrerequisiteError(`Missing system packages: ${missing.join(', ')}. Run as root:\n  ${manual}`);
  }
  console.log(`[prerequisites] installing ${missing.join(', ')} with apt-get…`);
  const asRoot = (...args) => {
    const [command, ...rest] = [...prefix, ...args];
    return run(command, rest, { env: { DEBIAN_FRONTEND: 'noninteractive' }, quiet: true });
  };
  try {
    await asRoot('apt-get', 'update');
    await asRoot('apt-get', 'install', '-y', ...missing);
  } catch (error) {
    throw new PrerequisiteError(`apt-get could not install ${missing.join(', ')}:\n${error.message}`);
  }
}

// @vscode/ripgrep's postinstall downloads `rg` from GitHub unless its cache already holds
// the archive. The version numbers are those of the @vscode/ripgrep that code-server
// 4.100.3 depends on; its postinstall then reports that it "uses the cached download".
const ripgrepCacheDir = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
const ripgrepArchive = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/** Creates the cached ripgrep archive from Debian's /usr/bin/rg (a tar.gz whose only member is `rg`). */
export async function seedRipgrepCache() {
  const archive = join(ripgrepCacheDir, ripgrepArchive);
  if (existsSync(archive)) return;
  const rg = '/usr/bin/rg';
  if (!existsSync(rg)) throw new PrerequisiteError(`${rg} is missing; install the Debian package ripgrep.`);
  mkdirSync(ripgrepCacheDir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'rg-staging-'));
  try {
    copyFileSync(rg, join(staging, 'rg'));
    // Write under a temporary name first so a half-written archive is never "cached".
    await run('tar', ['-czf', `${archive}.partial`, '-C', staging, 'rg'], { quiet: true });
    await run('mv', [`${archive}.partial`, archive], { quiet: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
