// Numeric evaluation of index-notation IR on dense float64 tensors.
//
// Why hand-written: the pure engine may not depend on Node or native code, and
// the sizes it evaluates (self-checks, loop visualisation, small concrete
// examples) are small; a direct einsum over the index space, memoised per node,
// is simple to trust. Matrix kernels (LU with partial pivoting) are the
// textbook ones.
//
// Invariants:
// - A node's value is a dense row-major tensor over its free indices in sorted
//   order (`node.free`).
// - Every shared node is evaluated once per `IrEvaluator`.

import { applyElementwise, type Index, type MatFnNode, type Node } from './ir';

export interface DenseTensor {
  readonly dims: number[];
  readonly data: Float64Array;
}

export interface IrEnvironment {
  /** Values of variables, row-major, axes in declaration order. */
  readonly values: ReadonlyMap<string, DenseTensor>;
  /** Concrete size of an index. */
  readonly size: (i: Index) => number;
  /** Most arithmetic steps and entries allocated in all (default MAX_EVALUATION_WORK). */
  readonly maxWork?: number;
}

/**
 * Work budget of one evaluator: entries allocated plus loop steps of every
 * contraction, about 40 ms of float64 arithmetic (a product of two 250×250
 * matrices is 15.6 million steps). A claim about `ones(1e9)` (sizes written
 * in the text) otherwise allocated 8 GB and looped for 35 s inside the
 * extension host.
 */
export const MAX_EVALUATION_WORK = 20_000_000;

export class EvaluationError extends Error {}

/** The evaluation would exceed its work budget (a clear "too large" answer, not a hang). */
export class EvaluationBudgetExceeded extends EvaluationError {
  constructor(readonly needed: number, readonly budget: number) {
    super(`too large to evaluate numerically (about ${formatCount(needed)} steps; at most ${formatCount(budget)})`);
  }
}

