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
    let factors: Node[] = [];
    for (const f of input) {
      if (f.k === 'mul') {
        const used = new Set(f.factors.flatMap((g) => g.free));
        const broadcastsSummed = f.free.some((i) => !used.has(i) && !freeSet.has(i));
        if (!broadcastsSummed) {
          const map = new Map(summedIndices(f).map((i) => [i, this.space.like(i)] as const));
          for (const g of f.factors) factors.push(rename(g, map));
          continue;
        }
      }
      factors.push(f);
    }
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
    const merged: { key: string; base: Node; exp: number }[] = [];
    const rest: Node[] = [];
    for (const f of factors) {
      if (f.k === 'const') {
        rest.push(f);
        continue;
      }
      const base = f.k === 'pow' ? f.base : f;
      const exp = f.k === 'pow' ? f.exp : 1;
      const key = `${canonicalKey(base)}@${base.free.join(',')}`;
      const entry = merged.find((m) => m.key === key);
      if (entry) entry.exp += exp;
      else merged.push({ key, base, exp });
    }
    for (const m of merged) {
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
    const groups: { key: string; term: Node; coefficient: number }[] = [];
    for (const t of flat) {
      const { coefficient, rest } = splitCoefficient(t);
      if (coefficient === 0) continue;
      const key = canonicalKey(rest);
      const g = groups.find((x) => x.key === key);
      if (g) g.coefficient += coefficient;
      else groups.push({ key, term: rest, coefficient });
    }
    const terms = groups
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

const keyMemo = new WeakMap<Node, string>();

/**
 * A structural key that is equal for nodes equal up to the names of their
 * bound indices. Free indices keep their names (they are what the node is
 * indexed by).
 */
export function canonicalKey(n: Node): string {
  const hit = keyMemo.get(n);
  if (hit !== undefined) return hit;
  const key = computeKey(n);
  keyMemo.set(n, key);
  return key;
}

function computeKey(n: Node): string {
  switch (n.k) {
    case 'tensor':
      return `${n.name}[${n.idx.join(',')}]`;
    case 'const':
      return `${n.value}`;
    case 'delta':
      return n.a < n.b ? `δ(${n.a},${n.b})` : `δ(${n.b},${n.a})`;
    case 'onehot':
      return `e${n.at}(${n.i})`;
    case 'fn':
      return `${n.fn}(${canonicalKey(n.arg)})`;
    case 'pow':
      return `(${canonicalKey(n.base)})^${n.exp}`;
    case 'add':
      return `+(${n.terms.map(canonicalKey).sort().join(';')})`;
    case 'matfn': {
      const map = new Map(n.argIdx.map((i, k) => [i, `~${k}`] as const));
      return `${n.fn}<${canonicalKey(rename(n.arg, map))}>[${n.idx.join(',')}]`;
    }
    case 'mul': {
      const summed = summedIndices(n);
      if (summed.length === 0) return `*[${n.free.join(',')}](${n.factors.map(canonicalKey).sort().join(';')})`;
      // Name bound indices by their first appearance in the factors sorted with bound names hidden.
      const hidden = new Map(summed.map((i) => [i, '?'] as const));
      const order = n.factors
        .map((f) => ({ f, k: canonicalKey(rename(f, hidden)) }))
        .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
      const names = new Map<Index, Index>();
      for (const { f } of order) {
        for (const i of f.free) if (summed.includes(i) && !names.has(i)) names.set(i, `#${names.size}`);
      }
      return `*[${n.free.join(',')}](${order.map(({ f }) => canonicalKey(rename(f, names))).join(';')})`;
    }
  }
}
