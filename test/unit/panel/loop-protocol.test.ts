// The loop visualisation's messages (src/panel/protocol.ts): every new
// message type validated on both sides, malformed ones dropped; the loop data
// the host builds (view-model buildPanelLoop) passes that validation; and the
// host's pure helpers (entry windows, keys, seeds, the LRU).

import { strict as assert } from 'node:assert';
import { entryWindow, loopKey, nextSeed } from '../../../src/extension/panel-logic';
import { LruCache } from '../../../src/documents/lru-cache';
import { entryFits, LOOP_LIMITS, LOOP_WINDOW, parseFromWebview, parseLoopSpec, parseToWebview } from '../../../src/panel/protocol';
import { buildPanelLoop, cleanSizes } from '../../../src/panel/view-model';
import { sampleModel } from '../webview/helpers';
import { LARGE, realLoop, SCALAR_BY_VECTOR, VECTOR_BY_MATRIX } from '../webview/loop-helpers';

describe('loop protocol: messages from the webview', () => {
  it('accepts loopStep, reseed and setSizes', () => {
    assert.deepEqual(parseFromWebview({ type: 'loopStep', id: 3, step: 0 }), { type: 'loopStep', id: 3, step: 0 });
    assert.deepEqual(parseFromWebview({ type: 'loopStep', id: 3, step: 16_777_215 }), { type: 'loopStep', id: 3, step: 16_777_215 });
    assert.deepEqual(parseFromWebview({ type: 'reseed' }), { type: 'reseed' });
    assert.deepEqual(parseFromWebview({ type: 'setSizes', sizes: { n: 1, m: 64 } }), { type: 'setSizes', sizes: { n: 1, m: 64 } });
    assert.deepEqual(parseFromWebview({ type: 'setSizes', sizes: {} }), { type: 'setSizes', sizes: {} });
  });

  const bad: [string, unknown][] = [
    ['loopStep without an id', { type: 'loopStep', step: 2 }],
    ['loopStep with a negative step', { type: 'loopStep', id: 1, step: -1 }],
    ['loopStep with a fractional step', { type: 'loopStep', id: 1, step: 1.5 }],
    ['loopStep with a string step', { type: 'loopStep', id: 1, step: '2' }],
    ['loopStep with an unsafe step', { type: 'loopStep', id: 1, step: 2 ** 60 }],
    ['loopStep with extra keys', { type: 'loopStep', id: 1, step: 2, all: true }],
    ['reseed with a seed', { type: 'reseed', seed: 7 }],
    ['setSizes without sizes', { type: 'setSizes' }],
    ['setSizes with 0', { type: 'setSizes', sizes: { n: 0 } }],
    ['setSizes with 65', { type: 'setSizes', sizes: { n: 65 } }],
    ['setSizes with 2.5', { type: 'setSizes', sizes: { n: 2.5 } }],
    ['setSizes with a string', { type: 'setSizes', sizes: { n: '3' } }],
    ['setSizes with an array', { type: 'setSizes', sizes: [3] }],
    ['setSizes with markup in a name', { type: 'setSizes', sizes: { '<img>': 3 } }],
    ['setSizes with __proto__', { type: 'setSizes', sizes: JSON.parse('{"__proto__": 3}') }],
    ['setSizes with too many names', { type: 'setSizes', sizes: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`n${i}`, 2])) }],
    ['setSizes with extra keys', { type: 'setSizes', sizes: { n: 3 }, seed: 1 }],
  ];
  for (const [what, message] of bad) {
    it(`drops ${what}`, () => assert.equal(parseFromWebview(message), null));
  }
});

