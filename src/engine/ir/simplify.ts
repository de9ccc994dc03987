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

import {
  add,
  constant,
  fn,
  matfn,
  mul,
  pow,
  rename,
  summedIndices,
  tensor,
  type Index,
  type Node,
  type Space,
} from './ir';

export function simplify(root: Node, space: Space, maxRounds = 8): Node {
  bound();
  let current = root;
  for (let round = 0; round < maxRounds; round++) {
    const next = new Simplifier(space).run(current);
    if (canonicalKey(next) === canonicalKey(current)) return next;
    current = next;
  }
  return current;
}

class Simplifier {
  private readonly memo = new Map<Node, Node>();

  constructor(private readonly space: Space) {}

  run(n: Node): Node {
    const hit = this.memo.get(n);
    if (hit) return hit;
    const result = this.step(n);
    this.memo.set(n, result);
    return result;
  }

  private step(n: Node): Node {
    switch (n.k) {
      case 'tensor':
      case 'const':
      case 'delta':
      case 'onehot':
        return n;
      case 'fn':
        return fn(n.fn, this.run(n.arg));
      case 'pow':
        return pow(this.run(n.base), n.exp);
      case 'matfn':
        return matfn(n.fn, this.run(n.arg), n.argIdx, n.idx);
      case 'add':
        return this.sum(n.terms.map((t) => this.run(t)), n.free);
      case 'mul':
        return this.product(n.factors.map((f) => this.run(f)), n.free);
    }
  }

  private product(input: Node[], free: readonly Index[]): Node {
    const freeSet = new Set(free);
    // 1. Flatten nested products whose every free index is used by a factor.
    // An inner product's summed index is renamed only when the name is taken in
    // the outer product (free there, or summed by another flattened product):
    // renaming every time copied each level of a nested chain into the next,
    // quadratic in the depth of a network.
    const flatten = input.map((f) => {
      if (f.k !== 'mul') return false;
      const used = new Set(f.factors.flatMap((g) => g.free));
      return !f.free.some((i) => !used.has(i) && !freeSet.has(i));
    });
    const taken = new Set(free);
    input.forEach((f) => f.free.forEach((i) => taken.add(i)));
    let factors: Node[] = [];
    input.forEach((f, k) => {
      if (!flatten[k]) {
        factors.push(f);
        return;
      }
      const map = new Map<Index, Index>();
      for (const i of summedIndices(f as Extract<Node, { k: 'mul' }>)) {
        if (taken.has(i)) map.set(i, this.space.like(i));
        taken.add(map.get(i) ?? i);
      }
      for (const g of (f as Extract<Node, { k: 'mul' }>).factors) factors.push(rename(g, map));
    });
    // A sum multiplied by unit vectors (selecting an element) distributes, so
    // each term can contract its unit vectors; otherwise sums stay in place.
    const selector = factors.find((f) => f.k === 'onehot' && !freeSet.has(f.i));
    const sumIndex = factors.findIndex((f) => f.k === 'add' && f.terms.length <= 64 && selector !== undefined && f.free.includes((selector as { i: Index }).i));
    if (sumIndex >= 0) {
      const sum = factors[sumIndex] as Extract<Node, { k: 'add' }>;
      const others = factors.filter((_, k) => k !== sumIndex);
      return this.sum(sum.terms.map((t) => this.product([...others, t], free)), free);
    }
    const occurrences = (i: Index, except: number): boolean =>
      freeSet.has(i) || factors.some((g, k) => k !== except && g.free.includes(i));
    // 2. Contract deltas over summed indices.
    for (let changed = true; changed; ) {
      changed = false;
      for (let k = 0; k < factors.length; k++) {
        const f = factors[k]!;
        if (f.k !== 'delta') continue;
        const pick = !freeSet.has(f.a) ? { from: f.a, to: f.b } : !freeSet.has(f.b) ? { from: f.b, to: f.a } : null;
        if (!pick) continue;
        // Σ_a δ_ab … needs b to stay somewhere (or be free), else Σ_b Σ_a δ_ab = dim.
        if (!occurrences(pick.to, k) && !factors.some((g, j) => j !== k && g.free.includes(pick.from))) continue;
        const map = new Map([[pick.from, pick.to]]);
        factors = factors.filter((_, j) => j !== k).map((g) => rename(g, map));
        changed = true;
        break;
      }
    }
    // 3. Contract unit vectors into variables and other unit vectors.
    for (let changed = true; changed; ) {
      changed = false;
      for (let k = 0; k < factors.length; k++) {
        const f = factors[k]!;
        if (f.k !== 'onehot' || freeSet.has(f.i)) continue;
        const users = factors.map((g, j) => (j !== k && g.free.includes(f.i) ? j : -1)).filter((j) => j >= 0);
        if (users.length !== 1) continue;
        const u = factors[users[0]!]!;
        let replacement: Node | null = null;
        if (u.k === 'tensor') replacement = tensor(u.name, u.idx.map((x) => (x === f.i ? f.at : x)));
        else if (u.k === 'onehot') replacement = constant(u.at === f.at ? 1 : 0);
        if (!replacement) continue;
        factors = factors.map((g, j) => (j === users[0] ? replacement! : g)).filter((_, j) => j !== k);
        changed = true;
        break;
      }
    }
    // 4. Merge equal factors (same indices) into powers.
    // (A Map keyed by the factor's key, in first-seen order: a linear search was quadratic in a long product.)
    const merged = new Map<string, { base: Node; exp: number }>();
    const rest: Node[] = [];
    for (const f of factors) {
      if (f.k === 'const') {
        rest.push(f);
        continue;
      }
      const base = f.k === 'pow' ? f.base : f;
      const exp = f.k === 'pow' ? f.exp : 1;
      const key = `${canonicalKey(base)}@${base.free.join(',')}`;
      const entry = merged.get(key);
      if (entry) entry.exp += exp;
      else merged.set(key, { base, exp });
    }
    for (const m of merged.values()) {
      if (m.exp === 0) continue;
      rest.push(pow(m.base, m.exp));
    }
    return mul(rest, free);
  }

