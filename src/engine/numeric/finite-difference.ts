// Finite-difference Jacobians and tensor comparison: the numeric self-check
// that a symbolic derivative agrees with the function it came from.
//
// Invariants:
// - Central differences in float64: ∂F/∂xⱼ ≈ (F(x + hⱼeⱼ) − F(x − hⱼeⱼ)) / 2hⱼ,
//   truncation error O(h²). The default relative step ∛ε ≈ 6e-6 balances that
//   against rounding error (ε/h), giving about 10 correct digits for smooth F;
//   hⱼ = step·max(1, |xⱼ|), rounded so that x ± hⱼ is exact.
// - The result is in mixed layout: F's axes, then X's axes (PyTorch's
//   jacobian order; a scalar F gives a gradient shaped like X). Other layouts
//   are a permuteAxes away.
// - `f` is called 2·size(X) times with fresh tensors; x is never mutated.

import { dimsEqual, formatDims, indexOf, sizeOf, strides, zeros, type Tensor } from './tensor';

export const DEFAULT_STEP = Math.cbrt(Number.EPSILON);

/** The Jacobian of f at x by central differences, dims [...F.dims, ...X.dims]. */
export function finiteDifferenceJacobian(f: (x: Tensor) => Tensor, x: Tensor, step = DEFAULT_STEP): Tensor {
  const nx = x.data.length;
  let out: Tensor | null = null;
  let fDims: readonly number[] = [];
  for (let j = 0; j < nx; j++) {
    const xj = x.data[j]!;
    const h = (xj + step * Math.max(1, Math.abs(xj))) - xj;
    const plus = x.data.slice();
    const minus = x.data.slice();
    plus[j] = xj + h;
    minus[j] = xj - h;
    const fp = f({ dims: x.dims, data: plus });
    const fm = f({ dims: x.dims, data: minus });
    if (!out) {
      fDims = fp.dims;
      out = zeros([...fDims, ...x.dims]);
    }
    if (!dimsEqual(fp.dims, fDims) || !dimsEqual(fm.dims, fDims)) {
      throw new RangeError(`f changed shape under perturbation: ${formatDims(fDims)} vs ${formatDims(fp.dims)} / ${formatDims(fm.dims)}.`);
    }
    for (let i = 0; i < fp.data.length; i++) out.data[i * nx + j] = (fp.data[i]! - fm.data[i]!) / (2 * h);
  }
  // An empty X: the Jacobian has no entries, but F's dims still come first.
  return out ?? zeros([...f(x).dims, ...x.dims]);
}

/**
 * Reorders axes: result axis k is input axis order[k] (numpy's transpose).
 * Throws unless `order` is a permutation of 0..rank−1.
 */
export function permuteAxes(t: Tensor, order: readonly number[]): Tensor {
  const r = t.dims.length;
  const sorted = [...order].sort((a, b) => a - b);
  if (order.length !== r || sorted.some((v, i) => v !== i)) throw new RangeError(`[${order.join(',')}] is not a permutation of the ${r} axes.`);
  const dims = order.map((k) => t.dims[k]!);
  const inStrides = strides(t.dims);
  const out = zeros(dims);
  const n = sizeOf(dims);
  for (let p = 0; p < n; p++) {
    const idx = indexOf(dims, p);
    let src = 0;
    for (let k = 0; k < r; k++) src += idx[k]! * inStrides[order[k]!]!;
    out.data[p] = t.data[src]!;
  }
  return out;
}

export interface Comparison {
  /** True when the dims match and every entry is within atol + rtol·max(|a|, |b|). */
  readonly ok: boolean;
  /** max |a − b| / max(|a|, |b|) over the entries (0 when both are 0); ∞ on NaN or a dims mismatch. */
  readonly maxRelativeError: number;
  /** max |a − b|; ∞ on NaN or a dims mismatch. */
  readonly maxAbsoluteError: number;
  /** Where the entry furthest outside its tolerance sits, or null. */
  readonly worstIndex: number[] | null;
  readonly dimsMatch: boolean;
}

/**
 * Compares two tensors entry by entry. Equal infinities agree; a NaN on either
 * side never does (a check that could not be evaluated must not pass).
 */
export function compareTensors(a: Tensor, b: Tensor, rtol = 1e-6, atol = 1e-8): Comparison {
  if (!dimsEqual(a.dims, b.dims)) {
    return { ok: false, maxRelativeError: Infinity, maxAbsoluteError: Infinity, worstIndex: null, dimsMatch: false };
  }
  let maxRel = 0;
  let maxAbs = 0;
  let worst = -1;
  let worstRatio = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    let abs: number;
    let rel: number;
    if (x === y) {
      abs = 0;
      rel = 0;
    } else if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(x - y)) {
      abs = Infinity;
      rel = Infinity;
    } else {
      abs = Math.abs(x - y);
      rel = abs / Math.max(Math.abs(x), Math.abs(y));
    }
    const ratio = abs === 0 ? 0 : abs === Infinity ? Infinity : abs / (atol + rtol * Math.max(Math.abs(x), Math.abs(y)));
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = i;
    }
    maxAbs = Math.max(maxAbs, abs);
    maxRel = Math.max(maxRel, rel);
  }
  return {
    ok: worstRatio <= 1,
    maxRelativeError: maxRel,
    maxAbsoluteError: maxAbs,
    worstIndex: worst >= 0 ? indexOf(a.dims, worst) : null,
    dimsMatch: true,
  };
}
