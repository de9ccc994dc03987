// Simplification of index-notation IR, as a separate pass after
// differentiation (the rule/simplify split of tensorgrad).
//
// Rules, applied bottom-up to a fixpoint:
// - flatten nested products (renaming the inner product's summed indices) and sums;
// - contract Kronecker deltas over summed indices (Σ_a X_a δ_ab = X_b);
// - contract unit vectors into variables (Σ_a X_a e_k(a) = X_k);
// - fold constants, drop zeros and ones;
// - merge equal factors into powers (x·x = x², x·x⁻¹ = 1);
// - collect like terms (A + A = 2A) using canonical keys that ignore the
//   names of bound indices.
//
// Invariants: every rule preserves the value at every point where the input is
// defined (the numeric tests check this on random points), and the free
// indices of every node. Work is memoised per node; a node budget stops
// runaway growth.
//
// Cost: a round returns the very object it was given for every sub-expression
// it leaves alone, so the fixpoint test is identity (no key of the whole
// expression per round), nodes found stable are skipped by later rounds, and
// canonical keys are computed only for terms or factors that a cheap signature
// cannot tell apart.

import {
  add,
  childrenOf,
  constant,
  fn,
  matfn,
  mul,
  onehot,
  pow,
  rename,
  summedIndices,
  tensor,
  type Index,
  type Node,
  type RenameMemo,
  type Space,
} from './ir';
import { sortStrings } from '../sort-strings';

export function simplify(root: Node, space: Space, maxRounds = 8): Node {
  bound();
  let current = root;
  const stable = new Set<Node>();
  for (let round = 0; round < maxRounds; round++) {
    const next = new Simplifier(space, stable).run(current);
    // A round that changes nothing returns its input itself (see `run`).
    if (next === current) return next;
    current = next;
  }
  return current;
}

class Simplifier {
  private readonly memo = new Map<Node, Node>();

  /**
   * `stable`: nodes an earlier round returned unchanged. A round's result for a
   * node depends only on the node (fresh index names are drawn only when
   * something changes), so a stable node stays stable and later rounds skip it.
   */
  constructor(
    private readonly space: Space,
    private readonly stable: Set<Node>,
  ) {}

  run(n: Node): Node {
    if (this.stable.has(n)) return n;
    const hit = this.memo.get(n);
    if (hit) return hit;
    const stepped = this.step(n);
    // Keep the input object when the step rebuilt an equal node, so unchanged
    // parents are recognised by identity all the way up.
    const result = stepped === n || sameNode(stepped, n) ? n : stepped;
    // An unchanged node is remembered as stable only (tested first, above): the memo holds the
    // changed ones, a third of a first round's nodes, and lives for the whole round.
    if (result === n) this.stable.add(n);
    else this.memo.set(n, result);
    return result;
  }

  private step(n: Node): Node {
    switch (n.k) {
      case 'tensor':
      case 'const':
      case 'delta':
      case 'onehot':
        return n;
      // A node whose children come back unchanged, and that no rule rewrites on its own, is its
      // own result: most nodes of a first round are such, and rebuilding each one only for `run`
      // to find it equal cost an object, a list and a comparison per node.
      case 'fn': {
        const arg = this.run(n.arg);
        return arg === n.arg ? n : fn(n.fn, arg);
      }
      case 'pow': {
        const base = this.run(n.base);
        return base === n.base ? n : pow(base, n.exp);
      }
      case 'matfn': {
        const arg = this.run(n.arg);
        return arg === n.arg ? n : matfn(n.fn, arg, n.argIdx, n.idx);
      }
      case 'add':
        return this.sum(this.runEach(n.terms), n.free);
      case 'mul': {
        const factors = this.runEach(n.factors);
        if (factors === n.factors && settledProduct(factors)) return n;
        return this.product(factors === n.factors ? factors.slice() : (factors as Node[]), n.free);
      }
    }
  }

