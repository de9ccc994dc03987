// The panel controller's loop visualisation (src/extension/panel.ts) against
// the in-memory `vscode`: a `loop` message after each `update`, `loopStep`
// answered lazily with a window of entries (never the whole tensor), one model
// per (version, request, layout, sizes, seed), reseed and setSizes, stale and
// malformed requests dropped.

import './fake-vscode';
import { strict as assert } from 'node:assert';
import { DerivativePanel, type PanelModelSource } from '../../../src/extension/panel';
import { LOOP_WINDOW, type LoopEntryData, type LoopSpec, type PanelModel } from '../../../src/panel/protocol';
import type { PanelLoop } from '../../../src/panel/view-model';
import { sampleModel } from '../webview/helpers';
import { fake, type FakePanel } from './fake-vscode';

const EXT = fake.Uri.parse('file:///ext');
const context = { extensionUri: EXT, subscriptions: [] } as never;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DEBOUNCE_WAIT = 220;

const MD = ['```tensor', 'X: R^{64×64}; A: R^{64×64}', 'd/dX (A X)', 'd/dA (A X)', '```', ''].join('\n');
const requests = (text: string) => Array.from(text.matchAll(/d\/d[^\n]*/g), (m) => ({ start: m.index!, end: m.index! + m[0].length, label: m[0] }));

/** A fake 64⁴ loop model that counts how many entries were computed. */
let entryCalls = 0;
const builds: { layout: string; sizes: Record<string, number>; seed: number; offset: number }[] = [];
function fakeLoop(layout: LoopSpec['layout'], sizes: Record<string, number>, seed: number): PanelLoop {
  const n = sizes.n ?? 64;
  const dims = [n, n, n, n];
  const steps = n ** 4;
  return {
    spec: {
      layout,
      loops: ['i', 'j', 'k', 'l'].map((letter, t) => ({ letter, from: t < 2 ? ('F' as const) : ('X' as const), axis: t % 2, size: n, dim: 'n' })),
      steps,
      fDims: [n, n],
      xDims: [n, n],
      resultDims: dims,
      pseudocode: ['for i = 1..n:', '  for j = 1..n:', '    for k = 1..n:', '      for l = 1..n:', '        compute ∂F_ij/∂X_kl'],
      fName: 'F',
      xName: 'X',
      fAtomic: true,
      seed,
      sizes: { n },
      symbolic: ['n'],
    },
    entry(step: number): LoopEntryData {
      entryCalls++;
      const idx: number[] = [];
      let rest = step;
      for (let t = 3; t >= 0; t--) {
        idx.unshift((rest % n) + 1);
        rest = Math.floor(rest / n);
      }
      return { step, indices: idx, fPosition: idx.slice(0, 2), xPosition: idx.slice(2), partial: { latex: 'p', text: 'p' }, symbolic: { latex: '0', text: '0' }, value: step === 5 ? null : step };
    },
  };
}

const source: PanelModelSource = {
  listRequests: (text) => requests(text),
  buildPanelModel(input) {
    const r = requests(input.text).find((q) => input.offset >= q.start && input.offset <= q.end) ?? requests(input.text)[0]!;
    return sampleModel({ source: { uri: input.uri, start: r.start, end: r.end, version: input.version }, layout: input.layout });
  },
  buildLoop(input) {
    builds.push({ layout: input.layout, sizes: { ...input.sizes }, seed: input.seed, offset: input.offset });
    if (input.offset === MD.indexOf('d/dA')) return { unavailable: 'No loops for this one.' };
    return fakeLoop(input.layout, { ...input.sizes }, input.seed);
  },
};

type Msg = { type: string; [k: string]: unknown };
const posted = (panel: FakePanel) => panel.webview.posted as Msg[];
const ofType = (panel: FakePanel, type: string) => posted(panel).filter((m) => m.type === type);
const lastLoop = (panel: FakePanel) => ofType(panel, 'loop').at(-1)!.loop as LoopSpec;

