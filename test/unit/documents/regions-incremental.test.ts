// Finding the regions of a new version from the scan of the previous one
// (markdown-scan.ts) gives exactly what a scan from scratch gives: random
// markdown documents built from the fragments that matter to the scanners,
// then random sequences of edits (each replacing a random stretch with random
// fragments), each version scanned from the one before. And it is incremental:
// a keystroke in a long note re-reads a few hundred characters, not the note.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RegionScan, RegionScanJob, findRegions } from '../../../src/documents/regions';
import { MarkdownScan } from '../../../src/documents/markdown-scan';
import { changeBetween, commonSuffixLength } from '../../../src/documents/text-change';
import { bigNote } from '../../support/fuzz/big-note';

const FRAGMENTS = [
  '```tensor\n', '```\n', '````\n', '~~~ tensor\n', '~~~\n', '   ```tensor\n', '    ```\n', '```python\n', '``` \n',
  '$', '$$', ' $', '$ ', '$1', '\\$', '\\(', '\\)', '\\[', '\\]', '`', '``', '```', '\\',
  'x', 'x^2', ' ', '\n', '\n\n', '\r\n', 'd/dx (x^T A x)', 'a: R^n', '\t', 'y',
];

const fragments = (maxLength: number) => fc.array(fc.constantFrom(...FRAGMENTS), { maxLength }).map((parts) => parts.join(''));

/** An edit: replace [at, at + remove) (fractions of the length) with the inserted fragments. */
const editArb = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat({ max: 12 }), insert: fragments(4) });

function applyEdit(text: string, edit: { at: number; remove: number; insert: string }): string {
  const at = Math.min(text.length, Math.floor(edit.at * (text.length + 1)));
  return text.slice(0, at) + edit.insert + text.slice(Math.min(text.length, at + edit.remove));
}

