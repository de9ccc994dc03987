// A seeded random generator of well-typed programs in the tensor-expression
// language, for property tests of the derivative engine.
//
// A program declares variables (scalars s, t; vectors x, y ∈ ℝⁿ, z ∈ ℝᵐ;
// matrices A, B ∈ ℝⁿˣⁿ, C ∈ ℝᵐˣⁿ, D ∈ ℝⁿˣᵐ; sometimes a symmetric S ∈ ℝⁿˣⁿ),
// defines zero to two intermediates (u, v, w), defines F (or writes it
// inline) and ends with one derivative request: ∂F/∂V for a variable V (now
// and then one F does not depend on, or a defined intermediate held
// independent), or the Hessian of a scalar F.
//
// Expressions are built by a small typed grammar over matrix shapes r×c with
// r, c ∈ {n, m, 1} (1×1 is a scalar, n×1 a column, 1×n a row), so every
// product is shape-valid. The grammar only produces forms whose value is
// finite and smooth at the engine's random points: logs and square roots of
// 1 + (…)², exponentials of bounded arguments, divisions by 1 + exp(…) or
// 2 + sin(…), and inverses/determinants only of plain square variables (the
// random point shifts those), of G Gᵀ + 3I, or of V + 5I. Values are kept
// moderate (see `magnitude`): arguments of nonlinear functions are shallow, and
// F and the intermediates are redrawn when a rough bound on their entries is
// large — when |F| ≫ |∂F|, float64 central differences drown in rounding, and
// the check would blame the engine for it.
//
// Every program has two spellings of the same tree: ASCII (`x' A x`, `.*`,
// `inv`, `d/dx`) and LaTeX (`\mathbf{x}^\top A \mathbf{x}`, `\odot`, `x^{\circ 2}`,
// `\frac{\partial F}{\partial x}`). Output is a pure function of the seed.

export type Spelling = 'ascii' | 'latex';
export type Dim = 'n' | 'm' | 1;

/** Matrix shape: rows × columns (1×1 scalar, d×1 column, 1×d row). */
export interface Ty {
  readonly r: Dim;
  readonly c: Dim;
}

export type Node =
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'ref'; readonly name: string }
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'elem'; readonly name: string; readonly idx: readonly number[] }
  | { readonly k: 'eye'; readonly d: 'n' | 'm' }
  | { readonly k: 'add' | 'sub' | 'mul' | 'had' | 'hdiv' | 'div' | 'frob'; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'neg' | 'T' | 'inv'; readonly a: Expr }
  | { readonly k: 'fn'; readonly fn: string; readonly a: Expr }
  | { readonly k: 'hpow'; readonly a: Expr; readonly p: number }
  | { readonly k: 'pow'; readonly a: Expr; readonly p: number };

/** A typed expression: its node, shape, and what it depends on. */
export interface Expr {
  readonly node: Node;
  readonly ty: Ty;
  /** Declared variables it depends on (through definitions too). */
  readonly vars: ReadonlySet<string>;
  /** Defined names it references (directly or through other definitions). */
  readonly refs: ReadonlySet<string>;
  /** A rough bound on |value| at typical points, used to keep exp() arguments small. */
  readonly bounded: boolean;
}

export interface GeneratedDefinition {
  readonly name: string;
  readonly expr: Expr;
}

export type GeneratedRequest =
  | { readonly kind: 'diff'; readonly wrt: string; readonly wrtIsDefinition: boolean; readonly dependent: boolean }
  | { readonly kind: 'hess'; readonly wrt: string; readonly wrtIsDefinition: false; readonly dependent: true };

export interface GeneratedProgram {
  readonly seed: number;
  readonly depth: number;
  readonly declarations: readonly VariableDecl[];
  readonly definitions: readonly GeneratedDefinition[];
  /** F, the function differentiated. */
  readonly f: Expr;
  /** Whether F is a definition (`F = …`, then `d/dx F`) or written inside the request. */
  readonly fDefined: boolean;
  readonly request: GeneratedRequest;
  /** The program text in one spelling. */
  source(spelling: Spelling): string;
  /** Everything but the request: declarations and definitions (F included when defined). */
  context(spelling: Spelling): string;
}

export interface VariableDecl {
  readonly name: string;
  readonly ty: Ty;
  readonly symmetric?: boolean;
}

// ── seeded randomness ─────────────────────────────────────────────────────

/** mulberry32, independent of the engine's own generator. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Picks by weight; entries with weight ≤ 0 are never chosen. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + Math.max(0, w), 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      if (w <= 0) continue;
      r -= w;
      if (r < 0) return item;
    }
    return items.find(([, w]) => w > 0)![0];
  }
}

/** The seed of the k-th program of a run with base seed `base`. */
export function programSeed(base: number, k: number): number {
  const mix = (x: number): number => {
    let h = x >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    return (h ^ (h >>> 16)) >>> 0;
  };
  return mix((mix(base ^ 0x9e3779b9) + Math.imul(k + 1, 0x9e3779b9)) >>> 0);
}

// ── shapes ────────────────────────────────────────────────────────────────

