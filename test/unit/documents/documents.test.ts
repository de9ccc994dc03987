// Region discovery, document-wide analysis and hover content on in-memory documents.

import { strict as assert } from 'node:assert';
import { findFencedTensorBlocks, maskDocument } from '../../../src/documents/regions';
import { analyzeDocument, documentRequests, hoverAt } from '../../../src/documents/document-analysis';
import { hoverMarkdown, pendingHoverMarkdown } from '../../../src/extension/hover-content';

const NOTE = [
  '# Quadratic forms',
  '',
  'Some prose with `x: R^n` in inline code, which is not a tensor block.',
  '',
  '```tensor',
  'x: R^n; A: R^{m×n}',
  'y = A x',
  '```',
  '',
  '```python',
  'z = A @ x',
  '```',
  '',
  '~~~ tensor',
  'd/dx (y^T y)',
  '~~~',
].join('\n');

describe('documents: fenced tensor blocks', () => {
  it('finds ``` and ~~~ fences with the tensor info string, and only those', () => {
    const regions = findFencedTensorBlocks(NOTE);
    assert.equal(regions.length, 2);
    assert.equal(NOTE.slice(regions[0]!.start, regions[0]!.end), 'x: R^n; A: R^{m×n}\ny = A x\n');
    assert.equal(NOTE.slice(regions[1]!.start, regions[1]!.end), 'd/dx (y^T y)\n');
  });

  it('handles CRLF line endings and an unclosed fence', () => {
    const crlf = '```tensor\r\nx: R^n\r\n```\r\n';
    const [r] = findFencedTensorBlocks(crlf);
    assert.equal(crlf.slice(r!.start, r!.end), 'x: R^n\r\n');
    const open = 'text\n```tensor\nx: R';
    const [u] = findFencedTensorBlocks(open);
    assert.equal(open.slice(u!.start, u!.end), 'x: R');
  });

  it('does not close a ``` fence with ~~~ or a shorter fence', () => {
    const text = '````tensor\nx: R\n```\ny: R\n````\n';
    const [r] = findFencedTensorBlocks(text);
    assert.equal(text.slice(r!.start, r!.end), 'x: R\n```\ny: R\n');
  });

  it('masks everything outside regions but keeps offsets', () => {
    const regions = findFencedTensorBlocks(NOTE);
    const masked = maskDocument(NOTE, regions);
    assert.equal(masked.length, NOTE.length);
    assert.ok(!masked.includes('python'));
    assert.equal(masked.slice(regions[0]!.start, regions[0]!.end), NOTE.slice(regions[0]!.start, regions[0]!.end));
  });
});

describe('documents: analysis across blocks', () => {
  it('uses declarations from earlier blocks in later ones, in reading order', () => {
    const doc = analyzeDocument(NOTE, 'markdown', 'numerator');
    assert.deepEqual(doc.diagnostics, []);
    const [d] = documentRequests(doc);
    assert.deepEqual(d!.request.shape.dims, ['n']);
    assert.equal(NOTE.slice(d!.start, d!.end), 'd/dx (y^T y)');
  });

  it('reports diagnostics at document offsets', () => {
    const text = '# t\n```tensor\nx: R^n\nq = x x\n```\n';
    const doc = analyzeDocument(text, 'markdown', 'numerator');
    const [diag] = doc.diagnostics;
    assert.equal(diag!.code, 'shape-mismatch');
    assert.equal(text.slice(diag!.span.start - 1, diag!.span.end + 1), 'x x');
  });

  it('ignores documents of other languages', () => {
    assert.equal(analyzeDocument(NOTE, 'plaintext', 'numerator').regions.length, 0);
  });
});

describe('documents: hover', () => {
  const doc = analyzeDocument(NOTE, 'markdown', 'numerator');

  it('gives the innermost expression with its shape and the declaration of a name', () => {
    const at = NOTE.indexOf('A x') + 2; // on "x"
    const h = hoverAt(doc, at)!;
    assert.equal(h.text, 'x');
    assert.deepEqual(h.shape.dims, ['n']);
    assert.equal(h.declaration?.text, 'x: R^n');
  });

  it('covers a product when hovering its operator gap', () => {
    const at = NOTE.indexOf('A x') + 1;
    const h = hoverAt(doc, at)!;
    assert.equal(h.text, 'A x');
    assert.equal(hoverMarkdown(h, 'numerator'), '`A x` : ℝᵐ — vector (m)');
  });

  it('describes a derivative request with its layout', () => {
    const at = NOTE.indexOf('d/dx') + 1;
    const h = hoverAt(doc, at)!;
    assert.ok(h.derivative);
    assert.match(hoverMarkdown(h, 'numerator'), /Derivative in numerator layout: shape \(n\), matrix 1×n\./);
  });

  it('returns null outside tensor regions', () => {
    assert.equal(hoverAt(doc, NOTE.indexOf('python')), null);
    assert.equal(hoverAt(doc, NOTE.indexOf('Some prose')), null);
  });

  it('hovers a declared name in its declaration', () => {
    const h = hoverAt(doc, NOTE.indexOf('A: R') )!;
    assert.equal(h.text, 'A');
    assert.equal(hoverMarkdown(h, 'numerator'), '`A` : ℝᵐˣⁿ — matrix (m×n)\n\nDeclared by `A: R^{m×n}`');
  });
});

describe('documents: the hover while a long note is still being analysed', () => {
  it('counts regions with thousands separators', () => {
    assert.match(pendingHoverMarkdown(999, 20_001), /\(999 of 20,001 regions\)/);
    assert.match(pendingHoverMarkdown(1_234_567, 1_000_000), /\(1,234,567 of 1,000,000 regions\)/);
    assert.match(pendingHoverMarkdown(0, 1000), /\(0 of 1,000 regions\)/);
  });
});
