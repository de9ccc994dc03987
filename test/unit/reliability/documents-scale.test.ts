// Issue G: document scale. A 5 MB markdown note with 10,000 ```tensor blocks
// analysed incrementally in time slices (src/documents/incremental.ts; the
// figures are printed, not asserted), and the incremental analysis checked
// against from-scratch analysis: reuse after edits, early cutoff, and equal
// results.

import { strict as assert } from 'node:assert';
import { analyzeDocument, documentAnalysisOf, documentRequests, type DocumentAnalysis } from '../../../src/documents/document-analysis';
import { DocumentAnalyzer } from '../../../src/documents/incremental';
import { commonPrefixLength } from '../../../src/documents/text-change';
import { LruCache } from '../../../src/documents/lru-cache';
import { findRegions } from '../../../src/documents/regions';
import { derivativeInfo } from '../../../src/documents/derivative-info';
import { bigNote } from '../../support/fuzz/big-note';
import { Rng } from '../../support/fuzz/rng';

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

/** What a user sees of an analysis: diagnostics and each request's printed result, in document offsets. */
function visible(doc: DocumentAnalysis): unknown {
  return {
    diagnostics: doc.diagnostics.map((d) => `${d.span.start}-${d.span.end} ${d.code} ${d.message}`),
    requests: documentRequests(doc).map((r) => {
      const info = derivativeInfo(r.analysis, r.request, { check: false });
      return `${r.start}-${r.end} ${r.request.shape.dims.join('×')} ${info.presentation?.matrix?.text ?? info.presentation?.index.text ?? info.problem}`;
    }),
  };
}