export const SCALAR: Ty = { r: 1, c: 1 };
const ty = (r: Dim, c: Dim): Ty => ({ r, c });
const same = (a: Ty, b: Ty) => a.r === b.r && a.c === b.c;
const isScalar = (t: Ty) => t.r === 1 && t.c === 1;
const isCol = (t: Ty) => t.r !== 1 && t.c === 1;
const isRow = (t: Ty) => t.r === 1 && t.c !== 1;
const isMatrix = (t: Ty) => t.r !== 1 && t.c !== 1;
const isSquare = (t: Ty) => isMatrix(t) && t.r === t.c;
const tr = (t: Ty): Ty => ({ r: t.c, c: t.r });

/** The declared shape of a matrix type: [] scalar, [d] vector (row or column), [r, c] matrix. */
export function dimsOf(t: Ty): Dim[] {
  if (isScalar(t)) return [];
  if (t.c === 1) return [t.r];
  if (t.r === 1) return [t.c];
  return [t.r, t.c];
}

export function tyText(t: Ty): string {
  return `${t.r}×${t.c}`;
}

// ── expressions ───────────────────────────────────────────────────────────

const EMPTY: ReadonlySet<string> = new Set();

function union(...sets: ReadonlySet<string>[]): Set<string> {
  const out = new Set<string>();
  for (const s of sets) for (const x of s) out.add(x);
  return out;
}

function children(n: Node): Expr[] {
  return 'b' in n ? [n.a, n.b] : 'a' in n ? [n.a] : [];
}

/** An expression from a node: its dependencies are its children's. */
function mk(node: Node, t: Ty, bounded = false): Expr {
  const parts = children(node);
  return { node, ty: t, vars: union(...parts.map((p) => p.vars)), refs: union(...parts.map((p) => p.refs)), bounded };
}

const num = (v: number): Expr => ({ node: { k: 'num', v }, ty: SCALAR, vars: EMPTY, refs: EMPTY, bounded: true });

/** A node as text with definitions expanded (and Sᵀ = S for the symmetric S), for equality tests. */
function structure(e: Expr, defs: ReadonlyMap<string, Expr>): string {
  const n = e.node;
  if (n.k === 'ref') return structure(defs.get(n.name)!, defs);
  if (n.k === 'T' && n.a.node.k === 'var' && n.a.node.name === 'S') return structure(n.a, defs);
  if (n.k === 'T' && n.a.node.k === 'T') return structure(n.a.node.a, defs);
  const kids = 'b' in n ? [n.a, n.b] : 'a' in n ? [n.a] : [];
  const own = JSON.stringify(n, (k, v) => (k === 'a' || k === 'b' ? undefined : v));
  return `${own}(${kids.map((c) => structure(c, defs)).join(',')})`;
}

/** a - b (or a + b) would be identically zero: norm2 or sqrt there is not differentiable. */
function cancels(k: 'add' | 'sub' | 'had', a: Expr, b: Expr, defs: ReadonlyMap<string, Expr>): boolean {
  const neg = (e: Expr): Expr | null => (e.node.k === 'neg' ? e.node.a : null);
  if (k === 'sub') return structure(a, defs) === structure(b, defs);
  if (k === 'add') {
    const nb = neg(b);
    const na = neg(a);
    return (nb !== null && structure(a, defs) === structure(nb, defs)) || (na !== null && structure(na, defs) === structure(b, defs));
  }
  return false;
}

/**
 * A rough bound on the size of an expression's entries at the random points
 * (entries of variables are about 1, conditioned matrices a few units, sizes 3 or 4).
 */
export function magnitude(e: Expr, defs: ReadonlyMap<string, Expr>): number {
  const n = e.node;
  const m = (x: Expr) => magnitude(x, defs);
  const cap = (v: number) => Math.min(v, 1e12);
  switch (n.k) {
    case 'var':
      return 3;
    case 'ref':
      return m(defs.get(n.name)!);
    case 'num':
      return Math.abs(n.v);
    case 'elem':
      return defs.has(n.name) ? m(defs.get(n.name)!) : 3;
    case 'eye':
      return 1;
    case 'add':
    case 'sub':
      return cap(m(n.a) + m(n.b));
    case 'mul': {
      const contracted = !isScalar(n.a.ty) && !isScalar(n.b.ty) && n.a.ty.c !== 1;
      return cap(m(n.a) * m(n.b) * (contracted ? 4 : 1));
    }
    case 'had':
      return cap(m(n.a) * m(n.b));
    case 'hdiv':
    case 'div':
    case 'neg':
    case 'T':
      return m(n.a);
    case 'frob':
      return cap(16 * m(n.a) * m(n.b));
    case 'inv':
      return 1;
    case 'pow':
    case 'hpow':
      return cap(m(n.a) ** n.p);
    case 'fn': {
      const a = m(n.a);
      switch (n.fn) {
        case 'sin':
        case 'cos':
        case 'tanh':
        case 'sigmoid':
        case 'softmax':
          return 1;
        case 'exp':
          return cap(Math.exp(Math.min(a, 50)));
        case 'log':
          return Math.log(1 + a);
        case 'sqrt':
          return Math.sqrt(a);
        case 'sum':
          return cap(16 * a);
        case 'tr':
        case 'norm2':
          return cap(4 * a);
        case 'logsumexp':
          return a + 2;
        case 'det':
          return cap((a + 3) ** 4);
        case 'logdet':
          return 4 * Math.log(a + 3);
        default:
          return a;
      }
    }
  }
}