describe('documents: regions found again after an edit, from the previous scan', () => {
  it('equal a scan from scratch on 3,000 random documents, each edited 1–8 times in a row', () => {
    fc.assert(
      fc.property(fragments(60), fc.array(editArb, { minLength: 1, maxLength: 8 }), (original, edits) => {
        let text = original;
        let scan = RegionScan.of(text, 'markdown');
        for (const edit of edits) {
          const next = applyEdit(text, edit);
          scan = RegionScan.of(next, 'markdown', scan);
          const fresh = MarkdownScan.of(next);
          assert.deepEqual(scan.markdown!.fences, fresh.fences, `fences after editing ${JSON.stringify(text)} into ${JSON.stringify(next)}`);
          assert.deepEqual(scan.markdown!.math, fresh.math, `math after editing ${JSON.stringify(text)} into ${JSON.stringify(next)}`);
          assert.deepEqual(scan.regions, findRegions(next, 'markdown'));
          text = next;
        }
      }),
      { seed: 2611, numRuns: 3000 },
    );
  });

  it('a first scan done a slice at a time equals one in one go, and so do the rescans after it', () => {
    let slices = 0;
    fc.assert(
      fc.property(fragments(60), fc.integer({ min: 1, max: 5 }), fc.array(editArb, { maxLength: 4 }), (original, checkEvery, edits) => {
        // A clock that is always past the deadline: the job stops at every chance it has.
        const job = new RegionScanJob(original, 'markdown', checkEvery);
        let scan: RegionScan | null = null;
        for (let step = 0; !scan; step++) {
          assert.ok(step <= 2 * original.length + 4, 'every step makes progress');
          scan = job.step(0, () => 1);
          if (!scan) slices++;
        }
        const fresh = MarkdownScan.of(original);
        assert.deepEqual(scan.markdown!.fences, fresh.fences);
        assert.deepEqual(scan.markdown!.math, fresh.math);
        assert.deepEqual(scan.regions, findRegions(original, 'markdown'));
        let text = original;
        for (const edit of edits) {
          text = applyEdit(text, edit);
          scan = RegionScan.of(text, 'markdown', scan);
          assert.deepEqual(scan.regions, findRegions(text, 'markdown'), `after editing into ${JSON.stringify(text)}`);
        }
      }),
      { seed: 2612, numRuns: 2000 },
    );
    assert.ok(slices > 2_000, `the scans stopped only ${slices} times`);
  });

  it('read again what searched to the end of the text when text is added there', () => {
    // A `$` whose closing `$` was not found (the search ran past a fence to the end): typing at
    // the end can close it, though the edit is far after the `$`.
    const cases: [string, string][] = [
      ['$x\n```\n```\nb\n', '$x\n```\n```\nb\nc$'],
      ['$$ a\n```\n```\nb\n', '$$ a\n```\n```\nb\n$$'],
      ['\\( a\n```\n```\nb\n', '\\( a\n```\n```\nb\n\\)'],
      ['`` a\n```\n```\nb\n', '`` a\n```\n```\nb\n`` $y$'],
      ['```tensor\n', '```tensor\n```tensor\n'],
      ['text\n```\n', 'text\n```\nx: R^n'],
    ];
    for (const [before, after] of cases) {
      const scan = RegionScan.of(after, 'markdown', RegionScan.of(before, 'markdown'));
      assert.deepEqual(scan.regions, findRegions(after, 'markdown'), JSON.stringify([before, after]));
    }
  });

  it('equal a scan from scratch when edits land in a long note (blocks, prose, math), chained', () => {
    const note = bigNote(60, 300);
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 1, maxLength: 6 }), (edits) => {
        let text = note;
        let scan = RegionScan.of(text, 'markdown');
        for (const edit of edits) {
          text = applyEdit(text, edit);
          scan = RegionScan.of(text, 'markdown', scan);
          assert.deepEqual(scan.regions, findRegions(text, 'markdown'));
        }
      }),
      { seed: 77, numRuns: 300 },
    );
  });

  it('re-reads only around a keystroke in a 1 MB note', () => {
    const note = bigNote(2000, 500);
    const first = RegionScan.of(note, 'markdown');
    // A character typed into a tensor block, into prose, and into an inline math span, in the middle of the note.
    const block = note.indexOf('```tensor\n', note.length / 2) + 12;
    const prose = note.indexOf('Prose that', note.length / 2) + 5;
    const math = note.indexOf('\\mathbb', note.length / 2) + 3;
    for (const at of [block, prose, math]) {
      const edited = note.slice(0, at) + 'q' + note.slice(at);
      const scan = RegionScan.of(edited, 'markdown', first);
      assert.deepEqual(scan.regions, findRegions(edited, 'markdown'));
      const { fences, math: spans } = scan.markdown!.rescanned!;
      assert.ok(fences.to - fences.from < 1000, `fences re-read ${fences.to - fences.from} characters`);
      assert.ok(spans.to - spans.from < 3000, `math re-read ${spans.to - spans.from} characters`);
    }
  });

  it('re-reads to the end when the edit changes everything after it (an opened fence)', () => {
    const note = bigNote(50, 300);
    const at = Math.floor(note.length / 2);
    const edited = `${note.slice(0, at)}\n\`\`\`\`\n${note.slice(at)}`;
    const scan = RegionScan.of(edited, 'markdown', RegionScan.of(note, 'markdown'));
    assert.deepEqual(scan.regions, findRegions(edited, 'markdown'));
    assert.equal(scan.markdown!.rescanned!.fences.to, edited.length);
  });

  it('scans from scratch when the language changes, and TypeScript comments always', () => {
    const md = RegionScan.of('$x$ and $y$', 'markdown');
    const ts = RegionScan.of('// @tensor x: R^n', 'typescript', md);
    assert.equal(ts.markdown, null);
    assert.deepEqual(ts.regions, findRegions('// @tensor x: R^n', 'typescript'));
    const back = RegionScan.of('$x$ and $z$', 'markdown', ts);
    assert.equal(back.markdown!.rescanned, null);
  });
});

describe('documents: where two versions differ', () => {
  it('changeBetween finds the changed stretch; prefix and suffix never overlap', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
        const c = changeBetween(a, b);
        assert.ok(c.start <= c.oldEnd && c.start <= c.newEnd);
        assert.equal(a.slice(0, c.start), b.slice(0, c.start));
        assert.equal(a.slice(c.oldEnd), b.slice(c.newEnd));
        assert.equal(a.length - c.oldEnd, b.length - c.newEnd);
        // Smallest: the stretch cannot be shortened at either end.
        if (c.start < c.oldEnd && c.start < c.newEnd) assert.notEqual(a[c.start], b[c.start]);
      }),
      { seed: 5, numRuns: 2000 },
    );
  });

  it('commonSuffixLength works across 64 KB chunks and respects its limit', () => {
    const base = 'abcdefghij'.repeat(20_000);
    for (const at of [0, 1, 65_535, 65_536, 65_537, 150_000, base.length - 1]) {
      const changed = base.slice(0, at) + 'Z' + base.slice(at + 1);
      assert.equal(commonSuffixLength(base, changed), base.length - at - 1, `difference at ${at}`);
    }
    assert.equal(commonSuffixLength(base, base), base.length);
    assert.equal(commonSuffixLength(base, base, 10), 10);
    assert.equal(commonSuffixLength(base, `x${base}`), base.length);
  });
});
