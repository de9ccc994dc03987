// Matrix expressions: the notation people write (A x, xᵀ(A + Aᵀ), σ(z) ⊙ …),
// as a small tree with orientation, and its construction from index notation.
//
// `fromIndex(node, row, col)` finds a matrix expression M with
// M[row, col] = node (a column vector when only `row` is given, a row vector
// when only `col` is given, a scalar when neither). It returns null when no
// matrix form exists (rank ≥ 3 tensors, index patterns without a product
// form); callers then show index notation only.
//
// Invariants: construction only uses identities that hold entry by entry
// (transpose, products over one summed index, diag for a vector shared by a
// product, ⊙ for equal index sets); tests evaluate both forms numerically.
//
// Derivatives are DAGs, so everything here is memoised per node (IR nodes in
// a MatrixBuilder; orientation, keys, transposes and contents per MExpr
// object, in tables that each new MatrixBuilder starts afresh): the work stays
// linear in the number of distinct nodes. Named sub-expressions
// (print/sharing.ts) become `ref`s, printed by name.

import { summedIndices, type Index, type Node } from '../ir/ir';

export type Orientation = 'scalar' | 'col' | 'row' | 'matrix';

export type MExpr =
  | { readonly t: 'var'; readonly name: string; readonly o: Orientation }
  | { readonly t: 'elem'; readonly name: string; readonly pos: readonly number[] }
  | { readonly t: 'num'; readonly value: number }
  | { readonly t: 'eye' }
  | { readonly t: 'ones'; readonly o: 'col' | 'row' }
  | { readonly t: 'unit'; readonly at: number; readonly o: 'col' | 'row' }
  | { readonly t: 'T'; readonly e: MExpr }
  | { readonly t: 'mm'; readonly a: MExpr; readonly b: MExpr }
  | { readonly t: 'had'; readonly a: MExpr; readonly b: MExpr }
  | { readonly t: 'add'; readonly terms: readonly MExpr[] }
  | { readonly t: 'scale'; readonly c: MExpr; readonly e: MExpr }
  | { readonly t: 'fn'; readonly fn: string; readonly e: MExpr }
  | { readonly t: 'pow'; readonly e: MExpr; readonly p: number }
  | { readonly t: 'inv'; readonly e: MExpr }
  | { readonly t: 'diag'; readonly e: MExpr }
  | { readonly t: 'scalarfn'; readonly fn: string; readonly e: MExpr }
  | { readonly t: 'softmax'; readonly e: MExpr }
  /** A named sub-expression: printed as its name; `def` is what it stands for. */
  | { readonly t: 'ref'; readonly name: string; readonly latex: string; readonly o: Orientation; readonly def: MExpr };

/**
 * Memo tables for the expressions of one computation (a MatrixBuilder, then
 * the printing of what it built). Plain Maps, replaced when the next builder
 * starts: WeakMaps kept every presentation's entries until a collection, and
 * their lookups cost more than small results' whole construction.
 */
interface Memo {
  readonly orientation: Map<MExpr, Orientation>;
  readonly transpose: Map<MExpr, MExpr>;
  readonly kinds: Map<MExpr, number>;
  /** Structural keys: an id per object, and ids interned by the structure built from children's ids. */
  readonly key: Map<MExpr, string>;
  readonly interned: Map<string, string>;
}

let memo: Memo = freshMemo();

/**
 * Ends the current computation: its memo tables (and through their keys every expression it built)
 * are let go now rather than when the next builder starts. Held until then, they lived through the
 * next derivation, whose young-generation collections copied them.
 */
export function endMatrixComputation(): void {
  memo = freshMemo();
}

function freshMemo(): Memo {
  return { orientation: new Map(), transpose: new Map(), kinds: new Map(), key: new Map(), interned: new Map() };
}

/** Orientation of an expression (memoised: constructors ask at every level). */
export function orientation(e: MExpr): Orientation {
  if (e.t === 'var' || e.t === 'ref') return e.o;
  let o = memo.orientation.get(e);
  if (o === undefined) memo.orientation.set(e, (o = orientationOf(e)));
  return o;
}

