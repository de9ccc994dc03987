// The loop visualisation's pure parts: step → indices and F/X positions (they
// agree with the host's loop model in every layout), carrying the current
// element across layouts, compact numbers, grid layouts of every rank and the
// canvas geometry, the player's timing, the entry cache's request discipline,
// size input parsing and the step timings.

import { strict as assert } from 'node:assert';
import type { Layout } from '../../../src/engine/shape/layout';
import { LOOP_WINDOW } from '../../../src/panel/protocol';
import { cellAt, cellIndex, cellOrigin, fitCell, geometry, gridLayout, placeCell } from '../../../src/webview/grid-layout';
import { EntryStore, REQUEST_TIMEOUT_MS } from '../../../src/webview/loop-entries';
import { carryStep, flatIndex, formatValue, indexOfPositions, partialText, placeOf, subscripted, unravel } from '../../../src/webview/loop-math';
import { Player, type Clock } from '../../../src/webview/loop-player';
import { parseSizeInput } from '../../../src/webview/loop-sizes';
import { StepTimings } from '../../../src/webview/loop-timing';
import { LARGE, realLoop, VECTOR_BY_MATRIX } from './loop-helpers';

const MATRIX_BY_TENSOR = ['```tensor', 'S: R^{2×3×2}', 'C: R^{2×2}', 'C_{11} = S_{111} + 2 S_{132}', 'C_{12} = sin(S_{211})', 'C_{21} = exp(S_{222})', 'C_{22} = S_{111} S_{222}', 'dC/dS', '```', ''].join('\n');

describe('loop math', () => {
  for (const layout of ['numerator', 'denominator', 'mixed'] as Layout[]) {
    it(`placeOf agrees with the host's entries for every step (${layout}, rank 5)`, () => {
      const { spec, entries } = realLoop(MATRIX_BY_TENSOR, layout);
      assert.equal(spec.steps, 48);
      for (const e of entries(0, spec.steps)) {
        const p = placeOf(spec, e.step);
        assert.deepEqual([p.indices, p.fPosition, p.xPosition], [e.indices, e.fPosition, e.xPosition], `step ${e.step}`);
        assert.equal(indexOfPositions(spec, e.fPosition, e.xPosition), e.step);
        assert.equal(flatIndex(spec.resultDims, e.indices), e.step);
      }
    });
  }

  it('unravel is row-major and 1-based', () => {
    assert.deepEqual(unravel(0, [2, 3]), [1, 1]);
    assert.deepEqual(unravel(5, [2, 3]), [2, 3]);
    assert.deepEqual(unravel(3, []), []);
    assert.deepEqual(unravel(64 ** 4 - 1, [64, 64, 64, 64]), [64, 64, 64, 64]);
  });

  it('carryStep keeps the element across layouts and clamps across shapes', () => {
    const mixed = realLoop(VECTOR_BY_MATRIX, 'mixed').spec;
    const numerator = realLoop(VECTOR_BY_MATRIX, 'numerator').spec;
    const denominator = realLoop(VECTOR_BY_MATRIX, 'denominator').spec;
    for (let step = 1; step <= 8; step++) {
      const before = placeOf(mixed, step - 1);
      for (const after of [numerator, denominator]) {
        const to = carryStep(mixed, step, after);
        const place = placeOf(after, to - 1);
        assert.deepEqual([place.fPosition, place.xPosition], [before.fPosition, before.xPosition]);
      }
    }
    assert.equal(carryStep(mixed, 0, numerator), 0);
    assert.equal(carryStep(null, 5, numerator), 0);
    const large = realLoop(LARGE, 'mixed').spec;
    assert.equal(carryStep(large, 1000, mixed), 8, 'other shapes: clamped');
  });

  it('formats values compactly', () => {
    assert.deepEqual(
      [0, 2, -3, 0.5, -0.04751, 1234.5678, 123456.7, 1e-7, -2.5e-12, null, undefined, Number.NaN].map((v) => formatValue(v)),
      ['0', '2', '-3', '0.5', '-0.0475', '1230', '1.2e5', '1e-7', '-2.5e-12', '–', '–', 'NaN'],
    );
  });

  it('writes subscripts as digits under 10, brackets otherwise', () => {
    assert.equal(subscripted('X', [1, 2]), 'X₁₂');
    assert.equal(subscripted('X', [10, 2]), 'X[10,2]');
    assert.equal(subscripted('A X', [1, 1], false), '(A X)₁₁');
    assert.equal(subscripted('s', []), 's');
    const spec = realLoop(VECTOR_BY_MATRIX, 'mixed').spec;
    assert.equal(partialText(spec, placeOf(spec, 1)), '∂a₁/∂X₁₂');
  });
});

