// Issue G: document scale. A 5 MB markdown note with 10,000 ```tensor blocks
// through analyzeDocument (measured and printed), and the pure helpers for
// incremental, time-sliced analysis in src/documents/incremental.ts.

import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/engine/analyze';
import { analyzeDocument } from '../../../src/documents/document-analysis';
import { firstDirty, RegionCache, regionKeys, runSlice } from '../../../src/documents/incremental';
import { findRegions } from '../../../src/documents/regions';
import { MAX_SOURCE_LENGTH } from '../../../src/engine/syntax/parser';
import { bigNote } from '../../support/fuzz/big-note';

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

describe('reliability: large documents', function () {
  this.timeout(120_000);

  const note = bigNote(10_000);

  it('a 5 MB note with 10,000 blocks: analyzeDocument returns promptly (today: one too-large diagnostic)', () => {
    assert.ok(note.length >= 5_000_000, `${note.length}`);
    const regions = timed(() => findRegions(note, 'markdown'));
    assert.equal(regions.value.filter((r) => r.kind === 'fence').length, 10_001);
    const doc = timed(() => analyzeDocument(note, 'markdown', 'numerator'));
    console.log(
      `      5 MB note (${note.length} chars, ${regions.value.length} regions): findRegions ${regions.ms.toFixed(0)} ms, ` +
        `analyzeDocument ${doc.ms.toFixed(0)} ms (synchronous), ${doc.value.diagnostics.length} diagnostic(s)`,
    );
    // The whole-document analysis refuses inputs over MAX_SOURCE_LENGTH: the note is not analysed at all.
    assert.deepEqual(doc.value.diagnostics.map((d) => d.code), ['too-large']);
    assert.ok(note.length > MAX_SOURCE_LENGTH);
    assert.ok(doc.ms < 5000, `${doc.ms} ms`);
  });

  it('a 100 KB note (200 blocks) is analysed whole; its time is recorded', () => {
    const small = bigNote(200);
    const doc = timed(() => analyzeDocument(small, 'markdown', 'numerator'));
    const noClaims = timed(() => analyzeDocument(small, 'markdown', 'numerator', { claims: false }));
    console.log(`      100 KB note (200 blocks): analyzeDocument ${doc.ms.toFixed(0)} ms, without claim checks ${noClaims.ms.toFixed(0)} ms`);
    assert.deepEqual(doc.value.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  });

  describe('incremental helpers (src/documents/incremental.ts)', () => {
    const text = bigNote(50);
    const regions = findRegions(text, 'markdown');

    it('region keys are stable and depend on the layout', () => {
      const a = regionKeys(text, regions, 'numerator');
      assert.deepEqual(regionKeys(text, regions, 'numerator'), a);
      assert.equal(new Set(a.map((k) => k.key)).size, a.length);
      assert.notDeepEqual(regionKeys(text, regions, 'mixed').map((k) => k.key), a.map((k) => k.key));
    });

    it('editing one region keeps the keys of the regions before it and changes all after it', () => {
      const before = regionKeys(text, regions, 'numerator');
      const k = 40;
      const r = regions[k]!;
      const edited = `${text.slice(0, r.start)}y: R^m\n${text.slice(r.start)}`;
      const shift = 'y: R^m\n'.length;
      const editedRegions = findRegions(edited, 'markdown');
      const after = regionKeys(edited, editedRegions, 'numerator');
      assert.equal(after.length, before.length);
      for (let i = 0; i < k; i++) assert.equal(after[i]!.key, before[i]!.key, `region ${i}`);
      for (let i = k; i < after.length; i++) assert.notEqual(after[i]!.key, before[i]!.key, `region ${i}`);
      assert.equal(editedRegions[k + 1]!.start, regions[k + 1]!.start + shift);

      const cache = new RegionCache<number>();
      before.forEach((x, i) => cache.set(x.key, i));
      assert.equal(firstDirty(before, cache), before.length);
      assert.equal(firstDirty(after, cache), k);
    });

    it('the cache is a bounded LRU', () => {
      const cache = new RegionCache<string>(3);
      for (const key of ['a', 'b', 'c']) cache.set(key, key.toUpperCase());
      assert.equal(cache.get('a'), 'A'); // refreshes a
      cache.set('d', 'D'); // evicts b, the least recently used
      assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => cache.has(k)), [true, false, true, true]);
      assert.equal(cache.size, 3);
    });

    it('runSlice stops at the time budget, resumes where it stopped, and honours cancellation', () => {
      let clock = 0;
      const seen: number[] = [];
      const items = Array.from({ length: 10 }, (_, i) => i);
      const work = (x: number) => {
        seen.push(x);
        clock += 4; // each item "takes" 4 ms
      };
      const first = runSlice(items, 0, work, { budgetMs: 10, now: () => clock });
      assert.deepEqual(first, { next: 3, done: false, cancelled: false });
      const second = runSlice(items, first.next, work, { budgetMs: 10, now: () => clock });
      assert.deepEqual(second, { next: 6, done: false, cancelled: false });
      let cancel = false;
      const third = runSlice(items, second.next, (x) => {
        work(x);
        cancel = true;
      }, { budgetMs: 100, now: () => clock, isCancelled: () => cancel });
      assert.deepEqual(third, { next: 7, done: false, cancelled: true });
      const last = runSlice(items, third.next, work, { budgetMs: 1000, now: () => clock });
      assert.deepEqual(last, { next: 10, done: true, cancelled: false });
      assert.deepEqual(seen, items);
      // A slice always makes progress, even with no budget.
      assert.equal(runSlice(items, 0, () => {}, { budgetMs: 0, now: () => clock }).next, 1);
    });

    it('per-region work items on the 5 MB note fit in 50 ms slices', () => {
      const all = findRegions(note, 'markdown');
      const keyed = timed(() => regionKeys(note, all, 'numerator'));
      const cache = new RegionCache<number>(30_000);
      let from = 0;
      let slices = 0;
      let longest = 0;
      while (from < keyed.value.length) {
        const t0 = performance.now();
        const r = runSlice(keyed.value, from, (k) => {
          // Stand-in for per-region analysis: the region alone (the real one needs the declarations before it).
          cache.set(k.key, analyze(note.slice(k.region.start, k.region.end), { mode: k.region.mode }).diagnostics.length);
        }, { budgetMs: 40, now: () => performance.now() });
        longest = Math.max(longest, performance.now() - t0);
        from = r.next;
        slices++;
      }
      console.log(`      region keys for 5 MB: ${keyed.ms.toFixed(0)} ms; ${all.length} regions analysed in ${slices} slices, longest slice ${longest.toFixed(1)} ms`);
      assert.equal(cache.size, all.length);
      assert.ok(longest < 250, `longest slice ${longest} ms`);
    });
  });
});
