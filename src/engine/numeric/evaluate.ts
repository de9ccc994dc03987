// Numeric evaluation of typed terms (see ../shape/term.ts) on float64 tensors.
//
// Invariants:
// - `evaluate` never throws: a missing value, sizes that disagree, an index
//   out of range, a singular matrix, or a term that has no numeric value
//   (`deriv`, `opaque`) come back as `{ ok: false, message }`.
// - Symbolic sizes are fixed before evaluation starts: by `env.sizes`, then by
//   the dims of the tensors bound to variables (x: ℝⁿ bound to 3 entries fixes
//   n = 3). Every binding must agree with every other.
// - Every node's value is checked against the node's shape (with the sizes
//   substituted), so a result always has the dims its term promises.
// - A definition reached through `ref` is evaluated once per call (memoized).
// - Vectors carry no orientation at runtime: a transposed vector has the same
//   data; the term's shape says whether it is a row or a column.
// - Real semantics with IEEE special values: log of a negative entry is NaN,
//   x/0 is ±∞; logdet(X) is log(det X), NaN when det X ≤ 0 (not log|det X|).
// - The returned tensor is fresh: it never shares storage with env values.

import type { Dim } from '../shape/shape';
import type { Term } from '../shape/term';
import { ELEMENTWISE, logsumexp, norm1, norm2, softmax, sum } from './functions';
import { determinant, inverse, logDeterminant, matmul, matrixPower, transpose2 } from './linalg';
import { fail, ok, type Result } from './result';
import { clone, dimsEqual, formatDims, full, identity, offsetOf, scalar, sizeOf, zeros, type Tensor } from './tensor';
import { definitionMap, variableUses, type DefinitionLookup, type DefinitionSource } from './terms';

export interface EvalEnv {
  /** Values of the variables, by name. */
  readonly values: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;
  /** Concrete values for symbolic sizes; any others are derived from `values`. */
  readonly sizes?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** The definitions that `ref` terms point to (analysis.elaboration.definitions). */
  readonly definitions?: DefinitionSource;
}