function orientationOf(e: MExpr): Orientation {
  switch (e.t) {
    case 'var':
    case 'ref':
      return e.o;
    case 'elem':
    case 'num':
    case 'scalarfn':
      return 'scalar';
    case 'eye':
      return 'matrix';
    case 'diag':
      // diag(v) of a vector is a matrix; diag(X) of a matrix is its diagonal, a column.
      return orientation(e.e) === 'matrix' ? 'col' : 'matrix';
    case 'ones':
    case 'unit':
      return e.o;
    case 'T': {
      const o = orientation(e.e);
      return o === 'col' ? 'row' : o === 'row' ? 'col' : o;
    }
    case 'mm': {
      const a = orientation(e.a);
      const b = orientation(e.b);
      if (a === 'row' && b === 'col') return 'scalar';
      if (a === 'col' && b === 'row') return 'matrix';
      if (a === 'matrix' && b === 'col') return 'col';
      if (a === 'row' && b === 'matrix') return 'row';
      if (a === 'scalar') return b;
      if (b === 'scalar') return a;
      return 'matrix';
    }
    case 'had':
      return orientation(e.a) === 'scalar' ? orientation(e.b) : orientation(e.a);
    case 'add':
      return e.terms.map(orientation).find((o) => o !== 'scalar') ?? 'scalar';
    case 'scale':
      return orientation(e.e);
    case 'fn':
    case 'pow':
    case 'inv':
    case 'softmax':
      return orientation(e.e);
  }
}

// ── constructors with local simplifications ───────────────────────────────

/** Eᵀ (memoised, so transposing a shared expression twice gives the same object). */
export function transpose(e: MExpr): MExpr {
  // Leaves are cheaper to transpose than to look up.
  if (e.t === 'var' || e.t === 'ref' || e.t === 'num' || e.t === 'eye' || e.t === 'ones' || e.t === 'unit' || e.t === 'elem') return transposeOf(e);
  let t = memo.transpose.get(e);
  if (!t) memo.transpose.set(e, (t = transposeOf(e)));
  return t;
}

function transposeOf(e: MExpr): MExpr {
  switch (e.t) {
    case 'T':
      return e.e;
    case 'num':
    case 'elem':
    case 'scalarfn':
    case 'eye':
      return e;
    case 'diag':
      return orientation(e) === 'col' ? { t: 'T', e } : e;
    case 'ones':
      return { t: 'ones', o: e.o === 'col' ? 'row' : 'col' };
    case 'unit':
      return { t: 'unit', at: e.at, o: e.o === 'col' ? 'row' : 'col' };
    case 'var':
    case 'ref':
      return e.o === 'scalar' ? e : { t: 'T', e };
    case 'mm':
      return mm(transpose(e.b), transpose(e.a));
    case 'add': {
      // Not re-sorted here (plain terms first): withSymmetry rebuilds it, and the golden forms follow that order.
      const out: MExpr = { t: 'add', terms: e.terms.map(transpose) };
      unsorted.add(out);
      return out;
    }
    case 'scale':
      return scale(e.c, transpose(e.e));
    case 'had':
    case 'fn':
    case 'pow':
    case 'softmax':
    case 'inv':
      // σ(Wx)ᵀ reads better than σ(xᵀWᵀ): keep the transpose outside.
      return { t: 'T', e };
  }
}

/**
 * The inverse of `e`: (X⁻¹)⁻¹ is X and (X⁻ᵀ)⁻¹ is Xᵀ (the inner inverse exists, so these are
 * equalities; derivatives through an inverse, such as ∂det(X⁻¹)/∂X, produce them).
 */
function inverse(e: MExpr): MExpr {
  if (e.t === 'inv') return e.e;
  if (e.t === 'T' && e.e.t === 'inv') return transpose(e.e.e);
  return { t: 'inv', e };
}

export function mm(a: MExpr, b: MExpr): MExpr {
  if (a.t === 'eye') return b;
  if (b.t === 'eye') return a;
  if (a.t === 'num' && a.value === 1) return b;
  if (b.t === 'num' && b.value === 1) return a;
  if (orientation(a) === 'scalar') return scale(a, b);
  if (orientation(b) === 'scalar') return scale(b, a);
  // Numeric coefficients move to the front: xᵀ(2S) is 2 xᵀS.
  if (a.t === 'scale' && a.c.t === 'num') return scale(a.c, mm(a.e, b));
  if (b.t === 'scale' && b.c.t === 'num') return scale(b.c, mm(a, b.e));
  const cancelled = cancelInverse(a, b);
  if (cancelled) return cancelled;
  return { t: 'mm', a, b };
}

/** The last factor of a product (the expression itself when it is no product). */
function lastFactor(e: MExpr): MExpr {
  while (e.t === 'mm') e = e.b;
  return e;
}

function firstFactor(e: MExpr): MExpr {
  while (e.t === 'mm') e = e.a;
  return e;
}

/** The product without its last factor (null when it was the only one). */
function withoutLast(e: MExpr): MExpr | null {
  if (e.t !== 'mm') return null;
  const rest = withoutLast(e.b);
  return rest ? mm(e.a, rest) : e.a;
}