describe('loop protocol: messages to the webview', () => {
  const { spec, entries } = realLoop(VECTOR_BY_MATRIX, 'mixed', { id: 7 });

  it('accepts a loop spec the host built, and its entries', () => {
    assert.deepEqual(parseToWebview({ type: 'loop', loop: spec }), { type: 'loop', loop: spec });
    const es = entries(0, 8);
    const msg = parseToWebview({ type: 'loopEntries', id: 7, entries: es });
    assert.deepEqual(msg, { type: 'loopEntries', id: 7, entries: es });
    assert.ok(es.every((e) => entryFits(spec, e)));
    assert.deepEqual(parseToWebview({ type: 'loopUnavailable', message: 'No loops.' }), { type: 'loopUnavailable', message: 'No loops.' });
  });

  const broken: [string, (s: Record<string, unknown>) => unknown][] = [
    ['steps that are not the product of the sizes', (s) => ({ ...s, steps: 9 })],
    ['a loop size that disagrees with X', (s) => ({ ...s, loops: (s.loops as object[]).map((l, t) => (t === 2 ? { ...l, size: 3 } : l)) })],
    ['two loops over the same axis', (s) => ({ ...s, loops: (s.loops as object[]).map((l, t) => (t === 2 ? { ...l, axis: 0 } : l)) })],
    ['a zero size', (s) => ({ ...s, fDims: [0] })],
    ['a bad layout', (s) => ({ ...s, layout: 'diagonal' })],
    ['a missing pseudo-code line', (s) => ({ ...s, pseudocode: (s.pseudocode as string[]).slice(1) })],
    ['a non-string pseudo-code line', (s) => ({ ...s, pseudocode: [1, 2, 3, 4] })],
    ['a symbolic name without a size', (s) => ({ ...s, symbolic: ['n'] })],
    ['a negative seed', (s) => ({ ...s, seed: -1 })],
    ['a missing id', (s) => ({ ...s, id: undefined })],
    ['resultDims that disagree with the loops', (s) => ({ ...s, resultDims: [2, 2, 3] })],
    ['rank 9', (s) => ({ ...s, fDims: Array(9).fill(1) })],
  ];
  for (const [what, change] of broken) {
    it(`drops a loop spec with ${what}`, () => {
      assert.equal(parseToWebview({ type: 'loop', loop: change(spec as unknown as Record<string, unknown>) }), null);
      assert.equal(parseLoopSpec(change(spec as unknown as Record<string, unknown>)), null);
    });
  }

  it('drops malformed entries', () => {
    const [e] = entries(1, 2);
    const variants: unknown[] = [
      { ...e, value: 'NaN' },
      { ...e, value: Number.NaN },
      { ...e, value: Infinity },
      { ...e, step: -1 },
      { ...e, indices: [0, 1, 1] },
      { ...e, partial: { latex: '\\frac{a}{b}' } },
      { ...e, symbolic: null },
      { ...e, xPosition: 'X12' },
    ];
    for (const v of variants) assert.equal(parseToWebview({ type: 'loopEntries', id: 7, entries: [v] }), null, JSON.stringify(v));
    assert.equal(parseToWebview({ type: 'loopEntries', entries: [e] }), null, 'no id');
    assert.equal(parseToWebview({ type: 'loopEntries', id: 7, entries: Array(LOOP_LIMITS.maxEntries + 1).fill(e) }), null, 'too many');
    assert.equal(parseToWebview({ type: 'loopUnavailable' }), null);
  });

  it('entryFits rejects entries whose indices or step disagree with the spec', () => {
    const [e] = entries(1, 2);
    assert.ok(entryFits(spec, e!));
    assert.equal(entryFits(spec, { ...e!, step: 2 }), false);
    assert.equal(entryFits(spec, { ...e!, xPosition: [2, 1] }), false);
    assert.equal(entryFits(spec, { ...e!, indices: [1, 1] }), false);
    assert.equal(entryFits(spec, { ...e!, step: 8 }), false);
  });
});

