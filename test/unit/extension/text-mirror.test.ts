// The text mirror (src/extension/text-mirror.ts) returns each version's text
// exactly as getText() would, from change events shaped like VS Code's
// (several edits per event, in descending offset order as the editor sends
// multi-cursor edits), and falls back to getText() whenever it cannot be sure.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type * as vscode from 'vscode';
import { FLATTEN_AHEAD_MIN_CHARS, SLICED_READ_MIN_LINES, TextMirror, type MirroredDocument } from '../../../src/extension/text-mirror';

interface FakeDocument {
  readonly uri: { toString(): string };
  version: number;
  text: string;
  reads: number;
  getText(): string;
  positionAt(offset: number): vscode.Position;
  offsetAt(position: vscode.Position): number;
}

/** A document whose positions are plain offsets (line 0), enough for the mirror's length check. */
function fakeDocument(text: string): FakeDocument {
  const d: FakeDocument = {
    uri: { toString: () => 'file:///note.md' },
    version: 1,
    text,
    reads: 0,
    getText: () => {
      d.reads++;
      return d.text;
    },
    positionAt: (offset) => ({ line: 0, character: Math.min(Math.max(0, offset), d.text.length) }) as vscode.Position,
    offsetAt: (p) => p.character,
  };
  return d;
}

type Edit = { readonly at: number; readonly remove: number; readonly insert: string };

/** Applies non-overlapping edits (as fractions of the text) as one event, listed from the last to the first. */
function applyEvent(d: FakeDocument, edits: readonly Edit[]): vscode.TextDocumentContentChangeEvent[] {
  const spans = edits
    .map((e) => {
      const at = Math.min(d.text.length, Math.floor(e.at * (d.text.length + 1)));
      return { at, end: Math.min(d.text.length, at + e.remove), insert: e.insert };
    })
    .sort((a, b) => b.at - a.at);
  const changes: vscode.TextDocumentContentChangeEvent[] = [];
  let limit = Infinity;
  for (const s of spans) {
    if (s.end > limit) continue; // overlapping: dropped, as an editor never sends them
    changes.push({ rangeOffset: s.at, rangeLength: s.end - s.at, text: s.insert } as vscode.TextDocumentContentChangeEvent);
    d.text = d.text.slice(0, s.at) + s.insert + d.text.slice(s.end);
    limit = s.at;
  }
  d.version++;
  return changes;
}

const editArb = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat({ max: 5 }), insert: fc.string({ maxLength: 4 }) });

describe('extension: text mirror', () => {
  it('gives every version the text getText() gives, reading the document only once', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(fc.array(editArb, { minLength: 1, maxLength: 3 }), { maxLength: 10 }), (original, events) => {
        const d = fakeDocument(original);
        const mirror = new TextMirror();
        assert.equal(mirror.textOf(d as never), original);
        for (const edits of events) {
          const contentChanges = applyEvent(d, edits);
          mirror.changed({ document: d as never, contentChanges });
          const expected = d.text;
          const reads = d.reads;
          assert.equal(mirror.textOf(d as never), expected);
          if (contentChanges.length > 0) assert.equal(d.reads, reads, 'taken from the mirror');
        }
      }),
      { seed: 31, numRuns: 1000 },
    );
  });

  it('reads the document again after a missed event, an edit out of range, or a length mismatch', () => {
    const d = fakeDocument('hello world');
    const mirror = new TextMirror();
    mirror.textOf(d as never);
    // A missed event: two versions later.
    applyEvent(d, [{ at: 0, remove: 0, insert: 'a' }]);
    const second = applyEvent(d, [{ at: 0, remove: 0, insert: 'b' }]);
    mirror.changed({ document: d as never, contentChanges: second });
    assert.equal(mirror.textOf(d as never), 'bahello world');
    assert.equal(mirror.counts.read, 2);
    // An edit past the end.
    d.version++;
    d.text = 'other';
    mirror.changed({ document: d as never, contentChanges: [{ rangeOffset: 50, rangeLength: 1, text: 'x' } as vscode.TextDocumentContentChangeEvent] });
    assert.equal(mirror.textOf(d as never), 'other');
    assert.equal(mirror.counts.read, 3);
    // Edits that do not add up to the document's length (applied at the wrong offsets).
    d.version++;
    d.text = 'other text';
    mirror.changed({ document: d as never, contentChanges: [{ rangeOffset: 0, rangeLength: 0, text: 'xy' } as vscode.TextDocumentContentChangeEvent] });
    assert.equal(mirror.textOf(d as never), 'other text');
    assert.equal(mirror.counts.read, 4);
  });

  it('forgets a closed document', () => {
    const d = fakeDocument('abc');
    const mirror = new TextMirror();
    mirror.textOf(d as never);
    mirror.forget(d as never);
    const changes = applyEvent(d, [{ at: 0.3, remove: 1, insert: 'X' }]);
    mirror.changed({ document: d as never, contentChanges: changes });
    assert.equal(mirror.textOf(d as never), 'aXc');
    assert.equal(mirror.counts.read, 2);
  });
});

