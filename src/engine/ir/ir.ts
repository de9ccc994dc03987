// Index-notation IR: tensor expressions with named indices (Einstein notation),
// the form in which derivatives are taken (after Laue, Mitterreiter and Giesen,
// "A Simple and Efficient Tensor Calculus", AAAI 2020).
//
// Invariants:
// - Every node knows its free indices (`free`, sorted, unique). A node's value
//   is a tensor over its free indices; axis order is chosen only at the root.
// - `mul` is an einsum: its value at the free indices is the sum, over every
//   other index occurring in its factors, of the product of the factors. A free
//   index that occurs in no factor broadcasts (the product is constant along it).
// - `add` terms all have the node's free indices.
// - Indices bound inside a node (summed in a `mul`, or the argument indices of a
//   matrix function) are scoped to that node. Fresh indices come from a Space,
//   so independently created nodes never share bound names; code that merges
//   nested products renames the inner bound indices first.
// - Nodes are immutable; constructors here perform only local, always-valid
//   normalisations (flattening, constant folding, zero and one elimination).

import type { Dim } from '../shape/shape';
import { sortStrings } from '../sort-strings';

export type Index = string;

export type ElementwiseFn =
  | 'sin' | 'cos' | 'tan' | 'exp' | 'log' | 'sqrt' | 'tanh' | 'sigmoid' | 'relu' | 'softplus' | 'abs'
  | 'sign' | 'step';

export type MatrixFn = 'inv' | 'det' | 'logdet' | 'softmax' | 'logsumexp' | 'norm2' | 'norm1';

export interface TensorNode {
  readonly k: 'tensor';
  readonly name: string;
  /** One entry per axis of the variable: an index, or a fixed 0-based position. */
  readonly idx: readonly (Index | number)[];
  readonly free: readonly Index[];
}

export interface ConstNode {
  readonly k: 'const';
  readonly value: number;
  readonly free: readonly Index[];
}

/** Kronecker delta δ_ab. */
export interface DeltaNode {
  readonly k: 'delta';
  readonly a: Index;
  readonly b: Index;
  readonly free: readonly Index[];
}

/** The unit vector e_at along index i (1 where i = at, else 0). */
export interface OneHotNode {
  readonly k: 'onehot';
  readonly i: Index;
  readonly at: number;
  readonly free: readonly Index[];
}

export interface MulNode {
  readonly k: 'mul';
  readonly factors: readonly Node[];
  readonly free: readonly Index[];
}

export interface AddNode {
  readonly k: 'add';
  readonly terms: readonly Node[];
  readonly free: readonly Index[];
}

export interface FnNode {
  readonly k: 'fn';
  readonly fn: ElementwiseFn;
  readonly arg: Node;
  readonly free: readonly Index[];
}

/** Elementwise constant power. */
export interface PowNode {
  readonly k: 'pow';
  readonly base: Node;
  readonly exp: number;
  readonly free: readonly Index[];
}

/**
 * A function of a whole tensor: `arg` is read as the tensor with axes
 * `argIdx` (bound here); the result has axes `idx`.
 * inv: matrix → matrix; det, logdet: matrix → scalar; softmax: vector → vector;
 * logsumexp: vector → scalar; norm2, norm1: any rank → scalar.
 */
export interface MatFnNode {
  readonly k: 'matfn';
  readonly fn: MatrixFn;
  readonly arg: Node;
  readonly argIdx: readonly Index[];
  readonly idx: readonly Index[];
  readonly free: readonly Index[];
}

export type Node = TensorNode | ConstNode | DeltaNode | OneHotNode | MulNode | AddNode | FnNode | PowNode | MatFnNode;

/** Index sizes, and a source of fresh index names. */
export class Space {
  private readonly dims = new Map<Index, Dim>();
  private counter = 0;

  fresh(dim: Dim): Index {
    const name = `_${++this.counter}`;
    this.dims.set(name, dim);
    return name;
  }

  dim(i: Index): Dim {
    const d = this.dims.get(i);
    if (d === undefined) throw new Error(`unknown index ${i}`);
    return d;
  }