describe('grid layout', () => {
  it('lays out scalars, strips, matrices and slices of higher ranks', () => {
    const pick = (dims: number[], o?: 'row' | 'column') => {
      const l = gridLayout(dims, o);
      return [l.sliceRows, l.sliceCols, l.slices, l.outerRows, l.outerCols];
    };
    assert.deepEqual(pick([]), [1, 1, 1, 1, 1]);
    assert.deepEqual(pick([5], 'row'), [1, 5, 1, 1, 1]);
    assert.deepEqual(pick([5], 'column'), [5, 1, 1, 1, 1]);
    assert.deepEqual(pick([2, 3]), [2, 3, 1, 1, 1]);
    assert.deepEqual(pick([2, 2, 3]), [2, 3, 2, 1, 2], 'rank 3: slices side by side');
    assert.deepEqual(pick([64, 64, 64]), [64, 64, 64, 8, 8], 'many slices: a near-square block');
    assert.deepEqual(pick([2, 3, 4, 5]), [4, 5, 6, 2, 3], 'rank 4: an a × b grid of c × d slices');
    assert.deepEqual(pick([2, 2, 2, 2, 2]), [2, 2, 8, 2, 4], 'rank 5: leading axes folded');
  });

  it('places every cell once, and cellAt inverts it', () => {
    for (const dims of [[3], [2, 3], [2, 2, 3], [3, 2, 2, 2], [2, 2, 2, 2, 2], [5, 2, 2]]) {
      const layout = gridLayout(dims, 'row');
      const g = geometry(layout, 10, 400);
      const seen = new Set<string>();
      for (let flat = 0; flat < layout.cells; flat++) {
        const p = placeCell(layout, flat);
        assert.equal(cellIndex(layout, p.slice, p.row, p.col), flat);
        const o = cellOrigin(g, p);
        const k = `${o.x},${o.y}`;
        assert.ok(!seen.has(k), `${dims}: ${flat} overlaps`);
        seen.add(k);
        assert.equal(cellAt(layout, g, o.x + 5, o.y + 5), flat);
        assert.ok(o.x + g.cell <= g.width && o.y + g.cell <= g.height);
      }
    }
  });

  it('fits a 64⁴ tensor into the view', () => {
    const layout = gridLayout([64, 64, 64, 64]);
    const cell = fitCell(layout, 600, 360, 28);
    const g = geometry(layout, cell, 600);
    assert.ok(g.width <= 600 + 1e-6 && g.height <= 360 + 1e-6, `${g.width}×${g.height}`);
    assert.ok(cell > 0.05);
    assert.equal(fitCell(gridLayout([2, 2]), 600, 360, 28), 28, 'small tensors: capped cell size');
  });
});

describe('player', () => {
  class Clock1 implements Clock {
    t = 0;
    fn: (() => void) | null = null;
    setInterval(fn: () => void) {
      this.fn = fn;
      return 1;
    }
    clearInterval() {
      this.fn = null;
    }
    now() {
      return this.t;
    }
  }

  it('advances by elapsed time at the speed and pauses at the end', () => {
    const clock = new Clock1();
    let step = 0;
    const changes: boolean[] = [];
    const player = new Player(clock, (n) => (step = Math.min(10, step + n)) < 10, (p) => changes.push(p));
    player.setSpeed(4);
    player.play();
    clock.t = 250;
    clock.fn!();
    assert.equal(step, 1);
    clock.t = 1250; // a late timer catches up: 4 steps in a second
    clock.fn!();
    assert.equal(step, 5);
    clock.t = 10_000;
    clock.fn!();
    assert.equal(step, 10);
    assert.equal(player.playing, false);
    assert.deepEqual(changes, [true, false]);
    player.setSpeed(-1);
    assert.equal(player.speed, 4);
  });
});

