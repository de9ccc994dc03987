// The extension's background analyses (src/extension/analyses.ts), driven
// with plain document objects and real timers: the order of the background
// steps, publications, and that a newer version stops an older run.

import { strict as assert } from 'node:assert';
import type * as vscode from 'vscode';
import { analyzeDocument, type DocumentAnalysis } from '../../../src/documents/document-analysis';
import { DocumentAnalyses } from '../../../src/extension/analyses';
import { SLICED_READ_MIN_LINES } from '../../../src/extension/text-mirror';
import { bigNote } from '../../support/fuzz/big-note';

function document(text: string, version = 1): vscode.TextDocument {
  return { uri: { toString: () => 'file:///note.md' }, version, languageId: 'markdown', getText: () => text } as unknown as vscode.TextDocument;
}

interface Publication {
  readonly version: number;
  readonly analysis: DocumentAnalysis;
}

function analyses(published: Publication[], checkClaims = true, now?: () => number): DocumentAnalyses {
  return new DocumentAnalyses({
    layout: () => 'numerator',
    checkClaims: () => checkClaims,
    onUpdate: (d, analysis) => published.push({ version: d.version, analysis }),
    ...(now ? { now } : {}),
  });
}

const until = async (done: () => boolean): Promise<void> => {
  for (let i = 0; i < 2_000 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(done(), 'timed out');
};

describe('extension: background analyses', function () {
  this.timeout(30_000);

  it('publishes the analysis, then again with the claims checked', async () => {
    const text = '```tensor\nx: R^n; A: R^{n×n}\nd/dx x\' A x = x\' (A + A)\n```\n';
    const published: Publication[] = [];
    const a = analyses(published);
    a.schedule(document(text), 0);
    await until(() => published.length === 2);
    assert.equal(published[0]!.analysis.parts.length, 1);
    assert.deepEqual(published[0]!.analysis.diagnostics.map((d) => d.code), [], 'claims are not checked yet');
    assert.deepEqual(published[1]!.analysis.diagnostics.map((d) => d.code), ['claim-false']);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(published.length, 2, 'nothing more');
  });

  it('publishes once when claims are not checked', async () => {
    const published: Publication[] = [];
    analyses(published, false).schedule(document('```tensor\nx: R^n\nd/dx x\' x = 2 x\'\n```\n'), 0);
    await until(() => published.length === 1);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(published.length, 1);
  });

  it('a newer version stops the run of the older one; only the newer is published', async () => {
    const published: Publication[] = [];
    const a = analyses(published, false);
    const note = bigNote(400);
    a.schedule(document(note, 1), 0);
    // Let the first run start and analyse a slice or two, then the document changes.
    await new Promise((r) => setTimeout(r, 15));
    a.schedule(document(`${note}\n`, 2), 0);
    await until(() => published.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(published.map((p) => p.version), [2]);
    assert.equal(published[0]!.analysis.parts.length, published[0]!.analysis.regions.length);
  });

  it('a hover that would analyse for longer than its budget answers "pending", and the next one continues', () => {
    // A clock that advances 1 ms per reading: the budget allows HOVER_BUDGET_MS regions.
    let clock = 0;
    const a = analyses([], false, () => clock++);
    const note = bigNote(300);
    const doc = document(note);
    // Inside the last ```tensor block.
    const end = note.lastIndexOf('```tensor\n') + 12;
    const first = a.through(doc, end);
    assert.ok('pending' in first, 'the first hover is pending');
    if (!('pending' in first)) return;
    assert.equal(first.pending.inRegion, true);
    assert.ok(first.pending.analysed > 0 && first.pending.analysed < first.pending.regions, JSON.stringify(first.pending));
    // Outside every region: nothing to say.
    const prose = note.lastIndexOf('Prose that explains');
    const outside = a.through(doc, prose);
    assert.ok(!('pending' in outside) || !outside.pending.inRegion);
    let answer = a.through(doc, end);
    for (let i = 0; i < 100 && 'pending' in answer; i++) answer = a.through(doc, end);
    assert.ok(!('pending' in answer), 'later hovers finish the regions before the offset');
    assert.ok(answer.done);
  });

  it('the panel gets the analysis within its budget, null while the background run needs longer', async () => {
    const published: Publication[] = [];
    const small = document('```tensor\nx: R^n\nd/dx x\' x\n```\n');
    const a = analyses(published, false);
    const analysed = a.within(small, 'numerator', 30);
    assert.ok(analysed && analysed.parts.length === 1);
    // Another layout: a small note is analysed within the budget too.
    const other = a.within(small, 'denominator', 30);
    assert.ok(other && other.layout === 'denominator' && other.parts.length === 1);
    // A huge note with a clock that advances 1 ms per reading: 30 regions at most, then null.
    let clock = 0;
    const slow = analyses(published, false, () => clock++);
    const big = document(bigNote(300));
    assert.equal(slow.within(big, 'numerator', 30), null);
    // The background run was scheduled by the call, and reports when it is done.
    await until(() => published.length === 1);
    const done = slow.within(big, 'numerator', 30);
    assert.ok(done && done.parts.length === done.regions.length);
  });

  it('whenDone waits for the run of the current version (CodeLens requests after an edit), and says false when the document is forgotten', async () => {
    const published: Publication[] = [];
    const a = analyses(published, false);
    const note = bigNote(200);
    const v1 = document(note, 1);
    // Nothing scheduled yet: waiting starts the run.
    assert.equal(await a.whenDone(v1), true);
    assert.equal(published.length, 1);
    assert.ok(a.ifDone(v1));
    // Already done: at once, no new run.
    assert.equal(await a.whenDone(v1), true);
    assert.equal(published.length, 1);
    // A new version, scheduled after a typing pause: the wait ends with that run, not before.
    const v2 = document(`${note}\n\`\`\`tensor\ny: R^n\nd/dy y' y\n\`\`\`\n`, 2);
    a.schedule(v2, 40);
    const t0 = Date.now();
    assert.equal(await a.whenDone(v2), true);
    assert.ok(Date.now() - t0 >= 35, 'waited for the scheduled run');
    assert.equal(published.at(-1)!.version, 2);
    assert.equal(a.ifDone(v2)!.parts.length, a.ifDone(v2)!.regions.length);
    // Forgotten while waiting: false.
    const v3 = document(`${note}\n`, 3);
    a.schedule(v3, 1_000);
    const waiting = a.whenDone(v3);
    a.forget(v3);
    assert.equal(await waiting, false);
  });

  it('after a run is replaced mid-way (a hover on a newer version), whenDone still gets a run finished', async () => {
    const published: Publication[] = [];
    const a = analyses(published, false);
    const note = bigNote(300);
    a.schedule(document(note, 1), 0);
    await new Promise((r) => setTimeout(r, 15));
    // A hover on version 2 replaces the run: the pending slice of version 1 stops, and nothing is scheduled.
    const v2 = document(`${note}\n`, 2);
    a.through(v2, 0);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(await a.whenDone(v2), true);
    assert.ok(a.ifDone(v2));
  });

  it('finds the regions of a newly opened long note a slice at a time, then publishes what a one-go analysis finds; a hover meanwhile is answered', async () => {
    const published: Publication[] = [];
    // Every reading of the clock is past any deadline: the first scan stops every 256 lines (a
    // 300-block note has about 2,400), so it takes several turns of the event loop.
    let clock = 0;
    const a = analyses(published, false, () => (clock += 100));
    const text = bigNote(300);
    const doc = document(text);
    a.schedule(doc, 0);
    await new Promise((r) => setTimeout(r, 3));
    assert.equal(published.length, 0, 'not published yet');
    await until(() => published.length === 1);
    const expected = analyzeDocument(text, 'markdown', 'numerator', { claims: false });
    assert.deepEqual(published[0]!.analysis.regions, expected.regions);
    assert.deepEqual(published[0]!.analysis.diagnostics, expected.diagnostics);

    // A hover on a second note while its first scan is under way finds the regions itself.
    const other = { ...document(text.replace('x: R^n', 'x: R^m'), 1), uri: { toString: () => 'file:///other.md' } } as vscode.TextDocument;
    const before = published.length;
    a.schedule(other, 0);
    await new Promise((r) => setTimeout(r, 2));
    const hovered = a.through(other, text.length - 1);
    assert.ok(!('pending' in hovered) || hovered.pending.regions === expected.regions.length);
    await until(() => published.length === before + 1);
    assert.deepEqual(published[before]!.analysis.regions, analyzeDocument(other.getText(), 'markdown', 'numerator', { claims: false }).regions);
  });

  it('reads a newly opened long document a range of lines per slice (no getText()), then publishes what a one-go analysis finds', async () => {
    const published: Publication[] = [];
    const lines = Array.from({ length: SLICED_READ_MIN_LINES + 3_000 }, (_, i) => (i % 500 === 0 ? `## Part ${i}` : `Prose line ${i}, with $x_${i}$ in it.`));
    lines.push('```tensor', 'x: R^n', 'A: R^{n×n}', 'd/dx (x^T A x)', 'B = A x x', '```', '');
    const text = lines.join('\n');
    let getTextCalls = 0;
    const ranges: number[] = [];
    const doc = {
      ...document(text),
      lineCount: lines.length,
      getText: () => {
        getTextCalls++;
        return text;
      },
    } as unknown as vscode.TextDocument;
    const a = new DocumentAnalyses({
      layout: () => 'numerator',
      checkClaims: () => false,
      onUpdate: (d, analysis) => published.push({ version: d.version, analysis }),
      readLines: (_d, from, to) => {
        ranges.push(from);
        return to >= lines.length ? lines.slice(from).join('\n') : `${lines.slice(from, to).join('\n')}\n`;
      },
    });
    a.schedule(doc, 0);
    await until(() => published.length === 1);
    assert.equal(getTextCalls, 0, 'the text came from ranges of lines');
    assert.ok(ranges.length >= 4, `read in ${ranges.length} ranges`);
    const expected = analyzeDocument(text, 'markdown', 'numerator', { claims: false });
    assert.deepEqual(published[0]!.analysis.regions, expected.regions);
    assert.deepEqual(published[0]!.analysis.diagnostics, expected.diagnostics);
    assert.ok(expected.diagnostics.length > 0, 'the note has a mistake to report (B = A x x)');
  });

  it("the panel's layout toggle on a huge note: another layout's run goes on in the background in slices, is never published, and tells the panel when done", async () => {
    const published: Publication[] = [];
    const told: number[] = [];
    let clock = 0;
    const a = new DocumentAnalyses({
      layout: () => 'numerator',
      checkClaims: () => true,
      onUpdate: (d, analysis) => published.push({ version: d.version, analysis }),
      onOtherLayout: (d) => told.push(d.version),
      // 1 ms per reading: a 30 ms budget is about 30 regions, a slice about SLICE_MS.
      now: () => clock++,
    });
    const big = document(bigNote(300));
    // Before the old code's fix this analysed the whole note at once (returned the analysis).
    assert.equal(a.within(big, 'denominator', 30), null);
    assert.ok(a.hasOtherLayout(big));
    await until(() => told.length === 1);
    assert.deepEqual(told, [1]);
    assert.equal(published.length, 0, 'the other layout is not published as diagnostics');
    const done = a.within(big, 'denominator', 30);
    assert.ok(done && done.layout === 'denominator' && done.parts.length === done.regions.length);
    // The same regions, analysed in the other layout: its derivative shapes are transposed.
    const mine = a.complete(big);
    assert.equal(mine.layout, 'numerator');
    assert.equal(done.parts.length, mine.parts.length);
    // Back in the extension's layout: the other run is dropped.
    a.within(big, 'numerator', 30);
    assert.equal(a.hasOtherLayout(big), false);
  });

  it('a newer version replaces the other-layout run (the old slices stop); closing the document drops it', async () => {
    const told: number[] = [];
    let clock = 0;
    const a = new DocumentAnalyses({ layout: () => 'numerator', checkClaims: () => false, onUpdate: () => {}, onOtherLayout: (d) => told.push(d.version), now: () => clock++ });
    const note = bigNote(300);
    assert.equal(a.within(document(note, 1), 'mixed', 10), null);
    assert.equal(a.within(document(`${note}\n`, 2), 'mixed', 10), null);
    await until(() => told.length >= 1);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(told, [2]);
    const v3 = document(`${note}\n\n`, 3);
    assert.equal(a.within(v3, 'mixed', 10), null);
    a.forget(v3);
    assert.equal(a.hasOtherLayout(v3), false);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(told, [2], 'a dropped run does not report');
  });
});