  private sum(input: Node[], free: readonly Index[]): Node {
    const flat: Node[] = [];
    for (const t of input) {
      if (t.k === 'add') flat.push(...t.terms);
      else flat.push(t);
    }
    // Collect like terms: c₁·T + c₂·T = (c₁ + c₂)·T.
    const groups = new Map<string, { term: Node; coefficient: number }>();
    for (const t of flat) {
      const { coefficient, rest } = splitCoefficient(t);
      if (coefficient === 0) continue;
      const key = canonicalKey(rest);
      const g = groups.get(key);
      if (g) g.coefficient += coefficient;
      else groups.set(key, { term: rest, coefficient });
    }
    const terms = [...groups.values()]
      .filter((g) => g.coefficient !== 0)
      .map((g) => (g.coefficient === 1 ? g.term : mul([constant(g.coefficient), g.term], g.term.free.length ? [...new Set([...g.term.free, ...free])] : free)));
    return add(terms, free);
  }
}

/** Splits c·T into (c, T). */
function splitCoefficient(t: Node): { coefficient: number; rest: Node } {
  if (t.k === 'const') return { coefficient: t.value, rest: mul([constant(1)], t.free) };
  if (t.k === 'mul' && t.factors[0]?.k === 'const') {
    const c = t.factors[0].value;
    return { coefficient: c, rest: mul(t.factors.slice(1), t.free) };
  }
  return { coefficient: 1, rest: t };
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
const summedMemo = new WeakMap<Node, Index[]>();

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

function summedOf(n: Node & { k: 'mul' }): Index[] {
  let s = summedMemo.get(n);
  if (!s) summedMemo.set(n, (s = summedIndices(n)));
  return s;
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
      return `+(${n.terms.map((t) => keyUnder(t, m)).sort().join(';')})`;
    case 'matfn': {
      const map = new Map(n.argIdx.map((i, k) => [i, `~${k}`] as const));
      return `${n.fn}<${keyUnder(n.arg, map)}>[${n.idx.map(r).join(',')}]`;
    }
    case 'mul': {
      const free = [...new Set(n.free.map(r))].sort();
      const summed = summedOf(n);
      if (summed.length === 0) return `*[${free.join(',')}](${n.factors.map((f) => keyUnder(f, m)).sort().join(';')})`;
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
