// Edits in the real editor: the extension keeps each document's text from the
// change events (src/extension/text-mirror.ts) and finds the regions of the new
// version from the previous scan (src/documents/markdown-scan.ts). After
// several edits in one event (what multi-cursor typing sends) and edits that
// open and close a fence, hovers and diagnostics describe the document as it
// now is.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverTextAt, ourExtension, positionOf, waitFor } from '../lib/vscode';

const NOTE = ['# Edits', '', '```tensor', 'x: R^n', 'A: R^{m×n}', 'y = A x', '```', '', 'Prose with $z \\in \\mathbb{R}^{p}$ in it.', ''].join('\n');

describe('edits in the editor', () => {
  before(async () => {
    await ourExtension().activate();
  });

  it('hovers describe the edited text after multi-edit events, fences opened and closed', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: NOTE });
    await vscode.window.showTextDocument(document);
    assert.match(await hoverTextAt(document, positionOf(document, 'y = A x')), /m/);

    // Two edits in one event: a new size for A's rows, and a line inserted above the block.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(positionOf(document, 'm×n'), positionOf(document, 'm×n', { offset: 1 })), 'k');
    edit.insert(document.uri, positionOf(document, '# Edits', { offset: 7 }), '\n\nAn inserted line.');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(document.getText().includes('A: R^{k×n}'));
    const afterMulti = await hoverTextAt(document, positionOf(document, 'y = A x'));
    assert.match(afterMulti, /k/, `the hover should use the new size k: ${afterMulti}`);
    assert.doesNotMatch(afterMulti, /ℝᵐ/, afterMulti);

    // Open a fence above the block: the tensor block's lines become the inside of a plain code block.
    const open = new vscode.WorkspaceEdit();
    open.insert(document.uri, positionOf(document, '```tensor'), '```\n');
    assert.ok(await vscode.workspace.applyEdit(open));
    const inCode = await hoverTextAt(document, positionOf(document, 'y = A x'));
    assert.doesNotMatch(inCode, /ℝ/, `inside a plain code block there is no tensor hover: ${inCode}`);

    // And close it again.
    const close = new vscode.WorkspaceEdit();
    close.delete(document.uri, new vscode.Range(positionOf(document, '```\n```tensor'), positionOf(document, '```\n```tensor', { offset: 4 })));
    assert.ok(await vscode.workspace.applyEdit(close));
    assert.match(await hoverTextAt(document, positionOf(document, 'y = A x')), /k/);
    // The math span after it still reads in the edited text.
    assert.match(await hoverTextAt(document, positionOf(document, 'z \\in', { offset: 0 })), /p/);

    // Diagnostics follow: an undeclared name typed into the block.
    const typo = new vscode.WorkspaceEdit();
    typo.insert(document.uri, positionOf(document, 'y = A x', { offset: 7 }), ' + q');
    assert.ok(await vscode.workspace.applyEdit(typo));
    await waitFor('a diagnostic for q', () => vscode.languages.getDiagnostics(document.uri).some((d) => /\bq\b/.test(d.message)));
    const diagnostic = vscode.languages.getDiagnostics(document.uri).find((d) => /\bq\b/.test(d.message))!;
    assert.equal(document.getText(diagnostic.range), 'q');
  });
});
