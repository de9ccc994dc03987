// CodeLenses above derivative requests and the Show Derivative command's round
// trip to the side panel, in the real extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFixture, ourExtension, waitFor } from '../lib/vscode';

describe('CodeLens and the Show Derivative panel', () => {
  before(async () => {
    await ourExtension().activate();
  });

  it('puts a Show derivative CodeLens above each request', async () => {
    const { document } = await openFixture('derivatives.md');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const ours = (lenses ?? []).filter((l) => l.command?.command === 'tensorDerivatives.showDerivative');
    assert.equal(ours.length, 2, `expected 2 lenses, got ${ours.map((l) => l.command?.title).join(' | ')}`);
    assert.match(ours[0]!.command!.title, /Show derivative · 1×n \(numerator\)/);
    const [uri, offset] = ours[0]!.command!.arguments as [string, number];
    assert.equal(uri, document.uri.toString());
    assert.equal(document.getText().slice(offset, offset + 4), 'd/dx');
  });

  it('opens the panel beside the editor from the command with a request position', async () => {
    const { document } = await openFixture('derivatives.md');
    const offset = document.getText().indexOf('d/dx');
    await vscode.commands.executeCommand('tensorDerivatives.showDerivative', document.uri.toString(), offset);
    await waitFor('the Derivative panel tab', () =>
      vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && /tensorDerivatives\.panel/.test(t.input.viewType))),
    );
  });
});
