// A long note (over SLICED_READ_MIN_LINES lines) is first read a range of lines at a time through
// the real TextDocument.getText(Range) — including a last range that runs past the end, which VS
// Code clamps — and its diagnostics land where they belong.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ourExtension, waitFor } from '../lib/vscode';

describe('a long document', () => {
  before(async () => {
    await ourExtension().activate();
  });

  it('is read in ranges of lines and analysed to the last line', async () => {
    const prose = Array.from({ length: 21_003 }, (_, i) => (i % 500 === 0 ? `## Part ${i}` : `Prose line ${i}, with $x_${i}$ in it.`));
    const block = ['```tensor', 'x: R^n', 'A: R^{n×n}', 'd/dx (x^T A x)', 'B = A x x', '```'];
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: [...prose, ...block].join('\n') });
    await vscode.window.showTextDocument(document);
    const badLine = prose.length + 4;
    await waitFor('diagnostics on the last block', () => vscode.languages.getDiagnostics(document.uri).length > 0, 30_000);
    const diagnostics = vscode.languages.getDiagnostics(document.uri);
    assert.ok(
      diagnostics.every((d) => d.range.start.line === badLine),
      `diagnostics at lines ${diagnostics.map((d) => d.range.start.line).join(', ')}, expected ${badLine}`,
    );
  });
});