  /** `run` of each node: the list itself when every node comes back unchanged, else a new list. */
  private runEach(list: readonly Node[]): readonly Node[] {
    let out: Node[] | null = null;
    for (let k = 0; k < list.length; k++) {
      const r = this.run(list[k]!);
      if (out === null) {
        if (r === list[k]) continue;
        out = list.slice(0, k);
      }
      out.push(r);
    }
    return out ?? list;
  }

  private product(input: Node[], free: readonly Index[]): Node {
    // 1. Flatten nested products whose every free index is used by a factor.
    // An inner product's summed index is renamed only when the name is taken in
    // the outer product (free there, or summed by another flattened product):
    // renaming every time copied each level of a nested chain into the next,
    // quadratic in the depth of a network. (A product's free indices are its
    // rank, a few: list lookups here are cheaper than building Sets for every
    // product of every round.)
    const flattens = (f: Node): f is Extract<Node, { k: 'mul' }> => f.k === 'mul' && f.free.every((i) => free.includes(i) || usesIndex(f, i));
    // `input` is this call's own array: it is kept when nothing flattens (most products).
    let factors: Node[] = input;
    // The factors of the longest flattened product: a simplified product's factors are pairwise
    // unequal (step 4 merged them), and stay so under renaming, which step 4 uses below.
    let trusted: { start: number; end: number } | null = null;
    if (input.some(flattens)) {
      const taken = new Set(free);
      input.forEach((f) => f.free.forEach((i) => taken.add(i)));
      // The first long product to flatten (a network's chain: hundreds of factors, at every level)
      // does not list its summed indices: names are tested against it instead.
      let deferred: Extract<Node, { k: 'mul' }> | null = null;
      const summedIn = (m: Extract<Node, { k: 'mul' }>, i: Index) => !m.free.includes(i) && usesIndex(m, i);
      const clashes = (i: Index) => taken.has(i) || (deferred !== null && summedIn(deferred, i));
      factors = [];
      for (const m of input) {
        if (!flattens(m)) {
          factors.push(m);
          continue;
        }
        // Most inner products need no renaming: the map and the rename memo are made only when one does.
        let map: Map<Index, Index> | null = null;
        if (deferred === null && m.factors.length >= TRUSTED_MIN) {
          // Only the names taken so far can clash: the same renaming, in the same order.
          for (const i of [...taken].filter((i) => summedIn(m, i)).sort()) {
            const to = this.space.like(i);
            (map ??= new Map()).set(i, to);
            taken.add(to);
          }
          deferred = m;
        } else {
          for (const i of summedOf(m)) {
            if (clashes(i)) {
              const to = this.space.like(i);
              (map ??= new Map()).set(i, to);
              taken.add(to);
            } else taken.add(i);
          }
        }
        const inner = m.factors;
        if (inner.length >= TRUSTED_MIN && inner.length > (trusted ? trusted.end - trusted.start : 0)) trusted = { start: factors.length, end: factors.length + inner.length };
        if (map === null) factors.push(...inner);
        else {
          const memo: RenameMemo = new Map();
          for (const g of inner) factors.push(rename(g, map, memo));
        }
      }
    }
    // One pass for what the rules below look for (a flattened network product has hundreds of factors).
    let selector: Node | undefined;
    let deltas = false;
    for (const f of factors) {
      if (f.k === 'delta') deltas = true;
      else if (f.k === 'onehot' && selector === undefined && !free.includes(f.i)) selector = f;
    }
    // A sum multiplied by unit vectors (selecting an element) distributes, so
    // each term can contract its unit vectors; otherwise sums stay in place.
    const sumIndex = selector === undefined ? -1 : factors.findIndex((f) => f.k === 'add' && f.terms.length <= 64 && f.free.includes((selector as { i: Index }).i));
    if (sumIndex >= 0) {
      const sum = factors[sumIndex] as Extract<Node, { k: 'add' }>;
      const others = factors.filter((_, k) => k !== sumIndex);
      return this.sum(sum.terms.map((t) => this.product([...others, t], free)), free);
    }
    // 2. Contract deltas over summed indices.
    for (let changed = deltas; changed; ) {
      changed = false;
      for (let k = 0; k < factors.length; k++) {
        const f = factors[k]!;
        if (f.k !== 'delta') continue;
        const pick = !free.includes(f.a) ? { from: f.a, to: f.b } : !free.includes(f.b) ? { from: f.b, to: f.a } : null;
        if (!pick) continue;
        // Σ_a δ_ab … needs b to stay somewhere (or be free), else Σ_b Σ_a δ_ab = dim.
        const occurs = free.includes(pick.to) || factors.some((g, j) => j !== k && g.free.includes(pick.to));
        if (!occurs && !factors.some((g, j) => j !== k && g.free.includes(pick.from))) continue;
        const map = new Map([[pick.from, pick.to]]);
        const memo: RenameMemo = new Map();
        factors = factors.filter((_, j) => j !== k).map((g) => rename(g, map, memo));
        changed = true;
        trusted = null; // renaming one index can make two factors equal
        break;
      }
    }
    // 3. Contract unit vectors into variables and other unit vectors (only a summed one can, and
    //    contracting deltas does not create one).
    for (let changed = selector !== undefined; changed; ) {
      changed = false;
      for (let k = 0; k < factors.length; k++) {
        const f = factors[k]!;
        if (f.k !== 'onehot' || free.includes(f.i)) continue;
        const users = factors.map((g, j) => (j !== k && g.free.includes(f.i) ? j : -1)).filter((j) => j >= 0);
        if (users.length === 0) continue;
        // Σ_a e_p(a) g(a) h(a) = g(p) h(p): the position goes into every factor that uses the index
        // (an entry of σ(A x) A picks row p of both; contracting only a lone user left
        // Σ_a σ(Σ_u A_au x_u) A_a1 δ_a1 in the entries table).
        const replaced = users.map((j) => atPosition(factors[j]!, f.i, f.at));
        if (replaced.some((r) => r === null)) continue;
        factors = factors.map((g, j) => (users.includes(j) ? replaced[users.indexOf(j)]! : g)).filter((_, j) => j !== k);
        changed = true;
        trusted = null;
        break;
      }
    }
    // 4. Merge equal factors (same indices) into powers, in first-seen order.
    const rest: Node[] = factors.filter((f) => f.k === 'const');
    const { bases, exps } = mergeFactors(factors, trusted);
    for (let k = 0; k < bases.length; k++) if (exps[k] !== 0) rest.push(pow(bases[k]!, exps[k]!));
    return mul(rest, free);
  }