describe('panel controller: loops', () => {
  let panel: FakePanel;

  beforeEach(() => {
    fake.reset();
    entryCalls = 0;
    builds.length = 0;
    DerivativePanel.source = source;
    const editor = fake.open('file:///notes/big.md', 'markdown', MD, MD.indexOf('d/dX'));
    DerivativePanel.show(context, editor as never, MD.indexOf('d/dX') + 2);
    panel = fake.state.panels[0]!;
    panel.webview.send({ type: 'ready' });
  });
  afterEach(() => DerivativePanel.disposeCurrent());

  it('sends the loop spec right after the update, without computing any entry', () => {
    const types = posted(panel).map((m) => m.type);
    assert.deepEqual(types, ['update', 'loop']);
    const spec = lastLoop(panel);
    assert.equal(spec.steps, 64 ** 4);
    assert.equal(typeof spec.id, 'number');
    assert.equal(entryCalls, 0);
    assert.deepEqual(builds, [{ layout: 'numerator', sizes: {}, seed: 1, offset: MD.indexOf('d/dX') }]);
  });

  it('answers loopStep with a window of entries around the step, lazily', () => {
    const { id } = lastLoop(panel);
    panel.webview.send({ type: 'loopStep', id, step: 8_000_000 });
    const [answer] = ofType(panel, 'loopEntries');
    const entries = answer!.entries as LoopEntryData[];
    assert.equal(answer!.id, id);
    assert.equal(entries.length, 2 * LOOP_WINDOW + 1);
    assert.deepEqual([entries[0]!.step, entries.at(-1)!.step], [8_000_000 - LOOP_WINDOW, 8_000_000 + LOOP_WINDOW]);
    assert.equal(entryCalls, 2 * LOOP_WINDOW + 1, 'one computation per entry sent, nothing else');
    panel.webview.send({ type: 'loopStep', id, step: 64 ** 4 + 5 });
    const tail = ofType(panel, 'loopEntries').at(-1)!.entries as LoopEntryData[];
    assert.equal(tail.at(-1)!.step, 64 ** 4 - 1, 'clamped to the last entry');
    assert.equal(tail.length, LOOP_WINDOW + 1);
    // A value that is not a number travels as null.
    panel.webview.send({ type: 'loopStep', id, step: 0 });
    assert.equal((ofType(panel, 'loopEntries').at(-1)!.entries as LoopEntryData[])[5]!.value, null);
  });

  it('ignores loopStep for another model, and malformed loop messages', () => {
    const { id } = lastLoop(panel);
    const before = posted(panel).length;
    for (const bad of [
      { type: 'loopStep', id: id + 1, step: 3 },
      { type: 'loopStep', id, step: -3 },
      { type: 'loopStep', id, step: 'all' },
      { type: 'loopStep', step: 3 },
      { type: 'setSizes', sizes: { n: 100 } },
      { type: 'setSizes', sizes: { n: 0 } },
      { type: 'reseed', seed: 3 },
    ]) {
      panel.webview.send(bad);
    }
    assert.equal(posted(panel).length, before);
    assert.equal(entryCalls, 0);
    assert.equal(builds.length, 1);
  });

  it('reseed builds a model with a new seed; setSizes one with the new sizes', () => {
    const first = lastLoop(panel);
    panel.webview.send({ type: 'reseed' });
    const reseeded = lastLoop(panel);
    assert.notEqual(reseeded.seed, first.seed);
    assert.notEqual(reseeded.id, first.id);
    panel.webview.send({ type: 'setSizes', sizes: { n: 3 } });
    const resized = lastLoop(panel);
    assert.equal(resized.steps, 81);
    assert.deepEqual(builds.at(-1)!.sizes, { n: 3 });
    assert.equal(builds.at(-1)!.seed, reseeded.seed, 'the seed is kept');
    // Entries are answered from the shown model only.
    panel.webview.send({ type: 'loopStep', id: first.id, step: 0 });
    assert.equal(ofType(panel, 'loopEntries').length, 0);
    panel.webview.send({ type: 'loopStep', id: resized.id, step: 0 });
    assert.equal((ofType(panel, 'loopEntries').at(-1)!.entries as LoopEntryData[]).length, LOOP_WINDOW + 1);
  });

  it('rebuilds per layout and reuses the model when switching back', () => {
    const numerator = lastLoop(panel);
    panel.webview.send({ type: 'setLayout', layout: 'mixed' });
    const mixed = lastLoop(panel);
    assert.equal(mixed.layout, 'mixed');
    assert.notEqual(mixed.id, numerator.id);
    panel.webview.send({ type: 'setLayout', layout: 'numerator' });
    assert.equal(lastLoop(panel).id, numerator.id, 'cached model, same id');
    assert.equal(builds.length, 2);
    const types = posted(panel).map((m) => m.type);
    assert.deepEqual(types, ['update', 'loop', 'update', 'loop', 'update', 'loop']);
  });

  it('follows the preview sizes setting, with the panel’s own sizes on top', () => {
    fake.configure('tensorDerivatives.previewSizes', { n: 4, m: 2, bad: 100 });
    assert.deepEqual(builds.at(-1)!.sizes, { n: 4, m: 2 });
    assert.equal(lastLoop(panel).steps, 256);
    panel.webview.send({ type: 'setSizes', sizes: { n: 2 } });
    assert.deepEqual(builds.at(-1)!.sizes, { n: 2, m: 2 });
  });

  it('re-sends the loop to a reloaded webview, and sends nothing new when the cursor moves within the request', async () => {
    const count = posted(panel).length;
    panel.webview.send({ type: 'ready' });
    assert.deepEqual(posted(panel).slice(count).map((m) => m.type), ['update', 'loop']);
    const editor = fake.window.activeTextEditor!;
    editor.moveTo(MD.indexOf('d/dX') + 5);
    await sleep(DEBOUNCE_WAIT);
    assert.equal(posted(panel).length, count + 2);
    assert.equal(builds.length, 1);
  });

  it('says when a request has no loops, and rebuilds after an edit', async () => {
    const editor = fake.window.activeTextEditor!;
    editor.moveTo(MD.indexOf('d/dA') + 2);
    await sleep(DEBOUNCE_WAIT);
    const last = posted(panel).at(-1)!;
    assert.deepEqual(last, { type: 'loopUnavailable', message: 'No loops for this one.' });
    editor.moveTo(MD.indexOf('d/dX') + 2);
    await sleep(DEBOUNCE_WAIT);
    const before = builds.length;
    editor.document.insert(editor.document.positionAt(0), '% ');
    await sleep(DEBOUNCE_WAIT);
    assert.equal(builds.length, before + 1, 'a new document version is a new model');
    assert.equal((ofType(panel, 'update').at(-1)!.model as PanelModel).source.version, 2);
  });
});
