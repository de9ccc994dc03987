// The "Loops" section: the per-element loop visualisation of the current
// derivative (issue D). It shows the loop nest in the layout's index order
// with the current indices, a Step slider with previous / next / play, the
// current element's symbolic partial (KaTeX) and its value at the sample
// point, and three grids — F and X with the current element highlighted, and
// the derivative filling in as the steps advance.
//
// Invariants:
// - Step 0 shows nothing computed; step s > 0 shows entry s − 1 as current
//   and entries 0..s − 2 as done (like the seed notebook's sliders).
// - Positions come from the spec (loop-math.ts), so highlighting never waits
//   for the host; symbolic partials and values come from cached entries,
//   requested a window at a time (loop-entries.ts).
// - A new spec (layout switch, reseed) keeps the same element current when
//   F and X keep their shapes.

import type { FromWebview, LoopEntryData, LoopSpec } from '../panel/protocol';
import { h, section } from './dom';
import { createGrid, DOM_GRID_LIMIT, type TensorGrid } from './grid';
import type { Orientation } from './grid-layout';
import { PseudoCode } from './loop-code';
import { StepControls } from './loop-controls';
import { EntryStore } from './loop-entries';
import { carryStep, dimsText, flatIndex, formatValue, indicesText, partialText, placeOf, subscripted, unravel } from './loop-math';
import { Player, windowClock, type Clock } from './loop-player';
import { SizesForm } from './loop-sizes';
import { StepTimings } from './loop-timing';
import type { MathRenderer } from './math';

/** Vectors up to this long are drawn as columns when their layout makes them columns. */
const COLUMN_LIMIT = 16;
/** F and X cells show their names up to this many cells. */
const LABELLED_CELLS = 64;

interface Grids {
  readonly f: TensorGrid;
  readonly x: TensorGrid;
  readonly d: TensorGrid;
}

export class LoopView {
  readonly node: HTMLElement;
  private readonly body: HTMLElement;
  private readonly note: HTMLElement;
  private readonly sizes: SizesForm;
  private readonly code: PseudoCode;
  private readonly controls: StepControls;
  private readonly elementMath: HTMLElement;
  private readonly elementValue: HTMLElement;
  private readonly live: HTMLElement;
  private readonly gridsBox: HTMLElement;
  private readonly store: EntryStore;
  private readonly player: Player;
  private readonly timings = new StepTimings();
  private readonly now: () => number;
  private grids: Grids | null = null;
  private spec: LoopSpec | null = null;
  private step = 0;
  /** What the current-element box shows, to skip re-typesetting the same thing. */
  private shownElement = '';

  constructor(
    private readonly doc: Document,
    private readonly post: (message: FromWebview) => void,
    private readonly render: MathRenderer,
    clock?: Clock,
  ) {
    const win = doc.defaultView;
    const theClock = clock ?? (win ? windowClock(win) : { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (t) => clearInterval(t as never), now: () => Date.now() });
    this.now = () => theClock.now();
    this.store = new EntryStore((id, step) => this.post({ type: 'loopStep', id, step }), this.now);
    this.player = new Player(theClock, (n) => this.advance(n), (playing) => this.onPlaying(playing));

    this.node = section(doc, 'loop', 'Loops', 'loop');
    this.note = h(doc, 'p', { className: 'note loop-note' });
    this.sizes = new SizesForm(doc, (sizes) => this.requestSizes(sizes), () => this.reseed());
    this.code = new PseudoCode(doc);
    this.controls = new StepControls(doc, {
      onStep: (step) => {
        this.player.pause();
        this.setStep(step);
      },
      onTogglePlay: () => this.togglePlay(),
      onSpeed: (speed) => this.player.setSpeed(speed),
    });
    this.elementMath = h(doc, 'div', { className: 'math display element-math' });
    this.elementValue = h(doc, 'p', { className: 'element-value' });
    this.live = h(doc, 'p', { className: 'visually-hidden', attrs: { id: 'loop-live', 'aria-live': 'polite', 'aria-atomic': 'true' } });
    const element = h(doc, 'div', { className: 'loop-element', attrs: { id: 'loop-element', 'aria-label': 'Current element' } }, [this.elementMath, this.elementValue, this.live]);
    this.gridsBox = h(doc, 'div', { className: 'loop-grids' });
    this.body = h(doc, 'div', { className: 'loop-body' }, [this.sizes.node, this.code.node, this.controls.node, element, this.gridsBox]);
    this.node.append(this.note, this.body);
    this.node.hidden = true;
  }

  /** The slider step shown. */
  get currentStep(): number {
    return this.step;
  }

  get currentSpec(): LoopSpec | null {
    return this.spec;
  }

  get gridKinds(): { f: string; x: string; d: string } | null {
    return this.grids ? { f: this.grids.f.kind, x: this.grids.x.kind, d: this.grids.d.kind } : null;
  }

