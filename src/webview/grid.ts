// A tensor drawn as a grid of cells with one "current" cell and a prefix of
// "done" cells (the derivative filling in, or F / X with the element the loop
// is at). Small tensors get readable DOM cells (grid-dom.ts); large ones a
// zoomable <canvas> (grid-canvas.ts), so the panel never builds more than a
// few thousand DOM nodes whatever the size.

import { CanvasGrid } from './grid-canvas';
import { DomGrid } from './grid-dom';
import type { Orientation } from './grid-layout';

/** Tensors with at most this many cells are drawn as DOM cells; larger ones on a canvas. */
export const DOM_GRID_LIMIT = 400;

export interface GridState {
  /** Cells with row-major index in [0, done) are done. */
  readonly done: number;
  /** The current cell, or null. */
  readonly current: number | null;
}

export interface GridOptions {
  readonly dims: readonly number[];
  readonly orientation?: Orientation;
  /** Accessible name and caption, e.g. "X (2×2)". */
  readonly label: string;
  /** A cell's name for tooltips and screen readers, e.g. "X₁₂" or "∂a₁/∂X₁₂". */
  readonly cellName: (flat: number) => string;
  /** Text inside a DOM cell of a grid without values (F and X), e.g. "X₁₂". */
  readonly cellText?: (flat: number) => string;
  /** The value of a cell when known; grids with values show them in done and current cells. */
  readonly value?: (flat: number) => number | null | undefined;
  /** Caption of slice k of a rank ≥ 3 tensor, e.g. "i = 1". */
  readonly sliceCaption?: (k: number) => string;
  readonly className?: string;
}

export interface TensorGrid {
  readonly node: HTMLElement;
  readonly kind: 'dom' | 'canvas';
  update(state: GridState): void;
  /** Redraws values (entries arrived) without a state change. */
  refresh(): void;
  dispose(): void;
}

/** A DOM grid for small tensors, a canvas grid for large ones. */
export function createGrid(doc: Document, options: GridOptions): TensorGrid {
  const cells = options.dims.reduce((a, b) => a * b, 1);
  return cells <= DOM_GRID_LIMIT ? new DomGrid(doc, options) : new CanvasGrid(doc, options);
}
