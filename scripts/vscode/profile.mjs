// Creates a private, throw-away VS Code profile (user data + extensions folders) so runs
// never see the developer's own settings or extensions, and each other's state.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Settings that keep the workbench quiet and deterministic: no welcome page, tips,
// telemetry, update checks or extension recommendations (which would try the network).
export const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

/** Returns { root, userDataDir, extensionsDir } of a new profile under the system temp folder. */
export function createProfile(settings = {}) {
  const root = mkdtempSync(join(tmpdir(), 'tensor-derivatives-vscode-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    `${JSON.stringify({ ...quietSettings, ...settings }, null, 2)}\n`,
  );
  return { root, userDataDir, extensionsDir };
}