  /** Shows a new loop model (the same id again changes nothing). */
  setSpec(spec: LoopSpec): void {
    if (this.spec && this.spec.id === spec.id) {
      this.setBusy(false);
      return;
    }
    const before = this.spec;
    const step = carryStep(before, this.step, spec);
    this.spec = spec;
    this.store.reset(spec);
    this.shownElement = '';
    this.node.hidden = false;
    this.body.hidden = false;
    this.note.textContent = '';
    this.note.hidden = true;
    this.setBusy(false);
    this.sizes.setSpec(spec);
    this.code.setSpec(spec);
    this.controls.setSteps(spec.steps);
    this.buildGrids(spec);
    this.setStep(step, true);
    // Fetch the first window now, so the first steps show their partials at once.
    if (step === 0) this.store.request(Math.min(spec.steps - 1, 16));
  }

  /** Entries from the host; ignored unless they belong to the shown model. */
  addEntries(id: number, entries: readonly LoopEntryData[]): number {
    const kept = this.store.accept(id, entries);
    if (kept > 0) {
      this.showElement();
      this.grids?.d.refresh();
    }
    this.pump();
    return kept;
  }

  /** No loops for this derivative (the reason is shown). */
  unavailable(message: string): void {
    this.reset();
    this.node.hidden = false;
    this.body.hidden = true;
    this.note.hidden = false;
    this.note.textContent = message;
  }

  /** Hides the section (nothing to show). */
  clear(): void {
    this.reset();
    this.node.hidden = true;
  }

  setBusy(busy: boolean): void {
    if (busy) this.node.setAttribute('aria-busy', 'true');
    else this.node.removeAttribute('aria-busy');
  }

  /** Moves to slider step `step` (clamped) and redraws. */
  setStep(step: number, force = false): void {
    const spec = this.spec;
    if (!spec) return;
    const to = Math.max(0, Math.min(spec.steps, Math.round(step)));
    if (to === this.step && !force) return;
    const t0 = this.now();
    const previous = this.step;
    this.step = to;
    const place = to > 0 ? placeOf(spec, to - 1) : null;
    const before = to > 1 ? unravel(to - 2, spec.resultDims) : null;
    this.controls.show(to, place ? `${to} of ${spec.steps}: ${indicesText(spec, place.indices)}, ${partialText(spec, place)}` : `0 of ${spec.steps}: nothing computed yet`);
    this.code.show(place ? place.indices : null, before);
    if (this.grids) {
      this.grids.f.update({ done: 0, current: place ? flatIndex(spec.fDims, place.fPosition) : null });
      this.grids.x.update({ done: 0, current: place ? flatIndex(spec.xDims, place.xPosition) : null });
      this.grids.d.update({ done: Math.max(0, to - 1), current: place ? place.index : null });
    }
    this.showElement();
    this.pump(previous);
    this.timings.record(this.now() - t0);
    this.timings.publish(this.node);
  }

  private reset(): void {
    this.player.pause();
    this.spec = null;
    this.step = 0;
    this.store.reset(null);
    this.shownElement = '';
    this.disposeGrids();
    this.setBusy(false);
  }

  private disposeGrids(): void {
    if (!this.grids) return;
    for (const g of [this.grids.f, this.grids.x, this.grids.d]) g.dispose();
    this.grids = null;
    this.gridsBox.textContent = '';
  }

  private buildGrids(spec: LoopSpec): void {
    this.disposeGrids();
    const doc = this.doc;
    const f = spec.fAtomic ? spec.fName : `(${spec.fName})`;
    const vector = (n: number, column: boolean): Orientation => (column && n <= COLUMN_LIMIT ? 'column' : 'row');
    const inputGrid = (name: string, dims: readonly number[], atomic: boolean, role: string) => {
      const cells = dims.reduce((a, b) => a * b, 1);
      return createGrid(doc, {
        dims,
        orientation: dims.length === 1 ? vector(dims[0]!, true) : 'column',
        label: `${atomic ? name : `(${name})`} (${dimsText(dims)})`,
        cellName: (flat) => subscripted(name, unravel(flat, dims), atomic),
        cellText:
          cells <= LABELLED_CELLS
            ? (flat) => (atomic ? subscripted(name, unravel(flat, dims)) : dims.length === 0 ? '•' : unravel(flat, dims).join(','))
            : undefined,
        className: role,
      });
    };
    const fGrid = inputGrid(spec.fName, spec.fDims, spec.fAtomic, 'f-grid');
    const xGrid = inputGrid(spec.xName, spec.xDims, true, 'x-grid');
    // A rank-1 derivative is a row when the layout makes it one (numerator: X's axis runs across; denominator: F's).
    const only = spec.loops.length === 1 ? spec.loops[0]! : null;
    const isRow = only !== null && ((spec.layout === 'numerator' && only.from === 'X') || (spec.layout === 'denominator' && only.from === 'F'));
    const leadingLetters = spec.loops.slice(0, Math.max(0, spec.loops.length - 2)).map((l) => l.letter);
    const dGrid = createGrid(doc, {
      dims: spec.resultDims,
      orientation: only ? vector(only.size, !isRow) : 'column',
      label: `∂${f}/∂${spec.xName} (${dimsText(spec.resultDims)}, ${spec.layout} layout)`,
      cellName: (flat) => partialText(spec, placeOf(spec, flat)),
      value: (flat) => this.store.get(flat)?.value,
      sliceCaption: (k) => {
        const idx = unravel(k, spec.resultDims.slice(0, leadingLetters.length));
        return leadingLetters.map((l, a) => `${l}=${idx[a]}`).join(' ');
      },
      className: 'd-grid',
    });
    this.grids = { f: fGrid, x: xGrid, d: dGrid };
    const pair = h(doc, 'div', { className: 'grid-pair' }, [figure(doc, 'F', fGrid), figure(doc, 'X', xGrid)]);
    this.gridsBox.append(pair, figure(doc, '∂F/∂X', dGrid));
  }