/** Elementwise functions whose value is bounded for any argument. */
const BOUNDED_FNS = ['sin', 'cos', 'tanh', 'sigmoid'];

interface Scope {
  readonly vars: readonly VariableDecl[];
  readonly defs: readonly GeneratedDefinition[];
}

class ExprGen {
  constructor(
    private readonly rng: Rng,
    private readonly scope: Scope,
  ) {}

  /**
   * > 0 while generating an argument of a nonlinear function (sin, exp, a power, …).
   * Such arguments stay shallow and never hold a determinant: a large argument makes
   * F oscillate or grow faster than float64 central differences can follow.
   */
  private tame = 0;

  private gentle(t: Ty, d: number): Expr {
    this.tame++;
    try {
      for (let tries = 0; tries < 6; tries++) {
        const e = this.gen(t, Math.min(d, 2));
        if (magnitude(e, this.defs) <= 20) return e;
      }
      const plain = this.leaves(t).filter((e) => magnitude(e, this.defs) <= 20);
      return plain.length > 0 ? this.rng.pick(plain) : mk({ k: 'fn', fn: 'tanh', a: this.gen(t, 0) }, t, true);
    } finally {
      this.tame--;
    }
  }

  private get defs(): ReadonlyMap<string, Expr> {
    return new Map(this.scope.defs.map((d) => [d.name, d.expr] as const));
  }

  /** Leaves of type t: variables, transposed variables, definitions, elements. */
  private leaves(t: Ty): Expr[] {
    const out: Expr[] = [];
    for (const v of this.scope.vars) {
      const one = new Set([v.name]);
      if (same(v.ty, t)) out.push({ node: { k: 'var', name: v.name }, ty: t, vars: one, refs: EMPTY, bounded: false });
      else if (!isScalar(t) && same(tr(v.ty), t)) {
        const base: Expr = { node: { k: 'var', name: v.name }, ty: v.ty, vars: one, refs: EMPTY, bounded: false };
        out.push(mk({ k: 'T', a: base }, t));
      }
    }
    for (const d of this.scope.defs) {
      const refs = union(d.expr.refs, new Set([d.name]));
      const base: Expr = { node: { k: 'ref', name: d.name }, ty: d.expr.ty, vars: d.expr.vars, refs, bounded: d.expr.bounded };
      if (same(d.expr.ty, t)) out.push(base, base); // definitions are favoured: chaining is the point
      else if (!isScalar(t) && same(tr(d.expr.ty), t)) out.push(mk({ k: 'T', a: base }, t));
    }
    if (isScalar(t)) {
      // Elements (indices ≤ 3: every size is at least 3 at the random points).
      // Two elements of random variables, so s and t stay common leaves.
      const tensors = this.scope.vars.filter((v) => !isScalar(v.ty));
      for (const v of [this.rng.pick(tensors), this.rng.pick(tensors)]) {
        const idx = dimsOf(v.ty).map(() => this.rng.int(1, 3));
        out.push({ node: { k: 'elem', name: v.name, idx }, ty: SCALAR, vars: new Set([v.name]), refs: EMPTY, bounded: false });
      }
      for (const d of this.scope.defs) {
        if (isScalar(d.expr.ty)) continue;
        const idx = dimsOf(d.expr.ty).map(() => this.rng.int(1, 3));
        out.push({ node: { k: 'elem', name: d.name, idx }, ty: SCALAR, vars: d.expr.vars, refs: union(d.expr.refs, new Set([d.name])), bounded: false });
      }
    }
    return out;
  }

  leaf(t: Ty): Expr {
    if (isScalar(t) && this.rng.chance(0.08)) return num(this.rng.pick([2, 3, 0.5]));
    const options = this.leaves(t);
    if (options.length > 0) return this.rng.pick(options);
    // No variable has this shape (only m×m here): a small product of variables.
    const [a, b] = this.rng.pick<readonly [Ty, Ty]>([
      [ty(t.r, 'n'), ty('n', t.c)],
      [ty(t.r, 1), ty(1, t.c)],
    ]);
    return mk({ k: 'mul', a: this.leaf(a), b: this.leaf(b) }, t);
  }

  /** A random expression of type t with at most `depth` levels of operators. */
  gen(t: Ty, depth: number): Expr {
    if (depth <= 0 || (depth === 1 && this.rng.chance(0.3)) || this.rng.chance(0.12)) return this.leaf(t);
    const d = Math.max(depth - 1, 0);
    const r = this.rng;
    type Rule = () => Expr | null;
    const rules: (readonly [Rule, number])[] = [
      [() => this.binary('add', t, d), 3],
      [() => this.binary('sub', t, d), 2],
      [() => this.scale(t, d), 2],
      [() => mk({ k: 'neg', a: this.gen(t, d) }, t), 0.5],
      [() => this.elementwise(t, d), 3],
      [() => this.product(t, d), 5],
      [() => (isScalar(t) ? null : this.binary('had', t, d)), 2],
      [() => this.safeDivision(t, d), 1.5],
      [() => (isScalar(t) ? null : this.transposed(t, d)), 1],
      [() => this.byScalar(t, d), 0.7],
      [() => ((isCol(t) || isSquare(t)) ? this.inverseProduct(t, d) : null), 0.8],
      // scalars
      [() => (isScalar(t) ? this.reduction(d) : null), 5],
      [() => (isScalar(t) ? this.matrixScalar(d) : null), 2],
      [() => (isScalar(t) ? mk({ k: 'pow', a: this.gentle(SCALAR, d), p: r.pick([2, 3]) }, SCALAR) : null), 0.7],
      // vectors
      [() => (isCol(t) ? this.call('softmax', this.gen(t, d), t, true) : null), 1],
      [() => (isCol(t) ? this.call('diag', this.gen(ty(t.r, t.r), d), t) : null), 0.5],
      // matrices
      [() => (isSquare(t) ? this.call('diag', this.gen(ty(t.r, 1), d), t) : null), 0.7],
      [() => (isSquare(t) ? mk({ k: 'pow', a: this.gentle(t, d), p: 2 }, t) : null), 0.5],
      [() => (isSquare(t) ? this.shifted(t, d) : null), 0.5],
    ];
    for (let attempt = 0; attempt < 20; attempt++) {
      const e = r.weighted(rules)();
      if (e) return e;
    }
    return this.leaf(t);
  }