describe('reliability: large documents', function () {
  this.timeout(300_000);

  it('a 5 MB note with 10,000 blocks is analysed in short slices, and an edit re-analyses one region', () => {
    const note = bigNote(10_000);
    assert.ok(note.length >= 5_000_000, `${note.length}`);
    const analyzer = new DocumentAnalyzer();
    const start = timed(() => analyzer.start(note, 'markdown', 'numerator'));
    const run = start.value;
    assert.equal(run.regions.filter((r) => r.kind === 'fence').length, 10_001);
    let slices = 0;
    let longest = 0;
    const t0 = performance.now();
    while (!run.done) {
      const s = performance.now();
      run.step(s + 20, () => performance.now());
      longest = Math.max(longest, performance.now() - s);
      slices++;
    }
    const total = performance.now() - t0;
    assert.equal(run.parts.length, run.regions.length);
    assert.equal(run.stats.analysed, run.regions.length);
    // An edit inside one expression: that region alone is analysed again.
    const mid = run.parts[Math.floor(run.parts.length / 2)]!.region;
    const edited = `${note.slice(0, mid.end - 1)} ${note.slice(mid.end - 1)}`;
    const again = timed(() => analyzer.start(edited, 'markdown', 'numerator'));
    const through = timed(() => again.value.through(mid.end));
    assert.equal(again.value.stats.analysed, 1);
    console.log(
      `      5 MB note (${note.length} chars, ${run.regions.length} regions): regions found in ${start.ms.toFixed(0)} ms; analysed in ${total.toFixed(0)} ms ` +
        `as ${slices} slices of 20 ms (longest ${longest.toFixed(0)} ms); after an edit: regions ${again.ms.toFixed(0)} ms, through the edit ${through.ms.toFixed(0)} ms (1 region analysed)`,
    );
  });

  it('commonPrefixLength finds the first difference inside and across 64 KB chunks', () => {
    const base = 'abcdefghij'.repeat(20_000);
    for (const at of [0, 1, 65_535, 65_536, 65_537, 131_072, 199_999]) {
      const changed = `${base.slice(0, at)}#${base.slice(at + 1)}`;
      assert.equal(commonPrefixLength(base, changed), at, `difference at ${at}`);
    }
    assert.equal(commonPrefixLength(base, base), base.length);
    assert.equal(commonPrefixLength(base, base.slice(0, 70_000)), 70_000, 'one is a prefix of the other');
    assert.equal(commonPrefixLength('', base), 0);
  });

  it('early cutoff: an expression edit re-analyses one region; a declaration edit the regions after it', () => {
    const note = bigNote(60);
    const analyzer = new DocumentAnalyzer();
    const first = analyzer.start(note, 'markdown', 'numerator').finish();
    const k = 40;
    const r = first.regions[k]!;
    // Text inserted above region k shifts every later region; offsets are relative, so nothing else is analysed.
    const heading = note.lastIndexOf('\n## Section', r.start) + 1;
    const prose = `${note.slice(0, heading)}More prose.\n\n${note.slice(heading)}`;
    const afterProse = analyzer.start(prose, 'markdown', 'numerator').finish();
    assert.equal(afterProse.stats.analysed, 0);
    const expr = first.parts.findIndex((p, i) => i > k && p.region.kind === 'fence' && p.entry.analysis.elaboration.derivatives.length > 0);
    const at = first.parts[expr]!.region;
    const request = first.parts[expr]!.entry.analysis.elaboration.derivatives[0]!.node.span;
    const exprEdit = `${note.slice(0, at.start + request.end)} ${note.slice(at.start + request.end)}`;
    assert.equal(analyzer.start(exprEdit, 'markdown', 'numerator').finish().stats.analysed, 1);
    const declEdit = `${note.slice(0, at.start)}zz: R^n\n${note.slice(at.start)}`;
    const afterDecl = analyzer.start(declEdit, 'markdown', 'numerator').finish();
    assert.equal(afterDecl.stats.analysed, afterDecl.regions.length - expr);
  });

  it('incremental results equal from-scratch analysis after random edits (seeded)', () => {
    const base = bigNote(12);
    const rng = new Rng(7);
    const random = () => rng.next();
    const snippets = ['x', ' ', '\n', 'x: R^m\n', "f = x' x\n", 'd/dx f\n', ')', 'A_{11} = 1\n', '$', '```tensor\n', '```\n'];
    const analyzer = new DocumentAnalyzer();
    let text = base;
    for (let edit = 0; edit < 60; edit++) {
      const at = Math.floor(random() * text.length);
      if (random() < 0.3) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 20));
      else text = text.slice(0, at) + snippets[Math.floor(random() * snippets.length)]! + text.slice(at);
      const layout = (['numerator', 'denominator', 'mixed'] as const)[edit % 3]!;
      const run = analyzer.start(text, 'markdown', layout);
      // Half the time a hover comes first and analyses a prefix.
      if (random() < 0.5) run.through(Math.floor(random() * text.length));
      run.finish();
      run.checkClaimsStep(Infinity, () => 0);
      assert.deepEqual(visible(documentAnalysisOf(run)), visible(analyzeDocument(text, 'markdown', layout)), `edit ${edit}`);
    }
  });

  it('element definitions in separate math spans make one variable (seed 000)', () => {
    const md = 'Let $\\mathbf{A} \\in \\mathbb{R}^{2 \\times 2}$, $x \\in \\mathbb{R}$, and define:\n- $A_{11} = x^2$, $A_{12} = \\sin x$\n- $A_{21} = e^x$, $A_{22} = 3x$\n\n$$\\frac{\\partial \\mathbf{A}}{\\partial x} = \\begin{bmatrix} 2x & \\cos x \\\\ e^x & 3 \\end{bmatrix}$$\n';
    const doc = analyzeDocument(md, 'markdown', 'numerator');
    assert.deepEqual(doc.diagnostics.map((d) => d.message), []);
    const [r] = documentRequests(doc);
    assert.deepEqual(r!.request.shape.dims, [2, 2]);
    const info = derivativeInfo(r!.analysis, r!.request);
    assert.equal(info.check?.ok, true);
  });

  it('regions whose full analyses were released give the same results, analysed again on use', () => {
    const note = bigNote(40);
    // Keep one full analysis at a time: every other region's is released and read back on demand.
    const analyzer = new DocumentAnalyzer(4096, 1);
    const run = analyzer.start(note, 'markdown', 'mixed').finish();
    run.checkClaimsStep(Infinity, () => 0);
    const held = run.parts.filter((p) => p.entry.holdsAnalysis).length;
    assert.ok(held <= 1, `${held} analyses held`);
    assert.deepEqual(visible(documentAnalysisOf(run)), visible(analyzeDocument(note, 'markdown', 'mixed')));
    const requests = documentRequests(documentAnalysisOf(run));
    assert.ok(requests.length >= 10);
    assert.deepEqual(requests.map((r) => r.shape.dims), requests.map((r) => r.request.shape.dims), 'summaries agree with the re-analysed requests');
  });

  it('a hover analyses up to its offset within a deadline, then continues where it stopped', () => {
    const note = bigNote(100);
    const run = new DocumentAnalyzer().start(note, 'markdown', 'numerator');
    let clock = 0;
    const last = run.regions[run.regions.length - 1]!;
    assert.equal(run.through(last.start, 10, () => clock++), false);
    const stopped = run.parts.length;
    assert.ok(stopped >= 1 && stopped < run.regions.length);
    assert.equal(run.through(last.start), true);
    assert.equal(run.parts.length, run.regions.length);
  });

  it('the region cache is a bounded LRU', () => {
    const cache = new LruCache<string>(3);
    for (const key of ['a', 'b', 'c']) cache.set(key, key.toUpperCase());
    assert.equal(cache.get('a'), 'A'); // refreshes a
    cache.set('d', 'D'); // evicts b, the least recently used
    assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => cache.has(k)), [true, false, true, true]);
    assert.equal(cache.size, 3);
  });

  it('a hover needs only the regions up to it', () => {
    const note = bigNote(200);
    const run = new DocumentAnalyzer().start(note, 'markdown', 'numerator');
    const target = run.regions[30]!;
    run.through(target.start + 1);
    assert.equal(run.parts.length, 31);
    assert.ok(!run.done);
    assert.equal(findRegions(note, 'markdown').length, run.regions.length);
  });
});
