// One code-server + Chromium session per e2e run: the first test that asks for the
// workbench starts it (our extension installed into a private profile, a copy of a fixture
// folder opened), later tests reuse it, and the driver's root hook closes it at the end.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openWorkbench } from '../../../scripts/vscode/browser.mjs';
import { startCodeServer } from '../../../scripts/vscode/code-server.mjs';
import { repoRoot, scratchDir } from '../../../scripts/vscode/env.mjs';
import { installRepoExtension } from '../../../scripts/vscode/extension-folder.mjs';

export const fixturesDir = fileURLToPath(new URL('../fixtures', import.meta.url));

let shared;

/**
 * Starts code-server with our extension and opens `fixture` (a folder under
 * test/e2e/fixtures, copied to a temp folder so tests may edit it) in a new Chromium page.
 * Returns { page, server, browser, workspace, close() }.
 */
export async function startSession({ fixture = 'workspace', settings = {} } = {}) {
  const scratch = scratchDir('tensor-derivatives-e2e-');
  const workspace = join(scratch, fixture);
  cpSync(join(fixturesDir, fixture), workspace, { recursive: true });
  let server;
  let browser;
  const close = async () => {
    await browser?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    server = await startCodeServer({
      folder: workspace,
      settings,
      install: ({ extensionsDir }) => installRepoExtension(extensionsDir, repoRoot),
    });
    browser = await launchBrowser();
    const page = await openWorkbench(browser, server.workbenchUrl());
    return { page, server, browser, workspace, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The run-wide session on the default fixture, started on first use. */
export function workbench() {
  shared ??= startSession();
  return shared;
}

/** Closes the run-wide session if one was started (the driver calls this once at the end). */
export async function closeSharedSession() {
  if (!shared) return;
  const session = await shared.catch(() => undefined);
  shared = undefined;
  await session?.close();
}
