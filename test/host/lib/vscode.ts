// Helpers for the in-host suites: find our extension, open fixture documents from the test
// workspace, locate text in a document and wait for asynchronous state.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const extensionId = 'tensor-derivatives.tensor-derivatives';

export function ourExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `extension ${extensionId} is not installed in this host`);
  return extension;
}

/** Command ids our package.json contributes, so new commands are covered automatically. */
export function contributedCommands(): string[] {
  const commands = (ourExtension().packageJSON.contributes?.commands ?? []) as { command: string }[];
  return commands.map((entry) => entry.command);
}

/** Polls `predicate` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 50));
  }
}

/** The first folder of the test workspace (a copy of test/host/fixtures/workspace). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the host tests need a workspace folder (test/host/fixtures/workspace)');
  return folder.uri;
}

/** Opens a workspace file in an editor and returns the editor. */
export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), relativePath));
  return vscode.window.showTextDocument(document);
}

/** Position of the `occurrence`-th (0-based) match of `text`, plus `offset` characters. */
export function positionOf(document: vscode.TextDocument, text: string, { occurrence = 0, offset = 0 } = {}): vscode.Position {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = document.getText().indexOf(text, index + 1);
    assert.ok(index >= 0, `"${text}" (occurrence ${occurrence}) not found in ${document.uri.toString()}`);
  }
  return document.positionAt(index + offset);
}

/** Plain text of every hover the registered providers return at `position`. */
export async function hoverTextAt(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  return (hovers ?? [])
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}