function withoutFirst(e: MExpr): MExpr | null {
  if (e.t !== 'mm') return null;
  const rest = withoutFirst(e.a);
  return rest ? mm(rest, e.b) : e.b;
}

/** Whether x y is the identity: Y⁻¹ Y, Y Y⁻¹, or their transposes. */
function inverses(x: MExpr, y: MExpr): boolean {
  if (x.t === 'inv' && exprKey(x.e) === exprKey(y)) return true;
  if (y.t === 'inv' && exprKey(y.e) === exprKey(x)) return true;
  return x.t === 'T' && y.t === 'T' && inverses(y.e, x.e);
}

/**
 * a b with a factor and its inverse meeting at the seam removed (Y⁻¹ exists
 * in the result, so Y is invertible and Y⁻¹ Y = I), or null. ∂det(X⁻¹)/∂X
 * printed X⁻¹ X X⁻¹ without this.
 */
function cancelInverse(a: MExpr, b: MExpr): MExpr | null {
  if (!inverses(lastFactor(a), firstFactor(b))) return null;
  const left = withoutLast(a);
  const right = withoutFirst(b);
  if (left && right) return mm(left, right);
  return left ?? right ?? { t: 'eye' };
}

export function scale(c: MExpr, e: MExpr): MExpr {
  if (c.t === 'num' && c.value === 1) return e;
  if (e.t === 'num' && e.value === 1) return c;
  // Numbers lead: c·(−1) is −c.
  if (e.t === 'num' && c.t !== 'num') return scale(e, c);
  if (e.t === 'num' && c.t === 'num') return { t: 'num', value: c.value * e.value };
  if (e.t === 'scale' && c.t === 'num' && e.c.t === 'num') return scale({ t: 'num', value: c.value * e.c.value }, e.e);
  if (orientation(e) === 'scalar' && orientation(c) !== 'scalar') return scale(e, c);
  return { t: 'scale', c, e };
}

export function had(a: MExpr, b: MExpr): MExpr {
  if (orientation(a) === 'scalar' || orientation(b) === 'scalar') return mm(a, b);
  if (a.t === 'ones') return b;
  if (b.t === 'ones') return a;
  return { t: 'had', a, b };
}

/** Sums made by transposing a sum, whose terms addTerms has not ordered (see withSymmetry). */
const unsorted = new WeakSet<MExpr>();

/**
 * Replaces Sᵀ by S for symmetric variables, so like terms can meet, and
 * rebuilds transposed sums with addTerms. `memo` (one per set of symmetric
 * names) keeps shared sub-expressions shared. Without symmetric names, an
 * expression without transposed sums is returned as it is: the constructors
 * would rebuild it unchanged.
 */
export function withSymmetry(e: MExpr, symmetric: ReadonlySet<string>, memo = new Map<MExpr, MExpr>()): MExpr {
  if (symmetric.size === 0 && !contains(e, UNSORTED)) return e;
  let out = memo.get(e);
  if (!out) memo.set(e, (out = symmetryOf(e, symmetric, memo)));
  return out;
}

function symmetryOf(e: MExpr, symmetric: ReadonlySet<string>, memo: Map<MExpr, MExpr>): MExpr {
  const r = (x: MExpr): MExpr => withSymmetry(x, symmetric, memo);
  switch (e.t) {
    case 'T':
      return e.e.t === 'var' && symmetric.has(e.e.name) ? e.e : transpose(r(e.e));
    case 'mm':
      return mm(r(e.a), r(e.b));
    case 'had':
      return had(r(e.a), r(e.b));
    case 'add':
      return addTerms(e.terms.map(r));
    case 'scale':
      return scale(r(e.c), r(e.e));
    case 'fn':
      return { t: 'fn', fn: e.fn, e: r(e.e) };
    case 'pow':
      return { t: 'pow', e: r(e.e), p: e.p };
    case 'inv':
      return { t: 'inv', e: r(e.e) };
    case 'diag':
      return { t: 'diag', e: r(e.e) };
    case 'softmax':
      return { t: 'softmax', e: r(e.e) };
    case 'scalarfn':
      return { t: 'scalarfn', fn: e.fn, e: r(e.e) };
    default:
      return e;
  }
}

/** Splits c·E into (c, E) for a numeric c. */
function coefficientOf(e: MExpr): { c: number; rest: MExpr } {
  if (e.t === 'scale' && e.c.t === 'num') return { c: e.c.value, rest: e.e };
  if (e.t === 'num') return { c: e.value, rest: { t: 'num', value: 1 } };
  return { c: 1, rest: e };
}

