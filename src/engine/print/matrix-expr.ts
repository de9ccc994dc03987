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
  | { readonly t: 'softmax'; readonly e: MExpr };

export function orientation(e: MExpr): Orientation {
  switch (e.t) {
    case 'var':
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

export function transpose(e: MExpr): MExpr {
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
      return e.o === 'scalar' ? e : { t: 'T', e };
    case 'mm':
      return mm(transpose(e.b), transpose(e.a));
    case 'add':
      return { t: 'add', terms: e.terms.map(transpose) };
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
  return { t: 'mm', a, b };
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

/** Replaces Sᵀ by S for symmetric variables, so like terms can meet. */
export function withSymmetry(e: MExpr, symmetric: ReadonlySet<string>): MExpr {
  const r = (x: MExpr): MExpr => withSymmetry(x, symmetric);
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
  const key = (e: MExpr) => JSON.stringify(e);
  const collected: { rest: MExpr; c: number }[] = [];
  for (const t of terms.flatMap((t) => (t.t === 'add' ? [...t.terms] : [t]))) {
    const { c, rest } = coefficientOf(t);
    const hit = collected.find((x) => key(x.rest) === key(rest));
    if (hit) hit.c += c;
    else collected.push({ rest, c });
  }
  const flat = collected.filter((x) => x.c !== 0).map((x) => (x.c === 1 ? x.rest : scale({ t: 'num', value: x.c }, x.rest)));
  if (flat.length === 0) return { t: 'num', value: 0 };
  if (flat.length === 1) return flat[0]!;
  flat.sort((a, b) => Number(a.t === 'T') - Number(b.t === 'T'));
  // A ones vector carries no size, so two of them may differ: never factor one out.
  const factorable = (e: MExpr | null) => e !== null && !key(e).includes('"t":"ones"');
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

// ── from index notation ───────────────────────────────────────────────────

/** A partial product: `e[a, b]` (matrix), `e[a]` (column vector) or a scalar. */
interface Item {
  e: MExpr;
  idx: Index[];
}

const SCALAR_FNS = new Set(['det', 'logdet', 'norm2', 'norm1', 'logsumexp']);

export function fromIndex(node: Node, row: Index | null, col: Index | null): MExpr | null {
  const target = [row, col].filter((x): x is Index => x !== null);
  if (node.free.some((i) => !target.includes(i))) return null;
  const item = toItem(node);
  if (!item) return null;
  return orient(item, row, col);
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

function toItem(n: Node): Item | null {
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
        const m = fromIndex(t, order[0] ?? null, order[1] ?? null);
        if (!m) return null;
        terms.push(m);
      }
      return { e: addTerms(terms), idx: order };
    }
    case 'fn': {
      const inner = toItem(n.arg);
      if (!inner) return null;
      return { e: { t: 'fn', fn: n.fn, e: inner.e }, idx: inner.idx };
    }
    case 'pow': {
      const inner = toItem(n.base);
      if (!inner) return null;
      return { e: { t: 'pow', e: inner.e, p: n.exp }, idx: inner.idx };
    }
    case 'matfn': {
      const arg = fromIndex(n.arg, n.argIdx[0] ?? null, n.argIdx[1] ?? null);
      if (!arg) return null;
      // softmax(0 𝟙) depends on the size of 𝟙, which matrix notation does not say:
      // leave such results to index notation.
      if (JSON.stringify(arg).includes('"t":"ones"')) return null;
      if (SCALAR_FNS.has(n.fn)) return { e: { t: 'scalarfn', fn: n.fn, e: arg }, idx: [] };
      if (n.fn === 'softmax') return { e: { t: 'softmax', e: arg }, idx: [...n.idx] };
      if (n.fn === 'inv') {
        if (n.idx[0] === n.idx[1]) return { e: { t: 'diag', e: { t: 'inv', e: arg } }, idx: [n.idx[0]!] };
        return { e: { t: 'inv', e: arg }, idx: [...n.idx] };
      }
      return null;
    }
    case 'mul':
      return product(n.factors, n.free, summedIndices(n));
  }
}

/** Greedy contraction of a product into matrix operations. */
function product(factors: readonly Node[], free: readonly Index[], summed: readonly Index[]): Item | null {
  let coefficient: MExpr | null = null;
  let items: Item[] = [];
  for (const f of factors) {
    const it = toItem(f);
    if (!it || it.idx.length > 2) return null;
    if (it.idx.length === 0) coefficient = coefficient ? mm(coefficient, it.e) : it.e;
    else items.push(it);
  }
  const isSummed = (i: Index) => summed.includes(i);
  const uses = (i: Index) => items.filter((it) => it.idx.includes(i));
  /** Puts index `a` first (rows) in a 2-index item. */
  const lead = (it: Item, a: Index): MExpr => (it.idx[0] === a ? it.e : transpose(it.e));
  for (let guard = 0; guard < 200 && items.length > 0; guard++) {
    let progressed = false;
    // (1) Equal index sets: elementwise product (or a dot product that closes a sum).
    outer: for (let x = 0; x < items.length; x++) {
      for (let y = x + 1; y < items.length; y++) {
        const p = items[x]!;
        const q = items[y]!;
        if (p.idx.length !== q.idx.length || !p.idx.every((i) => q.idx.includes(i))) continue;
        if (p.idx.length === 1 && isSummed(p.idx[0]!) && uses(p.idx[0]!).length === 2) {
          const dot = mm(transpose(p.e), q.e);
          coefficient = coefficient ? mm(coefficient, dot) : dot;
          items = items.filter((_, k) => k !== x && k !== y);
        } else {
          const qe = p.idx.length === 2 ? lead(q, p.idx[0]!) : q.e;
          items = items.filter((_, k) => k !== x && k !== y);
          items.push({ e: had(p.e, qe), idx: p.idx });
        }
        progressed = true;
        break outer;
      }
    }
    if (progressed) continue;
    // (2) A summed index used by exactly two items: a matrix product.
    for (const s of summed) {
      const u = uses(s);
      if (u.length !== 2) continue;
      const [p, q] = u as [Item, Item];
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
      items = items.filter((it) => it !== p && it !== q);
      if (idx.length === 0) coefficient = coefficient ? mm(coefficient, e) : e;
      else items.push({ e, idx });
      progressed = true;
      break;
    }
    if (progressed) continue;
    // (3) A vector sharing its index with a matrix item: absorb it as diag(v).
    for (let x = 0; x < items.length && !progressed; x++) {
      const v = items[x]!;
      if (v.idx.length !== 1) continue;
      const a = v.idx[0]!;
      const m = items.find((it) => it !== v && it.idx.length === 2 && it.idx.includes(a));
      if (!m) continue;
      const other = m.idx.find((i) => i !== a)!;
      const e = mm({ t: 'diag', e: v.e }, lead(m, a));
      items = items.filter((it) => it !== v && it !== m);
      items.push({ e, idx: [a, other] });
      progressed = true;
    }
    if (progressed) continue;
    // (4) A summed index used once: sum it out with a ones vector.
    for (const s of summed) {
      const u = uses(s);
      if (u.length !== 1) continue;
      const p = u[0]!;
      const other = p.idx.find((i) => i !== s) ?? null;
      const ones: MExpr = { t: 'ones', o: 'col' };
      const e = other === null ? mm({ t: 'ones', o: 'row' }, p.e) : mm(lead(p, other), ones);
      items = items.filter((it) => it !== p);
      if (other === null) coefficient = coefficient ? mm(coefficient, e) : e;
      else items.push({ e, idx: [other] });
      progressed = true;
      break;
    }
    if (progressed) continue;
    // (5) Two vectors on different free indices: an outer product.
    if (items.length === 2 && items.every((it) => it.idx.length === 1) && free.length === 2) {
      const [p, q] = items as [Item, Item];
      items = [{ e: mm(p.e, transpose(q.e)), idx: [p.idx[0]!, q.idx[0]!] }];
      continue;
    }
    break;
  }
  if (items.length > 1) return null;
  const rest = items[0];
  if (!rest) return { e: coefficient ?? { t: 'num', value: 1 }, idx: [] };
  if (rest.idx.some((i) => isSummed(i))) return null;
  return { e: coefficient ? scale(coefficient, rest.e) : rest.e, idx: rest.idx };
}