  private sum(input: readonly Node[], free: readonly Index[]): Node {
    const flat: Node[] = [];
    for (const t of input) {
      if (t.k === 'add') flat.push(...t.terms);
      else flat.push(t);
    }
    // Collect like terms: c₁·T + c₂·T = (c₁ + c₂)·T.
    const groups = new LikeTable<{ term: Node; coefficient: number }>();
    for (const t of flat) {
      const { coefficient, rest } = splitCoefficient(t);
      if (coefficient === 0) continue;
      const g = groups.find(rest);
      if (g) g.coefficient += coefficient;
      else groups.add(rest, { term: rest, coefficient });
    }
    const terms = groups
      .values()
      .filter((g) => g.coefficient !== 0)
      .map((g) => (g.coefficient === 1 ? g.term : mul([constant(g.coefficient), g.term], g.term.free.length ? [...new Set([...g.term.free, ...free])] : free)));
    return add(terms, free);
  }
}

/**
 * `n` with index `i` fixed at 0-based position `at` (tensors get the number,
 * deltas and unit vectors over `i` become unit vectors and constants), or
 * null when `i` cannot be fixed inside it (a matrix function's indices). A
 * product or sum that does not have `i` free does not depend on it (an inner
 * index of the same name is another one) and is returned as it is.
 */
