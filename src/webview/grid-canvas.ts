// A large tensor on a <canvas>: the pending cells, the done prefix, and the
// current cell, drawn only for the visible window, so a (64, 64, 64, 64)
// derivative (16.7M cells) costs a handful of rectangles per frame. Zoom with
// the buttons or Ctrl/⌘ + wheel; pan with the scrollbars or the wheel; the
// view follows the current cell when zoomed in.
//
// Invariants: colours come from CSS variables (theme-aware); sizes are set via
// CSSOM, never a style attribute (the panel's CSP); at most a few DOM nodes.

import { h } from './dom';
import type { GridOptions, GridState, TensorGrid } from './grid';
import { cellAt, cellOrigin, fitCell, geometry, gridLayout, placeCell, type Geometry, type GridLayout } from './grid-layout';
import { formatValue } from './loop-math';

const MAX_VIEW_HEIGHT = 360;
const MAX_FIT_CELL = 28;
const MAX_CELL = 64;
/** Cells at least this large show their values. */
const VALUE_CELL = 26;
const FALLBACK_WIDTH = 320;

interface Colors {
  pending: string;
  done: string;
  current: string;
  currentBorder: string;
  line: string;
  text: string;
  currentText: string;
}

export class CanvasGrid implements TensorGrid {
  readonly node: HTMLElement;
  readonly kind = 'canvas' as const;
  private readonly layout: GridLayout;
  private readonly scroller: HTMLDivElement;
  private readonly inner: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly zoomText: HTMLElement;
  private readonly win: (Window & typeof globalThis) | null;
  private state: GridState = { done: 0, current: null };
  /** Requested cell size in px; 0 = fit. */
  private zoomCell = 0;
  private geom: Geometry;
  private fit = 1;
  private width = 0;
  private pendingFrame = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    doc: Document,
    private readonly options: GridOptions,
  ) {
    this.win = doc.defaultView as (Window & typeof globalThis) | null;
    this.layout = gridLayout(options.dims, options.orientation);
    const caption = h(doc, 'div', { className: 'grid-caption', text: options.label });
    const zoomOut = h(doc, 'button', { className: 'secondary icon', text: '−', attrs: { type: 'button', 'aria-label': `Zoom out of ${options.label}`, title: 'Zoom out' } });
    const zoomIn = h(doc, 'button', { className: 'secondary icon', text: '+', attrs: { type: 'button', 'aria-label': `Zoom in to ${options.label}`, title: 'Zoom in (or Ctrl + wheel)' } });
    const fit = h(doc, 'button', { className: 'secondary', text: 'Fit', attrs: { type: 'button', 'aria-label': `Fit ${options.label}`, title: 'Show the whole tensor' } });
    this.zoomText = h(doc, 'span', { className: 'zoom-text', attrs: { 'aria-live': 'off' } });
    zoomOut.addEventListener('click', () => this.zoomBy(0.5));
    zoomIn.addEventListener('click', () => this.zoomBy(2));
    fit.addEventListener('click', () => this.setZoom(0));
    const tools = h(doc, 'div', { className: 'grid-tools' }, [zoomOut, zoomIn, fit, this.zoomText]);
    this.canvas = h(doc, 'canvas', { className: 'grid-canvas', attrs: { role: 'img', 'aria-label': options.label } });
    this.inner = h(doc, 'div', { className: 'canvas-inner' }, [this.canvas]);
    this.scroller = h(doc, 'div', {
      className: 'canvas-scroll',
      attrs: { tabindex: '0', 'aria-label': `${options.label}: scroll to pan; Ctrl + wheel or the buttons zoom` },
    }, [this.inner]);
    this.node = h(doc, 'div', { className: `grid canvas-grid ${options.className ?? ''}`.trim(), attrs: { role: 'group', 'aria-label': options.label } }, [
      h(doc, 'div', { className: 'grid-head' }, [caption, tools]),
      this.scroller,
    ]);
    this.geom = geometry(this.layout, 1, FALLBACK_WIDTH);

    const onScroll = () => this.schedule();
    this.scroller.addEventListener('scroll', onScroll);
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const rect = this.scroller.getBoundingClientRect();
      this.zoomBy(e.deltaY < 0 ? 2 : 0.5, { x: e.clientX - rect.left, y: e.clientY - rect.top });
    };
    this.scroller.addEventListener('wheel', onWheel, { passive: false });
    this.canvas.addEventListener('mousemove', (e) => {
      const rect = this.canvas.getBoundingClientRect();
      const flat = cellAt(this.layout, this.geom, e.clientX - rect.left + this.scroller.scrollLeft, e.clientY - rect.top + this.scroller.scrollTop);
      this.canvas.title = flat === null ? '' : this.describe(flat);
    });
    const Observer = this.win?.ResizeObserver;
    if (Observer) {
      const ro = new Observer(() => {
        if (this.scroller.clientWidth !== this.width) {
          this.relayout();
          this.draw();
        }
      });
      ro.observe(this.scroller);
      this.cleanups.push(() => ro.disconnect());
    }
    // Theme changes (VS Code swaps the body's classes) change the colours.
    const Mutation = this.win?.MutationObserver;
    if (Mutation && doc.body) {
      const mo = new Mutation(() => this.draw());
      mo.observe(doc.body, { attributes: true, attributeFilter: ['class'] });
      this.cleanups.push(() => mo.disconnect());
    }
  }

  /** The current cell size in px (for tests and the zoom read-out). */
  get cellSize(): number {
    return this.geom.cell;
  }

  update(state: GridState): void {
    this.state = state;
    if (this.width === 0 || this.scroller.clientWidth !== this.width) this.relayout();
    this.follow();
    this.draw();
    this.canvas.setAttribute('aria-label', this.summary());
  }

  refresh(): void {
    if (this.geom.cell >= VALUE_CELL) this.draw();
  }

  dispose(): void {
    for (const c of this.cleanups.splice(0)) c();
  }

  private describe(flat: number): string {
    const v = this.options.value && (flat < this.state.done || flat === this.state.current) ? this.options.value(flat) : undefined;
    return v === undefined ? this.options.cellName(flat) : `${this.options.cellName(flat)} = ${formatValue(v)}`;
  }

  private summary(): string {
    const { done, current } = this.state;
    const parts = [`${this.options.label}`];
    if (this.options.value) parts.push(`${done} of ${this.layout.cells} entries done`);
    if (current !== null) parts.push(`current ${this.describe(current)}`);
    return parts.join('; ');
  }

  private relayout(): void {
    this.width = this.scroller.clientWidth;
    const width = this.width || FALLBACK_WIDTH;
    this.fit = fitCell(this.layout, width, MAX_VIEW_HEIGHT, MAX_FIT_CELL);
    const cell = this.zoomCell === 0 ? this.fit : Math.max(this.fit, Math.min(MAX_CELL, this.zoomCell));
    this.geom = geometry(this.layout, cell, width);
    this.inner.style.width = `${Math.ceil(this.geom.width)}px`;
    this.inner.style.height = `${Math.ceil(this.geom.height)}px`;
    const viewW = Math.min(width, Math.ceil(this.geom.width));
    const viewH = Math.min(MAX_VIEW_HEIGHT, Math.ceil(this.geom.height));
    const dpr = this.win?.devicePixelRatio || 1;
    this.canvas.width = Math.max(1, Math.round(viewW * dpr));
    this.canvas.height = Math.max(1, Math.round(viewH * dpr));
    this.canvas.style.width = `${viewW}px`;
    this.canvas.style.height = `${viewH}px`;
    this.zoomText.textContent = `${Math.round((cell / this.fit) * 100)}%`;
  }

  private zoomBy(factor: number, anchor?: { x: number; y: number }): void {
    this.setZoom(Math.max(this.fit, Math.min(MAX_CELL, this.geom.cell * factor)), anchor);
  }

  /** Sets the cell size (0 = fit), keeping `anchor` (viewport px; default the current cell or the centre) in place. */
  private setZoom(cell: number, anchor?: { x: number; y: number }): void {
    const before = this.geom;
    const sl = this.scroller.scrollLeft;
    const st = this.scroller.scrollTop;
    const viewW = this.scroller.clientWidth || FALLBACK_WIDTH;
    const viewH = Math.min(MAX_VIEW_HEIGHT, this.scroller.clientHeight || MAX_VIEW_HEIGHT);
    let ax = anchor?.x ?? viewW / 2;
    let ay = anchor?.y ?? viewH / 2;
    if (!anchor && this.state.current !== null) {
      const o = cellOrigin(before, placeCell(this.layout, this.state.current));
      ax = o.x + before.cell / 2 - sl;
      ay = o.y + before.cell / 2 - st;
    }
    const cx = (sl + ax) / Math.max(before.width, 1);
    const cy = (st + ay) / Math.max(before.height, 1);
    this.zoomCell = cell <= this.fit * 1.0001 ? 0 : cell;
    this.relayout();
    this.scroller.scrollLeft = Math.max(0, cx * this.geom.width - ax);
    this.scroller.scrollTop = Math.max(0, cy * this.geom.height - ay);
    this.draw();
  }

  /** Scrolls the current cell into view (centred) when it is outside. */
  private follow(): void {
    const { current } = this.state;
    if (current === null || this.zoomCell === 0) return;
    const g = this.geom;
    const o = cellOrigin(g, placeCell(this.layout, current));
    const viewW = Math.min(this.scroller.clientWidth || FALLBACK_WIDTH, g.width);
    const viewH = Math.min(this.scroller.clientHeight || MAX_VIEW_HEIGHT, g.height);
    const sl = this.scroller.scrollLeft;
    const st = this.scroller.scrollTop;
    if (o.x < sl || o.x + g.cell > sl + viewW) this.scroller.scrollLeft = Math.max(0, o.x + g.cell / 2 - viewW / 2);
    if (o.y < st || o.y + g.cell > st + viewH) this.scroller.scrollTop = Math.max(0, o.y + g.cell / 2 - viewH / 2);
  }

  private schedule(): void {
    if (this.pendingFrame) return;
    this.pendingFrame = true;
    const run = () => {
      this.pendingFrame = false;
      this.draw();
    };
    if (this.win?.requestAnimationFrame) this.win.requestAnimationFrame(run);
    else run();
  }

  private colors(): Colors {
    const style = this.win?.getComputedStyle(this.node);
    const v = (name: string, fallback: string) => style?.getPropertyValue(name).trim() || fallback;
    return {
      pending: v('--grid-pending', 'rgba(128, 128, 128, 0.12)'),
      done: v('--grid-done', 'rgba(0, 122, 204, 0.35)'),
      current: v('--grid-current', '#e8a317'),
      currentBorder: v('--grid-current-border', '#b06d00'),
      line: v('--grid-line', 'rgba(128, 128, 128, 0.35)'),
      text: v('--grid-text', '#444'),
      currentText: v('--grid-current-text', '#000'),
    };
  }

  private draw(): void {
    let ctx: CanvasRenderingContext2D | null = null;
    try {
      ctx = this.canvas.getContext('2d');
    } catch {
      ctx = null;
    }
    if (!ctx) return;
    const L = this.layout;
    const g = this.geom;
    const dpr = this.win?.devicePixelRatio || 1;
    const sl = this.scroller.scrollLeft;
    const st = this.scroller.scrollTop;
    const cw = this.canvas.width / dpr;
    const ch = this.canvas.height / dpr;
    this.canvas.style.transform = `translate(${sl}px, ${st}px)`;
    const c = this.colors();
    ctx.setTransform(dpr, 0, 0, dpr, -sl * dpr, -st * dpr);
    ctx.clearRect(sl, st, cw, ch);

    // Pending everywhere, then the done prefix: whole rows of slices, part of a row of slices, then rows and part of a row of one slice.
    ctx.fillStyle = c.pending;
    ctx.fillRect(0, 0, g.width, g.height);
    const size = L.sliceRows * L.sliceCols;
    const done = Math.min(this.state.done, L.cells);
    if (done > 0) {
      ctx.fillStyle = c.done;
      const full = Math.floor(done / size);
      const fullRows = Math.floor(full / L.outerCols);
      if (fullRows > 0) ctx.fillRect(0, 0, g.width, fullRows * (g.sliceH + g.gap) - g.gap);
      const rest = full - fullRows * L.outerCols;
      const y = fullRows * (g.sliceH + g.gap);
      if (rest > 0) ctx.fillRect(0, y, rest * (g.sliceW + g.gap) - g.gap, g.sliceH);
      const rem = done - full * size;
      if (rem > 0) {
        const x = rest * (g.sliceW + g.gap);
        const rows = Math.floor(rem / L.sliceCols);
        if (rows > 0) ctx.fillRect(x, y, g.sliceW, rows * g.cell);
        const cols = rem - rows * L.sliceCols;
        if (cols > 0) ctx.fillRect(x, y + rows * g.cell, cols * g.cell, g.cell);
      }
    }

    // Gaps between slices and empty slots of the last row of slices.
    if (g.gap > 0) {
      const stepX = g.sliceW + g.gap;
      const stepY = g.sliceH + g.gap;
      for (let oc = Math.max(1, Math.floor(sl / stepX)); oc < L.outerCols && oc * stepX - g.gap <= sl + cw; oc++) ctx.clearRect(oc * stepX - g.gap, st, g.gap, ch);
      for (let or = Math.max(1, Math.floor(st / stepY)); or < L.outerRows && or * stepY - g.gap <= st + ch; or++) ctx.clearRect(sl, or * stepY - g.gap, cw, g.gap);
    }
    const slots = L.outerRows * L.outerCols;
    if (L.slices < slots) {
      const first = L.slices % L.outerCols;
      const y = (L.outerRows - 1) * (g.sliceH + g.gap);
      ctx.clearRect(first * (g.sliceW + g.gap) - g.gap, y, g.width, g.sliceH + 1);
    }

    const visible = this.visibleRange(sl, st, cw, ch);
    if (g.cell >= 6) this.drawLines(ctx, c, visible);
    if (g.cell >= VALUE_CELL && this.options.value) this.drawValues(ctx, c, visible);
    this.drawCurrent(ctx, c);
  }

  /** Visible outer rows/cols and, within a slice, visible cell rows/cols (conservative). */
  private visibleRange(sl: number, st: number, cw: number, ch: number) {
    const L = this.layout;
    const g = this.geom;
    const stepX = g.sliceW + g.gap;
    const stepY = g.sliceH + g.gap;
    return {
      oc0: Math.max(0, Math.floor(sl / stepX)),
      oc1: Math.min(L.outerCols - 1, Math.floor((sl + cw) / stepX)),
      or0: Math.max(0, Math.floor(st / stepY)),
      or1: Math.min(L.outerRows - 1, Math.floor((st + ch) / stepY)),
      x0: sl,
      x1: sl + cw,
      y0: st,
      y1: st + ch,
    };
  }

  private forVisibleSlices(v: ReturnType<CanvasGrid['visibleRange']>, fn: (slice: number, x: number, y: number) => void): void {
    const L = this.layout;
    const g = this.geom;
    for (let or = v.or0; or <= v.or1; or++) {
      for (let oc = v.oc0; oc <= v.oc1; oc++) {
        const slice = or * L.outerCols + oc;
        if (slice < L.slices) fn(slice, oc * (g.sliceW + g.gap), or * (g.sliceH + g.gap));
      }
    }
  }

  private drawLines(ctx: CanvasRenderingContext2D, c: Colors, v: ReturnType<CanvasGrid['visibleRange']>): void {
    const L = this.layout;
    const g = this.geom;
    ctx.strokeStyle = c.line;
    ctx.lineWidth = 1;
    ctx.beginPath();
    this.forVisibleSlices(v, (_slice, x, y) => {
      const c0 = Math.max(0, Math.floor((v.x0 - x) / g.cell));
      const c1 = Math.min(L.sliceCols, Math.ceil((v.x1 - x) / g.cell));
      const r0 = Math.max(0, Math.floor((v.y0 - y) / g.cell));
      const r1 = Math.min(L.sliceRows, Math.ceil((v.y1 - y) / g.cell));
      for (let col = c0; col <= c1; col++) {
        const px = Math.round(x + col * g.cell) + 0.5;
        ctx.moveTo(px, y + r0 * g.cell);
        ctx.lineTo(px, y + r1 * g.cell);
      }
      for (let row = r0; row <= r1; row++) {
        const py = Math.round(y + row * g.cell) + 0.5;
        ctx.moveTo(x + c0 * g.cell, py);
        ctx.lineTo(x + c1 * g.cell, py);
      }
    });
    ctx.stroke();
  }

  private drawValues(ctx: CanvasRenderingContext2D, c: Colors, v: ReturnType<CanvasGrid['visibleRange']>): void {
    const L = this.layout;
    const g = this.geom;
    const { done, current } = this.state;
    const value = this.options.value!;
    ctx.font = `${Math.round(Math.min(14, g.cell * 0.34))}px ${this.win?.getComputedStyle(this.node).fontFamily || 'sans-serif'}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = c.text;
    this.forVisibleSlices(v, (slice, x, y) => {
      const c0 = Math.max(0, Math.floor((v.x0 - x) / g.cell));
      const c1 = Math.min(L.sliceCols - 1, Math.floor((v.x1 - x) / g.cell));
      const r0 = Math.max(0, Math.floor((v.y0 - y) / g.cell));
      const r1 = Math.min(L.sliceRows - 1, Math.floor((v.y1 - y) / g.cell));
      for (let row = r0; row <= r1; row++) {
        for (let col = c0; col <= c1; col++) {
          const flat = (slice * L.sliceRows + row) * L.sliceCols + col;
          if (flat >= done || flat === current) continue;
          const val = value(flat);
          if (val === undefined) continue;
          ctx.fillText(formatValue(val, 2), x + (col + 0.5) * g.cell, y + (row + 0.5) * g.cell, g.cell - 2);
        }
      }
    });
  }

  private drawCurrent(ctx: CanvasRenderingContext2D, c: Colors): void {
    const { current } = this.state;
    if (current === null || current >= this.layout.cells) return;
    const g = this.geom;
    const o = cellOrigin(g, placeCell(this.layout, current));
    const size = Math.max(g.cell, 7);
    const x = o.x + g.cell / 2 - size / 2;
    const y = o.y + g.cell / 2 - size / 2;
    ctx.fillStyle = c.current;
    ctx.fillRect(x, y, size, size);
    ctx.strokeStyle = c.currentBorder;
    ctx.lineWidth = 2;
    ctx.strokeRect(x - 1, y - 1, size + 2, size + 2);
    if (g.cell < 7) {
      // A ring around a tiny cell, so it can be found at a glance.
      ctx.beginPath();
      ctx.arc(o.x + g.cell / 2, o.y + g.cell / 2, 9, 0, Math.PI * 2);
      ctx.stroke();
    }
    if (g.cell >= VALUE_CELL && this.options.value) {
      const val = this.options.value(current);
      if (val !== undefined) {
        ctx.fillStyle = c.currentText;
        ctx.fillText(formatValue(val, 2), o.x + g.cell / 2, o.y + g.cell / 2, g.cell - 2);
      }
    }
  }
}