/** Sum of terms: collects like terms (S + S = 2S), puts plain terms before transposed ones, and factors a common right (or left) matrix factor: A x + B x = (A + B) x. */
export function addTerms(terms: MExpr[]): MExpr {
  const key = exprKey;
  const collected = new Map<string, { rest: MExpr; c: number }>();
  for (const t of terms.flatMap((t) => (t.t === 'add' ? [...t.terms] : [t]))) {
    const { c, rest } = coefficientOf(t);
    const hit = collected.get(key(rest));
    if (hit) hit.c += c;
    else collected.set(key(rest), { rest, c });
  }
  const flat = [...collected.values()].filter((x) => x.c !== 0).map((x) => (x.c === 1 ? x.rest : scale({ t: 'num', value: x.c }, x.rest)));
  if (flat.length === 0) return { t: 'num', value: 0 };
  if (flat.length === 1) return flat[0]!;
  flat.sort((a, b) => Number(a.t === 'T') - Number(b.t === 'T'));
  // A ones vector carries no size, so two of them may differ: never factor one out.
  const factorable = (e: MExpr | null) => e !== null && !contains(e, 'ones');
  const right = flat.map((t) => (t.t === 'mm' ? t.b : null));
  if (right.every((r) => factorable(r)) && right.every((r) => key(r!) === key(right[0]!))) {
    return mm(addTerms(flat.map((t) => (t as { a: MExpr }).a)), right[0]!);
  }
  const left = flat.map((t) => (t.t === 'mm' ? t.a : null));
  if (left.every((l) => factorable(l)) && left.every((l) => key(l!) === key(left[0]!))) {
    return mm(left[0]!, addTerms(flat.map((t) => (t as { b: MExpr }).b)));
  }
  return { t: 'add', terms: flat };
}

// ── structural keys and contents ──────────────────────────────────────────

/**
 * Interned structural keys: equal for structurally equal expressions (a ref
 * is its name). A key is a short id for a string of its children's ids, so
 * keys stay short however large the expression; ids live in the current memo
 * (keys are only compared within one computation).
 */
export function exprKey(e: MExpr): string {
  const hit = memo.key.get(e);
  if (hit !== undefined) return hit;
  const structure = keyStructure(e);
  let id = memo.interned.get(structure);
  if (id === undefined) memo.interned.set(structure, (id = memo.interned.size.toString(36)));
  memo.key.set(e, id);
  return id;
}

function keyStructure(e: MExpr): string {
  switch (e.t) {
    case 'var':
      return `v${e.o}|${e.name}`;
    case 'ref':
      return `r|${e.name}`;
    case 'elem':
      return `e${e.pos.join(',')}|${e.name}`;
    case 'num':
      return `n${e.value}`;
    case 'eye':
      return 'I';
    case 'ones':
      return `1${e.o}`;
    case 'unit':
      return `u${e.at}${e.o}`;
    case 'T':
    case 'inv':
    case 'diag':
    case 'softmax':
      return `${e.t}(${exprKey(e.e)})`;
    case 'fn':
    case 'scalarfn':
      return `${e.t}${e.fn}(${exprKey(e.e)})`;
    case 'pow':
      return `pow${e.p}(${exprKey(e.e)})`;
    case 'mm':
    case 'had':
      return `${e.t}(${exprKey(e.a)},${exprKey(e.b)})`;
    case 'scale':
      return `scale(${exprKey(e.c)},${exprKey(e.e)})`;
    case 'add':
      return `add(${e.terms.map(exprKey).join(',')})`;
  }
}

/** One bit per kind of expression, for `contains`. */
const KIND_BITS: Readonly<Record<MExpr['t'] | typeof UNSORTED, number>> = {
  var: 1 << 0, elem: 1 << 1, num: 1 << 2, eye: 1 << 3, ones: 1 << 4, unit: 1 << 5, T: 1 << 6, mm: 1 << 7, had: 1 << 8,
  add: 1 << 9, scale: 1 << 10, fn: 1 << 11, pow: 1 << 12, inv: 1 << 13, diag: 1 << 14, scalarfn: 1 << 15, softmax: 1 << 16, ref: 1 << 17,
  unsorted: 1 << 18,
};

/** A pseudo-kind for `contains`: a sum made by transposing a sum. */
const UNSORTED = 'unsorted';

/** Whether `e` contains a node of kind `t` (looking through refs to what they stand for). */
export function contains(e: MExpr, t: MExpr['t'] | typeof UNSORTED): boolean {
  return (kindsIn(e) & KIND_BITS[t]) !== 0;
}