function atPosition(n: Node, i: Index, at: number): Node | null {
  if (!n.free.includes(i)) return n;
  switch (n.k) {
    case 'tensor':
      return tensor(n.name, n.idx.map((x) => (x === i ? at : x)));
    case 'delta':
      if (n.a === i && n.b === i) return constant(1);
      return onehot(n.a === i ? n.b : n.a, at);
    case 'onehot':
      return constant(n.at === at ? 1 : 0);
    case 'fn': {
      const arg = atPosition(n.arg, i, at);
      return arg && fn(n.fn, arg);
    }
    case 'pow': {
      const base = atPosition(n.base, i, at);
      return base && pow(base, n.exp);
    }
    case 'mul':
    case 'add': {
      const parts = n.k === 'mul' ? n.factors : n.terms;
      const fixed: Node[] = [];
      for (const p of parts) {
        const q = atPosition(p, i, at);
        if (!q) return null;
        fixed.push(q);
      }
      const free = n.free.filter((x) => x !== i);
      return n.k === 'mul' ? mul(fixed, free) : add(fixed, free);
    }
    default:
      return null;
  }
}

/**
 * Whether `product` returns a product of these factors as it is: nothing to flatten, no delta or
 * unit vector to contract, at most one constant and that first (as `mul` leaves it), and no two
 * factors to merge into a power (the test step 4 makes). The node built by `mul` from them is then
 * the result, so the caller keeps it. Long products take the general path (step 4 has its own
 * table for them).
 */
function settledProduct(factors: readonly Node[]): boolean {
  if (factors.length > SCAN_LIMIT) return false;
  for (let k = 0; k < factors.length; k++) {
    const f = factors[k]!;
    if (f.k === 'mul' || f.k === 'delta' || f.k === 'onehot' || (f.k === 'const' && k > 0)) return false;
  }
  // Pairs only once every factor has passed the cheap test (comparing two sums builds their parts).
  for (let k = 1; k < factors.length; k++) {
    const f = factors[k]!;
    const base = f.k === 'pow' ? f.base : f;
    for (let j = 0; j < k; j++) {
      const g = factors[j]!;
      if (g.k !== 'const' && sameUpToBound(g.k === 'pow' ? g.base : g, base)) return false;
    }
  }
  return true;
}

/** Whether a factor of `n` has index `i`. */
function usesIndex(n: Node, i: Index): boolean {
  return childrenOf(n).some((f) => f.free.includes(i));
}

/** Longest flattened product whose factors step 4 takes as pairwise unequal. */
const TRUSTED_MIN = 16;

/**
 * Step 4: the non-constant factors' bases with summed exponents, in first-seen order. When `trusted`
 * is given, the factors in that range are known to be pairwise unequal: one of them can only equal a
 * factor from outside, so only the few factors outside are compared with the others (linear instead
 * of a table of all).
 */
function mergeFactors(factors: readonly Node[], trusted: { start: number; end: number } | null): { bases: Node[]; exps: number[] } {
  // Parallel arrays and plain loops, no object or closure per factor: every product of every round
  // comes here, and a chain product is merged again at every level of its nesting (an MLP of depth 64
  // merges 12,600 factors per derivative).
  const bases: Node[] = [];
  const exps: number[] = [];
  if (trusted === null && factors.length > SCAN_LIMIT) {
    const positions = new LikeTable<number>();
    for (const f of factors) {
      if (f.k === 'const') continue;
      const base = f.k === 'pow' ? f.base : f;
      const exp = f.k === 'pow' ? f.exp : 1;
      const at = positions.find(base);
      if (at !== undefined) exps[at]! += exp;
      else {
        positions.add(base, bases.length);
        bases.push(base);
        exps.push(exp);
      }
    }
    return { bases, exps };
  }
  /** Positions in `bases` of the factors from outside the trusted range (when there is one). */
  const outside: number[] = [];
  for (let k = 0; k < factors.length; k++) {
    const f = factors[k]!;
    if (f.k === 'const') continue;
    const base = f.k === 'pow' ? f.base : f;
    const exp = f.k === 'pow' ? f.exp : 1;
    const inside = trusted !== null && k >= trusted.start && k < trusted.end;
    let at = -1;
    if (inside) {
      for (const p of outside) {
        if (sameUpToBound(bases[p]!, base)) {
          at = p;
          break;
        }
      }
    } else {
      for (let p = 0; p < bases.length; p++) {
        if (sameUpToBound(bases[p]!, base)) {
          at = p;
          break;
        }
      }
    }
    if (at >= 0) {
      exps[at]! += exp;
      continue;
    }
    if (trusted !== null && !inside) outside.push(bases.length);
    bases.push(base);
    exps.push(exp);
  }
  return { bases, exps };
}