  /** A fresh index with the same size as `i`. */
  like(i: Index): Index {
    return this.fresh(this.dim(i));
  }
}

/** The indices sorted, each once (a list the caller may change later is not kept). */
function sortedUnique(xs: readonly Index[]): readonly Index[] {
  if (xs.length <= 1) return sharedIndexList(xs);
  return ownSortedUnique(xs.slice());
}

/**
 * sortedUnique for a list the caller has just built and hands over. Most index lists arrive sorted
 * and unique (a node's free indices): the list itself then, no Set and sort.
 */
function ownSortedUnique(list: Index[]): readonly Index[] {
  if (list.length <= 1) return sharedIndexList(list);
  for (let k = 1; k < list.length; k++) if (!(list[k - 1]! < list[k]!)) return sortStrings([...new Set(list)]);
  return list;
}

/**
 * One list per index for the free indices of nodes with at most one (most nodes of a derivative
 * are scalars or vectors): a derivation keeps its nodes alive for its whole run, and each list is
 * an object that every young-generation collection copies. Node lists are read-only, so sharing
 * them is safe. Index names repeat between derivations (each Space counts from _1), so the table
 * stays small; it stops growing at SHARED_LISTS_LIMIT all the same.
 */
function sharedIndexList(list: readonly Index[]): readonly Index[] {
  return list.length === 0 ? NO_INDICES : singleIndexList(list[0]!);
}

function singleIndexList(i: Index): readonly Index[] {
  let shared = SHARED_LISTS.get(i);
  if (shared === undefined) {
    shared = [i];
    if (SHARED_LISTS.size < SHARED_LISTS_LIMIT) SHARED_LISTS.set(i, shared);
  }
  return shared;
}

const NO_INDICES: readonly Index[] = [];
const SHARED_LISTS = new Map<Index, readonly Index[]>();
const SHARED_LISTS_LIMIT = 65_536;

export function freeOf(nodes: readonly Node[]): Set<Index> {
  const s = new Set<Index>();
  for (const n of nodes) for (const i of n.free) s.add(i);
  return s;
}

// ── constructors ──────────────────────────────────────────────────────────

export function tensor(name: string, idx: readonly (Index | number)[]): TensorNode {
  const own = idx.slice();
  return { k: 'tensor', name, idx: own, free: freeOfIndices(own) };
}

/**
 * A tensor's free indices. Most tensors are indexed by distinct names in sorted order: their free
 * list is then the index list itself (both are read-only), not a second list (a derivation keeps
 * thousands of tensors alive, and `filter` leaves room for 17 entries in each list it makes).
 */
function freeOfIndices(idx: readonly (Index | number)[]): readonly Index[] {
  for (let k = 0; k < idx.length; k++) {
    const x = idx[k]!;
    if (typeof x !== 'string' || (k > 0 && !((idx[k - 1] as Index) < x))) {
      return ownSortedUnique(idx.filter((y): y is Index => typeof y === 'string'));
    }
  }
  return idx as readonly Index[];
}

export function constant(value: number): ConstNode {
  return { k: 'const', value, free: NO_INDICES };
}

export const ZERO = constant(0);
export const ONE = constant(1);

export function delta(a: Index, b: Index): Node {
  // δ_aa is kept (not folded to 1): under a sum over a it contributes dim(a).
  return { k: 'delta', a, b, free: a < b ? [a, b] : a === b ? singleIndexList(a) : [b, a] };
}

export function onehot(i: Index, at: number): OneHotNode {
  return { k: 'onehot', i, at, free: singleIndexList(i) };
}

export function isZero(n: Node): boolean {
  return n.k === 'const' && n.value === 0;
}

export function isConst(n: Node, value?: number): n is ConstNode {
  return n.k === 'const' && (value === undefined || n.value === value);
}

/** A zero tensor over the given free indices. */
export function zeros(free: readonly Index[]): Node {
  return free.length === 0 ? ZERO : { k: 'mul', factors: [ZERO], free: sortedUnique(free) };
}

/**
 * Product (einsum) with result indices `free`. Folds constant factors, returns
 * a zero over `free` if any factor is zero, and drops the wrapper when one
 * factor already has exactly the result indices and nothing is summed.
 */