  private binary(k: 'add' | 'sub' | 'had', t: Ty, d: number): Expr {
    const a = this.gen(t, d);
    let b = this.gen(t, d);
    // a - a is identically zero, and norm2 or sqrt of zero is not differentiable: draw again.
    for (let tries = 0; tries < 5 && cancels(k, a, b, this.defs); tries++) b = this.gen(t, d);
    return mk({ k, a, b }, t, k === 'had' && a.bounded && b.bounded);
  }

  private scale(t: Ty, d: number): Expr {
    const c = this.rng.chance(0.5) ? num(this.rng.pick([2, 3, 0.5, 1.5])) : this.gen(SCALAR, Math.min(d, 2));
    const e = this.gen(t, d);
    return this.rng.chance(0.8) ? mk({ k: 'mul', a: c, b: e }, t) : mk({ k: 'mul', a: e, b: c }, t);
  }

  /** Smooth elementwise functions, with arguments kept where they are well behaved. */
  private elementwise(t: Ty, d: number): Expr {
    const which = this.rng.weighted<string>([
      ['sin', 2], ['cos', 1], ['tanh', 2], ['sigmoid', 2], ['softplus', 1], ['exp', 1.5], ['log1pexp', 1], ['sqrt1p2', 1], ['log1p2', 0.7],
    ]);
    const a = this.gentle(t, d);
    const one = num(1);
    switch (which) {
      case 'exp': {
        // exp of a small argument: a bounded function, or a tenth of anything shallow.
        const arg = a.bounded ? a : this.rng.chance(0.5) ? this.call(this.rng.pick(BOUNDED_FNS), a, t, true) : mk({ k: 'mul', a: num(0.1), b: this.gen(t, Math.min(d, 1)) }, t);
        return this.call('exp', (arg), t, a.bounded);
      }
      case 'log1pexp': {
        // log(1 + exp(a)), with a bounded so exp cannot overflow.
        const arg = a.bounded ? a : this.call('tanh', a, t, true);
        return this.call('log', (mk({ k: 'add', a: one, b: this.call('exp', arg, t, true) }, t)), t);
      }
      case 'sqrt1p2':
        return this.call('sqrt', (mk({ k: 'add', a: one, b: this.square(a) }, t)), t);
      case 'log1p2':
        return this.call('log', (mk({ k: 'add', a: one, b: this.square(a) }, t)), t);
      default:
        return this.call(which, a, t, BOUNDED_FNS.includes(which));
    }
  }

  private square(a: Expr): Expr {
    return isScalar(a.ty) ? mk({ k: 'pow', a, p: 2 }, a.ty) : mk({ k: 'hpow', a, p: 2 }, a.ty);
  }

  private call(fn: string, a: Expr, t: Ty, bounded = false): Expr {
    return mk({ k: 'fn', fn, a }, t, bounded);
  }

  /** A shape-valid product r×k · k×c. */
  private product(t: Ty, d: number): Expr {
    const inner = this.rng.weighted<Dim>([['n', 3], ['m', 2], [1, isScalar(t) ? 0.3 : 1]]);
    if (inner === 1 && (isScalar(t) || isCol(t) || isRow(t))) {
      // a scalar factor: s x, x s, s t
      return this.scale(t, d);
    }
    const a = this.gen(ty(t.r, inner), d);
    const b = this.gen(ty(inner, t.c), d);
    return mk({ k: 'mul', a, b }, t);
  }

  /** a ./ (something ≥ 1 in size): never near a division by zero. */
  private safeDivision(t: Ty, d: number): Expr {
    const a = this.gen(t, d);
    const g = this.gentle(t, d);
    const one = num(1);
    const den = this.rng.weighted<() => Expr>([
      [() => mk({ k: 'add', a: one, b: this.call('exp', g.bounded ? g : this.call('tanh', g, t, true), t, true) }, t), 2],
      [() => mk({ k: 'add', a: num(2), b: this.call(this.rng.pick(['sin', 'cos']), g, t, true) }, t), 1],
      [() => mk({ k: 'add', a: one, b: this.square(g) }, t), 1],
      [() => this.call('sqrt', mk({ k: 'add', a: one, b: this.square(g) }, t), t), 1],
    ])();
    if (isScalar(t)) return mk({ k: 'div', a, b: den }, t);
    return mk({ k: 'hdiv', a, b: den }, t);
  }

