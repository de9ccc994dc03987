// The loop section of the side panel rendered in happy-dom: the Step slider
// (named "Step"), keyboard, buttons and playback; pseudo-code line and index
// highlighting; F, X and derivative grids for a small case (DOM cells) and a
// large one (canvas, few DOM nodes); the current element; sizes and reseed;
// layout switches keeping the element; invalid messages ignored.

import { strict as assert } from 'node:assert';
import { LOOP_WINDOW, type LoopSpec } from '../../../src/panel/protocol';
import { PanelApp } from '../../../src/webview/app';
import type { Clock } from '../../../src/webview/loop-player';
import { LoopView } from '../../../src/webview/loop-view';
import { createDom, FakeVsCodeApi, sampleModel, update, type DomEnv } from './helpers';
import { entriesMessage, LARGE, loopMessage, realLoop, SCALAR_BY_VECTOR, VECTOR_BY_MATRIX, type RealLoop } from './loop-helpers';

type Posted = { type: string; id?: number; step?: number; sizes?: Record<string, number> };

/** A clock the test advances by hand. */
class ManualClock implements Clock {
  time = 0;
  private fns = new Map<number, () => void>();
  private next = 1;
  setInterval(fn: () => void): unknown {
    const id = this.next++;
    this.fns.set(id, fn);
    return id;
  }
  clearInterval(handle: unknown): void {
    this.fns.delete(handle as number);
  }
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
    for (const fn of [...this.fns.values()]) fn();
  }
  get running(): number {
    return this.fns.size;
  }
}

function key(el: Element, name: string, env: DomEnv): void {
  el.dispatchEvent(new env.window.KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }) as unknown as Event);
}