describe('entry store', () => {
  const { spec, entries } = realLoop(LARGE, 'mixed', { id: 5 });

  it('keeps one request in flight, expiring a stale one, and accepts only fitting entries', () => {
    let now = 0;
    const sent: [number, number][] = [];
    const store = new EntryStore((id, step) => sent.push([id, step]), () => now, 64);
    store.reset(spec);
    assert.equal(store.request(100), true);
    assert.equal(store.request(200), false);
    now += REQUEST_TIMEOUT_MS + 1;
    assert.equal(store.request(300), true, 'a stale request no longer blocks');
    assert.deepEqual(sent, [[5, 100], [5, 300]]);
    assert.equal(store.accept(6, entries(0, 5)), 0, 'another model');
    const window = entries(300 - LOOP_WINDOW, 300 + LOOP_WINDOW + 1);
    const tampered = { ...window[0]!, step: 5 };
    assert.equal(store.accept(5, [...window, tampered]), window.length);
    assert.equal(store.has(300), true);
    assert.equal(store.has(5), false);
    assert.equal(store.request(400), true, 'the answer freed the slot');
    store.accept(5, entries(1000, 1040));
    assert.ok(store.size <= 64, 'bounded');
    assert.equal(store.firstMissing(10), 0);
  });

  it('prefetches the next window ahead of a step', () => {
    const sent: number[] = [];
    const store = new EntryStore((_id, step) => sent.push(step), () => 0);
    store.reset(spec);
    store.accept(5, entries(0, 20));
    store.prefetchAfter(4);
    assert.deepEqual(sent, [], 'entry 12 is cached');
    store.prefetchAfter(12);
    assert.deepEqual(sent, [12 + LOOP_WINDOW]);
  });
});

describe('size input and step timings', () => {
  it('parses whole numbers in 1..64 only', () => {
    assert.deepEqual(['1', ' 64 ', '3', '0', '65', '2.5', '1e1', '-3', '', 'n'].map(parseSizeInput), [1, 64, 3, null, null, null, null, null, null, null]);
  });

  it('summarises step timings without judging them', () => {
    const t = new StepTimings(4);
    for (const ms of [1, 2, 3, 10, 4]) t.record(ms);
    t.record(Number.NaN);
    assert.deepEqual([t.count, t.last, t.max, t.mean, t.percentile(50)], [5, 4, 10, 4, 3]);
  });
});

describe('entry store: entries the host cannot compute', () => {
  const { spec, entries } = realLoop(VECTOR_BY_MATRIX, 'mixed', { id: 9 });

  it('are not asked for again (no request ping-pong), and come back if sent later', () => {
    const sent: number[] = [];
    const store = new EntryStore((_id, step) => sent.push(step), () => 0);
    store.reset(spec);
    store.ensure(3);
    const window = entries(0, 8).filter((e) => e.step !== 3);
    store.accept(9, window);
    assert.equal(store.isFailed(3), true);
    store.ensure(3);
    assert.deepEqual(sent, [3], 'asked once');
    assert.equal(store.firstMissing(8), null);
    store.accept(9, entries(3, 4));
    assert.equal(store.isFailed(3), false);
    assert.equal(store.has(3), true);
  });

  it('an answer to an older request does not settle the newer one', () => {
    const big = realLoop(LARGE, 'mixed', { id: 10 });
    let now = 0;
    const sent: number[] = [];
    const store = new EntryStore((_id, step) => sent.push(step), () => now);
    store.reset(big.spec);
    store.request(100);
    now += REQUEST_TIMEOUT_MS + 1;
    store.request(5000);
    store.accept(10, big.entries(84, 117));
    assert.equal(store.isFailed(5000), false);
    assert.equal(store.request(6000), false, 'the request for 5000 is still in flight');
    store.accept(10, big.entries(4984, 5017));
    assert.equal(store.request(6000), true);
  });
});
