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
    // Lenses get their title when VS Code resolves them (the ones on screen): resolve up to 10.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    const ours = (lenses ?? []).filter((l) => l.command?.command === 'tensorDerivatives.showDerivative');
    assert.equal(ours.length, 2, `expected 2 lenses, got ${ours.map((l) => l.command?.title).join(' | ')}`);
    assert.match(ours[0]!.command!.title, /Show derivative · 1×n \(numerator\)/);
    const [uri, offset] = ours[0]!.command!.arguments as [string, number];
    assert.equal(uri, document.uri.toString());
    assert.equal(document.getText().slice(offset, offset + 4), 'd/dx');
  });

  it('answers a lens request made right after an edit with the edited version\'s lenses (not none while it is analysed)', async () => {
    const content = ['```tensor', 'x: R^n', 'A: R^{n×n}', 'd/dx x\' A x', '```', ''].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(document);
    const count = async (): Promise<number> => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
      return (lenses ?? []).filter((l) => l.command?.command === 'tensorDerivatives.showDerivative').length;
    };
    assert.equal(await count(), 1);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, document.positionAt(document.getText().indexOf('```', 3)), 'd/dA x\' A x\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    // Asked at once (the analysis of the new version waits for the typing pause): the answer waits for it.
    assert.equal(await count(), 2);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
    const second = lenses!.filter((l) => l.command?.command === 'tensorDerivatives.showDerivative')[1]!;
    assert.match(second.command!.title, /Show derivative · n×n \(numerator\)/);
    assert.equal(document.lineAt(second.range.start.line).text, "d/dA x' A x");
  });

  it('lists the lenses of a note with more requests than one chunk (1,200), each at its request', async () => {
    const blocks = Array.from({ length: 1200 }, (_, k) => ['```tensor', `x${k}: R^n`, `d/dx${k} x${k}' x${k}`, '```', ''].join('\n'));
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: blocks.join('\n') });
    // The command returns resolved lenses only (those with a command): resolve them all.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 1200);
    assert.equal(lenses.length, 1200);
    const last = lenses.at(-1)!;
    assert.equal(document.lineAt(last.range.start.line).text, "d/dx1199 x1199' x1199");
    assert.equal(document.lineAt(lenses[1000]!.range.start.line).text, "d/dx1000 x1000' x1000");
    assert.match(last.command!.title, /Show derivative · 1×n \(numerator\)/);
    assert.equal((last.command!.arguments as [string, number])[1], document.getText().indexOf('d/dx1199'));
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