/** The kinds in `e`, as bits (memoised: expressions share sub-expressions). */
function kindsIn(e: MExpr): number {
  if (e.t === 'var' || e.t === 'num' || e.t === 'eye' || e.t === 'ones' || e.t === 'unit' || e.t === 'elem') return KIND_BITS[e.t];
  const hit = memo.kinds.get(e);
  if (hit !== undefined) return hit;
  let kinds = KIND_BITS[e.t] | (unsorted.has(e) ? KIND_BITS.unsorted : 0);
  switch (e.t) {
    case 'ref':
      kinds |= kindsIn(e.def);
      break;
    case 'T':
    case 'inv':
    case 'diag':
    case 'softmax':
    case 'fn':
    case 'scalarfn':
    case 'pow':
      kinds |= kindsIn(e.e);
      break;
    case 'mm':
    case 'had':
      kinds |= kindsIn(e.a) | kindsIn(e.b);
      break;
    case 'scale':
      kinds |= kindsIn(e.c) | kindsIn(e.e);
      break;
    case 'add':
      for (const t of e.terms) kinds |= kindsIn(t);
      break;
    default:
      break;
  }
  memo.kinds.set(e, kinds);
  return kinds;
}

// ── from index notation ───────────────────────────────────────────────────

/** A partial product: `e[a, b]` (matrix), `e[a]` (column vector) or a scalar. */
interface Item {
  readonly e: MExpr;
  readonly idx: readonly Index[];
}

const SCALAR_FNS = new Set(['det', 'logdet', 'norm2', 'norm1', 'logsumexp']);

export function fromIndex(node: Node, row: Index | null, col: Index | null): MExpr | null {
  return new MatrixBuilder().of(node, row, col);
}

/** A name for IR nodes: Unicode and LaTeX spellings, and the node whose value it names. */
export interface RefName {
  readonly name: string;
  readonly latex: string;
  /** The representative: every node with this name is it with its indices renamed. */
  readonly of: Node;
  /** The indices of `member` that stand for `indices` of the representative. */
  readonly indices: (member: Node, indices: readonly Index[]) => Index[];
}

/**
 * Builds matrix expressions from IR, once per node (a derivative is a DAG and
 * its matrix form must not be written out as a tree). Nodes in `names` become
 * refs: `definition` gives what each name stands for.
 */
export class MatrixBuilder {
  private readonly items = new Map<Node, Item | null>();
  private readonly refs = new Map<Node, Item | null>();

  constructor(private readonly names: ReadonlyMap<Node, RefName> = new Map()) {
    memo = freshMemo();
  }

  /** A matrix expression M with M[row, col] = node, or null when there is none. */
  of(node: Node, row: Index | null, col: Index | null): MExpr | null {
    const target = [row, col].filter((x): x is Index => x !== null);
    if (node.free.some((i) => !target.includes(i))) return null;
    const item = this.toItem(node);
    if (!item) return null;
    return orient(item, row, col);
  }

  /**
   * What the name of `representative` stands for and its axes (rows, then
   * columns), if the matrix form refers to it; null otherwise.
   */
  definition(representative: Node): { readonly e: MExpr; readonly axes: readonly Index[] } | null {
    const ref = this.refs.get(representative);
    return ref ? { e: this.items.get(representative)!.e, axes: ref.idx } : null;
  }

  private toItem(n: Node): Item | null {
    const name = this.names.get(n);
    const ref = name ? this.refTo(name) : null;
    if (!ref) return this.itemMemo(n);
    // A member of the group may index the value by other names (name.indices renames them).
    return n === name!.of ? ref : { e: ref.e, idx: name!.indices(n, ref.idx) };
  }

  private itemMemo(n: Node): Item | null {
    let item = this.items.get(n);
    if (item === undefined) this.items.set(n, (item = this.itemOf(n)));
    return item;
  }

  private refTo(name: RefName): Item | null {
    let ref = this.refs.get(name.of);
    if (ref !== undefined) return ref;
    const item = this.itemMemo(name.of);
    // A node whose item drops a free index (a broadcast) is not a matrix over
    // all its indices: it is written out rather than named.
    ref = item && item.idx.length === name.of.free.length ? { e: { t: 'ref', name: name.name, latex: name.latex, o: orientation(item.e), def: item.e }, idx: item.idx } : null;
    this.refs.set(name.of, ref);
    return ref;
  }

