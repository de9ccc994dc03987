// Built-in functions on float64 values: the elementwise ones, and the
// reductions (sum, norms, softmax, logsumexp) written for numerical stability.
//
// Invariants:
// - Elementwise functions follow IEEE semantics outside their domain: log and
//   sqrt of a negative number give NaN, log 0 gives −∞; nothing throws.
// - sigmoid, softplus, softmax and logsumexp never overflow for finite input:
//   exponentials are only taken of non-positive arguments.
// - Hand-written because the engine has no dependencies; see linalg.ts.

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)). */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** max(0, x); NaN stays NaN. */
export function relu(x: number): number {
  return Number.isNaN(x) ? NaN : x > 0 ? x : 0;
}

/** The Heaviside step with step(0) = 0: the derivative of relu, as the engine prints it. */
export function step(x: number): number {
  return Number.isNaN(x) ? NaN : x > 0 ? 1 : 0;
}

export const ELEMENTWISE: Readonly<Record<string, (x: number) => number>> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  sigmoid,
  relu,
  softplus,
  abs: Math.abs,
  sign: Math.sign,
  step,
};

export function sum(data: Float64Array): number {
  let s = 0;
  for (const v of data) s += v;
  return s;
}

export function norm1(data: Float64Array): number {
  let s = 0;
  for (const v of data) s += Math.abs(v);
  return s;
}

/** Euclidean / Frobenius norm √Σvᵢ², scaled by max|vᵢ| so it neither overflows nor underflows. */
export function norm2(data: Float64Array): number {
  let scale = 0;
  for (const v of data) {
    const a = Math.abs(v);
    if (Number.isNaN(a)) return NaN;
    if (a > scale) scale = a;
  }
  if (scale === 0 || scale === Infinity) return scale;
  let s = 0;
  for (const v of data) {
    const r = v / scale;
    s += r * r;
  }
  return scale * Math.sqrt(s);
}

/** log Σ e^(vᵢ) = m + log Σ e^(vᵢ − m) with m = max vᵢ; −∞ for an empty vector. */
export function logsumexp(data: Float64Array): number {
  let m = -Infinity;
  for (const v of data) {
    if (Number.isNaN(v)) return NaN;
    if (v > m) m = v;
  }
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (const v of data) s += Math.exp(v - m);
  return m + Math.log(s);
}

/** e^(vᵢ) / Σ e^(vⱼ), shifted by max vⱼ so no exponential overflows. */
export function softmax(data: Float64Array): Float64Array {
  let m = -Infinity;
  for (const v of data) if (v > m) m = v;
  const out = new Float64Array(data.length);
  if (data.length === 0) return out;
  if (!Number.isFinite(m)) return out.fill(NaN);
  let s = 0;
  for (let i = 0; i < data.length; i++) s += out[i] = Math.exp(data[i]! - m);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / s;
  return out;
}