/** The value of `term` in `env`. */
export function evaluate(term: Term, env: EvalEnv): Result<Tensor> {
  try {
    const ev = new Evaluator(env);
    ev.fixSizes(term);
    return ok(clone(ev.run(term)));
  } catch (e) {
    return fail(e instanceof EvalError ? e.message : `Internal error during evaluation: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The sizes a term's symbolic dims take in `env` (explicit sizes, then those
 * fixed by the bound variables), or why they are inconsistent.
 */
export function resolveSizes(term: Term, env: EvalEnv): Result<Map<string, number>> {
  try {
    const ev = new Evaluator(env);
    ev.fixSizes(term);
    return ok(new Map(ev.sizes));
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

/**
 * `term` as a function of the variable `name`, other values held fixed: the
 * shape finite differences need. Fails up front when `term` cannot be
 * evaluated at `env`; the returned function throws if a later input makes
 * evaluation fail (for example a perturbed matrix becoming singular).
 */
export function functionOf(term: Term, env: EvalEnv, name: string): Result<(x: Tensor) => Tensor> {
  const first = evaluate(term, env);
  if (!first.ok) return first;
  const base = toMap(env.values);
  return ok((x: Tensor): Tensor => {
    const values = new Map(base);
    values.set(name, x);
    const r = evaluate(term, { ...env, values });
    if (!r.ok) throw new Error(r.message);
    return r.value;
  });
}

class EvalError extends Error {}

function bad(message: string): never {
  throw new EvalError(message);
}

function toMap<V>(m: ReadonlyMap<string, V> | Readonly<Record<string, V>> | undefined): Map<string, V> {
  if (!m) return new Map();
  if (m instanceof Map) return new Map(m);
  return new Map(Object.entries(m as Readonly<Record<string, V>>));
}

class Evaluator {
  readonly sizes: Map<string, number>;
  private readonly sizeOrigin = new Map<string, string>();
  private readonly values: Map<string, Tensor>;
  private readonly defs: DefinitionLookup;
  private readonly memo = new Map<number, Tensor>();
  private readonly active = new Set<number>();

  constructor(env: EvalEnv) {
    this.values = toMap(env.values);
    this.sizes = toMap(env.sizes);
    this.defs = definitionMap(env.definitions);
    for (const [name, n] of this.sizes) {
      if (!Number.isInteger(n) || n < 0) bad(`The size ${name} = ${n} is not a whole number.`);
      this.sizeOrigin.set(name, 'the given sizes');
    }
  }

  /** Binds symbolic sizes from the variables' values and checks every binding agrees. */
  fixSizes(term: Term): void {
    for (const use of variableUses(term, this.defs)) {
      const t = this.values.get(use.name);
      if (!t) bad(`No value is given for the variable ${use.name}.`);
      const declared = use.dims.map(String).join('×') || 'scalar';
      if (t.dims.length !== use.dims.length) {
        bad(`${use.name} is declared ${declared} (rank ${use.dims.length}) but its value is ${formatDims(t.dims)} (rank ${t.dims.length}).`);
      }
      use.dims.forEach((d, k) => {
        const actual = t.dims[k]!;
        if (typeof d === 'number') {
          if (d !== actual) bad(`${use.name} is declared ${declared} but its value is ${formatDims(t.dims)}: axis ${k + 1} has ${actual} entries, not ${d}.`);
          return;
        }
        const known = this.sizes.get(d);
        if (known === undefined) {
          this.sizes.set(d, actual);
          this.sizeOrigin.set(d, `the value of ${use.name}`);
        } else if (known !== actual) {
          bad(`Inconsistent sizes: ${this.sizeOrigin.get(d)} fixes ${d} = ${known}, but the value of ${use.name} (${declared}) is ${formatDims(t.dims)}, so ${d} = ${actual}.`);
        }
      });
    }
  }

  private dim(d: Dim): number {
    if (typeof d === 'number') return d;
    const n = this.sizes.get(d);
    if (n === undefined) bad(`The size ${d} is unknown: no variable fixes it, so give it in sizes.`);
    return n;
  }

  run(t: Term): Tensor {
    const v = this.evalInner(t);
    // Check the value against the term's shape, where its sizes are known.
    const ok = v.dims.length === t.shape.dims.length &&
      t.shape.dims.every((d, k) => (typeof d === 'number' ? d : this.sizes.get(d) ?? v.dims[k]) === v.dims[k]);
    if (!ok) bad(`Internal: a ${t.op}${t.fn ? ` (${t.fn})` : ''} term of shape ${t.shape.dims.join('×') || 'scalar'} evaluated to ${formatDims(v.dims)}.`);
    return v;
  }

  private evalInner(t: Term): Tensor {
    const a = (): Tensor => this.run(t.args[0]!);
    const b = (): Tensor => this.run(t.args[1]!);
    switch (t.op) {
      case 'var':
        return this.values.get(t.name!) ?? bad(`No value is given for the variable ${t.name}.`);
      case 'ref':
        return this.ref(t);
      case 'const':
        return scalar(t.value!);
      case 'fill':
        return full(t.shape.dims.map((d) => this.dim(d)), t.value!);
      case 'eye':
        return identity(this.dim(t.shape.dims[0]!));
      case 'unit': {
        const n = this.dim(t.shape.dims[0]!);
        const k = t.index?.[0] ?? -1;
        if (k < 0 || k >= n) bad(`The unit vector e_${k + 1} is outside a ${n}-vector (indices start at 1).`);
        const e = full([n], 0);
        e.data[k] = 1;
        return e;
      }
      case 'elem': {
        const x = a();
        const index = t.index ?? [];
        if (index.length !== x.dims.length || index.some((i, k) => i < 0 || i >= x.dims[k]!)) {
          bad(`The element [${index.map((i) => i + 1).join(',')}] is outside a ${formatDims(x.dims)} tensor (indices start at 1).`);
        }
        return scalar(x.data[offsetOf(x.dims, index)]!);
      }
      case 'array':
        return stack(t.args.map((x) => this.run(x)));
      case 'neg':
        return mapData(a(), (x) => -x);
      case 'add':
        return broadcast(a(), b(), (x, y) => x + y, '+');
      case 'sub':
        return broadcast(a(), b(), (x, y) => x - y, '−');
      case 'hadamard':
        return broadcast(a(), b(), (x, y) => x * y, '⊙');
      case 'hdiv':
        return broadcast(a(), b(), (x, y) => x / y, '⊘');
      case 'hpow':
        return broadcast(a(), b(), Math.pow, '.^');
      case 'scale': {
        const s = a();
        if (s.dims.length !== 0) bad(`A scaling factor must be a scalar, not ${formatDims(s.dims)}.`);
        const k = s.data[0]!;
        return mapData(b(), (x) => k * x);
      }
      case 'matmul':
        return product(t.fn ?? '', a(), b());
      case 'frob': {
        const [x, y] = [a(), b()];
        if (!dimsEqual(x.dims, y.dims)) bad(`The Frobenius product needs equal shapes, not ${formatDims(x.dims)} and ${formatDims(y.dims)}.`);
        let s = 0;
        for (let i = 0; i < x.data.length; i++) s += x.data[i]! * y.data[i]!;
        return scalar(s);
      }
      case 'pow': {
        const [x, y] = [a(), b()];
        if (x.dims.length !== 0 || y.dims.length !== 0) bad('A scalar power needs a scalar base and exponent.');
        return scalar(Math.pow(x.data[0]!, y.data[0]!));
      }
      case 'matpow': {
        const k = t.value ?? NaN;
        if (!Number.isInteger(k) || k < 0) bad(`A matrix power needs a whole exponent ≥ 0, not ${k}.`);
        return matrixPower(square(a(), 'A matrix power'), k);
      }
      case 'inv': {
        const x = a();
        if (x.dims.length === 0) return scalar(1 / x.data[0]!);
        return inverse(square(x, 'The inverse')) ?? bad('The matrix is singular (to working precision), so it has no inverse.');
      }
      case 'transpose': {
        const x = a();
        if (x.dims.length <= 1) return x;
        if (x.dims.length === 2) return transpose2(x);
        return bad(`Transpose is not defined for a ${formatDims(x.dims)} tensor.`);
      }
      case 'call':
        return call(t.fn ?? '', a());
      case 'deriv':
        return bad('A derivative inside an expression has no numeric value here; evaluate its formula instead.');
      case 'opaque':
        return bad(`${t.name ?? 'This function'} is declared by its signature only, so it has no numeric value.`);
    }
  }

  private ref(t: Term): Tensor {
    const id = t.def;
    if (id === undefined) bad(`The reference ${t.name ?? ''} does not name a definition.`);
    const memo = this.memo.get(id);
    if (memo) return memo;
    const def = this.defs.get(id) ?? bad(`The definition of ${t.name ?? `#${id}`} is not available (pass the analysis' definitions).`);
    if (this.active.has(id)) bad(`The definition of ${t.name ?? `#${id}`} depends on itself.`);
    this.active.add(id);
    const v = this.run(def.value);
    this.active.delete(id);
    this.memo.set(id, v);
    return v;
  }
}

function mapData(t: Tensor, f: (x: number) => number): Tensor {
  const out = new Float64Array(t.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(t.data[i]!);
  return { dims: t.dims, data: out };
}

/** Elementwise f on equal shapes; a scalar operand broadcasts to the other's shape. */
function broadcast(x: Tensor, y: Tensor, f: (x: number, y: number) => number, symbol: string): Tensor {
  if (x.dims.length === 0 && y.dims.length !== 0) return mapData(y, (v) => f(x.data[0]!, v));
  if (y.dims.length === 0) return mapData(x, (v) => f(v, y.data[0]!));
  if (!dimsEqual(x.dims, y.dims)) bad(`${formatDims(x.dims)} ${symbol} ${formatDims(y.dims)}: elementwise operations need equal shapes.`);
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(x.data[i]!, y.data[i]!);
  return { dims: x.dims, data: out };
}

/** Stacks equal-shaped tensors along a new leading axis. */
function stack(items: Tensor[]): Tensor {
  const inner = items[0]?.dims ?? [];
  for (const it of items) if (!dimsEqual(it.dims, inner)) bad(`Array entries must have equal shapes, not ${formatDims(inner)} and ${formatDims(it.dims)}.`);
  const out = zeros([items.length, ...inner]);
  const n = sizeOf(inner);
  items.forEach((it, k) => out.data.set(it.data, k * n));
  return out;
}

function square(x: Tensor, what: string): Tensor {
  if (x.dims.length !== 2 || x.dims[0] !== x.dims[1]) bad(`${what} needs a square matrix, not ${formatDims(x.dims)}.`);
  return x;
}

function asMatrix(x: Tensor, rows: number, cols: number): Tensor {
  return { dims: [rows, cols], data: x.data };
}

const PRODUCT_RANKS: Readonly<Record<string, readonly [number, number]>> = { mm: [2, 2], mv: [2, 1], vm: [1, 2], dot: [1, 1], outer: [1, 1] };

/** The matrix products of term.ts: mm, mv, vm, dot (row·column) and outer (column·row). */
function product(kind: string, x: Tensor, y: Tensor): Tensor {
  const rx = x.dims.length;
  const ry = y.dims.length;
  const want = PRODUCT_RANKS[kind];
  if (!want) bad(`Unknown matrix product kind '${kind}'.`);
  if (rx !== want[0] || ry !== want[1]) bad(`The ${kind} product cannot take ${formatDims(x.dims)} and ${formatDims(y.dims)}.`);
  const n0 = x.dims[0]!;
  const inner = (p: number, q: number): void => {
    if (p !== q) bad(`${formatDims(x.dims)} · ${formatDims(y.dims)}: inner dimensions ${p} ≠ ${q}.`);
  };
  switch (kind) {
    case 'mm':
      inner(x.dims[1]!, y.dims[0]!);
      return matmul(x, y);
    case 'mv':
      inner(x.dims[1]!, y.dims[0]!);
      return { dims: [n0], data: matmul(x, asMatrix(y, y.dims[0]!, 1)).data };
    case 'vm':
      inner(n0, y.dims[0]!);
      return { dims: [y.dims[1]!], data: matmul(asMatrix(x, 1, n0), y).data };
    case 'dot': {
      inner(n0, y.dims[0]!);
      let s = 0;
      for (let i = 0; i < n0; i++) s += x.data[i]! * y.data[i]!;
      return scalar(s);
    }
    default:
      return matmul(asMatrix(x, n0, 1), asMatrix(y, 1, y.dims[0]!));
  }
}

/** The built-in functions of term.ts: elementwise ones and matrix/vector functions. */
function call(fn: string, x: Tensor): Tensor {
  const f = ELEMENTWISE[fn];
  if (f) return mapData(x, f);
  const rank = x.dims.length;
  switch (fn) {
    case 'sum':
      return scalar(sum(x.data));
    case 'norm2':
      return scalar(norm2(x.data));
    case 'norm1':
      return scalar(norm1(x.data));
    case 'tr': {
      if (rank === 0) return x;
      const n = square(x, 'The trace').dims[0]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += x.data[i * n + i]!;
      return scalar(s);
    }
    case 'det':
      return rank === 0 ? x : scalar(determinant(square(x, 'The determinant')));
    case 'logdet':
      if (rank === 0) return scalar(x.data[0]! > 0 ? Math.log(x.data[0]!) : NaN);
      return scalar(logDeterminant(square(x, 'logdet')));
    case 'softmax':
      if (rank !== 1) bad(`softmax needs a vector, not ${formatDims(x.dims)}.`);
      return { dims: x.dims, data: softmax(x.data) };
    case 'logsumexp':
      if (rank !== 1) bad(`logsumexp needs a vector, not ${formatDims(x.dims)}.`);
      return scalar(logsumexp(x.data));
    case 'diag': {
      if (rank === 1) {
        const n = x.dims[0]!;
        const d = zeros([n, n]);
        for (let i = 0; i < n; i++) d.data[i * n + i] = x.data[i]!;
        return d;
      }
      const n = square(x, 'diag').dims[0]!;
      const d = zeros([n]);
      for (let i = 0; i < n; i++) d.data[i] = x.data[i * n + i]!;
      return d;
    }
    default:
      return bad(`${fn} is not a function the evaluator knows.`);
  }
}