describe('webview: loop visualisation', () => {
  let env: DomEnv;
  let api: FakeVsCodeApi;
  let app: PanelApp;
  const $ = <T extends Element = HTMLElement>(selector: string) => env.document.querySelector<T>(selector as never) as T;
  const $$ = (selector: string) => Array.from(env.document.querySelectorAll<HTMLElement>(selector));
  const slider = () => $<HTMLInputElement>('#loop-step');
  const requests = () => (api.posted as Posted[]).filter((m) => m.type === 'loopStep');

  /** Answers every loopStep the view posted since the last call, as the host would. */
  function serve(real: RealLoop): void {
    const asked = requests();
    api.posted.length = 0;
    for (const r of asked) {
      if (r.id !== real.spec.id) continue;
      const from = Math.max(0, r.step! - LOOP_WINDOW);
      app.receive(entriesMessage(real.spec.id, real.entries(from, r.step! + LOOP_WINDOW + 1)));
    }
  }

  function setStep(step: number): void {
    slider().value = String(step);
    slider().dispatchEvent(new env.window.Event('input', { bubbles: true }) as unknown as Event);
  }

  beforeEach(() => {
    env = createDom();
    api = new FakeVsCodeApi();
    app = new PanelApp(env.root, api);
    app.receive(update(sampleModel()));
  });
  afterEach(() => env.close());

  it('is hidden until a loop spec arrives', () => {
    assert.equal($('#loop').hidden, true);
    const real = realLoop(VECTOR_BY_MATRIX, 'mixed');
    assert.equal(app.receive(loopMessage(real.spec)), true);
    assert.equal($('#loop').hidden, false);
    assert.equal($('#loop-heading').textContent, 'Loops');
  });

  describe('the vector-by-matrix seed example (a ∈ ℝ², X ∈ ℝ^{2×2})', () => {
    let real: RealLoop;
    beforeEach(() => {
      real = realLoop(VECTOR_BY_MATRIX, 'mixed');
      app.receive(loopMessage(real.spec));
      serve(real);
    });

    it('has a range slider named "Step" by its label, from 0 to the number of elements', () => {
      const input = slider();
      assert.equal(input.type, 'range');
      const label = env.document.querySelector(`label[for="${input.id}"]`)!;
      assert.equal(label.textContent, 'Step');
      assert.deepEqual([input.min, input.max, input.value], ['0', '8', '0']);
      assert.equal(input.getAttribute('aria-valuetext'), '0 of 8: nothing computed yet');
      assert.equal($('#loop-step-output').textContent, '0 / 8');
    });

    it('shows the loops as pseudo-code in the layout’s order, nothing active at step 0', () => {
      assert.deepEqual($$('.pseudocode code').map((c) => c.textContent), ['for i = 1..2:', '  for j = 1..2:', '    for k = 1..2:', '      compute ∂a_i/∂X_jk']);
      assert.equal($$('.pseudocode .active').length, 0);
      assert.deepEqual($$('.loop-value').map((c) => c.textContent), ['', '', '']);
      assert.equal($('.element-idle').textContent, 'Step 0: nothing computed yet. Step forward or press Play.');
    });

    it('step 2 highlights the compute line, the indices i = 1, j = 1, k = 2, and ∂a₁/∂X₁₂ = 2', () => {
      setStep(2);
      assert.deepEqual($$('.loop-value').map((c) => c.textContent), ['i = 1', 'j = 1', 'k = 2']);
      const active = $$('.pseudocode .active');
      assert.equal(active.length, 1);
      assert.equal(active[0]!.textContent, '      compute ∂a_i/∂X_jk');
      assert.equal(active[0]!.getAttribute('aria-current'), 'step');
      // Only k changed since step 1.
      assert.deepEqual($$('.code-line.changed .loop-value').map((c) => c.textContent), ['k = 2']);
      assert.equal(slider().getAttribute('aria-valuetext'), '2 of 8: i = 1, j = 1, k = 2, ∂a₁/∂X₁₂');
      assert.equal($('#loop-live').textContent, 'Step 2 of 8, i = 1, j = 1, k = 2: ∂a₁/∂X₁₂ = 2, value 2.');
      assert.equal($('#loop-live').getAttribute('aria-live'), 'polite');
      assert.ok($('.element-math .katex'), 'typeset with KaTeX');
      assert.equal($('.element-math annotation').textContent, '\\frac{\\partial a_{1}}{\\partial X_{12}} = 2');
      assert.equal($('.element-value').textContent, 'Value at the sample point: 2');
    });

    it('highlights the current element of F and X and fills the derivative grid with values', () => {
      setStep(2);
      assert.deepEqual($$('.f-grid td').map((td) => td.textContent), ['a₁', 'a₂']);
      assert.deepEqual($$('.f-grid td.current').map((td) => td.title), ['a₁']);
      assert.deepEqual($$('.x-grid td.current').map((td) => td.title), ['X₁₂']);
      assert.equal($('.x-grid td.current').getAttribute('aria-current'), 'true');
      const cells = $$('.d-grid td');
      assert.equal(cells.length, 8);
      assert.deepEqual(cells.map((td) => td.className), ['cell done', 'cell current', 'cell', 'cell', 'cell', 'cell', 'cell', 'cell']);
      assert.deepEqual(cells.map((td) => td.textContent), ['1', '2', '', '', '', '', '', '']);
      assert.equal(cells[1]!.title, '∂a₁/∂X₁₂ = 2');
      // Rank 3: one 2×2 slice per i, captioned by the loop variable.
      assert.deepEqual($$('.d-grid caption').map((c) => c.textContent), ['i=1', 'i=2']);
      setStep(8);
      assert.deepEqual($$('.d-grid td').map((td) => td.textContent), ['1', '2', '0', '0', '0', '0', '3', '4']);
      assert.equal($$('.d-grid td.done').length, 7);
      assert.deepEqual($$('.f-grid td.current').map((td) => td.title), ['a₂']);
      assert.deepEqual($$('.x-grid td.current').map((td) => td.title), ['X₂₂']);
      setStep(0);
      assert.equal($$('.loop td.current').length, 0);
      assert.equal($$('.d-grid td.done').length, 0);
    });

    it('steps with the arrow keys, Page Up/Down, Home and End on the slider, and the buttons', () => {
      const s = slider();
      key(s, 'ArrowRight', env);
      key(s, 'ArrowUp', env);
      assert.equal(s.value, '2');
      key(s, 'ArrowLeft', env);
      assert.equal(s.value, '1');
      key(s, 'End', env);
      assert.equal(s.value, '8');
      key(s, 'ArrowRight', env);
      assert.equal(s.value, '8', 'clamped');
      key(s, 'Home', env);
      assert.equal(s.value, '0');
      key(s, 'PageUp', env);
      assert.equal(s.value, '1');
      const prev = $<HTMLButtonElement>('#loop-prev');
      const next = $<HTMLButtonElement>('#loop-next');
      assert.equal(prev.getAttribute('aria-label'), 'Previous step');
      assert.equal(next.getAttribute('aria-label'), 'Next step');
      next.click();
      next.click();
      assert.equal(s.value, '3');
      prev.click();
      assert.equal(s.value, '2');
      key(s, 'Home', env);
      assert.equal(prev.disabled, true);
      key(s, 'End', env);
      assert.equal(next.disabled, true);
    });

    it('asks the host only for entries it does not have', () => {
      // The first window (around entry 16, clamped) was served in beforeEach: all 8 entries.
      setStep(5);
      setStep(8);
      assert.deepEqual(requests(), []);
    });
  });

  describe('play / pause', () => {
    it('plays at the chosen speed, stops at the end, and restarts from 0', () => {
      env.root.textContent = '';
      const clock = new ManualClock();
      const posted: Posted[] = [];
      const view = new LoopView(env.document, (m) => posted.push(m as Posted), (el, m) => (el.textContent = m.text), clock);
      env.root.appendChild(view.node);
      const real = realLoop(VECTOR_BY_MATRIX, 'mixed');
      view.setSpec(real.spec);
      view.addEntries(real.spec.id, real.entries(0, 8));
      const play = env.document.getElementById('loop-play') as HTMLButtonElement;
      const speed = env.document.getElementById('loop-speed') as HTMLSelectElement;
      assert.equal(env.document.querySelector('label[for="loop-speed"]')!.textContent, 'Speed');
      assert.equal(play.textContent, 'Play');
      speed.value = '2';
      speed.dispatchEvent(new env.window.Event('change') as unknown as Event);
      play.click();
      assert.equal(play.textContent, 'Pause');
      assert.equal(env.document.getElementById('loop-live')!.getAttribute('aria-live'), 'off', 'no announcements while playing');
      clock.advance(500);
      assert.equal(view.currentStep, 1);
      clock.advance(1000);
      assert.equal(view.currentStep, 3, '2 steps per second');
      play.click();
      assert.equal(play.textContent, 'Play');
      assert.equal(clock.running, 0);
      play.click();
      clock.advance(10_000);
      assert.equal(view.currentStep, 8);
      assert.equal(play.textContent, 'Play', 'stopped at the end');
      assert.equal(clock.running, 0);
      play.click();
      assert.equal(view.currentStep, 0, 'Play at the end starts over');
      // A step by hand pauses.
      (env.document.getElementById('loop-next') as HTMLButtonElement).click();
      assert.equal(play.textContent, 'Play');
      assert.equal(view.currentStep, 1);
    });
  });

  describe('layout switch', () => {
    it('reorders the loops and keeps the same element current', () => {
      app.receive(update(sampleModel({ layout: 'mixed' })));
      const mixed = realLoop(VECTOR_BY_MATRIX, 'mixed');
      app.receive(loopMessage(mixed.spec));
      serve(mixed);
      setStep(2); // ∂a₁/∂X₁₂
      $<HTMLElement>('[role="radio"][data-layout="numerator"]').click();
      assert.equal($('#loop').getAttribute('aria-busy'), 'true');
      const numerator = realLoop(VECTOR_BY_MATRIX, 'numerator');
      app.receive(update(sampleModel({ layout: 'numerator' })));
      app.receive(loopMessage(numerator.spec));
      assert.equal($('#loop').hasAttribute('aria-busy'), false);
      assert.equal($$('.pseudocode code').at(-1)!.textContent, '      compute ∂a_i/∂X_kj');
      // X₁₂ in numerator order (i, then X's axes reversed): i = 1, j = 2, k = 1 → step 3.
      assert.equal(slider().value, '3');
      assert.deepEqual($$('.loop-value').map((c) => c.textContent), ['i = 1', 'j = 2', 'k = 1']);
      assert.deepEqual($$('.x-grid td.current').map((td) => td.title), ['X₁₂']);
      serve(numerator);
      assert.match($('#loop-live').textContent!, /∂a₁\/∂X₁₂ = 2/);
      // Numerator layout's grid holds ∂a_i/∂X_kj at [i, j, k]: entry 2 (i=1, j=2, k=1) is ∂a₁/∂X₁₂ = 2.
      assert.deepEqual($$('.d-grid td').slice(0, 3).map((td) => td.textContent), ['1', '0', '2']);
    });
  });

  describe('sizes and seed', () => {
    it('shows an input per symbolic size, validates 1..64, and posts setSizes', () => {
      const real = realLoop(SCALAR_BY_VECTOR, 'mixed');
      app.receive(loopMessage(real.spec));
      api.posted.length = 0;
      const input = $<HTMLInputElement>('input[data-size="n"]');
      assert.equal(input.closest('label')!.textContent, 'n');
      assert.deepEqual([input.type, input.min, input.max, input.value], ['number', '1', '64', '3']);
      for (const bad of ['0', '65', '2.5', 'x', '']) {
        input.value = bad;
        input.dispatchEvent(new env.window.Event('change') as unknown as Event);
        assert.equal(input.getAttribute('aria-invalid'), 'true', bad);
        assert.match($('#loop-sizes-error').textContent!, /n must be a whole number from 1 to 64/);
      }
      assert.deepEqual(api.posted, []);
      input.value = '5';
      input.dispatchEvent(new env.window.Event('change') as unknown as Event);
      assert.deepEqual(api.posted, [{ type: 'setSizes', sizes: { n: 5 } }]);
      assert.equal(input.hasAttribute('aria-invalid'), false);
      assert.equal($('#loop').getAttribute('aria-busy'), 'true');
      app.receive(loopMessage(realLoop(SCALAR_BY_VECTOR, 'mixed', { sizes: { n: 5 } }).spec));
      assert.equal(slider().max, '5');
      assert.equal($<HTMLInputElement>('input[data-size="n"]').value, '5');
    });

    it('hides the sizes when every size is declared', () => {
      app.receive(loopMessage(realLoop(VECTOR_BY_MATRIX, 'mixed').spec));
      assert.equal($('.loop-sizes').hidden, true);
    });

    it('shows the seed and posts reseed', () => {
      app.receive(loopMessage(realLoop(VECTOR_BY_MATRIX, 'mixed').spec));
      assert.equal($('#loop-seed').textContent, 'Sample point: seed 1');
      api.posted.length = 0;
      $<HTMLButtonElement>('#loop-reseed').click();
      assert.deepEqual(api.posted, [{ type: 'reseed' }]);
      app.receive(loopMessage(realLoop(VECTOR_BY_MATRIX, 'mixed', { seed: 77 }).spec));
      assert.equal($('#loop-seed').textContent, 'Sample point: seed 77');
    });
  });

  describe('a (64, 64, 64, 64) derivative', () => {
    let real: RealLoop;
    beforeEach(() => {
      real = realLoop(LARGE, 'mixed');
      app.receive(loopMessage(real.spec));
    });

    it('draws its grids on canvases and stays within a few hundred DOM nodes', () => {
      assert.deepEqual(app.loopView.gridKinds, { f: 'canvas', x: 'canvas', d: 'canvas' });
      assert.equal($$('.loop canvas').length, 3);
      assert.equal($$('.loop td').length, 0);
      assert.ok(env.document.querySelectorAll('#loop *').length < 300, `${env.document.querySelectorAll('#loop *').length} nodes`);
      assert.equal(slider().max, String(64 ** 4));
      assert.ok($('.d-grid').querySelector('button[aria-label^="Zoom in"]'));
    });

    it('requests one window at a time, around the step it needs', () => {
      assert.deepEqual(requests(), [{ type: 'loopStep', id: real.spec.id, step: 16 }]);
      serve(real);
      setStep(8_000_000);
      setStep(8_000_001);
      setStep(9_000_000);
      // One request in flight: the others wait for its answer.
      assert.deepEqual(requests().map((r) => r.step), [7_999_999]);
      serve(real);
      // The answer came for the earlier step; the view asks again for where it is now.
      assert.deepEqual(requests().map((r) => r.step), [8_999_999]);
      serve(real);
      // Entry 8 999 999 = (34, 21, 16, 63) zero-based; ∂(AX)_ij/∂X_kl = A_ik δ_jl is 0 off j = l.
      assert.equal($('#loop-live').textContent, 'Step 9000000 of 16777216, i = 35, j = 22, k = 17, l = 64: ∂(A X)[35,22]/∂X[17,64] = 0, value 0.');
      assert.equal($('.d-grid canvas').getAttribute('aria-label')!.startsWith('∂(A X)/∂X (64×64×64×64, mixed layout); 8999999 of 16777216 entries done; current'), true);
    });
  });

  describe('invalid messages', () => {
    it('ignores malformed loop messages and entries for another model', () => {
      const real = realLoop(VECTOR_BY_MATRIX, 'mixed');
      app.receive(loopMessage(real.spec));
      const before = $('#loop').innerHTML;
      const bad: unknown[] = [
        { type: 'loop' },
        { type: 'loop', loop: { ...real.spec, steps: 9 } },
        { type: 'loop', loop: { ...real.spec, pseudocode: ['<script>alert(1)</script>'] } },
        { type: 'loopEntries', id: real.spec.id, entries: [{ step: 0 }] },
        { type: 'loopEntries', id: real.spec.id, entries: 'all' },
        { type: 'loopUnavailable', message: 42 },
        { type: 'loopStep', id: real.spec.id, step: 1 },
      ];
      for (const m of bad) assert.equal(app.receive(m), false, JSON.stringify(m).slice(0, 80));
      assert.equal($('#loop').innerHTML, before);
      // Well-formed entries for another model are accepted as a message but not used.
      app.receive(entriesMessage(real.spec.id + 1, real.entries(0, 8)));
      setStep(2);
      assert.equal($('.element-value').textContent, 'Computing…');
      assert.equal($$('.d-grid td')[1]!.textContent, '…');
    });

    it('shows why there are no loops, and hides the section on an empty panel', () => {
      app.receive(loopMessage(realLoop(VECTOR_BY_MATRIX, 'mixed').spec));
      app.receive({ type: 'loopUnavailable', message: 'No loops to show: det is not differentiable here' });
      assert.equal($('#loop').hidden, false);
      assert.equal($('.loop-note').textContent, 'No loops to show: det is not differentiable here');
      assert.equal($('.loop-body').hidden, true);
      app.receive({ type: 'empty', message: 'No derivative here.' });
      assert.equal($('#loop').hidden, true);
    });

    it('renders names and pseudo-code as text, never as HTML', () => {
      const real = realLoop(VECTOR_BY_MATRIX, 'mixed');
      const evil = '<img src=x onerror=alert(1)>';
      const spec: LoopSpec = { ...real.spec, id: 999, fName: evil, fAtomic: false, pseudocode: real.spec.pseudocode.map(() => evil) };
      assert.equal(app.receive(loopMessage(spec)), true);
      setStep(1);
      assert.equal(env.document.querySelectorAll('img').length, 0);
      assert.equal($$('.pseudocode code')[0]!.textContent, evil);
    });
  });
});
