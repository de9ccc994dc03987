// The panel's pure logic: Copy LaTeX, Insert below (where and what), the
// saved webview state, and the model cache.

import { strict as assert } from 'node:assert';
import { copyLatex, insertionFor, ModelCache, parsePanelState, type BuildResult } from '../../../src/extension/panel-logic';
import type { PanelModel } from '../../../src/panel/protocol';
import { sampleModel } from '../webview/helpers';

function at(text: string, needle: string, overrides: Partial<PanelModel> = {}): PanelModel {
  const start = text.indexOf(needle);
  assert.ok(start >= 0, `'${needle}' in text`);
  const base = sampleModel();
  return sampleModel({ ...overrides, source: { ...base.source, start, end: start + needle.length } });
}

function apply(text: string, ins: ReturnType<typeof insertionFor>): string {
  assert.ok(!('error' in ins), JSON.stringify(ins));
  return text.slice(0, ins.offset) + ins.text + text.slice(ins.offset);
}

describe('panel logic', () => {
  describe('copyLatex', () => {
    it('copies the matrix form, or the index form when there is none', () => {
      assert.equal(copyLatex(sampleModel()), '\\mathbf{x}^\\top \\left(A + A^\\top\\right)');
      assert.equal(copyLatex(sampleModel({ matrix: null })), '\\left[\\frac{\\partial f}{\\partial \\mathbf{x}}\\right]_{i} = \\sum_{j} \\left(A_{ij} + A_{ji}\\right) x_{j}');
    });
  });

  describe('insertionFor', () => {
    const md = ['# Notes', '', '```tensor', 'x: R^n; A: R^{n×n}', 'd/dx (x^T A x)', '```', 'More prose.', ''].join('\n');

    it('markdown: a $$ display block after the fence holding the request', () => {
      const model = at(md, 'd/dx (x^T A x)');
      const out = apply(md, insertionFor(md, 'markdown', model));
      assert.equal(
        out,
        [
          '# Notes', '', '```tensor', 'x: R^n; A: R^{n×n}', 'd/dx (x^T A x)', '```', '',
          '$$',
          `${model.request.latex} = ${model.matrix!.latex}`,
          '$$', '',
          'More prose.', '',
        ].join('\n'),
      );
    });

    it('markdown: uses the index form without a matrix form, and keeps CRLF line ends', () => {
      const crlf = md.replace(/\n/g, '\r\n');
      const model = at(crlf, 'd/dx (x^T A x)', { matrix: null });
      const out = apply(crlf, insertionFor(crlf, 'markdown', model, '\r\n'));
      assert.ok(out.includes('```\r\n\r\n$$\r\n\\left[\\frac{\\partial f}{\\partial \\mathbf{x}}\\right]_{i} = \\sum_{j}'), out);
      assert.doesNotMatch(out.replace(/\r\n/g, ''), /\r|\n/);
    });

    it('markdown: below the request line when it is not in a closed fence, without blank lines inside $$', () => {
      const text = 'see d/dx f here\nnext line';
      const model = at(text, 'd/dx f', { matrix: { latex: 'a \\\\\n\n b', text: 'a b' } });
      const out = apply(text, insertionFor(text, 'markdown', model));
      assert.equal(out, `see d/dx f here\n\n$$\n${model.request.latex} = a \\\\\n b\n$$\n\nnext line`);
    });

    it('TypeScript: a // = comment line below the request with the same indentation', () => {
      const ts = ['function f() {', '    // @tensor d/dx (x^T A x)', '    return 0;', '}'].join('\n');
      const model = at(ts, 'd/dx (x^T A x)');
      assert.equal(apply(ts, insertionFor(ts, 'typescript', model)), ['function f() {', '    // @tensor d/dx (x^T A x)', '    // = xᵀ(A + Aᵀ)', '    return 0;', '}'].join('\n'));
      const js = '\t// d/dx f';
      assert.equal(apply(js, insertionFor(js, 'javascriptreact', at(js, 'd/dx f', { matrix: null }))), '\t// d/dx f\n\t// [∂f/∂x]ᵢ = Σⱼ (Aᵢⱼ + Aⱼᵢ) xⱼ');
    });

    it('refuses other languages and out-of-range requests', () => {
      assert.match((insertionFor('x', 'python', at('x', 'x')) as { error: string }).error, /markdown and TypeScript/);
      const model = sampleModel({ source: { uri: 'u', start: 50, end: 60, version: 1 } });
      assert.ok('error' in insertionFor('short', 'markdown', model));
    });
  });

  describe('parsePanelState', () => {
    it('accepts { uri, offset, layout } and rejects anything else', () => {
      assert.deepEqual(parsePanelState({ uri: 'file:///a.md', offset: 3, layout: 'mixed' }), { uri: 'file:///a.md', offset: 3, layout: 'mixed' });
      for (const bad of [undefined, null, 'x', { uri: '', offset: 0, layout: 'mixed' }, { uri: 'u', offset: -1, layout: 'mixed' }, { uri: 'u', offset: 1.5, layout: 'mixed' }, { uri: 'u', offset: 1, layout: 'row' }]) {
        assert.equal(parsePanelState(bad), null, JSON.stringify(bad));
      }
    });
  });

  describe('ModelCache', () => {
    const requests = [
      { start: 10, end: 30 },
      { start: 14, end: 20 }, // nested inside the first
      { start: 40, end: 50 },
    ];
    const model = (start: number, end: number): PanelModel => sampleModel({ source: { uri: 'u', start, end, version: 1 } });

    it('hits the same offset, and any offset whose innermost request is a cached model', () => {
      let listed = 0;
      const cache = new ModelCache(() => (listed++, requests));
      const outer = model(10, 30);
      cache.set('u', 1, 'numerator', 12, outer);
      assert.equal(cache.get('u', 1, 'numerator', 12), outer);
      assert.equal(cache.get('u', 1, 'numerator', 25), outer);
      // Inside the nested request: the outer model is not the answer.
      assert.equal(cache.get('u', 1, 'numerator', 16), undefined);
      // Between requests: only exact offsets hit.
      assert.equal(cache.get('u', 1, 'numerator', 35), undefined);
      assert.equal(listed, 1, 'requests listed once per version');
    });

    it('keys on layout and version, and caches empty results by offset', () => {
      const cache = new ModelCache(() => requests);
      const m = model(40, 50);
      cache.set('u', 1, 'numerator', 45, m);
      assert.equal(cache.get('u', 1, 'mixed', 45), undefined);
      assert.equal(cache.get('u', 2, 'numerator', 45), undefined);
      const empty: BuildResult = { empty: 'nothing here' };
      cache.set('u', 2, 'numerator', 0, empty);
      assert.equal(cache.get('u', 2, 'numerator', 0), empty);
      assert.equal(cache.get('u', 1, 'numerator', 45), undefined, 'a new version drops the old one');
      cache.forget('u');
      assert.equal(cache.get('u', 2, 'numerator', 0), undefined);
    });

    it('stays bounded', () => {
      const cache = new ModelCache(() => [], 2, 4);
      for (let i = 0; i < 10; i++) cache.set('u', 1, 'numerator', i, { empty: String(i) });
      assert.equal(cache.get('u', 1, 'numerator', 0), undefined);
      assert.deepEqual(cache.get('u', 1, 'numerator', 9), { empty: '9' });
      cache.set('a', 1, 'numerator', 0, { empty: 'a' });
      cache.set('b', 1, 'numerator', 0, { empty: 'b' });
      assert.equal(cache.get('u', 1, 'numerator', 9), undefined, 'least recently used document evicted');
    });
  });
});