  /** a / (1 + s²): division by a scalar. */
  private byScalar(t: Ty, d: number): Expr {
    const a = this.gen(t, d);
    const s = this.gentle(SCALAR, Math.min(d, 1));
    const den = mk({ k: 'add', a: num(1), b: this.square(s) }, SCALAR);
    return mk({ k: 'div', a, b: den }, t);
  }

  private transposed(t: Ty, d: number): Expr {
    const a = this.gen(tr(t), d);
    return mk({ k: 'T', a }, t);
  }

  /** A square matrix that is safely invertible at the random points. */
  private conditioned(size: 'n' | 'm', d: number): Expr {
    const sq = ty(size, size);
    const plain = this.scope.vars.filter((v) => same(v.ty, sq));
    const choice = this.rng.weighted<string>([['plain', plain.length > 0 ? 2 : 0], ['gram', 2], ['shift', plain.length > 0 ? 1 : 0]]);
    if (choice === 'plain') {
      const v = this.rng.pick(plain);
      return { node: { k: 'var', name: v.name }, ty: sq, vars: new Set([v.name]), refs: EMPTY, bounded: false };
    }
    if (choice === 'shift') {
      const v = this.rng.pick(plain);
      const x: Expr = { node: { k: 'var', name: v.name }, ty: sq, vars: new Set([v.name]), refs: EMPTY, bounded: false };
      const shift = mk({ k: 'mul', a: num(5), b: { node: { k: 'eye', d: size }, ty: sq, vars: EMPTY, refs: EMPTY, bounded: true } }, sq);
      return mk({ k: 'add', a: x, b: shift }, sq);
    }
    // G Gᵀ + 3I for any G with `size` rows.
    const k = this.rng.pick<Dim>(['n', 'm', 1]);
    // G stays moderate, so G Gᵀ + 3I is well conditioned (condition number ≲ 10³).
    const g = this.gentle(ty(size, k), d);
    const gram = mk({ k: 'mul', a: g, b: mk({ k: 'T', a: g }, ty(k, size)) }, sq);
    const shift = mk({ k: 'mul', a: num(3), b: { node: { k: 'eye', d: size }, ty: sq, vars: EMPTY, refs: EMPTY, bounded: true } }, sq);
    return mk({ k: 'add', a: gram, b: shift }, sq);
  }

  private inverseProduct(t: Ty, d: number): Expr {
    const size = t.r as 'n' | 'm';
    const w = this.conditioned(size, d);
    const inv = mk({ k: 'inv', a: w }, ty(size, size));
    if (isSquare(t) && this.rng.chance(0.5)) return inv;
    const b = this.gen(t, d);
    return mk({ k: 'mul', a: inv, b }, t);
  }

  private shifted(t: Ty, d: number): Expr {
    const a = this.gen(t, d);
    const eye: Expr = { node: { k: 'eye', d: t.r as 'n' | 'm' }, ty: t, vars: EMPTY, refs: EMPTY, bounded: true };
    const c = num(this.rng.pick([1, 2, 3]));
    return mk({ k: 'add', a, b: mk({ k: 'mul', a: c, b: eye }, t) }, t);
  }

  /** Scalar reductions of a vector or matrix. */
  private reduction(d: number): Expr {
    const t = this.rng.pick<Ty>([ty('n', 1), ty('m', 1), ty('n', 'n'), ty('m', 'n'), ty('n', 'm'), ty('m', 'm'), ty(1, 'n')]);
    const which = this.rng.weighted<string>([
      ['sum', 3], ['norm2', 1.5], ['logsumexp', isCol(t) ? 1.5 : 0], ['tr', isSquare(t) ? 2 : 0], ['frob', isMatrix(t) ? 2 : 0.7], ['dot', isCol(t) ? 2 : 0],
    ]);
    if (which === 'frob') {
      const a = this.gen(t, d);
      const b = this.gen(t, d);
      return mk({ k: 'frob', a, b }, SCALAR);
    }
    if (which === 'dot') {
      const a = this.gen(t, d);
      const b = this.gen(t, d);
      return mk({ k: 'mul', a: mk({ k: 'T', a }, tr(t)), b }, SCALAR);
    }
    return this.call(which, this.gen(t, d), SCALAR);
  }

  /** det and logdet of a well-conditioned square matrix (det only of small ones: a huge F drowns ∂F/∂t in rounding). */
  private matrixScalar(d: number): Expr {
    const size = this.rng.pick<'n' | 'm'>(['n', 'n', 'm']);
    const fn = this.tame > 0 ? 'logdet' : this.rng.pick(['det', 'logdet', 'logdet']);
    const w = this.conditioned(size, fn === 'det' ? Math.min(d, 1) : d);
    return this.call(fn, w, SCALAR);
  }
}

// ── printing ──────────────────────────────────────────────────────────────

// Precedence: 1 sum, 2 Frobenius, 3 product, 4 unary minus, 5 postfix/power, 6 atom.
interface Printed {
  readonly s: string;
  readonly p: number;
}

/** Spelling choices are drawn once per node from this stream, so both spellings stay deterministic. */
class Printer {
  constructor(
    private readonly spelling: Spelling,
    private readonly rng: Rng,
    private readonly kinds: ReadonlyMap<string, Ty>,
  ) {}

