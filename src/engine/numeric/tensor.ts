// Dense float64 tensors for numeric evaluation and finite-difference checks.
//
// Invariants:
// - A tensor is `{ dims, data }`: `data` holds the entries in row-major order
//   (the last axis varies fastest) and `data.length` is the product of `dims`
//   (1 for a scalar, whose dims are []).
// - Every dim is a whole number ≥ 0. Vectors carry no orientation: a row and a
//   column vector with the same entries are the same tensor (orientation lives
//   in the term's shape, not in its value).
// - Helpers never mutate their inputs except `set`, which writes one entry in
//   place; everything else returns a fresh tensor.
// - Misuse by a caller (ragged nested input, an index out of range, a wrong
//   number of indices) throws: these are programming errors, not user input.

export interface Tensor {
  readonly dims: readonly number[];
  readonly data: Float64Array;
}

/** A number (scalar) or nested arrays of numbers; a vector is a flat list. */
export type Nested = number | readonly Nested[];

/** Number of entries for the given dims (1 for a scalar). */
export function sizeOf(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Row-major strides: strides[k] is the distance in `data` between neighbours along axis k. */
export function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let k = dims.length - 1; k >= 0; k--) {
    s[k] = acc;
    acc *= dims[k]!;
  }
  return s;
}

/** The position in `data` of a multi-index (0-based); throws when out of range. */
export function offsetOf(dims: readonly number[], index: readonly number[]): number {
  if (index.length !== dims.length) throw new RangeError(`Index [${index.join(',')}] has ${index.length} entries for a rank-${dims.length} tensor.`);
  let off = 0;
  for (let k = 0; k < dims.length; k++) {
    const i = index[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= dims[k]!) throw new RangeError(`Index ${i} is out of range for axis ${k} of size ${dims[k]}.`);
    off = off * dims[k]! + i;
  }
  return off;
}

/** The multi-index of a position in `data` (inverse of offsetOf). */
export function indexOf(dims: readonly number[], offset: number): number[] {
  const index = new Array<number>(dims.length);
  let rest = offset;
  for (let k = dims.length - 1; k >= 0; k--) {
    const d = dims[k]!;
    index[k] = rest % d;
    rest = Math.floor(rest / d);
  }
  return index;
}

export function tensor(dims: readonly number[], data: Float64Array | readonly number[]): Tensor {
  const n = sizeOf(dims);
  if (data.length !== n) throw new RangeError(`${data.length} entries do not fill dims [${dims.join(',')}] (${n} entries).`);
  return { dims: [...dims], data: data instanceof Float64Array ? data : Float64Array.from(data) };
}

export function zeros(dims: readonly number[]): Tensor {
  return { dims: [...dims], data: new Float64Array(sizeOf(dims)) };
}

export function full(dims: readonly number[], value: number): Tensor {
  return { dims: [...dims], data: new Float64Array(sizeOf(dims)).fill(value) };
}

export function scalar(value: number): Tensor {
  return { dims: [], data: Float64Array.of(value) };
}

export function identity(n: number): Tensor {
  const t = zeros([n, n]);
  for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
  return t;
}

export function clone(t: Tensor): Tensor {
  return { dims: [...t.dims], data: t.data.slice() };
}

/** Builds a tensor from nested arrays (`[[1,2],[3,4]]` is 2×2, `[1,2]` a vector, `5` a scalar). */
export function fromNested(nested: Nested): Tensor {
  const dims: number[] = [];
  for (let cur: Nested = nested; typeof cur !== 'number'; cur = cur[0]!) {
    dims.push(cur.length);
    if (cur.length === 0) break;
  }
  const data = new Float64Array(sizeOf(dims));
  let pos = 0;
  const fill = (node: Nested, depth: number): void => {
    if (depth === dims.length) {
      if (typeof node !== 'number') throw new TypeError(`Ragged nested array: expected a number at depth ${depth}.`);
      data[pos++] = node;
      return;
    }
    if (typeof node === 'number' || node.length !== dims[depth]) {
      throw new TypeError(`Ragged nested array: expected a list of ${dims[depth]} at depth ${depth}.`);
    }
    for (const child of node) fill(child, depth + 1);
  };
  fill(nested, 0);
  return { dims, data };
}

/** The inverse of fromNested: a number for a scalar, nested arrays otherwise. */
export function toNested(t: Tensor): Nested {
  let pos = 0;
  const build = (depth: number): Nested => {
    if (depth === t.dims.length) return t.data[pos++]!;
    return Array.from({ length: t.dims[depth]! }, () => build(depth + 1));
  };
  return build(0);
}

export function get(t: Tensor, index: readonly number[]): number {
  return t.data[offsetOf(t.dims, index)]!;
}

export function set(t: Tensor, index: readonly number[], value: number): void {
  t.data[offsetOf(t.dims, index)] = value;
}

export function map(t: Tensor, f: (v: number, offset: number) => number): Tensor {
  const out = new Float64Array(t.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(t.data[i]!, i);
  return { dims: [...t.dims], data: out };
}

export function dimsEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Equal dims and every entry within `atol + rtol·max(|a|,|b|)`. Equal infinities
 * count as equal; any NaN makes the tensors unequal.
 */
export function allClose(a: Tensor, b: Tensor, rtol = 1e-12, atol = 1e-12): boolean {
  if (!dimsEqual(a.dims, b.dims)) return false;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    if (x === y) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.max(Math.abs(x), Math.abs(y)))) return false;
  }
  return true;
}

/** Compact text for messages: `[2×3]`, `scalar`. */
export function formatDims(dims: readonly number[]): string {
  return dims.length === 0 ? 'scalar' : `[${dims.join('×')}]`;
}