export function mul(factors: readonly Node[], free: readonly Index[]): Node {
  const out: Node[] = [];
  let coefficient = 1;
  for (const f of factors) {
    if (f.k === 'const') {
      coefficient *= f.value;
      continue;
    }
    if (f.k === 'mul' && f.factors.length === 1 && f.factors[0]!.k === 'const' && (f.factors[0].value === 0 || f.free.every((i) => free.includes(i)))) {
      // A constant broadcast over result indices folds into the coefficient; over a
      // summed index it must stay (Σ_i c = c·dim(i)).
      coefficient *= (f.factors[0] as ConstNode).value;
      continue;
    }
    out.push(f);
  }
  const target = sortedUnique(free);
  if (coefficient === 0) return zeros(target);
  if (coefficient !== 1) out.unshift(constant(coefficient));
  if (out.length === 0) return target.length === 0 ? ONE : { k: 'mul', factors: [ONE], free: target };
  if (out.length === 1) {
    const only = out[0]!;
    if (sameIndices(only.free, target)) return only;
  }
  // A copy of its exact length: `out` grew by `push`, which leaves room for 17 factors, and the
  // nodes of a derivation stay alive (and are copied by every young-generation collection) for its
  // whole run.
  return { k: 'mul', factors: out.slice(), free: target };
}