  /** The current element: its partial, symbolic and numeric, and a line for screen readers. */
  private showElement(): void {
    const spec = this.spec;
    if (!spec) return;
    if (this.step === 0) {
      if (this.shownElement === 'none') return;
      this.shownElement = 'none';
      this.elementMath.textContent = '';
      this.elementMath.appendChild(h(this.doc, 'span', { className: 'element-idle', text: 'Step 0: nothing computed yet. Step forward or press Play.' }));
      this.elementValue.textContent = '';
      this.live.textContent = this.player.playing ? '' : `Step 0 of ${spec.steps}: nothing computed yet.`;
      return;
    }
    const place = placeOf(spec, this.step - 1);
    const entry = this.store.get(place.index);
    const key = `${spec.id}:${place.index}:${entry ? 'y' : this.store.isFailed(place.index) ? 'f' : 'n'}`;
    if (key === this.shownElement) return;
    this.shownElement = key;
    const text = partialText(spec, place);
    if (entry) {
      this.render(this.elementMath, { latex: `${entry.partial.latex} = ${entry.symbolic.latex}`, text: `${text} = ${entry.symbolic.text}` }, true);
      this.elementValue.textContent = `Value at the sample point: ${formatValue(entry.value, 6)}`;
      this.elementMath.setAttribute('data-text', `${text} = ${entry.symbolic.text}`);
    } else {
      const failed = this.store.isFailed(place.index);
      this.elementMath.textContent = '';
      this.elementMath.appendChild(h(this.doc, 'span', { className: 'element-pending', text: `${text} = ${failed ? '?' : '…'}` }));
      this.elementValue.textContent = failed ? 'This entry could not be computed.' : 'Computing…';
      this.elementMath.setAttribute('data-text', `${text} = …`);
    }
    // Announce when stepping by hand; playing would be a flood.
    if (!this.player.playing && entry) {
      this.live.textContent = `Step ${this.step} of ${spec.steps}, ${indicesText(spec, place.indices)}: ${text} = ${entry.symbolic.text}, value ${formatValue(entry.value, 6)}.`;
    }
  }

  /** Asks the host for what the view needs next: the current entry, the next window when playing, the done values of a small grid. */
  private pump(previous = this.step): void {
    const spec = this.spec;
    if (!spec || spec.steps === 0) return;
    const current = this.step - 1;
    if (current >= 0 && !this.store.has(current)) {
      this.store.ensure(current);
      return;
    }
    if (this.player.playing || this.step > previous) {
      this.store.prefetchAfter(Math.max(0, current));
      return;
    }
    if (spec.steps <= DOM_GRID_LIMIT && current > 0) {
      const missing = this.store.firstMissing(current);
      if (missing !== null) this.store.request(Math.min(current, missing + 16));
    }
  }

  private advance(n: number): boolean {
    const spec = this.spec;
    if (!spec) return false;
    const to = Math.min(spec.steps, this.step + n);
    this.setStep(to);
    return to < spec.steps;
  }

  private togglePlay(): void {
    const spec = this.spec;
    if (!spec) return;
    if (!this.player.playing && this.step >= spec.steps) this.setStep(0);
    this.player.toggle();
  }

  private onPlaying(playing: boolean): void {
    this.controls.showPlaying(playing);
    this.live.setAttribute('aria-live', playing ? 'off' : 'polite');
    if (!playing) {
      this.shownElement = '';
      this.showElement();
    }
  }

  private requestSizes(sizes: Record<string, number>): void {
    this.setBusy(true);
    this.post({ type: 'setSizes', sizes });
  }

  private reseed(): void {
    this.setBusy(true);
    this.post({ type: 'reseed' });
  }
}

function figure(doc: Document, role: string, grid: TensorGrid): HTMLElement {
  return h(doc, 'div', { className: `grid-figure ${grid.kind}`, attrs: { 'data-role': role } }, [grid.node]);
}