/** Equal canonical keys, computing keys only when the cheap tests cannot tell. */
function sameUpToBound(a: Node, b: Node): boolean {
  if (!alike(a, b)) return false;
  if (isLeaf(a)) return true;
  return partsOf(a) === partsOf(b) && canonicalKey(a) === canonicalKey(b);
}

/** Splits c·T into (c, T). */
function splitCoefficient(t: Node): { coefficient: number; rest: Node } {
  if (t.k === 'const') return { coefficient: t.value, rest: mul([constant(1)], t.free) };
  if (t.k === 'mul' && t.factors[0]?.k === 'const') return { coefficient: t.factors[0].value, rest: mul(t.factors.slice(1), t.free) };
  return { coefficient: 1, rest: t };
}

/** Equal lists, element by element (a loop: this runs for every factor of long products). */
function sameList<T>(x: readonly T[], y: readonly T[]): boolean {
  if (x.length !== y.length) return false;
  for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
  return true;
}

/**
 * Structural equality with exact index names. Children usually are the very
 * same objects (a round keeps what it does not change), so this descends only
 * into what a step rebuilt.
 */
function sameNode(a: Node, b: Node): boolean {
  if (a === b) return true;
  if (a.k !== b.k || !sameList(a.free, b.free)) return false;
  const same = sameNode;
  switch (a.k) {
    case 'tensor':
      return a.name === (b as typeof a).name && sameList(a.idx, (b as typeof a).idx);
    case 'const':
      return Object.is(a.value, (b as typeof a).value);
    case 'delta':
      return a.a === (b as typeof a).a && a.b === (b as typeof a).b;
    case 'onehot':
      return a.i === (b as typeof a).i && a.at === (b as typeof a).at;
    case 'fn':
      return a.fn === (b as typeof a).fn && same(a.arg, (b as typeof a).arg);
    case 'pow':
      return a.exp === (b as typeof a).exp && same(a.base, (b as typeof a).base);
    case 'matfn': {
      const c = b as typeof a;
      return a.fn === c.fn && sameList(a.argIdx, c.argIdx) && sameList(a.idx, c.idx) && same(a.arg, c.arg);
    }
    case 'mul': {
      const c = b as typeof a;
      return a.factors.length === c.factors.length && a.factors.every((f, k) => same(f, c.factors[k]!));
    }
    case 'add': {
      const c = b as typeof a;
      return a.terms.length === c.terms.length && a.terms.every((t, k) => same(t, c.terms[k]!));
    }
  }
}

function isLeaf(n: Node): boolean {
  return n.k === 'tensor' || n.k === 'const' || n.k === 'delta' || n.k === 'onehot';
}

/**
 * Groups nodes equal up to the names of their bound indices (equal canonical
 * keys), in first-seen order. Canonical keys are computed only for nodes that
 * a cheap test cannot tell apart (`alike`: implied by equal keys, and exact
 * for leaves). A few entries are scanned; past SCAN_LIMIT they are bucketed by
 * a signature string with the same meaning (long sums and products).
 */
class LikeTable<V> {
  private readonly entries: LikeEntry<V>[] = [];
  /** By signature: one entry, or a list when signatures collide (rare; avoids an array per entry). */
  private buckets: Map<string, LikeEntry<V> | LikeEntry<V>[]> | null = null;
  /** The node `find` last built parts for, and those parts: `add` follows a `find` of the same node that missed. */
  private lastFound: Node | null = null;
  private lastParts: string | null = null;