  private get L(): boolean {
    return this.spelling === 'latex';
  }

  private paren(x: Printed, min: number): string {
    if (x.p >= min) return x.s;
    return this.L && this.rng.chance(0.5) ? `\\left(${x.s}\\right)` : `(${x.s})`;
  }

  name(name: string): string {
    if (!this.L) return name;
    const t = this.kinds.get(name);
    if (t && !isScalar(t) && this.rng.chance(0.6)) return `\\mathbf{${name}}`;
    return name;
  }

  print(e: Expr): Printed {
    const n = e.node;
    const L = this.L;
    const r = this.rng;
    switch (n.k) {
      case 'var':
      case 'ref':
        return { s: this.name(n.name), p: 6 };
      case 'num':
        if (L && n.v === 0.5 && r.chance(0.5)) return { s: '\\frac{1}{2}', p: 6 };
        return { s: String(n.v), p: 6 };
      case 'elem': {
        if (!L) return { s: `${n.name}[${n.idx.join(',')}]`, p: 6 };
        if (n.idx.length === 1) return { s: r.chance(0.5) ? `${n.name}_${n.idx[0]}` : `${n.name}_{${n.idx[0]}}`, p: 6 };
        return { s: r.chance(0.5) ? `${n.name}_{${n.idx.join('')}}` : `${n.name}_{${n.idx.join(',')}}`, p: 6 };
      }
      case 'eye':
        return { s: L ? 'I' : r.chance(0.5) ? `eye(${n.d})` : 'I', p: 6 };
      case 'add':
      case 'sub': {
        const a = this.print(n.a);
        const b = this.print(n.b);
        return { s: `${this.paren(a, 1)} ${n.k === 'add' ? '+' : '-'} ${this.paren(b, 2)}`, p: 1 };
      }
      case 'frob': {
        const a = this.print(n.a);
        const b = this.print(n.b);
        return { s: `${this.paren(a, 5)} : ${this.paren(b, 5)}`, p: 2 };
      }
      case 'mul': {
        const a = this.print(n.a);
        const b = this.print(n.b);
        const left = n.a.node.k === 'mul' ? this.paren(a, 3) : this.paren(a, 5);
        const right = this.paren(b, 5);
        const scaling = isScalar(n.a.ty) || isScalar(n.b.ty);
        let op: string;
        if (L) op = scaling && r.chance(0.3) ? ' \\cdot ' : ' ';
        else op = r.chance(0.5) ? ' * ' : r.chance(0.3) && /^[A-Za-z]/.test(right) && /[A-Za-z0-9')\]]$/.test(left) ? ' ' : ' * ';
        // Juxtaposition of a number and a following number would read as one number.
        if (op === ' ' && /[0-9.]$/.test(left) && /^[0-9.]/.test(right)) op = L ? ' \\cdot ' : ' * ';
        return { s: `${left}${op}${right}`, p: 3 };
      }
      case 'had':
      case 'hdiv': {
        const a = this.print(n.a);
        const b = this.print(n.b);
        const op = n.k === 'had' ? (L ? (r.chance(0.8) ? '\\odot' : '\\circ') : r.chance(0.85) ? '.*' : '⊙') : L ? '\\oslash' : r.chance(0.85) ? './' : '⊘';
        return { s: `${this.paren(a, 5)} ${op} ${this.paren(b, 5)}`, p: 3 };
      }
      case 'div': {
        const a = this.print(n.a);
        const b = this.print(n.b);
        if (L) return { s: `\\frac{${a.s}}{${b.s}}`, p: 6 };
        return { s: `${this.paren(a, 5)} / ${this.paren(b, 5)}`, p: 3 };
      }
      case 'neg': {
        const a = this.print(n.a);
        return { s: `-${this.paren(a, 5)}`, p: 4 };
      }
      case 'T': {
        const a = this.print(n.a);
        const base = this.paren(a, 6);
        if (!L) return { s: `${base}${r.chance(0.8) ? "'" : '^T'}`, p: 5 };
        return { s: `${base}${r.pick(['^\\top', '^T', '^{\\top}', '^{T}'])}`, p: 5 };
      }
      case 'inv': {
        const a = this.print(n.a);
        if (!L && r.chance(0.6)) return { s: `inv(${a.s})`, p: 6 };
        return { s: `${this.paren(a, 6)}^{-1}`, p: 5 };
      }
      case 'pow': {
        const a = this.print(n.a);
        return { s: L || r.chance(0.5) ? `${this.paren(a, 6)}^{${n.p}}` : `${this.paren(a, 6)}^${n.p}`, p: 5 };
      }
      case 'hpow': {
        const a = this.print(n.a);
        if (!L) return { s: `${this.paren(a, 6)} .^ ${n.p}`, p: 5 };
        // The Hadamard power as the engine's LaTeX printer writes it; `.^` mixes in now and then.
        return { s: r.chance(0.8) ? `${this.paren(a, 6)}^{${r.chance(0.8) ? '\\circ' : '\\odot'} ${n.p}}` : `${this.paren(a, 6)} .^ ${n.p}`, p: 5 };
      }
      case 'fn':
        return this.call(n.fn, n.a);
    }
  }

  private call(fn: string, arg: Expr): Printed {
    const a = this.print(arg);
    const r = this.rng;
    if (!this.L) return { s: `${fn}(${a.s})`, p: 6 };
    const lr = (s: string) => (r.chance(0.5) ? `\\left(${s}\\right)` : `(${s})`);
    switch (fn) {
      case 'sin':
      case 'cos':
      case 'tanh':
      case 'exp':
      case 'det':
        return { s: `\\${fn}${lr(a.s)}`, p: 6 };
      case 'log':
        return { s: `${r.chance(0.7) ? '\\log' : '\\ln'}${lr(a.s)}`, p: 6 };
      case 'sigmoid':
        return { s: `\\sigma${lr(a.s)}`, p: 6 };
      case 'sqrt':
        return { s: `\\sqrt{${a.s}}`, p: 6 };
      case 'logdet':
        // Not an atom: \log\det(X)^{2} reads as log(det(X)²).
        return { s: `\\log\\det${lr(a.s)}`, p: 5 };
      case 'tr':
        return { s: `${r.pick(['\\operatorname{tr}', '\\mathrm{Tr}', '\\operatorname{Tr}'])}${lr(a.s)}`, p: 6 };
      case 'norm2':
        return { s: r.chance(0.5) ? `\\|${a.s}\\|` : `\\left\\lVert ${a.s} \\right\\rVert`, p: 6 };
      default:
        return { s: `\\operatorname{${fn}}${lr(a.s)}`, p: 6 };
    }
  }
}

// ── programs ──────────────────────────────────────────────────────────────

const BASE_VARIABLES: readonly VariableDecl[] = [
  { name: 's', ty: SCALAR },
  { name: 't', ty: SCALAR },
  { name: 'x', ty: ty('n', 1) },
  { name: 'y', ty: ty('n', 1) },
  { name: 'z', ty: ty('m', 1) },
  { name: 'A', ty: ty('n', 'n') },
  { name: 'B', ty: ty('n', 'n') },
  { name: 'C', ty: ty('m', 'n') },
  { name: 'D', ty: ty('n', 'm') },
];

function declare(v: VariableDecl, spelling: Spelling, rng: Rng): string {
  const dims = dimsOf(v.ty);
  if (spelling === 'latex') {
    const name = dims.length === 1 && rng.chance(0.5) ? `\\mathbf{${v.name}}` : v.name;
    const space = dims.length === 0 ? '\\mathbb{R}' : dims.length === 1 ? `\\mathbb{R}^{${dims[0]}}` : `\\mathbb{R}^{${dims[0]} \\times ${dims[1]}}`;
    // The language spells properties in ASCII only; the spellings mix freely.
    return `${name} \\in ${space}${v.symmetric ? ' symmetric' : ''}`;
  }
  const space = dims.length === 0 ? 'R' : dims.length === 1 ? `R^${dims[0]}` : rng.pick([`R^{${dims[0]}×${dims[1]}}`, `R^{${dims[0]} x ${dims[1]}}`, `R^(${dims[0]},${dims[1]})`]);
  return `${v.name}: ${space}${v.symmetric ? ' symmetric' : ''}`;
}

export interface GenerateOptions {
  /** Depth of F's expression; default: uniform in [2, 5]. */
  readonly depth?: number;
}

export function generateProgram(seed: number, options: GenerateOptions = {}): GeneratedProgram {
  const rng = new Rng(seed);
  const depth = options.depth ?? rng.int(2, 5);
  const vars: VariableDecl[] = [...BASE_VARIABLES];
  if (rng.chance(0.4)) vars.push({ name: 'S', ty: ty('n', 'n'), symmetric: true });
  // Declaration order varies (declarations are order-free).
  const order = [...vars];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }

