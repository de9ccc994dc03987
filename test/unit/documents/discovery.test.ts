// Discovery of tensor regions beyond ```tensor fences: markdown math spans and
// @tensor comments in TypeScript/JavaScript.

import { strict as assert } from 'node:assert';
import { findMathSpans, findRegions, findTensorComments } from '../../../src/documents/regions';
import { analyzeDocument, documentRequests } from '../../../src/documents/document-analysis';

const slices = (text: string, regions: { start: number; end: number }[]) => regions.map((r) => text.slice(r.start, r.end));

describe('documents: markdown math spans', () => {
  it('finds $…$, $$…$$, \\(…\\) and \\[…\\], skipping code spans, fences and dollar amounts', () => {
    const md = [
      'Suppose $\\mathbf{a}, \\mathbf{v} \\in \\mathbb{R}^n$ and consider $s = v^T a$. It costs $5 and $10.',
      '',
      '$$',
      '\\frac{\\partial s}{\\partial v} = a',
      '$$',
      'Inline `$x$` code and \\(x \\in R\\) and \\[y \\in R\\].',
      '```',
      '$not math$',
      '```',
      'Escaped \\$ dollars \\$ are text.',
    ].join('\n');
    assert.deepEqual(slices(md, findMathSpans(md)), [
      '\\mathbf{a}, \\mathbf{v} \\in \\mathbb{R}^n',
      's = v^T a',
      '\n\\frac{\\partial s}{\\partial v} = a\n',
      'x \\in R',
      'y \\in R',
    ]);
  });

  it('does not let an inline $ span cross a blank line', () => {
    const md = 'a $x\n\ny$ b';
    assert.deepEqual(findMathSpans(md), []);
  });

  it('analyses prose declarations and requests in reading order (seed 000 style)', () => {
    const md = 'Suppose $\\mathbf{a}, \\mathbf{v} \\in \\mathbb{R}^n$ and consider $s = \\mathbf{v}^T \\mathbf{a}$.\n\n$$\\frac{\\partial s}{\\partial \\mathbf{v}} = \\mathbf{a}$$\n';
    const doc = analyzeDocument(md, 'markdown', 'mixed');
    assert.deepEqual(doc.diagnostics, []);
    assert.equal(documentRequests(doc).length, 1);
    assert.deepEqual(documentRequests(doc)[0]!.request.shape.dims, ['n']);
  });

  it('reports only problems with declared tensors in prose math, as warnings', () => {
    const md = 'Indices $i = 1, \\ldots, m$ and $\\mathbf{X}_{ij}$.\n\nLet $A \\in \\mathbb{R}^{m \\times n}$, $y \\in \\mathbb{R}^p$: $A y$ is wrong.\n';
    const doc = analyzeDocument(md, 'markdown', 'numerator');
    assert.deepEqual(doc.diagnostics.map((d) => [d.code, d.severity]), [['shape-mismatch', 'warning']]);
  });
});

describe('documents: @tensor comments', () => {
  const ts = [
    '// Shapes for Tensor Derivatives live in `@tensor` comments (this mention is prose).',
    '// @tensor W: R^{m×n}, x: R^n; y = W x',
    '/**',
    ' * Layer.',
    ' * @tensor',
    ' *   dy/dx',
    ' * @param w weights',
    ' */',
    '// @tensor',
    '// A: R^{n×n}',
    '// f = x^T A x',
    '',
    '// unrelated comment',
    '/* @tensor g = 2 f */',
    'const z = 1; // @tensor is not a tag after code',
  ].join('\n');

  it('reads // lines, JSDoc blocks after the tag, // blocks after a lone tag, and /* */ one-liners', () => {
    assert.deepEqual(slices(ts, findTensorComments(ts)), ['W: R^{m×n}, x: R^n; y = W x', 'dy/dx', 'A: R^{n×n}', 'f = x^T A x', 'g = 2 f']);
  });

  it('is used for TypeScript and JavaScript (and JSX) but not other languages', () => {
    for (const language of ['typescript', 'javascript', 'typescriptreact', 'javascriptreact']) assert.equal(findRegions(ts, language).length, 5);
    assert.equal(findRegions(ts, 'python').length, 0);
  });

  it('analyses the comments as one document', () => {
    const doc = analyzeDocument(ts, 'typescript', 'numerator');
    assert.deepEqual(doc.diagnostics, []);
    assert.deepEqual(documentRequests(doc).map((d) => d.request.shape.dims), [['m', 'n']]);
  });
});