describe('view-model: loop data (buildPanelLoop)', () => {
  it('orders the loops per layout, like the notebook in mixed layout', () => {
    const mixed = realLoop(VECTOR_BY_MATRIX, 'mixed').spec;
    assert.deepEqual(mixed.pseudocode, ['for i = 1..2:', '  for j = 1..2:', '    for k = 1..2:', '      compute ∂a_i/∂X_jk']);
    assert.deepEqual([mixed.steps, mixed.fDims, mixed.xDims, mixed.resultDims], [8, [2], [2, 2], [2, 2, 2]]);
    assert.equal(realLoop(VECTOR_BY_MATRIX, 'numerator').spec.pseudocode.at(-1), '      compute ∂a_i/∂X_kj');
    assert.equal(realLoop(VECTOR_BY_MATRIX, 'denominator').spec.pseudocode.at(-1), '      compute ∂a_k/∂X_ij');
  });

  it('gives the seed example’s partials and values: ∂a₁/∂X₁₂ = 2', () => {
    const { entries } = realLoop(VECTOR_BY_MATRIX, 'mixed');
    const es = entries(0, 8);
    assert.deepEqual(es.map((e) => e.symbolic.text), ['1', '2', '0', '0', '0', '0', '3', '4']);
    assert.deepEqual(es.map((e) => e.value), [1, 2, 0, 0, 0, 0, 3, 4]);
    assert.equal(es[1]!.partial.latex, '\\frac{\\partial a_{1}}{\\partial X_{12}}');
    assert.deepEqual([es[1]!.indices, es[1]!.fPosition, es[1]!.xPosition], [[1, 1, 2], [1], [1, 2]]);
  });

  it('writes symbolic dims by name, lists them as editable, and applies sizes and the seed', () => {
    const a = realLoop(SCALAR_BY_VECTOR, 'mixed').spec;
    assert.deepEqual(a.pseudocode, ['for i = 1..n:', '  compute ∂s/∂v_i']);
    assert.deepEqual([a.symbolic, a.sizes, a.steps, a.seed], [['n'], { n: 3 }, 3, 1]);
    const b = realLoop(SCALAR_BY_VECTOR, 'mixed', { sizes: { n: 5 }, seed: 42 });
    assert.deepEqual([b.spec.sizes, b.spec.steps, b.spec.seed], [{ n: 5 }, 5, 42]);
    // ∂s/∂v_i = u_i: the value is u's entry at the sample point, which the seed changes.
    const v1 = b.entries(0, 1)[0]!.value;
    const v2 = realLoop(SCALAR_BY_VECTOR, 'mixed', { sizes: { n: 5 }, seed: 43 }).entries(0, 1)[0]!.value;
    assert.notEqual(v1, v2);
  });

  it('ignores sizes outside 1..64', () => {
    assert.deepEqual(cleanSizes({ n: 0, m: 65, p: 2.5, q: '3', r: 64, s: 1 }), { r: 64, s: 1 });
    assert.equal(realLoop(SCALAR_BY_VECTOR, 'mixed', { sizes: { n: 1000 } }).spec.steps, 3);
  });

  it('builds a (64, 64, 64, 64) model without computing its entries, and it validates', () => {
    const { spec, loop } = realLoop(LARGE, 'mixed', { id: 1 });
    assert.equal(spec.steps, 64 ** 4);
    assert.ok(parseLoopSpec(spec));
    const last = loop.entry(spec.steps - 1);
    assert.deepEqual(last.indices, [64, 64, 64, 64]);
    assert.equal(last.symbolic.text, 'A[64,64]');
  });

  it('explains why there are no loops', () => {
    const none = buildPanelLoop({ text: '# nothing', languageId: 'markdown', uri: 'file:///n.md', version: 1, layout: 'mixed', offset: 0 });
    assert.ok('unavailable' in none);
    assert.match(none.unavailable, /No derivative request/);
  });
});

describe('panel logic: loop helpers', () => {
  it('entryWindow answers ±LOOP_WINDOW entries around a step, clamped', () => {
    assert.deepEqual(entryWindow(0, 8), { from: 0, to: 8 });
    assert.deepEqual(entryWindow(100, 1000), { from: 100 - LOOP_WINDOW, to: 100 + LOOP_WINDOW + 1 });
    assert.deepEqual(entryWindow(5000, 1000), { from: 999 - LOOP_WINDOW, to: 1000 });
    assert.deepEqual(entryWindow(3, 0), { from: 0, to: 0 });
    const big = entryWindow(8_000_000, 64 ** 4);
    assert.equal(big.to - big.from, 2 * LOOP_WINDOW + 1);
  });

  it('loopKey depends on version, request, layout, sizes (in any order) and seed', () => {
    const m = sampleModel();
    const key = loopKey(m, 'mixed', { n: 3, m: 2 }, 1);
    assert.equal(loopKey(m, 'mixed', { m: 2, n: 3 }, 1), key);
    for (const other of [
      loopKey(sampleModel({ source: { ...m.source, version: 4 } }), 'mixed', { n: 3, m: 2 }, 1),
      loopKey(sampleModel({ source: { ...m.source, start: 0 } }), 'mixed', { n: 3, m: 2 }, 1),
      loopKey(m, 'numerator', { n: 3, m: 2 }, 1),
      loopKey(m, 'mixed', { n: 4, m: 2 }, 1),
      loopKey(m, 'mixed', { n: 3, m: 2 }, 2),
    ]) {
      assert.notEqual(other, key);
    }
  });

  it('nextSeed picks a different seed in 1..99999', () => {
    assert.equal(nextSeed(5, () => 0), 1);
    assert.equal(nextSeed(1, () => 0), 2, 'never the same seed');
    for (let i = 0; i < 50; i++) {
      const s = nextSeed(7);
      assert.ok(Number.isInteger(s) && s >= 1 && s <= 99_999 && s !== 7);
    }
  });

  it('LruCache keeps the most recently used', () => {
    const c = new LruCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    assert.equal(c.get('a'), 1);
    c.set('c', 3);
    assert.equal(c.get('b'), undefined);
    assert.deepEqual([c.get('a'), c.get('c'), c.size], [1, 3, 2]);
  });
});