  private itemOf(n: Node): Item | null {
    switch (n.k) {
      case 'const':
        return { e: { t: 'num', value: n.value }, idx: [] };
      case 'tensor': {
        if (n.idx.every((x) => typeof x === 'number')) {
          return n.idx.length === 0 ? { e: { t: 'var', name: n.name, o: 'scalar' }, idx: [] } : { e: { t: 'elem', name: n.name, pos: n.idx as number[] }, idx: [] };
        }
        if (n.idx.length === 1) return { e: { t: 'var', name: n.name, o: 'col' }, idx: [n.idx[0] as Index] };
        if (n.idx.length === 2) {
          const [a, b] = n.idx;
          if (typeof a === 'string' && typeof b === 'string') {
            if (a === b) return { e: { t: 'diag', e: { t: 'var', name: n.name, o: 'matrix' } }, idx: [a] };
            return { e: { t: 'var', name: n.name, o: 'matrix' }, idx: [a, b] };
          }
        }
        return null;
      }
      case 'delta':
        return n.a === n.b ? { e: { t: 'ones', o: 'col' }, idx: [n.a] } : { e: { t: 'eye' }, idx: [n.a, n.b] };
      case 'onehot':
        return { e: { t: 'unit', at: n.at, o: 'col' }, idx: [n.i] };
      case 'add': {
        const order = n.free.length === 2 ? [n.free[0]!, n.free[1]!] : [...n.free];
        const terms: MExpr[] = [];
        for (const t of n.terms) {
          const m = this.of(t, order[0] ?? null, order[1] ?? null);
          if (!m) return null;
          terms.push(m);
        }
        return { e: addTerms(terms), idx: order };
      }
      case 'fn': {
        const inner = this.toItem(n.arg);
        if (!inner) return null;
        return { e: { t: 'fn', fn: n.fn, e: inner.e }, idx: inner.idx };
      }
      case 'pow': {
        const inner = this.toItem(n.base);
        if (!inner) return null;
        return { e: { t: 'pow', e: inner.e, p: n.exp }, idx: inner.idx };
      }
      case 'matfn': {
        const arg = this.of(n.arg, n.argIdx[0] ?? null, n.argIdx[1] ?? null);
        if (!arg) return null;
        // softmax(0 𝟙) depends on the size of 𝟙, which matrix notation does not say:
        // leave such results to index notation.
        if (contains(arg, 'ones')) return null;
        if (SCALAR_FNS.has(n.fn)) return { e: { t: 'scalarfn', fn: n.fn, e: arg }, idx: [] };
        if (n.fn === 'softmax') return { e: { t: 'softmax', e: arg }, idx: [...n.idx] };
        if (n.fn === 'inv') {
          if (n.idx[0] === n.idx[1]) return { e: { t: 'diag', e: inverse(arg) }, idx: [n.idx[0]!] };
          return { e: inverse(arg), idx: [...n.idx] };
        }
        return null;
      }
      case 'mul':
        return product(n.factors, n.free, summedIndices(n), (f) => this.toItem(f));
    }
  }
}

/** Orients an item to the target: rows by `row`, columns by `col`; broadcasts missing indices with ones. */
function orient(item: Item, row: Index | null, col: Index | null): MExpr | null {
  const { e, idx } = item;
  if (idx.length === 0) {
    if (row && col) return mm(mm({ t: 'ones', o: 'col' }, e), { t: 'ones', o: 'row' });
    if (row) return scale(e, { t: 'ones', o: 'col' });
    if (col) return scale(e, { t: 'ones', o: 'row' });
    return e;
  }
  if (idx.length === 1) {
    const [a] = idx as [Index];
    if (row === a && col === null) return e;
    if (col === a && row === null) return transpose(e);
    if (row === a && col) return mm(e, { t: 'ones', o: 'row' });
    if (col === a && row) return mm({ t: 'ones', o: 'col' }, transpose(e));
    return null;
  }
  const [a, b] = idx as [Index, Index];
  if (row === a && col === b) return e;
  if (row === b && col === a) return transpose(e);
  return null;
}

