// Installs extensions into a private extensions folder the way VS Code itself lays them
// out: an unpacked folder named `publisher.name-version`. For our extension the file list
// comes from vsce, so the folder holds exactly what the .vsix would hold.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from './env.mjs';

export function readManifest(sourceDir) {
  return JSON.parse(readFileSync(join(sourceDir, 'package.json'), 'utf8'));
}

export function extensionFolderName(manifest) {
  return `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase();
}

/** Files (relative paths) that `vsce package --no-dependencies` would put in the .vsix. */
export async function listPackagedFiles(sourceDir) {
  const vsce = await import('@vscode/vsce');
  return vsce.listFiles({ cwd: sourceDir, packageManager: vsce.PackageManager.None });
}

function listAllFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listAllFiles(dir, relative) : [relative];
  });
}

/**
 * Copies an extension into `extensionsDir`. `files` defaults to every file of `sourceDir`
 * (right for a staged build such as the test runner); pass `listPackagedFiles()` for a
 * source tree. Returns the installed folder.
 */
export function installUnpackedExtension(extensionsDir, sourceDir, files = listAllFiles(sourceDir)) {
  const target = join(extensionsDir, extensionFolderName(readManifest(sourceDir)));
  rmSync(target, { recursive: true, force: true });
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(sourceDir, file), join(target, file));
  }
  return target;
}

/** Installs our extension from its source tree, as the .vsix would contain it. */
export async function installRepoExtension(extensionsDir, repoDir) {
  return installUnpackedExtension(extensionsDir, repoDir, await listPackagedFiles(repoDir));
}

/**
 * Installs a packaged .vsix with code-server's own installer (slower, but tests the package)
 * into `profile` (from profile.mjs), with the same private config and data folders the
 * server uses, so nothing is written to ~/.config or ~/.local.
 */
export async function installVsix(profile, vsixPath) {
  const { ensureCodeServer } = await import('./code-server.mjs');
  const { entry } = await ensureCodeServer();
  await run(
    process.execPath,
    [
      entry,
      '--config', join(profile.root, 'config.yaml'),
      '--extensions-dir', profile.extensionsDir,
      '--user-data-dir', profile.userDataDir,
      '--install-extension', vsixPath,
    ],
    { env: { XDG_DATA_HOME: join(profile.root, 'data') }, quiet: true },
  );
}