  find(n: Node): V | undefined {
    let candidates: LikeEntry<V>[];
    const leaf = isLeaf(n);
    let parts: string | null = null;
    if (this.buckets) {
      const hit = this.buckets.get(bucketKey(n, leaf ? '' : (parts = partsOf(n))));
      this.lastFound = n;
      this.lastParts = parts;
      candidates = hit === undefined ? [] : Array.isArray(hit) ? hit : [hit];
    } else candidates = this.entries.filter((e) => alike(e.node, n));
    if (candidates.length === 0) return undefined;
    if (leaf) return candidates[0]!.value;
    parts ??= partsOf(n);
    // Keys only for candidates whose parts also look alike (most collisions are A_ia x_a against x_a A_ai).
    candidates = candidates.filter((e) => (e.parts ??= partsOf(e.node)) === parts);
    if (candidates.length === 0) return undefined;
    const key = canonicalKey(n);
    for (const entry of candidates) {
      entry.key ??= canonicalKey(entry.node);
      if (entry.key === key) return entry.value;
    }
    return undefined;
  }

  /** Adds `n` (after `find` found nothing). */
  add(n: Node, value: V): void {
    const entry: LikeEntry<V> = { node: n, key: null, parts: this.lastFound === n ? this.lastParts : null, value };
    this.entries.push(entry);
    if (this.buckets) this.bucket(entry);
    else if (this.entries.length > SCAN_LIMIT) {
      this.buckets = new Map();
      for (const e of this.entries) this.bucket(e);
    }
  }

  values(): V[] {
    return this.entries.map((e) => e.value);
  }

  private bucket(entry: LikeEntry<V>): void {
    const sig = bucketKey(entry.node, isLeaf(entry.node) ? '' : (entry.parts ??= partsOf(entry.node)));
    const hit = this.buckets!.get(sig);
    if (hit === undefined) this.buckets!.set(sig, entry);
    else if (Array.isArray(hit)) hit.push(entry);
    else this.buckets!.set(sig, [hit, entry]);
  }
}

interface LikeEntry<V> {
  readonly node: Node;
  key: string | null;
  /** partsOf(node), computed when first compared. */
  parts: string | null;
  readonly value: V;
}

const SCAN_LIMIT = 8;

/**
 * A bucket of a LikeTable: the signature, and for products and sums their
 * parts too. A sum's terms mostly share a few signatures (`*3[i]` for
 * every c·A·x), so signatures alone made a bucket per shape holding a third
 * of a long sum's terms, and every lookup filtered it: quadratic in the
 * length of the sum.
 */
function bucketKey(n: Node, parts: string): string {
  return parts === '' ? signature(n) : `${signature(n)}\u0000${parts}`;
}

/**
 * For products and sums: their factors' (terms') shallow descriptions, with the
 * indices the product sums over hidden, sorted — equal for equal canonical
 * keys (a product's key lists its factors' keys with summed indices hidden)
 * and much cheaper to build. Other nodes: ''.
 */
function partsOf(n: Node): string {
  if (n.k === 'mul') return sortStrings(describeParts(n.factors, summedOf(n))).join(';');
  if (n.k === 'add') return sortStrings(describeParts(n.terms, [])).join(';');
  return '';
}

function describeParts(parts: readonly Node[], hidden: readonly Index[]): string[] {
  const h = (i: Index | number): string => (typeof i === 'number' ? `${i}` : hidden.includes(i) ? '?' : i);
  return parts.map((f) => {
    switch (f.k) {
      case 'tensor':
        return `t${f.name}[${f.idx.map(h).join(',')}]`;
      case 'const':
        return `c${f.value}`;
      case 'delta': {
        const x = h(f.a);
        const y = h(f.b);
        return x < y ? `d${x},${y}` : `d${y},${x}`;
      }
      case 'onehot':
        return `e${f.at}(${h(f.i)})`;
      default: {
        const op = f.k === 'fn' || f.k === 'matfn' ? f.fn : f.k === 'pow' ? f.exp : f.k === 'mul' ? f.factors.length : f.terms.length;
        return `${f.k}${op}[${sortStrings(f.free.map(h)).join(',')}]`;
      }
    }
  });
}