function formatCount(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toPrecision(3)} million` : String(Math.round(n));
}

/** A factor of a product: values over its free indices (sorted). */
interface Factor {
  readonly free: readonly Index[];
  readonly data: Float64Array;
}

export class IrEvaluator {
  private readonly memo = new Map<Node, Float64Array>();
  private work = 0;
  private readonly maxWork: number;

  constructor(private readonly env: IrEnvironment) {
    this.maxWork = env.maxWork ?? MAX_EVALUATION_WORK;
  }

  /** Counts `steps` against the budget before they are taken (so nothing too large is allocated or looped over). */
  private charge(steps: number): void {
    this.work += steps;
    if (!(this.work <= this.maxWork)) throw new EvaluationBudgetExceeded(this.work, this.maxWork);
  }

  /** The value of `node` with axes in the order `order` (which must list node.free; extra indices broadcast). */
  valueIn(node: Node, order: readonly Index[]): DenseTensor {
    const data = this.value(node);
    return { dims: order.map((i) => this.env.size(i)), data: this.arrange(data, node.free, order) };
  }

  /** The value over node.free in sorted order. */
  value(node: Node): Float64Array {
    const hit = this.memo.get(node);
    if (hit) return hit;
    this.charge(this.sizeOf(node.free));
    const v = this.compute(node);
    this.memo.set(node, v);
    return v;
  }

  private sizeOf(free: readonly Index[]): number {
    let n = 1;
    for (const i of free) n *= this.env.size(i);
    return n;
  }

  /** Re-lays `data` (over `from`, sorted) into the order `to`, broadcasting indices absent from `from`. */
  arrange(data: Float64Array, from: readonly Index[], to: readonly Index[]): Float64Array {
    if (from.length === to.length && from.every((x, k) => x === to[k])) return data;
    const sizes = to.map((i) => this.env.size(i));
    const total = sizes.reduce((a, b) => a * b, 1);
    this.charge(total);
    const out = new Float64Array(total);
    // Stride of each target axis in the source (0 when the source does not have it).
    const srcStrides = new Map<Index, number>();
    let stride = 1;
    for (let k = from.length - 1; k >= 0; k--) {
      srcStrides.set(from[k]!, stride);
      stride *= this.env.size(from[k]!);
    }
    const strides = to.map((i) => srcStrides.get(i) ?? 0);
    const counter = new Array<number>(to.length).fill(0);
    for (let flat = 0; flat < total; flat++) {
      let src = 0;
      for (let k = 0; k < to.length; k++) src += counter[k]! * strides[k]!;
      out[flat] = data[src]!;
      for (let k = to.length - 1; k >= 0; k--) {
        if (++counter[k]! < sizes[k]!) break;
        counter[k] = 0;
      }
    }
    return out;
  }

  private compute(n: Node): Float64Array {
    switch (n.k) {
      case 'const':
        return Float64Array.of(n.value);
      case 'tensor':
        return this.tensorValue(n.name, n.idx, n.free);
      case 'delta': {
        const out = new Float64Array(this.sizeOf(n.free));
        if (n.free.length === 1) return out.fill(1);
        const size = this.env.size(n.free[0]!);
        for (let a = 0; a < size && a < this.env.size(n.free[1]!); a++) out[a * this.env.size(n.free[1]!) + a] = 1;
        return out;
      }
      case 'onehot': {
        const out = new Float64Array(this.env.size(n.i));
        if (n.at < out.length) out[n.at] = 1;
        return out;
      }
      case 'add': {
        const out = new Float64Array(this.sizeOf(n.free));
        for (const t of n.terms) {
          const v = this.arrange(this.value(t), t.free, n.free);
          for (let k = 0; k < out.length; k++) out[k]! += v[k]!;
        }
        return out;
      }
      case 'mul':
        return this.einsum(n.factors, n.free);
      case 'fn': {
        const v = this.value(n.arg);
        const out = new Float64Array(v.length);
        for (let k = 0; k < v.length; k++) out[k] = applyElementwise(n.fn, v[k]!);
        return out;
      }
      case 'pow': {
        const v = this.value(n.base);
        const out = new Float64Array(v.length);
        for (let k = 0; k < v.length; k++) out[k] = v[k]! ** n.exp;
        return out;
      }
      case 'matfn':
        return this.matrixFunction(n);
    }
  }

  private tensorValue(name: string, idx: readonly (Index | number)[], free: readonly Index[]): Float64Array {
    const t = this.env.values.get(name);
    if (!t) throw new EvaluationError(`no value for ${name}`);
    if (t.dims.length !== idx.length) throw new EvaluationError(`${name} has ${t.dims.length} axes, used with ${idx.length}`);
    const strides = new Array<number>(t.dims.length);
    let s = 1;
    for (let k = t.dims.length - 1; k >= 0; k--) {
      strides[k] = s;
      s *= t.dims[k]!;
    }
    const sizes = free.map((i) => this.env.size(i));
    const out = new Float64Array(sizes.reduce((a, b) => a * b, 1));
    const counter = new Array<number>(free.length).fill(0);
    const position = new Map<Index, number>();
    for (let flat = 0; flat < out.length; flat++) {
      free.forEach((i, k) => position.set(i, counter[k]!));
      let src = 0;
      for (let k = 0; k < idx.length; k++) {
        const x = idx[k]!;
        src += (typeof x === 'number' ? x : position.get(x)!) * strides[k]!;
      }
      out[flat] = t.data[src]!;
      for (let k = free.length - 1; k >= 0; k--) {
        if (++counter[k]! < sizes[k]!) break;
        counter[k] = 0;
      }
    }
    return out;
  }

  /**
   * out[free] = Σ over other indices of Π factors. Contracts two factors at a
   * time (the pair with the smallest result first), summing an index out as
   * soon as no other factor and not the result uses it: a flattened chain of k
   * matrix products then costs k small products instead of one loop over
   * size^(k+1) index combinations (a 13-matrix chain took seconds).
   */
  private einsum(factors: readonly Node[], free: readonly Index[]): Float64Array {
    let items: Factor[] = factors.map((f) => ({ free: f.free, data: this.value(f) }));
    // How many factors (and the result) use each index: an index used only by the pair being contracted is summed out.
    const uses = new Map<Index, number>();
    const count = (i: Index, by: number) => uses.set(i, (uses.get(i) ?? 0) + by);
    for (const i of free) count(i, 1);
    for (const it of items) for (const i of it.free) count(i, 1);
    while (items.length > 2) {
      let best: { i: number; j: number; keep: Index[]; size: number; work: number } | null = null;
      for (const [i, j] of this.candidatePairs(items)) {
        const a = items[i]!.free;
        const b = items[j]!.free;
        const union = [...new Set([...a, ...b])];
        const keep = union.filter((x) => uses.get(x)! > (a.includes(x) ? 1 : 0) + (b.includes(x) ? 1 : 0)).sort();
        const size = this.sizeOf(keep);
        const work = this.sizeOf(union);
        if (!best || size < best.size || (size === best.size && work < best.work)) best = { i, j, keep, size, work };
      }
      const { i, j, keep } = best!;
      const [a, b] = [items[i]!, items[j]!];
      for (const x of a.free) count(x, -1);
      for (const x of b.free) count(x, -1);
      for (const x of keep) count(x, 1);
      items = [...items.filter((_, k) => k !== i && k !== j), { free: keep, data: this.contract([a, b], keep) }];
    }
    return this.contract(items, free);
  }

  /**
   * The pairs einsum weighs, in lexicographic order: the first pair, then every
   * pair that shares an index (pairs that share none would be outer products).
   * Found through the indices rather than by trying all pairs: a flattened chain
   * of k factors then costs O(k) per contraction, not O(k²) (a chain of 400
   * matrix products took over a second to check).
   */
  private candidatePairs(items: readonly Factor[]): [number, number][] {
    const holders = new Map<Index, number[]>();
    items.forEach((it, k) => {
      for (const x of it.free) {
        const list = holders.get(x);
        if (!list) holders.set(x, [k]);
        else if (list[list.length - 1] !== k) list.push(k);
      }
    });
    const seen = new Set<number>([1]);
    const pairs: [number, number][] = [[0, 1]];
    for (const list of holders.values()) {
      for (let p = 0; p < list.length; p++) {
        for (let q = p + 1; q < list.length; q++) {
          const key = list[p]! * items.length + list[q]!;
          if (!seen.has(key)) {
            seen.add(key);
            pairs.push([list[p]!, list[q]!]);
          }
        }
      }
    }
    return pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  }

  /**
   * out[free] = Σ over other indices of Π factors, in one loop over all index
   * combinations. The innermost loop runs over one index with constant
   * strides (a summed index when there is one, so it accumulates into a
   * local), with its own code for one and two factors; an odometer walks the
   * other indices. (A generic odometer step per combination cost ~30 ns: a
   * claim about 200×200 matrix products took 1.7 s to check.)
   */
  private contract(factors: readonly Factor[], free: readonly Index[]): Float64Array {
    const all = [...free];
    for (const f of factors) for (const i of f.free) if (!all.includes(i)) all.push(i);
    const sizes = all.map((i) => this.env.size(i));
    const values = factors.map((f) => f.data);
    const nf = values.length;
    const strides = factors.map((node) => {
      const st = new Array<number>(all.length).fill(0);
      let s = 1;
      for (let k = node.free.length - 1; k >= 0; k--) {
        st[all.indexOf(node.free[k]!)] = s;
        s *= this.env.size(node.free[k]!);
      }
      return st;
    });
    const outStrides = new Array<number>(all.length).fill(0);
    let s = 1;
    for (let k = free.length - 1; k >= 0; k--) {
      outStrides[k] = s;
      s *= sizes[k]!;
    }
    const total = sizes.reduce((a, b) => a * b, 1);
    this.charge(total + s);
    const out = new Float64Array(s);
    if (total === 0) return out;
    if (all.length === 0) {
      let product = 1;
      for (let f = 0; f < nf; f++) product *= values[f]![0]!;
      out[0] = product;
      return out;
    }
    // The inner index: the largest summed one, else the last free one.
    let inner = free.length > 0 ? free.length - 1 : 0;
    for (let k = free.length; k < all.length; k++) if (inner < free.length || sizes[k]! > sizes[inner]!) inner = k;
    const innerSize = sizes[inner]!;
    const innerOut = outStrides[inner]!;
    const innerStride = strides.map((st) => st[inner]!);
    const outer = all.map((_, k) => k).filter((k) => k !== inner);
    const counter = new Array<number>(outer.length).fill(0);
    const offsets = new Array<number>(nf).fill(0);
    let outOffset = 0;
    const [a, b] = [values[0]!, values[1]];
    const [sa, sb] = [innerStride[0]!, innerStride[1] ?? 0];
    for (;;) {
      if (innerOut === 0) {
        // A summed inner index: accumulate locally.
        let acc = 0;
        if (nf === 1) for (let t = 0, oa = offsets[0]!; t < innerSize; t++, oa += sa) acc += a[oa]!;
        else if (nf === 2) for (let t = 0, oa = offsets[0]!, ob = offsets[1]!; t < innerSize; t++, oa += sa, ob += sb) acc += a[oa]! * b![ob]!;
        else {
          for (let t = 0; t < innerSize; t++) {
            let product = 1;
            for (let f = 0; f < nf; f++) product *= values[f]![offsets[f]! + t * innerStride[f]!]!;
            acc += product;
          }
        }
        out[outOffset]! += acc;
      } else {
        for (let t = 0, o = outOffset; t < innerSize; t++, o += innerOut) {
          let product = 1;
          for (let f = 0; f < nf; f++) product *= values[f]![offsets[f]! + t * innerStride[f]!]!;
          out[o]! += product;
        }
      }
      // Advance the odometer over the other indices, updating offsets incrementally.
      let k = outer.length - 1;
      for (; k >= 0; k--) {
        const axis = outer[k]!;
        counter[k]!++;
        outOffset += outStrides[axis]!;
        for (let f = 0; f < nf; f++) offsets[f]! += strides[f]![axis]!;
        if (counter[k]! < sizes[axis]!) break;
        outOffset -= outStrides[axis]! * sizes[axis]!;
        for (let f = 0; f < nf; f++) offsets[f]! -= strides[f]![axis]! * sizes[axis]!;
        counter[k] = 0;
      }
      if (k < 0) return out;
    }
  }

  private matrixFunction(n: MatFnNode): Float64Array {
    const arg = this.arrange(this.value(n.arg), n.arg.free, n.argIdx);
    const dims = n.argIdx.map((i) => this.env.size(i));
    switch (n.fn) {
      case 'inv': {
        const size = dims[0]!;
        const inverse = invert(arg, size);
        if (n.idx[0] === n.idx[1]) {
          // (M⁻¹)_aa: the diagonal, after a delta contraction merged both indices.
          return Float64Array.from({ length: size }, (_, a) => inverse[a * size + a]!);
        }
        // `inverse` is laid out over (idx[0], idx[1]); store it over the sorted free indices.
        return this.arrange(inverse, n.idx, n.free);
      }
      case 'det':
        return Float64Array.of(determinant(arg, dims[0]!));
      case 'logdet': {
        const d = determinant(arg, dims[0]!);
        return Float64Array.of(d > 0 ? Math.log(d) : Number.NaN);
      }
      case 'norm2': {
        let s = 0;
        for (const v of arg) s += v * v;
        return Float64Array.of(Math.sqrt(s));
      }
      case 'norm1': {
        let s = 0;
        for (const v of arg) s += Math.abs(v);
        return Float64Array.of(s);
      }
      case 'logsumexp':
        return Float64Array.of(logSumExp(arg));
      case 'softmax': {
        const lse = logSumExp(arg);
        return arg.map((v) => Math.exp(v - lse));
      }
    }
  }
}

function logSumExp(v: Float64Array): number {
  let max = -Infinity;
  for (const x of v) max = Math.max(max, x);
  if (!Number.isFinite(max)) return max;
  let s = 0;
  for (const x of v) s += Math.exp(x - max);
  return max + Math.log(s);
}

/** LU decomposition with partial pivoting; returns null for a singular matrix. */
function lu(a: Float64Array, n: number): { lu: Float64Array; perm: number[]; sign: number } | null {
  const m = Float64Array.from(a);
  const perm = Array.from({ length: n }, (_, i) => i);
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]!) > Math.abs(m[p * n + k]!)) p = i;
    if (m[p * n + k] === 0) return null;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = m[k * n + j]!;
        m[k * n + j] = m[p * n + j]!;
        m[p * n + j] = t;
      }
      [perm[k], perm[p]] = [perm[p]!, perm[k]!];
      sign = -sign;
    }
    for (let i = k + 1; i < n; i++) {
      const f = m[i * n + k]! / m[k * n + k]!;
      m[i * n + k] = f;
      for (let j = k + 1; j < n; j++) m[i * n + j]! -= f * m[k * n + j]!;
    }
  }
  return { lu: m, perm, sign };
}

export function determinant(a: Float64Array, n: number): number {
  const f = lu(a, n);
  if (!f) return 0;
  let d = f.sign;
  for (let i = 0; i < n; i++) d *= f.lu[i * n + i]!;
  return d;
}

export function invert(a: Float64Array, n: number): Float64Array {
  const f = lu(a, n);
  if (!f) throw new EvaluationError('the matrix is singular at this point');
  const inv = new Float64Array(n * n);
  for (let col = 0; col < n; col++) {
    // Solve L U x = P e_col.
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = f.perm[i] === col ? 1 : 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) x[i]! -= f.lu[i * n + j]! * x[j]!;
    for (let i = n - 1; i >= 0; i--) {
      for (let j = i + 1; j < n; j++) x[i]! -= f.lu[i * n + j]! * x[j]!;
      x[i]! /= f.lu[i * n + i]!;
    }
    for (let i = 0; i < n; i++) inv[i * n + col] = x[i]!;
  }
  return inv;
}