describe('extension: text mirror, long texts after an edit', () => {
  const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 5));
  const typeAt = (d: FakeDocument, at: number, insert: string) => applyEvent(d, [{ at, remove: 0, insert }]);

  it('reads the edited text once, in a task of its own after the edit (the rope becomes one string there)', async () => {
    const d = fakeDocument('x'.repeat(FLATTEN_AHEAD_MIN_CHARS));
    const mirror = new TextMirror();
    mirror.textOf(d as never);
    mirror.changed({ document: d as never, contentChanges: typeAt(d, 0.5, '2 ') });
    assert.equal(mirror.counts.flattened, 0, 'not inside the change event');
    await nextTask();
    assert.equal(mirror.counts.flattened, 1);
    assert.equal(mirror.textOf(d as never), d.text);
  });

  it('only for the newest version when edits come faster, and not for short texts or forgotten documents', async () => {
    const long = fakeDocument('x'.repeat(FLATTEN_AHEAD_MIN_CHARS));
    const mirror = new TextMirror();
    mirror.textOf(long as never);
    for (const at of [0.2, 0.4, 0.6]) mirror.changed({ document: long as never, contentChanges: typeAt(long, at, 'a') });
    await nextTask();
    assert.equal(mirror.counts.flattened, 1, 'three edits, one read');
    assert.equal(mirror.textOf(long as never), long.text);

    const short = fakeDocument('x'.repeat(1000));
    const other = new TextMirror();
    other.textOf(short as never);
    other.changed({ document: short as never, contentChanges: typeAt(short, 0.5, 'a') });
    mirror.changed({ document: long as never, contentChanges: typeAt(long, 0.5, 'b') });
    mirror.forget(long as never);
    await nextTask();
    assert.equal(other.counts.flattened, 0, 'short text');
    assert.equal(mirror.counts.flattened, 1, 'forgotten before its task ran');
  });
});

describe('extension: text mirror, edit order', () => {
  it('applies an event whose edits another extension reversed (ascending offsets into the text before it)', () => {
    const d = fakeDocument('abcdef');
    const mirror = new TextMirror();
    mirror.textOf(d as never);
    d.version++;
    d.text = 'aXbcdYef';
    const ascending = [
      { rangeOffset: 1, rangeLength: 0, text: 'X' },
      { rangeOffset: 4, rangeLength: 0, text: 'Y' },
    ] as vscode.TextDocumentContentChangeEvent[];
    mirror.changed({ document: d as never, contentChanges: ascending });
    assert.equal(mirror.textOf(d as never), 'aXbcdYef');
    assert.equal(mirror.counts.read, 1);
  });
});

describe('text mirror: the first read of a long document, a range of lines at a time', () => {
  /** A document over lines, whose getText(range) builds the range from its lines as VS Code does (clamped at the end). */
  function linedDocument(text: string) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lines = text.split(eol);
    const d = {
      uri: { toString: () => 'file:///long.md' },
      version: 1,
      lineCount: lines.length,
      reads: 0,
      getText: () => {
        d.reads++;
        return lines.join(eol);
      },
      positionAt: (offset: number) => ({ line: 0, character: offset }) as vscode.Position,
      offsetAt: (p: vscode.Position) => p.character,
    };
    // The mirror reads through the document's interface; the test keeps `d` to count reads and bump versions.
    const doc = d as unknown as MirroredDocument & { readonly lineCount: number };
    const readLines = (_doc: unknown, from: number, to: number): string => {
      if (from >= lines.length) return '';
      if (to >= lines.length) return lines.slice(from).join(eol);
      return lines.slice(from, to).join(eol) + eol;
    };
    return { d, doc, readLines };
  }

  const long = (n: number, eol = '\n', last = 'the end') => Array.from({ length: n }, (_, i) => `line ${i}: x_${i} = A x`).join(eol) + eol + last;

  for (const [name, text] of [
    ['ending without a line break', long(SLICED_READ_MIN_LINES + 12_345)],
    ['ending with a line break', long(SLICED_READ_MIN_LINES + 5_000 - 1, '\n', '')],
    ['with CRLF line breaks', long(SLICED_READ_MIN_LINES + 7, '\r\n')],
  ] as const) {
    it(`reads the same text as getText(), ${name}`, () => {
      const { d, doc, readLines } = linedDocument(text);
      const mirror = new TextMirror();
      const job = mirror.readJob(doc, readLines);
      assert.ok(job, 'a long document is read in ranges');
      let steps = 0;
      // A deadline already past: one range per step.
      while (!job.step(0, () => 1)) steps++;
      assert.ok(steps >= 4, `read in ${steps + 1} steps`);
      assert.equal(mirror.textOf(doc), text);
      assert.equal(d.reads, 0, 'getText() was not called');
      assert.equal(mirror.readJob(doc, readLines), null, 'the mirror now holds this version');
    });
  }

  it('is not made for a short document, without a line reader, or when the mirror holds the version', () => {
    const short = linedDocument('x: R^n\nd/dx x^T x\n');
    const mirror = new TextMirror();
    assert.equal(mirror.readJob(short.doc, short.readLines), null);
    const { doc, readLines } = linedDocument(long(SLICED_READ_MIN_LINES));
    assert.equal(mirror.readJob(doc, undefined), null);
    mirror.textOf(doc);
    assert.equal(mirror.readJob(doc, readLines), null);
  });

  it('stops without a result when the document changes version while it reads', () => {
    const { d, doc, readLines } = linedDocument(long(SLICED_READ_MIN_LINES + 100));
    const mirror = new TextMirror();
    const job = mirror.readJob(doc, readLines)!;
    assert.equal(job.step(0, () => 1), false);
    d.version = 2;
    assert.equal(job.step(0, () => 1), true, 'nothing left to read for the old version');
    assert.notEqual(mirror.readJob(doc, readLines), null, 'the new version is not held');
  });
});