/** Whether `a` and `b` might have equal canonical keys (exactly when both are leaves): the same test as equal signatures. */
function alike(a: Node, b: Node): boolean {
  if (a.k !== b.k || !sameList(a.free, b.free)) return false;
  switch (a.k) {
    case 'tensor': {
      const c = b as typeof a;
      return a.name === c.name && a.idx.length === c.idx.length && a.idx.every((i, k) => i === c.idx[k]);
    }
    case 'const':
      return `${a.value}` === `${(b as typeof a).value}`;
    case 'delta': {
      const c = b as typeof a;
      return (a.a === c.a && a.b === c.b) || (a.a === c.b && a.b === c.a);
    }
    case 'onehot':
      return a.i === (b as typeof a).i && a.at === (b as typeof a).at;
    case 'fn':
      return a.fn === (b as typeof a).fn;
    case 'pow':
      return a.exp === (b as typeof a).exp;
    case 'matfn': {
      const c = b as typeof a;
      return a.fn === c.fn && a.idx.length === c.idx.length && a.idx.every((i, k) => i === c.idx[k]);
    }
    case 'mul':
      return a.factors.length === (b as typeof a).factors.length;
    case 'add':
      return a.terms.length === (b as typeof a).terms.length;
  }
}

/**
 * A product's summed indices, memoised for long products (a network's
 * derivative flattens each level's product into the next); a few factors are
 * cheaper to scan again than a WeakMap entry.
 */
function summedOf(n: Node & { k: 'mul' }): readonly Index[] {
  if (n.factors.length <= 8) return summedIndices(n);
  let summed = summedMemo.get(n);
  if (!summed) summedMemo.set(n, (summed = summedIndices(n)));
  return summed;
}

const summedMemo = new WeakMap<Node, readonly Index[]>();

/** A string that nodes with equal canonical keys share (exact for leaves); memoised, as factors recur in every enclosing product. */
function signature(n: Node): string {
  let sig = signatureMemo.get(n);
  if (sig === undefined) signatureMemo.set(n, (sig = signatureOf(n)));
  return sig;
}

const signatureMemo = new WeakMap<Node, string>();

function signatureOf(n: Node): string {
  const free = n.free.join(',');
  switch (n.k) {
    case 'tensor':
      return `t${n.name}[${n.idx.join(',')}]`;
    case 'const':
      return `c${n.value}`;
    case 'delta':
      return n.a < n.b ? `d${n.a},${n.b}` : `d${n.b},${n.a}`;
    case 'onehot':
      return `e${n.at}(${n.i})`;
    case 'fn':
      return `f${n.fn}[${free}]`;
    case 'pow':
      return `p${n.exp}[${free}]`;
    case 'matfn':
      return `m${n.fn}[${n.idx.join(',')}]`;
    case 'mul':
      return `*${n.factors.length}[${free}]`;
    case 'add':
      return `+${n.terms.length}[${free}]`;
  }
}

// ── canonical keys ────────────────────────────────────────────────────────

/**
 * A structural key that is equal for nodes equal up to the names of their
 * bound indices. Free indices keep their names (they are what the node is
 * indexed by). Keys are interned: a node's key is a short id for the string
 * built from its children's ids, so a key's length does not grow with the
 * size of the expression (only equality of keys is ever used).
 */
export function canonicalKey(n: Node): string {
  return keyUnder(n, NO_RENAMING);
}

const NO_RENAMING: ReadonlyMap<Index, Index> = new Map();

/**
 * Interned keys and, per node, its key and the keys of its renamed forms. The
 * table is dropped (and every memo with it, by generation) when it grows
 * large, so a long editor session does not accumulate keys.
 */
const MAX_INTERNED = 1_000_000;
let generation = 0;
let interned = new Map<string, string>();
interface KeyMemo {
  readonly generation: number;
  plain?: string;
  renamed?: Map<string, string>;
}
const keyMemo = new WeakMap<Node, KeyMemo>();