/** Greedy contraction of a product into matrix operations. */
function product(factors: readonly Node[], free: readonly Index[], summed: readonly Index[], toItem: (n: Node) => Item | null): Item | null {
  let coefficient: MExpr | null = null;
  // A product never holds more items than it has factors (each step takes one or two and gives back one at most).
  const items: ProductItems = factors.length <= SMALL_PRODUCT ? new FewItems() : new Items();
  for (const f of factors) {
    const it = toItem(f);
    if (!it || it.idx.length > 2) return null;
    if (it.idx.length === 0) coefficient = coefficient ? mm(coefficient, it.e) : it.e;
    // A copy: items are removed by identity, and a memoised item may occur twice.
    else items.add({ ...it });
  }
  // (Plain calls rather than closures over this call: every product of a result comes here.)
  for (let guard = 0; guard < 200 && items.size > 0; guard++) {
    // (1) Equal index sets: elementwise product (or a dot product that closes a sum).
    const pair = items.equalPair();
    if (pair) {
      const [p, q] = pair;
      if (p.idx.length === 1 && summed.includes(p.idx[0]!) && items.count(p.idx[0]!) === 2) {
        const dot = mm(transpose(p.e), q.e);
        coefficient = coefficient ? mm(coefficient, dot) : dot;
        items.remove(p, q);
      } else {
        const qe = p.idx.length === 2 ? lead(q, p.idx[0]!) : q.e;
        items.remove(p, q);
        items.add({ e: had(p.e, qe), idx: p.idx });
      }
      continue;
    }
    // (2) A summed index used by exactly two items: a matrix product.
    const s = usedBy(summed, items, 2);
    if (s !== undefined) {
      const [p, q] = items.users(s) as [Item, Item];
      const pOther = p.idx.find((i) => i !== s) ?? null;
      const qOther = q.idx.find((i) => i !== s) ?? null;
      const left = p.idx.length === 1 ? transpose(p.e) : transpose(lead(p, s)); // row-ish: (pOther, s)
      const right = q.idx.length === 1 ? q.e : lead(q, s); // (s, qOther)
      let e: MExpr;
      let idx: Index[];
      if (pOther === null && qOther === null) {
        e = mm(left, right);
        idx = [];
      } else if (pOther === null) {
        // pᵀ Q is a row over qOther; store as a column: Qᵀ p.
        e = transpose(mm(left, right));
        idx = [qOther!];
      } else if (qOther === null) {
        e = mm(left, right);
        idx = [pOther];
      } else {
        e = mm(left, right);
        idx = [pOther, qOther];
      }
      items.remove(p, q);
      if (idx.length === 0) coefficient = coefficient ? mm(coefficient, e) : e;
      else items.add({ e, idx });
      continue;
    }
    // (3) A vector sharing its index with a matrix item: absorb it as diag(v).
    let absorbed = false;
    for (const v of items.inOrder()) {
      if (v.idx.length !== 1) continue;
      const a = v.idx[0]!;
      const m = items.users(a).find((it) => it !== v && it.idx.length === 2);
      if (!m) continue;
      const other = m.idx.find((i) => i !== a)!;
      const e = mm({ t: 'diag', e: v.e }, lead(m, a));
      items.remove(v, m);
      items.add({ e, idx: [a, other] });
      absorbed = true;
      break;
    }
    if (absorbed) continue;
    // (4) A summed index used once: sum it out with a ones vector.
    const once = usedBy(summed, items, 1);
    if (once !== undefined) {
      const p = items.users(once)[0]!;
      const other = p.idx.find((i) => i !== once) ?? null;
      const ones: MExpr = { t: 'ones', o: 'col' };
      const e = other === null ? mm({ t: 'ones', o: 'row' }, p.e) : mm(lead(p, other), ones);
      items.remove(p);
      if (other === null) coefficient = coefficient ? mm(coefficient, e) : e;
      else items.add({ e, idx: [other] });
      continue;
    }
    // (5) Two vectors on different free indices: an outer product.
    const all = [...items.inOrder()];
    if (all.length === 2 && all.every((it) => it.idx.length === 1) && free.length === 2) {
      const [p, q] = all as [Item, Item];
      items.remove(p, q);
      items.add({ e: mm(p.e, transpose(q.e)), idx: [p.idx[0]!, q.idx[0]!] });
      continue;
    }
    break;
  }
  if (items.size > 1) return null;
  const rest = [...items.inOrder()][0];
  if (!rest) return { e: coefficient ?? { t: 'num', value: 1 }, idx: [] };
  if (rest.idx.some((i) => summed.includes(i))) return null;
  return { e: coefficient ? scale(coefficient, rest.e) : rest.e, idx: rest.idx };
}

/** Puts index `a` first (rows) in a 2-index item. */
function lead(it: Item, a: Index): MExpr {
  return it.idx[0] === a ? it.e : transpose(it.e);
}

/** The first of `summed` that exactly `count` items use. */
function usedBy(summed: readonly Index[], items: ProductItems, count: number): Index | undefined {
  for (const i of summed) if (items.count(i) === count) return i;
  return undefined;
}

/** The items of a product being contracted, in order (new items last). */
interface ProductItems {
  readonly size: number;
  inOrder(): Iterable<Item>;
  /** The items that use index `i`, in order. */
  users(i: Index): readonly Item[];
  /** How many items use index `i`. */
  count(i: Index): number;
  add(it: Item): void;
  remove(...its: Item[]): void;
  /** The first pair (earliest first item, then earliest second) with equal index sets. */
  equalPair(): [Item, Item] | null;
}

/** Most products have two or three factors: FewItems scans a list for them. */
const SMALL_PRODUCT = 8;

/**
 * The items of a small product in a plain list, every question answered by a
 * scan: cheaper than Items' four tables for a few items (the terms of a long
 * sum are each such a product). Answers exactly as Items does.
 */
