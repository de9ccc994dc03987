// Dense matrix kernels on float64 tensors: products, LU, determinant, inverse.
//
// Why hand-written: the engine is pure TypeScript with no dependencies (it runs
// unchanged in the extension host, a webview and the CLI), the matrices it
// meets are small (sizes like 2–8 chosen for self-checks), and every kernel
// works in float64 throughout. Textbook algorithms are enough at these sizes:
// O(n³) elimination with partial pivoting is backward stable in practice, and
// plain triple loops keep the code easy to audit.
//
// Invariants:
// - Inputs are never mutated; every result is a fresh tensor.
// - Shape errors throw (callers check shapes first); numeric trouble does
//   not: a singular matrix is reported through the return value.

import { identity, zeros, type Tensor } from './tensor';

/** C = A·B for A m×k, B k×n. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const [m, k] = a.dims as [number, number];
  const [k2, n] = b.dims as [number, number];
  if (a.dims.length !== 2 || b.dims.length !== 2 || k !== k2) throw new RangeError(`matmul: ${a.dims} · ${b.dims}`);
  const c = zeros([m, n]);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a.data[i * k + p]!;
      if (aip === 0) continue;
      for (let j = 0; j < n; j++) c.data[i * n + j] += aip * b.data[p * n + j]!;
    }
  }
  return c;
}

/** Aᵀ for a matrix. */
export function transpose2(a: Tensor): Tensor {
  const [m, n] = a.dims as [number, number];
  const t = zeros([n, m]);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t.data[j * m + i] = a.data[i * n + j]!;
  return t;
}

export interface LU {
  /** Packed factors: strictly lower part holds L (unit diagonal), upper part U. */
  readonly lu: Float64Array;
  readonly n: number;
  /** +1 or −1: the sign of the row permutation. */
  readonly sign: number;
  /** True when some pivot is exactly zero (the matrix is singular). */
  readonly singular: boolean;
}

/** PA = LU by Gaussian elimination with partial (row) pivoting. */
export function luDecompose(a: Tensor): LU {
  const n = a.dims[0]!;
  if (a.dims.length !== 2 || a.dims[1] !== n) throw new RangeError(`LU needs a square matrix, not ${a.dims}`);
  const lu = a.data.slice();
  let sign = 1;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]!) > Math.abs(lu[p * n + k]!)) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
      sign = -sign;
    }
    const pivot = lu[k * n + k]!;
    if (pivot === 0) {
      singular = true;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= pivot);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j]!;
    }
  }
  return { lu, n, sign, singular };
}

/** det A from its LU factors: sign · Π uᵢᵢ (0 for a singular matrix). */
export function determinant(a: Tensor): number {
  const { lu, n, sign, singular } = luDecompose(a);
  if (singular) return 0;
  let d = sign;
  for (let i = 0; i < n; i++) d *= lu[i * n + i]!;
  return d;
}

/**
 * log(det A) computed as Σ log|uᵢᵢ| (so it neither overflows nor underflows
 * where det A itself would). NaN when det A ≤ 0: logdet is the real logarithm
 * of the determinant, not log|det A|.
 */
export function logDeterminant(a: Tensor): number {
  const { lu, n, sign, singular } = luDecompose(a);
  if (singular) return NaN;
  let s = sign;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const u = lu[i * n + i]!;
    if (u < 0) s = -s;
    sum += Math.log(Math.abs(u));
  }
  return s > 0 ? sum : NaN;
}

/**
 * A⁻¹ by Gauss–Jordan elimination with partial pivoting on [A | I]. Returns
 * null when A is singular to working precision: a pivot no larger than
 * n·ε·max|aᵢⱼ| (relative to the matrix's scale, so a well-conditioned matrix
 * of tiny entries still inverts).
 */
export function inverse(a: Tensor): Tensor | null {
  const n = a.dims[0]!;
  if (a.dims.length !== 2 || a.dims[1] !== n) throw new RangeError(`inverse needs a square matrix, not ${a.dims}`);
  const m = a.data.slice();
  const inv = identity(n).data;
  let scale = 0;
  for (const v of m) scale = Math.max(scale, Math.abs(v));
  const tiny = n * Number.EPSILON * scale;
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]!) > Math.abs(m[p * n + k]!)) p = i;
    if (!(Math.abs(m[p * n + k]!) > tiny)) return null;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        swap(m, k * n + j, p * n + j);
        swap(inv, k * n + j, p * n + j);
      }
    }
    const pivot = m[k * n + k]!;
    for (let j = 0; j < n; j++) {
      m[k * n + j] /= pivot;
      inv[k * n + j] /= pivot;
    }
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const f = m[i * n + k]!;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        m[i * n + j] -= f * m[k * n + j]!;
        inv[i * n + j] -= f * inv[k * n + j]!;
      }
    }
  }
  return { dims: [n, n], data: inv };
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** Aᵏ for a square A and a whole k ≥ 0, by repeated squaring (k = 0 gives I). */
export function matrixPower(a: Tensor, k: number): Tensor {
  const n = a.dims[0]!;
  if (a.dims.length !== 2 || a.dims[1] !== n) throw new RangeError(`matrix power needs a square matrix, not ${a.dims}`);
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`matrix power needs a whole exponent ≥ 0, not ${k}`);
  let result: Tensor | null = null;
  let base = a;
  for (let e = k; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = result ? matmul(result, base) : base;
    if (e > 1) base = matmul(base, base);
  }
  return result ? { dims: [n, n], data: result.data.slice() } : identity(n);
}
