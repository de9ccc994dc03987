// Pure arithmetic of the loop visualisation, shared by its views: which entry a
// step shows, the loop indices and F/X positions of an entry (the same
// row-major order as src/panel/loop-model.ts), mapping an element between two
// layouts, and compact text for values and subscripts.
//
// Invariant: no DOM and no engine imports; everything here is O(rank).

import type { LoopSpec } from '../panel/protocol';

/** 1-based loop indices of entry `index` (0-based, row-major over the loop sizes). */
export function unravel(index: number, sizes: readonly number[]): number[] {
  const out = new Array<number>(sizes.length);
  let rest = index;
  for (let t = sizes.length - 1; t >= 0; t--) {
    const n = sizes[t]!;
    out[t] = (rest % n) + 1;
    rest = Math.floor(rest / n);
  }
  return out;
}

/** Row-major flat index of a 1-based position. */
export function flatIndex(dims: readonly number[], position: readonly number[]): number {
  let flat = 0;
  for (let a = 0; a < dims.length; a++) flat = flat * dims[a]! + (position[a]! - 1);
  return flat;
}

export interface EntryPlace {
  /** 0-based entry index. */
  readonly index: number;
  /** 1-based loop indices, outermost first. */
  readonly indices: readonly number[];
  readonly fPosition: readonly number[];
  readonly xPosition: readonly number[];
}

/** Where entry `index` of `spec` is. */
export function placeOf(spec: LoopSpec, index: number): EntryPlace {
  const indices = unravel(index, spec.resultDims);
  const fPosition = new Array<number>(spec.fDims.length);
  const xPosition = new Array<number>(spec.xDims.length);
  spec.loops.forEach((l, t) => {
    (l.from === 'F' ? fPosition : xPosition)[l.axis] = indices[t]!;
  });
  return { index, indices, fPosition, xPosition };
}

/** The entry index of the element at F position `f` and X position `x` in `spec`'s loop order, or null if out of range. */
export function indexOfPositions(spec: LoopSpec, f: readonly number[], x: readonly number[]): number | null {
  if (f.length !== spec.fDims.length || x.length !== spec.xDims.length) return null;
  let flat = 0;
  for (const l of spec.loops) {
    const v = l.from === 'F' ? f[l.axis]! : x[l.axis]!;
    if (!(v >= 1 && v <= l.size)) return null;
    flat = flat * l.size + (v - 1);
  }
  return flat;
}

/**
 * The slider step to show after the loop model changed from `before` to
 * `after`: the same element stays current when both have the same F and X
 * shapes (a layout switch or a reseed), else the step is clamped.
 */
export function carryStep(before: LoopSpec | null, step: number, after: LoopSpec): number {
  if (!before || step <= 0) return 0;
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (same(before.fDims, after.fDims) && same(before.xDims, after.xDims)) {
    const place = placeOf(before, Math.min(step, before.steps) - 1);
    const index = indexOfPositions(after, place.fPosition, place.xPosition);
    if (index !== null) return index + 1;
  }
  return Math.min(step, after.steps);
}

/** Compact numbers for grid cells: "0", "2", "-0.53", "1.2e4". */
export function formatValue(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined) return '–';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  if (Number.isInteger(v) && Math.abs(v) < 1e5) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(digits)));
  return v.toExponential(Math.max(0, digits - 2)).replace(/\.?0+e/, 'e').replace('e+', 'e');
}

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';

/** "a₁", "X₁₂", "X[10,2]", "(A X)₁₁", or just the name for a scalar. */
export function subscripted(name: string, position: readonly number[], atomic = true): string {
  const base = atomic ? name : `(${name})`;
  if (position.length === 0) return base;
  if (position.every((p) => p < 10)) return base + position.map((p) => SUBSCRIPTS[p]).join('');
  return `${base}[${position.join(',')}]`;
}

/** "∂a₁/∂X₁₂" for an entry of `spec`. */
export function partialText(spec: LoopSpec, place: Pick<EntryPlace, 'fPosition' | 'xPosition'>): string {
  return `∂${subscripted(spec.fName, place.fPosition, spec.fAtomic)}/∂${subscripted(spec.xName, place.xPosition)}`;
}

/** "i = 1, j = 2" */
export function indicesText(spec: LoopSpec, indices: readonly number[]): string {
  return spec.loops.map((l, t) => `${l.letter} = ${indices[t]}`).join(', ');
}

/** "2×2×3", or "scalar". */
export function dimsText(dims: readonly number[]): string {
  return dims.length === 0 ? 'scalar' : dims.join('×');
}
