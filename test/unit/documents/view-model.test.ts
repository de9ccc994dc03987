// The side panel's view-model on in-memory documents: which request is shown,
// what the panel is told about it in each layout, and how failures surface.

import { strict as assert } from 'node:assert';
import { buildPanelModel, listRequests } from '../../../src/panel/view-model';
import { analyzeDocument, documentRequestAt, documentRequests } from '../../../src/documents/document-analysis';
import type { PanelModel } from '../../../src/panel/protocol';
import { parseToWebview } from '../../../src/panel/protocol';

const NOTE = ['# Note', '```tensor', 'x: R^n; A: R^{n×n}', 'f = x^T A x', 'df/dx', 'v: R^2', 'a = [v_1^2, v_1 + v_2, sin(v_2)]', 'da/dv', '```', ''].join('\n');

function model(offset: number, layout: 'numerator' | 'denominator' | 'mixed' = 'numerator'): PanelModel {
  const m = buildPanelModel({ text: NOTE, languageId: 'markdown', uri: 'file:///note.md', version: 1, layout, offset });
  assert.ok(!('empty' in m), JSON.stringify(m));
  return m;
}

describe('panel view-model', () => {
  it('picks the request under the cursor, else the nearest before it', () => {
    const doc = analyzeDocument('```tensor\nx: R^n\nd/dx (x^T x)\nhess(x^T x, x)\n```\n', 'markdown', 'numerator', { claims: false });
    const [first, second] = documentRequests(doc);
    assert.equal(documentRequestAt(doc, second!.start + 2)?.request, second!.request);
    assert.equal(documentRequestAt(doc, first!.end)?.request, first!.request, "cursor at the end of the line");
    assert.equal(documentRequestAt(doc, 0)?.request, first!.request, 'before every request: the first one');
  });

  it('describes a gradient in numerator and denominator layout', () => {
    const num = model(NOTE.indexOf('df/dx'));
    assert.equal(num.request.latex, '\\frac{\\partial f}{\\partial x}');
    assert.equal(num.matrix?.text, 'xᵀ (A + Aᵀ)');
    assert.deepEqual([num.shape.tensor, num.shape.matrix], ['(n)', '1×n']);
    assert.match(num.shape.description, /row/);
    assert.deepEqual(num.declarations.map((d) => d.text), ['A ∈ ℝⁿˣⁿ', 'x ∈ ℝⁿ']);
    assert.ok(num.check && 'ok' in num.check && num.check.ok);
    assert.equal(num.elements, null, 'symbolic sizes: no element table');

    const den = model(NOTE.indexOf('df/dx'), 'denominator');
    assert.equal(den.matrix?.text, '(A + Aᵀ) x');
    assert.deepEqual([den.shape.matrix], ['n×1']);
    assert.match(den.shape.description, /column/);
  });

  it('gives the seed Jacobian with its symbolic entries for concrete sizes', () => {
    const m = model(NOTE.indexOf('da/dv'));
    assert.equal(m.matrix?.text, '[[2 v₁, 0], [1, 1], [0, cos(v₂)]]');
    assert.deepEqual(m.elements?.dims, [3, 2]);
    assert.deepEqual(m.elements?.entries.map((e) => e.value.text), ['2 v₁', '0', '1', '1', '0', 'cos(v₂)']);
    assert.equal(m.elements?.entries[5]!.partial.text, '∂a[3]/∂v[2]');
  });

  it('produces messages the webview accepts', () => {
    assert.ok(parseToWebview({ type: 'update', model: model(NOTE.indexOf('df/dx')) }));
  });

  it('says what to do when there is no request', () => {
    const m = buildPanelModel({ text: '# nothing here', languageId: 'markdown', uri: 'file:///e.md', version: 1, layout: 'numerator', offset: 0 });
    assert.ok('empty' in m);
    assert.match(m.empty, /No derivative request here/);
  });

  it('lists requests for the quick pick', () => {
    assert.deepEqual(listRequests(NOTE, 'markdown').map((r) => r.label), ['df/dx', 'da/dv']);
    // With the document's uri the panel's incremental analysis is used: the same answers, across edits.
    assert.deepEqual(listRequests(NOTE, 'markdown', 'file:///quick-pick.md'), listRequests(NOTE, 'markdown'));
    const edited = NOTE.replace('df/dx', 'df/dx\nd/dA f');
    assert.deepEqual(listRequests(edited, 'markdown', 'file:///quick-pick.md').map((r) => r.label), ['df/dx', 'd/dA f', 'da/dv']);
  });
});