  const defs: GeneratedDefinition[] = [];
  const defCount = rng.weighted<number>([[0, 3], [1, 3], [2, 2]]);
  const shapes: Ty[] = [SCALAR, ty('n', 1), ty('n', 1), ty('m', 1), ty('n', 'n'), ty('m', 'n')];
  for (let k = 0; k < defCount; k++) {
    const name = ['u', 'v', 'w'][k]!;
    const g = new ExprGen(rng, { vars, defs: [...defs] });
    const shape = rng.pick(shapes);
    const dm = new Map(defs.map((x) => [x.name, x.expr] as const));
    let e = g.gen(shape, rng.int(1, 3));
    // Chaining: a later definition uses an earlier one when it can; values stay moderate.
    const poorDef = (x: Expr) => (k > 0 && !x.refs.has(defs[k - 1]!.name)) || magnitude(x, dm) > 1e3;
    for (let tries = 0; tries < 16 && poorDef(e); tries++) e = g.gen(shape, tries < 8 ? rng.int(1, 3) : 1);
    defs.push({ name, expr: e });
  }

  const fTy = rng.weighted<Ty>([
    [SCALAR, 6], [ty('n', 1), 2], [ty('m', 1), 1.5], [ty(1, 'n'), 0.5], [ty('n', 'n'), 1], [ty('m', 'n'), 0.7], [ty('n', 'm'), 0.5],
  ]);
  const g = new ExprGen(rng, { vars, defs });
  let f = g.gen(fTy, depth);
  const dm = new Map(defs.map((x) => [x.name, x.expr] as const));
  // F should be more than a bare leaf, use the last definition when there is one, and not be huge
  // (when |F| ≫ |∂F|, float64 central differences drown in rounding).
  const poor = (e: Expr) =>
    e.node.k === 'var' || e.node.k === 'ref' || e.node.k === 'num' || e.node.k === 'elem' || (defs.length > 0 && !e.refs.has(defs[defs.length - 1]!.name)) || magnitude(e, dm) > 1e4;
  for (let tries = 0; tries < 30 && poor(f); tries++) f = g.gen(fTy, tries < 10 ? depth : 2);

