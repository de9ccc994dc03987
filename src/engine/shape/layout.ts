// Layout conventions: how the axes of a derivative ∂F/∂X are ordered.
//
// With F's axes (m1..mh) and X's axes (n1..nk):
//   numerator   (m1..mh, nk..n1)   Jacobian formulation
//   denominator (n1..nk, mh..m1)   the full transpose of numerator
//   mixed       (m1..mh, n1..nk)   PyTorch `jacobian` order
// For rank ≤ 2 results the matrix shape also says which side is a row or a
// column (see ../shared/docs/layouts-and-anchors.md). This module is the single
// source of that rule; printers, hovers, the CLI and the loop visualisation all
// ask it.

import { shape, type Dim, type Shape } from './shape';

export type Layout = 'numerator' | 'denominator' | 'mixed';

export const LAYOUTS: readonly Layout[] = ['numerator', 'denominator', 'mixed'];

export function isLayout(value: string): value is Layout {
  return (LAYOUTS as readonly string[]).includes(value);
}

/** Which source axis each result axis comes from. */
export interface AxisOrigin {
  readonly from: 'F' | 'X';
  readonly axis: number;
}

/** The result axes of ∂F/∂X in a layout, each naming the F or X axis it indexes. */
export function derivativeAxes(fRank: number, xRank: number, layout: Layout): AxisOrigin[] {
  const f = Array.from({ length: fRank }, (_, axis): AxisOrigin => ({ from: 'F', axis }));
  const x = Array.from({ length: xRank }, (_, axis): AxisOrigin => ({ from: 'X', axis }));
  switch (layout) {
    case 'numerator':
      return [...f, ...x.reverse()];
    case 'denominator':
      return [...x, ...f.reverse()];
    case 'mixed':
      return [...f, ...x];
  }
}

/** Rows × columns view of a shape of rank ≤ 2 (a column vector is n×1). */
function asMatrix(s: Shape): [Dim, Dim] {
  if (s.dims.length === 0) return [1, 1];
  if (s.dims.length === 1) return s.row ? [1, s.dims[0]!] : [s.dims[0]!, 1];
  return [s.dims[0]!, s.dims[1]!];
}

/**
 * The tensor shape of ∂F/∂X in a layout. When the result has rank 1, its
 * orientation follows the matrix-shape rule below.
 */
export function derivativeShape(f: Shape, x: Shape, layout: Layout): Shape {
  const dims = derivativeAxes(f.dims.length, x.dims.length, layout).map((o) =>
    o.from === 'F' ? f.dims[o.axis]! : x.dims[o.axis]!,
  );
  if (dims.length !== 1) return shape(dims);
  const m = derivativeMatrixShape(f, x, layout)!;
  return shape(dims, m[0] === 1 && m[1] !== 1 ? true : false);
}

/**
 * Rows × columns of ∂F/∂X when F and X together have rank ≤ 2, else null.
 * - F scalar: numerator gives Xᵀ's shape (a gradient row 1×n); denominator and
 *   mixed give X's shape (a column n×1, or m×n for a matrix X).
 * - X scalar: numerator and mixed give F's shape; denominator gives Fᵀ's shape.
 * - Both vectors: numerator and mixed are |F|×|X|; denominator is |X|×|F|.
 */
export function derivativeMatrixShape(f: Shape, x: Shape, layout: Layout): [Dim, Dim] | null {
  const total = f.dims.length + x.dims.length;
  if (total > 2) return null;
  if (f.dims.length === 0) {
    const [r, c] = asMatrix(x);
    return layout === 'numerator' ? [c, r] : [r, c];
  }
  if (x.dims.length === 0) {
    const [r, c] = asMatrix(f);
    return layout === 'denominator' ? [c, r] : [r, c];
  }
  const lf = f.dims[0]!;
  const lx = x.dims[0]!;
  return layout === 'denominator' ? [lx, lf] : [lf, lx];
}

/** Which source axis each result axis of a second derivative comes from: F, the first variable or the second. */
export interface SecondAxisOrigin {
  readonly from: 'F' | 'first' | 'second';
  readonly axis: number;
}

/**
 * The result axes of a second derivative D(D(F, first), second) in a layout,
 * each naming the axis it indexes: the layout applied twice. numerator (F,
 * first reversed, second reversed); denominator is its full transpose (second,
 * first, F reversed); mixed (F, first, second). `explicitMatrix` is the
 * written-out ∂²f/∂x∂yᵀ of a scalar f: (first, second) in every layout, as the
 * notation says.
 */
export function secondDerivativeAxes(fRank: number, firstRank: number, secondRank: number, layout: Layout, explicitMatrix = false): SecondAxisOrigin[] {
  const axes = (from: SecondAxisOrigin['from'], rank: number) => Array.from({ length: rank }, (_, axis): SecondAxisOrigin => ({ from, axis }));
  const f = axes('F', fRank);
  const a = axes('first', firstRank);
  const b = axes('second', secondRank);
  if (explicitMatrix) return [...f, ...a, ...b];
  switch (layout) {
    case 'numerator':
      return [...f, ...a.reverse(), ...b.reverse()];
    case 'denominator':
      return [...b, ...a, ...f.reverse()];
    case 'mixed':
      return [...f, ...a, ...b];
  }
}

/** Shape of a second derivative D(D(F, first), second): see secondDerivativeAxes. */
export function secondDerivativeShape(f: Shape, first: Shape, second: Shape, layout: Layout): Shape {
  const source = { F: f.dims, first: first.dims, second: second.dims };
  return shape(secondDerivativeAxes(f.dims.length, first.dims.length, second.dims.length, layout).map((o) => source[o.from][o.axis]!));
}