class FewItems implements ProductItems {
  private readonly list: Item[] = [];
  /** An item repeats an index ([a, a]): equal sets are then found by the plain scan (as in Items). */
  private repeated = false;

  get size(): number {
    return this.list.length;
  }

  inOrder(): Iterable<Item> {
    return this.list;
  }

  users(i: Index): readonly Item[] {
    return this.list.filter((it) => it.idx.includes(i));
  }

  count(i: Index): number {
    let n = 0;
    for (const it of this.list) if (it.idx.includes(i)) n++;
    return n;
  }

  add(it: Item): void {
    if (repeatsIndex(it)) this.repeated = true;
    this.list.push(it);
  }

  remove(...its: Item[]): void {
    for (const it of its) this.list.splice(this.list.indexOf(it), 1);
  }

  equalPair(): [Item, Item] | null {
    const list = this.list;
    if (this.repeated) return scanPair(list);
    for (let x = 0; x < list.length; x++) {
      const key = setKey(list[x]!);
      for (let y = x + 1; y < list.length; y++) if (setKey(list[y]!) === key) return [list[x]!, list[y]!];
    }
    return null;
  }
}

/**
 * The items of a product being contracted, in order (new items last), with
 * the items using each index and the items with each index set kept up to
 * date. A network's derivative is one product of hundreds of factors:
 * rescanning every item for every index and pair at every step was cubic.
 */
class Items implements ProductItems {
  private readonly order = new Set<Item>();
  private readonly byIndex = new Map<Index, Item[]>();
  private readonly bySet = new Map<string, Item[]>();
  /** Index sets held by two or more items. */
  private readonly shared = new Set<string>();
  /** An item repeats an index ([a, a]): equal sets are then found by the plain scan. */
  private repeated = false;

  get size(): number {
    return this.order.size;
  }

  inOrder(): Iterable<Item> {
    return this.order;
  }

  users(i: Index): readonly Item[] {
    return this.byIndex.get(i) ?? [];
  }

  count(i: Index): number {
    return this.byIndex.get(i)?.length ?? 0;
  }

  add(it: Item): void {
    this.order.add(it);
    const twice = repeatsIndex(it);
    if (twice) this.repeated = true;
    for (const i of twice ? [it.idx[0]!] : it.idx) push(this.byIndex, i, it);
    const key = setKey(it);
    if (push(this.bySet, key, it) >= 2) this.shared.add(key);
  }

  remove(...its: Item[]): void {
    for (const it of its) {
      this.order.delete(it);
      for (const i of repeatsIndex(it) ? [it.idx[0]!] : it.idx) pull(this.byIndex, i, it);
      const key = setKey(it);
      if (pull(this.bySet, key, it) < 2) this.shared.delete(key);
    }
  }

  equalPair(): [Item, Item] | null {
    if (this.repeated) return scanPair([...this.order]);
    if (this.shared.size === 0) return null;
    // The earliest item of any shared set is the first item, in order, whose set is shared.
    for (const it of this.order) {
      const key = setKey(it);
      if (this.shared.has(key)) return [it, this.bySet.get(key)![1]!];
    }
    return null;
  }

}

/** equalPair by the rule as first written (for items that repeat an index): every index of the earlier item occurs in the later one. */
function scanPair(list: readonly Item[]): [Item, Item] | null {
  for (let x = 0; x < list.length; x++) {
    for (let y = x + 1; y < list.length; y++) {
      const p = list[x]!;
      const q = list[y]!;
      if (p.idx.length === q.idx.length && p.idx.every((i) => q.idx.includes(i))) return [p, q];
    }
  }
  return null;
}

/** Whether the item is indexed twice by one index ([a, a], a diagonal): it uses that index once. */
function repeatsIndex(it: Item): boolean {
  return it.idx.length === 2 && it.idx[0] === it.idx[1];
}

function setKey(it: Item): string {
  const idx = it.idx;
  return idx.length === 1 ? idx[0]! : idx[0]! < idx[1]! ? `${idx[0]},${idx[1]}` : `${idx[1]},${idx[0]}`;
}

/** Appends to a list in a map; returns the list's new length. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): number {
  const list = map.get(key);
  if (list) return list.push(value);
  map.set(key, [value]);
  return 1;
}

/** Removes a value from a list in a map; returns the list's new length. */
function pull<K, V>(map: Map<K, V[]>, key: K, value: V): number {
  const list = map.get(key)!;
  const k = list.indexOf(value);
  if (k >= 0) list.splice(k, 1);
  if (list.length === 0) map.delete(key);
  return list.length;
}