  const fDefined = defs.length > 0 ? rng.chance(0.8) : rng.chance(0.5);
  let request: GeneratedRequest;
  const dependent = vars.filter((v) => f.vars.has(v.name)).map((v) => v.name);
  const independent = vars.filter((v) => !f.vars.has(v.name)).map((v) => v.name);
  const cuts = defs.filter((d) => f.refs.has(d.name)).map((d) => d.name);
  const kind = rng.weighted<string>([
    ['dependent', dependent.length > 0 ? 7 : 0],
    ['independent', independent.length > 0 ? 1 : 0],
    ['definition', cuts.length > 0 ? 1.2 : 0],
    ['hess', isScalar(fTy) && dependent.length > 0 ? 1.5 : 0],
  ]);
  if (kind === 'hess') {
    // Hessians by a vector mostly; by a scalar or a matrix now and then.
    const vecs = dependent.filter((n) => ['x', 'y', 'z'].includes(n));
    const wrt = vecs.length > 0 && rng.chance(0.75) ? rng.pick(vecs) : rng.pick(dependent);
    request = { kind: 'hess', wrt, wrtIsDefinition: false, dependent: true };
  } else if (kind === 'definition') {
    request = { kind: 'diff', wrt: rng.pick(cuts), wrtIsDefinition: true, dependent: true };
  } else if (kind === 'independent') {
    request = { kind: 'diff', wrt: rng.pick(independent), wrtIsDefinition: false, dependent: false };
  } else {
    request = { kind: 'diff', wrt: rng.pick(dependent), wrtIsDefinition: false, dependent: true };
  }

  const kinds = new Map<string, Ty>([...vars.map((v) => [v.name, v.ty] as const), ...defs.map((d) => [d.name, d.expr.ty] as const)]);
  const printSeed = (rng.next() * 4294967296) >>> 0;
  const texts = new Map<Spelling, { context: string; source: string }>();
  const render = (spelling: Spelling) => {
    const hit = texts.get(spelling);
    if (hit) return hit;
    const pr = new Rng(printSeed ^ (spelling === 'latex' ? 0x5bd1e995 : 0));
    const printer = new Printer(spelling, pr, kinds);
    const lines: string[] = [];
    // Several declarations per line now and then.
    for (let i = 0; i < order.length; ) {
      const run = spelling === 'ascii' && !order[i]!.symmetric && pr.chance(0.3) ? 2 : 1;
      const group = order.slice(i, i + run).filter((v, k) => k === 0 || !v.symmetric);
      lines.push(group.map((v) => declare(v, spelling, pr)).join(', '));
      i += group.length;
    }
    for (const d of defs) lines.push(`${d.name} = ${printer.print(d.expr).s}`);
    const fText = printer.print(f).s;
    if (fDefined) lines.push(`F = ${fText}`);
    const context = lines.join('\n');
    const of = fDefined ? 'F' : fText;
    const wrt = request.wrt;
    let req: string;
    if (spelling === 'ascii') {
      if (request.kind === 'hess') req = fDefined ? `hess(F, ${wrt})` : `hess(${of}, ${wrt})`;
      else if (fDefined) req = pr.pick([`d/d${wrt} F`, `dF/d${wrt}`, `diff(F, ${wrt})`, isScalar(fTy) ? `grad(F, ${wrt})` : `jacobian(F, ${wrt})`]);
      else req = pr.chance(0.7) ? `d/d${wrt} (${of})` : `diff(${of}, ${wrt})`;
    } else {
      const w = kinds.get(wrt) && !isScalar(kinds.get(wrt)!) && pr.chance(0.5) ? `\\mathbf{${wrt}}` : wrt;
      if (request.kind === 'hess') {
        req = fDefined
          ? pr.pick([`\\nabla^2_{${w}} F`, ...(isCol(kinds.get(wrt)!) ? [`\\frac{\\partial^2 F}{\\partial ${w} \\partial ${w}^T}`] : [])])
          : isCol(kinds.get(wrt)!) || isScalar(kinds.get(wrt)!)
            ? `\\frac{\\partial^2}{\\partial ${w}^2} \\left(${of}\\right)`
            : `\\nabla^2_{${w}} \\left(${of}\\right)`;
      } else if (fDefined) req = pr.chance(0.8) || !isScalar(fTy) ? `\\frac{\\partial F}{\\partial ${w}}` : `\\nabla_{${w}} F`;
      else req = `\\frac{\\partial}{\\partial ${w}} \\left(${of}\\right)`;
    }
    const out = { context, source: `${context}\n${req}` };
    texts.set(spelling, out);
    return out;
  };

  return {
    seed,
    depth,
    declarations: order,
    definitions: defs,
    f,
    fDefined,
    request,
    source: (spelling) => render(spelling).source,
    context: (spelling) => render(spelling).context,
  };
}