/** Called only between top-level computations, so no key mixes two generations. */
function bound(): void {
  if (interned.size > MAX_INTERNED) {
    interned = new Map();
    generation++;
  }
}

function intern(structure: string): string {
  const hit = interned.get(structure);
  if (hit !== undefined) return hit;
  // The generation is part of the id, so ids from before a reset never equal later ones.
  const id = `${generation}:${interned.size.toString(36)}`;
  interned.set(structure, id);
  return id;
}

function memoOf(n: Node): KeyMemo {
  let m = keyMemo.get(n);
  if (!m || m.generation !== generation) keyMemo.set(n, (m = { generation }));
  return m;
}

/**
 * The key of `rename(n, map)`, without building the renamed copy. Building
 * copies (as the first version did) defeats the per-node memo, and because a
 * product's key renames its factors twice, the cost doubled with every level
 * of nesting (exponential in network depth). Memoised per node and per
 * renaming restricted to the node's free indices (all `rename` looks at).
 */
function keyUnder(n: Node, map: ReadonlyMap<Index, Index>): string {
  let restricted: [Index, Index][] | null = null;
  if (map.size > 0) {
    for (const i of n.free) {
      const to = map.get(i);
      if (to !== undefined) (restricted ??= []).push([i, to]);
    }
  }
  const memo = memoOf(n);
  if (restricted === null) {
    if (memo.plain === undefined) memo.plain = intern(keyOf(n, NO_RENAMING));
    return memo.plain;
  }
  const memoKey = restricted.map(([a, b]) => `${a}>${b}`).join(',');
  memo.renamed ??= new Map();
  const hit = memo.renamed.get(memoKey);
  if (hit !== undefined) return hit;
  const key = intern(keyOf(n, new Map(restricted)));
  memo.renamed.set(memoKey, key);
  return key;
}

/** The key of `n` with its free indices renamed by `m` (m only holds free indices of n). */
function keyOf(n: Node, m: ReadonlyMap<Index, Index>): string {
  const r = (i: Index): Index => m.get(i) ?? i;
  switch (n.k) {
    case 'tensor':
      return `${n.name}[${n.idx.map((i) => (typeof i === 'string' ? r(i) : i)).join(',')}]`;
    case 'const':
      return `${n.value}`;
    case 'delta': {
      const a = r(n.a);
      const b = r(n.b);
      return a < b ? `δ(${a},${b})` : `δ(${b},${a})`;
    }
    case 'onehot':
      return `e${n.at}(${r(n.i)})`;
    case 'fn':
      return `${n.fn}(${keyUnder(n.arg, m)})`;
    case 'pow':
      return `(${keyUnder(n.base, m)})^${n.exp}`;
    case 'add':
      return `+(${sortStrings(n.terms.map((t) => keyUnder(t, m))).join(';')})`;
    case 'matfn': {
      const map = new Map(n.argIdx.map((i, k) => [i, `~${k}`] as const));
      return `${n.fn}<${keyUnder(n.arg, map)}>[${n.idx.map(r).join(',')}]`;
    }
    case 'mul': {
      const free = sortStrings([...new Set(n.free.map(r))]);
      const summed = summedOf(n);
      if (summed.length === 0) return `*[${free.join(',')}](${sortStrings(n.factors.map((f) => keyUnder(f, m))).join(';')})`;
      // Name bound indices by their first appearance in the factors sorted with bound names hidden.
      const hidden = new Map(m);
      for (const i of summed) hidden.set(i, '?');
      const order = n.factors
        .map((f) => ({ f, k: keyUnder(f, hidden) }))
        .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
      const names = new Map(m);
      let count = 0;
      for (const { f } of order) {
        for (const i of f.free) if (summed.includes(i) && !names.has(i)) names.set(i, `#${count++}`);
      }
      return `*[${free.join(',')}](${order.map(({ f }) => keyUnder(f, names)).join(';')})`;
    }
  }
}