export function sameIndices(a: readonly Index[], b: readonly Index[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Sum of terms over the same free indices; drops zeros, flattens nested sums. */
export function add(terms: readonly Node[], free: readonly Index[]): Node {
  const target = sortedUnique(free);
  const out: Node[] = [];
  for (const t of terms) {
    if (isZero(t) || (t.k === 'mul' && t.factors.length === 1 && isZero(t.factors[0]!))) continue;
    if (t.k === 'add') out.push(...t.terms);
    else out.push(t);
  }
  if (out.length === 0) return zeros(target);
  const lifted = out.map((t) => (sameIndices(t.free, target) ? t : mul([t], target)));
  if (lifted.length === 1) return lifted[0]!;
  return { k: 'add', terms: lifted, free: target };
}

export function fn(name: ElementwiseFn, arg: Node): Node {
  if (arg.k === 'const') {
    // Fold only exact results (exp 0 = 1, log 1 = 0, relu 3 = 3): printed
    // derivatives keep log(2) rather than a rounded 0.693147.
    const v = applyElementwise(name, arg.value);
    if (Number.isFinite(v) && Number.isInteger(v)) return constant(v);
  }
  return { k: 'fn', fn: name, arg, free: arg.free };
}

export function pow(base: Node, exp: number): Node {
  if (exp === 1) return base;
  if (exp === 0) return base.free.length === 0 ? ONE : mul([ONE], base.free);
  if (base.k === 'const') return constant(base.value ** exp);
  if (base.k === 'pow') return pow(base.base, base.exp * exp);
  return { k: 'pow', base, exp, free: base.free };
}

export function matfn(name: MatrixFn, arg: Node, argIdx: readonly Index[], idx: readonly Index[]): MatFnNode {
  return { k: 'matfn', fn: name, arg, argIdx: [...argIdx], idx: [...idx], free: sortedUnique(idx) };
}

/** Numeric value of an elementwise function (shared by folding and evaluation). */
export function applyElementwise(name: ElementwiseFn, x: number): number {
  switch (name) {
    case 'sin':
      return Math.sin(x);
    case 'cos':
      return Math.cos(x);
    case 'tan':
      return Math.tan(x);
    case 'exp':
      return Math.exp(x);
    case 'log':
      return Math.log(x);
    case 'sqrt':
      return Math.sqrt(x);
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    case 'relu':
      return x > 0 ? x : 0;
    case 'softplus':
      return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    case 'abs':
      return Math.abs(x);
    case 'sign':
      return Math.sign(x);
    case 'step':
      return x > 0 ? 1 : 0;
  }
}

// ── renaming ──────────────────────────────────────────────────────────────

/**
 * Renames free indices by `map` (indices not in the map stay). Bound indices
 * are left alone: they are scoped to their node and never collide with names
 * from a Space.
 */
export function rename(n: Node, map: ReadonlyMap<Index, Index>, memo?: RenameMemo): Node {
  if (map.size === 0 || !n.free.some((i) => map.has(i))) return n;
  if (memo === undefined || n.k === 'tensor' || n.k === 'delta' || n.k === 'onehot') return renameNode(n, map, memo);
  // The result depends only on how the map renames n's free indices.
  let key = '';
  for (const i of n.free) {
    const to = map.get(i);
    if (to !== undefined) key += `${i}>${to};`;
  }
  let byKey = memo.get(n);
  if (!byKey) memo.set(n, (byKey = new Map()));
  let hit = byKey.get(key);
  if (!hit) byKey.set(key, (hit = renameNode(n, map, memo)));
  return hit;
}

/**
 * Renamed copies by node and by the renaming of its free indices. Passing one
 * memo to every rename of a batch keeps shared sub-expressions shared: renaming
 * each of sin(x), sin(sin(x)), … (the factors of a nested chain's derivative)
 * on its own copied every chain below again, quadratic in its depth.
 */
export type RenameMemo = Map<Node, Map<string, Node>>;

function renameNode(n: Node, map: ReadonlyMap<Index, Index>, memo: RenameMemo | undefined): Node {
  const r = (i: Index): Index => map.get(i) ?? i;
  switch (n.k) {
    case 'tensor':
      return tensor(n.name, n.idx.map((i) => (typeof i === 'string' ? r(i) : i)));
    case 'const':
      return n;
    case 'delta':
      return delta(r(n.a), r(n.b));
    case 'onehot':
      return onehot(r(n.i), n.at);
    case 'mul': {
      // Only free indices are renamed; restrict the map so bound names are untouched (a map that
      // renames only free indices, the usual case, is passed on as it is).
      let inner = map;
      for (const k of map.keys()) {
        if (!n.free.includes(k)) {
          inner = new Map([...map].filter(([k]) => n.free.includes(k)));
          break;
        }
      }
      return { k: 'mul', factors: n.factors.map((f) => rename(f, inner, memo)), free: ownSortedUnique(n.free.map(r)) };
    }
    case 'add':
      return { k: 'add', terms: n.terms.map((t) => rename(t, map, memo)), free: ownSortedUnique(n.free.map(r)) };
    case 'fn':
      return { k: 'fn', fn: n.fn, arg: rename(n.arg, map, memo), free: ownSortedUnique(n.free.map(r)) };
    case 'pow':
      return { k: 'pow', base: rename(n.base, map, memo), exp: n.exp, free: ownSortedUnique(n.free.map(r)) };
    case 'matfn':
      return matfn(n.fn, n.arg, n.argIdx, n.idx.map(r));
  }
}

/** Indices bound (summed) directly by a product. */
export function summedIndices(n: MulNode): Index[] {
  if (n.factors.length > 8) {
    const free = new Set(n.free);
    return sortStrings([...freeOf(n.factors)].filter((i) => !free.has(i)));
  }
  // A few factors (nearly every product): plain lists beat building Sets.
  const out: Index[] = [];
  for (const f of n.factors) for (const i of f.free) if (!n.free.includes(i) && !out.includes(i)) out.push(i);
  return sortStrings(out);
}

/** The direct sub-expressions of a node. */
export function childrenOf(n: Node): readonly Node[] {
  switch (n.k) {
    case 'mul':
      return n.factors;
    case 'add':
      return n.terms;
    case 'fn':
    case 'matfn':
      return [n.arg];
    case 'pow':
      return [n.base];
    default:
      return [];
  }
}

/** Counts nodes (with sharing counted once) — the measure the node budget uses. */
export function nodeCount(root: Node): number {
  const seen = new Set<Node>();
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    switch (n.k) {
      case 'mul':
        stack.push(...n.factors);
        break;
      case 'add':
        stack.push(...n.terms);
        break;
      case 'fn':
        stack.push(n.arg);
        break;
      case 'pow':
        stack.push(n.base);
        break;
      case 'matfn':
        stack.push(n.arg);
        break;
      default:
        break;
    }
  }
  return seen.size;
}
