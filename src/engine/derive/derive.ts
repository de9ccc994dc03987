// Derivative requests → index-notation derivatives, and their numeric
// self-check against central finite differences.
//
// Invariants:
// - `deriveRequest` never throws: unsupported requests (abstract functions,
//   budgets exceeded, …) come back as diagnostics, never as a wrong or silent
//   zero answer.
// - The result's `axes` list the result indices in the layout's order; the
//   node's free indices are exactly those axes.
// - The check differentiates numerically the same function the symbolic rule
//   differentiated (F, or the first derivative for a second derivative), at a
//   seeded random point, in float64.

import type { Analysis } from '../analyze';
import { error, type Diagnostic } from '../diagnostics';
import type { Definition, DerivativeRequest } from '../shape/elaborate';
import { derivativeAxes, secondDerivativeAxes, type Layout } from '../shape/layout';
import type { Dim } from '../shape/shape';
import type { Term } from '../shape/term';
import { DerivativeBudgetExceeded, differentiate } from '../ir/diff';
import { EvaluationError, IrEvaluator, type DenseTensor } from '../ir/evaluate-ir';
import { Space, type Index, type Node } from '../ir/ir';
import { relativeDifference } from '../numeric/compare';
import { freshIndices, lower, LoweringError, type LowerContext } from '../ir/lower';
import { simplify } from '../ir/simplify';
import { createRng, MAX_NUMERIC_ENTRIES, randomPoint } from '../numeric/random';

export interface Derived {
  readonly request: DerivativeRequest;
  readonly layout: Layout;
  readonly space: Space;
  /** The derivative, simplified; free indices = axes. */
  readonly node: Node;
  /** Result axes in layout order. */
  readonly axes: readonly Index[];
  /** The function whose derivative was taken last (F, or ∂F/∂X₁ for a second derivative) and its indices. */
  readonly inner: { readonly node: Node; readonly idx: readonly Index[] };
  /** The variable of the last differentiation and its fresh indices. */
  readonly lastWrt: { readonly name: string; readonly idx: readonly Index[] };
  /** Defined names held as independent variables for this request. */
  readonly cut: readonly string[];
}

/**
 * Most nodes a derivative may have when written out as a tree (shared
 * sub-expressions counted every time they occur). Simplification, evaluation
 * and the printed result now work per shared node, but single entries (the
 * panel's element tables, the loop view) are still printed written out, so
 * without this bound a derivative of a short text can take exponential time
 * and memory: `y_k = y_{k-1} y_{k-1}` thirty times (400 characters) ran out of
 * memory, `y_k = sin(y_{k-1}) y_{k-1}` fifteen times took 15 s. A 64-layer
 * network's gradient has 13,191.
 */
export const MAX_EXPANDED_NODES = 20_000;

/**
 * Throws DerivativeBudgetExceeded when `root`, written out as a tree, has more than MAX_EXPANDED_NODES nodes.
 * It walks the tree written out, counting, and stops at the bound: that decides exactly, in at most
 * MAX_EXPANDED_NODES + 1 visits however much the expression shares, and allocates only its stack. (Sizing
 * each shared node once in a map cost a map entry per node of every derivative, which a long sum's
 * run kept alive and the young generation copied.)
 */
function checkExpandedSize(root: Node): void {
  let visits = 0;
  const pending: Node[] = [root];
  while (pending.length > 0) {
    if (++visits > MAX_EXPANDED_NODES) throw new DerivativeBudgetExceeded(MAX_EXPANDED_NODES);
    pushChildren(pending.pop()!, pending);
  }
}

/** Pushes the children of `n` onto `stack` (`childrenOf` allocates an array for every one-child node). */
function pushChildren(n: Node, stack: Node[]): void {
  switch (n.k) {
    case 'mul':
      for (const f of n.factors) stack.push(f);
      return;
    case 'add':
      for (const t of n.terms) stack.push(t);
      return;
    case 'fn':
    case 'matfn':
      stack.push(n.arg);
      return;
    case 'pow':
      stack.push(n.base);
      return;
    default:
      return;
  }
}

export type DeriveOutcome = { readonly ok: true; readonly derived: Derived } | { readonly ok: false; readonly diagnostic: Diagnostic };

/** Declared variables' dims, once per analysis: a long note has thousands of variables and every request and check asks. */
const variableDimsMemo = new WeakMap<Analysis, ReadonlyMap<string, readonly Dim[]>>();

export function variableDims(analysis: Analysis): ReadonlyMap<string, readonly Dim[]> {
  const hit = variableDimsMemo.get(analysis);
  if (hit) return hit;
  const m = new Map<string, readonly Dim[]>();
  for (const v of analysis.elaboration.variables.values()) if (!v.domain) m.set(v.id, v.shape.dims);
  variableDimsMemo.set(analysis, m);
  return m;
}

function dimsOfName(analysis: Analysis, name: string): readonly Dim[] {
  const v = analysis.elaboration.variables.get(name);
  if (v) return v.shape.dims;
  return analysis.elaboration.definitions.lastNamed(name)!.value.shape.dims;
}

export function deriveRequest(analysis: Analysis, request: DerivativeRequest, options: { budget?: number } = {}): DeriveOutcome {
  const space = new Space();
  const layout = analysis.layout;
  const variables = variableDims(analysis);
  const wrt = request.term.wrt!;
  const cut = wrt.filter((w) => !variables.has(w));
  const ctx: LowerContext = {
    space,
    definitions: analysis.elaboration.definitions,
    variables,
    cut: new Set(cut),
    layout,
    diff: { budget: options.budget ?? 200_000 },
    maxExpanded: MAX_EXPANDED_NODES,
  };
  try {
    const of: Term = request.term.args[0]!;
    const fIdx = freshIndices(of, space);
    const f = lower(of, fIdx, ctx);
    const first = dimsOfName(analysis, wrt[0]!).map((d) => space.fresh(d));
    checkExpandedSize(f);
    const raw1 = differentiate(f, wrt[0]!, first, space, ctx.diff);
    checkExpandedSize(raw1);
    const d1 = simplify(raw1, space);
    checkExpandedSize(d1);
    if (request.node.order === 1) {
      const origins = derivativeAxes(fIdx.length, first.length, layout);
      const axes = origins.map((o) => (o.from === 'F' ? fIdx[o.axis]! : first[o.axis]!));
      return {
        ok: true,
        derived: { request, layout, space, node: d1, axes, inner: { node: f, idx: fIdx }, lastWrt: { name: wrt[0]!, idx: first }, cut },
      };
    }
    const second = dimsOfName(analysis, wrt[1]!).map((d) => space.fresh(d));
    const raw2 = differentiate(d1, wrt[1]!, second, space, ctx.diff);
    checkExpandedSize(raw2);
    const d2 = simplify(raw2, space);
    checkExpandedSize(d2);
    const source = { F: fIdx, first, second };
    const axes = secondDerivativeAxes(fIdx.length, first.length, second.length, layout, request.node.explicitMatrix).map((o) => source[o.from][o.axis]!);
    return {
      ok: true,
      derived: {
        request,
        layout,
        space,
        node: d2,
        axes,
        inner: { node: d1, idx: [...fIdx, ...first] },
        lastWrt: { name: wrt[1]!, idx: second },
        cut,
      },
    };
  } catch (e) {
    const span = request.node.span;
    if (e instanceof DerivativeBudgetExceeded) {
      return { ok: false, diagnostic: error('too-large', `Too large to differentiate symbolically: ${e.message}.`, span) };
    }
    if (e instanceof LoweringError) return { ok: false, diagnostic: error('unsupported-operation', e.message, span) };
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, diagnostic: error('unsupported-operation', `This derivative could not be computed: ${message}`, span) };
  }
}

// ── numeric self-check ────────────────────────────────────────────────────

export interface CheckResult {
  readonly maxRelError: number;
  readonly ok: boolean;
  readonly seed: number;
  /** Concrete sizes used for symbolic dims. */
  readonly sizes: Readonly<Record<string, number>>;
  readonly symbolic: DenseTensor;
  readonly numeric: DenseTensor;
}

/** Budget of the finite-difference check: entries of the variable × (entries of F + entries of all values). */
export const MAX_CHECK_WORK = 1_000_000;

/** Default sizes for symbolic dims: distinct, so a transposition mistake cannot hide. */
const DEFAULT_SIZES = [3, 4, 2, 5, 6, 7, 8, 9];

/** Size symbols of an analysis, sorted; memoised (an analysis is immutable) because checks call this once per claim or request. */
const sizeSymbolsMemo = new WeakMap<Analysis, readonly string[]>();

/**
 * The size symbols of what an analysis computes: its variables (its own and
 * the inherited ones it refers to) and every term it elaborated, through the
 * definitions they refer to. Not every definition of the document: a claim
 * in the last block of a long note would then cost O(document) (checking a
 * 10,000-block note's claims took 13 s, almost all of it here).
 */
function sizeSymbolsOf(analysis: Analysis): readonly string[] {
  const hit = sizeSymbolsMemo.get(analysis);
  if (hit) return hit;
  const { elaboration } = analysis;
  const addDims = (dims: readonly Dim[], into: Set<string>) => {
    for (const d of dims) if (typeof d === 'string') into.add(d);
  };
  // Size symbols a definition's value uses, through the definitions it refers to (memoised on the definition: it never changes).
  const ofDefinition = (d: Definition): ReadonlySet<string> => {
    if (d.memo.sizeSymbols) return d.memo.sizeSymbols;
    const set = new Set<string>();
    // Memoised before walking, so a definition that (wrongly) reaches itself cannot loop.
    d.memo.sizeSymbols = set;
    walk(d.value, set);
    return set;
  };
  const walk = (t: Term, into: Set<string>): void => {
    addDims(t.shape.dims, into);
    if (t.op === 'ref' && t.def !== undefined) {
      const d = elaboration.definitions.get(t.def);
      if (d) for (const n of ofDefinition(d)) into.add(n);
    }
    for (const a of t.args) walk(a, into);
  };
  const names = new Set<string>();
  for (const v of elaboration.variables.values()) addDims(v.shape.dims, names);
  for (const s of elaboration.statements) {
    if (s.term) walk(s.term, names);
    for (const c of s.claims) if (c) walk(c, names);
  }
  for (const r of elaboration.derivatives) walk(r.term, names);
  const sorted = [...names].sort();
  sizeSymbolsMemo.set(analysis, sorted);
  return sorted;
}

export function concreteSizes(analysis: Analysis, given: Readonly<Record<string, number>> = {}): Record<string, number> {
  // Size names are user text (`x: R^{constructor}`): no prototype, and only own entries of `given`.
  const sizes: Record<string, number> = Object.create(null);
  let k = 0;
  for (const n of sizeSymbolsOf(analysis)) sizes[n] = (Object.hasOwn(given, n) ? given[n] : undefined) ?? DEFAULT_SIZES[k++ % DEFAULT_SIZES.length]!;
  return sizes;
}

function concrete(d: Dim, sizes: Readonly<Record<string, number>>): number {
  return typeof d === 'number' ? d : (Object.hasOwn(sizes, d) ? sizes[d] : undefined) ?? 3;
}

/** Random values for every declared variable, respecting `symmetric`/`spd`; square matrices get a diagonal boost so inverses are well conditioned. */
export function randomValues(analysis: Analysis, sizes: Readonly<Record<string, number>>, seed: number): Map<string, DenseTensor> {
  // Drawing values for every declared variable of a long document costs
  // O(document); checks ask once per claim and request, with few distinct
  // sizes, so the draws are memoised per analysis. Callers get their own Map
  // (they replace entries) layered over the shared draw, so nothing is copied;
  // the tensors are shared and never written to.
  const key = `${seed}|${Object.keys(sizes).sort().map((k) => `${k}=${sizes[k]}`).join(',')}`;
  let perAnalysis = valuesMemo.get(analysis);
  if (!perAnalysis) valuesMemo.set(analysis, (perAnalysis = new Map()));
  let drawn = perAnalysis.get(key);
  if (!drawn) {
    drawn = drawValues(analysis, sizes, seed);
    if (perAnalysis.size >= 16) perAnalysis.delete(perAnalysis.keys().next().value!);
    perAnalysis.set(key, drawn);
  }
  return new LayeredValues(drawn);
}

/** A Map over a shared read-only base: reads fall through to the base, writes stay here. */
class LayeredValues extends Map<string, DenseTensor> {
  private readonly hidden = new Set<string>();

  constructor(private readonly base: ReadonlyMap<string, DenseTensor>) {
    super();
  }

  override get(key: string): DenseTensor | undefined {
    return super.has(key) ? super.get(key) : this.hidden.has(key) ? undefined : this.base.get(key);
  }

  override has(key: string): boolean {
    return super.has(key) || (!this.hidden.has(key) && this.base.has(key));
  }

  override set(key: string, value: DenseTensor): this {
    this.hidden?.delete(key);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    const had = this.has(key);
    super.delete(key);
    if (this.base.has(key)) this.hidden.add(key);
    return had;
  }

  override clear(): void {
    super.clear();
    for (const key of this.base.keys()) this.hidden.add(key);
  }

  /** A plain copy, in the order a copied Map would have; only for the rare iteration. */
  private merged(): Map<string, DenseTensor> {
    const m = new Map<string, DenseTensor>();
    for (const [k, v] of this.base) if (!this.hidden.has(k)) m.set(k, v);
    for (const [k, v] of super.entries()) m.set(k, v);
    return m;
  }

  override get size(): number {
    return this.merged().size;
  }

  override entries(): ReturnType<Map<string, DenseTensor>['entries']> {
    return this.merged().entries();
  }

  override keys(): ReturnType<Map<string, DenseTensor>['keys']> {
    return this.merged().keys();
  }

  override values(): ReturnType<Map<string, DenseTensor>['values']> {
    return this.merged().values();
  }

  override [Symbol.iterator](): ReturnType<Map<string, DenseTensor>['entries']> {
    return this.merged().entries();
  }

  override forEach(callback: (value: DenseTensor, key: string, map: Map<string, DenseTensor>) => void, thisArg?: unknown): void {
    this.merged().forEach((v, k) => callback.call(thisArg, v, k, this));
  }
}

const valuesMemo = new WeakMap<Analysis, Map<string, ReadonlyMap<string, DenseTensor>>>();

function drawValues(analysis: Analysis, sizes: Readonly<Record<string, number>>, seed: number): Map<string, DenseTensor> {
  // The engine's one seeded generator (numeric/random.ts), so a printed seed reproduces every draw.
  const rng = createRng(seed);
  const values = new Map<string, DenseTensor>();
  const names = [...analysis.elaboration.variables.keys()].sort();
  for (const name of names) {
    const v = analysis.elaboration.variables.get(name)!; // keyed by id
    if (v.domain) continue;
    const dims = v.shape.dims.map((d) => concrete(d, sizes));
    const total = dims.reduce((a, b) => a * b, 1);
    // Too large to hold (W: R^{100000 x 100000}): no value; evaluating a term that uses it fails with "no value".
    if (!(total <= MAX_NUMERIC_ENTRIES)) continue;
    const data = new Float64Array(total);
    for (let i = 0; i < total; i++) data[i] = rng.normal();
    if (dims.length === 2 && dims[0] === dims[1]) {
      const n = dims[0]!;
      const symmetric = v.modifiers.includes('symmetric') || v.modifiers.includes('spd');
      if (v.modifiers.includes('spd')) {
        // B Bᵀ + n I is symmetric positive definite.
        const b = Float64Array.from(data);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!;
          data[i * n + j] = s + (i === j ? n : 0);
        }
      } else {
        if (symmetric) for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) data[j * n + i] = data[i * n + j]!;
        for (let i = 0; i < n; i++) data[i * n + i]! += n;
      }
    }
    values.set(name, { dims, data });
  }
  return values;
}

export function checkDerivative(
  analysis: Analysis,
  derived: Derived,
  options: { seed?: number; sizes?: Readonly<Record<string, number>>; rtol?: number; values?: Map<string, DenseTensor> } = {},
): CheckResult | { readonly error: string } {
  const seed = options.seed ?? 1;
  let sizes = concreteSizes(analysis, options.sizes);
  let values: Map<string, DenseTensor>;
  if (options.values) values = options.values;
  else {
    // The numeric module draws a point suited to the terms (positive under log,
    // well-conditioned under inv/det); variables the terms do not use (a
    // derivative that is zero) get plain normal values of the same sizes.
    const point = randomPoint(
      { terms: [derived.request.term], variables: analysis.elaboration.variables, definitions: analysis.elaboration.definitions },
      seed,
      options.sizes ?? {},
    );
    if (!point.ok) return { error: point.message };
    sizes = { ...sizes, ...Object.fromEntries(point.value.sizes) };
    values = randomValues(analysis, sizes, seed);
    for (const [name, t] of point.value.values) values.set(name, { dims: [...t.dims], data: t.data });
  }
  const size = (i: Index) => concrete(derived.space.dim(i), sizes);
  // Finite differences evaluate F twice per entry of the variable: with concrete
  // sizes from the text (A: R^{100×100}) that took 16 s. Refuse beyond a budget.
  const entries = (idx: readonly Index[]) => idx.reduce((a, i) => a * size(i), 1);
  const variableEntries = entries(derived.lastWrt.idx);
  let valueEntries = 0;
  for (const v of values.values()) valueEntries += v.data.length;
  const work = variableEntries * (entries(derived.inner.idx) + valueEntries);
  if (!(entries(derived.axes) <= MAX_NUMERIC_ENTRIES && work <= MAX_CHECK_WORK)) {
    return { error: `the derivative is too large to check numerically (${entries(derived.inner.idx)} × ${variableEntries} partial derivatives)` };
  }
  try {
    // Values of intermediates held independent: their definitions at this point.
    for (const name of derived.cut) {
      const def = analysis.elaboration.definitions.lastNamed(name)!;
      const space = derived.space;
      const idx = freshIndices(def.value, space);
      const node = lower(def.value, idx, {
        space,
        definitions: analysis.elaboration.definitions,
        variables: variableDims(analysis),
        cut: new Set(),
        layout: derived.layout,
      });
      values.set(name, new IrEvaluator({ values, size: (i) => concrete(space.dim(i), sizes) }).valueIn(node, idx));
    }
    const symbolic = new IrEvaluator({ values, size }).valueIn(derived.node, derived.axes);
    const { jacobian: numeric, functionScale } = finiteDifference(derived, values, size);
    // Errors are relative to the derivative's own size, down to the size of the
    // differences' rounding noise (ε·|F|/h ≈ 2e-10·|F| with h = 1e-6): a tiny
    // derivative (a deep network's gradient, ~1e-8) is checked, not waved
    // through, and an absolute error is tolerated only where noise could cause
    // it (rtol × floor = 1e-8·|F| for |F| ≥ 0.1, else 1e-9).
    const worst = relativeDifference(symbolic.data, numeric.data, Math.max(1e-3, 1e-2 * functionScale));
    const rtol = options.rtol ?? 1e-6;
    return { maxRelError: worst, ok: worst <= rtol, seed, sizes, symbolic, numeric };
  } catch (e) {
    // An intermediate held independent may itself be unevaluable (it uses an abstract function).
    if (e instanceof EvaluationError || e instanceof LoweringError) return { error: e.message };
    throw e;
  }
}

/** Central differences of the inner function with respect to the last variable, laid out in `axes` order. */
function finiteDifference(derived: Derived, values: Map<string, DenseTensor>, size: (i: Index) => number): { jacobian: DenseTensor; functionScale: number } {
  const { inner, lastWrt } = derived;
  const base = values.get(lastWrt.name);
  if (!base) throw new EvaluationError(`no value for ${lastWrt.name}`);
  const innerSize = inner.idx.reduce((a, i) => a * size(i), 1);
  const xSize = base.data.length;
  // Jacobian in mixed order: inner indices, then the variable's indices.
  const jac = new Float64Array(innerSize * xSize);
  let functionScale = 0;
  for (let e = 0; e < xSize; e++) {
    const x0 = base.data[e]!;
    const h = 1e-6 * Math.max(1, Math.abs(x0));
    // The variable is perturbed in place and restored at once, not by copying
    // the environment: a long note has thousands of variables, and copying
    // them twice per entry dominated a hover's first check.
    const at = (x: number): Float64Array => {
      const data = Float64Array.from(base.data);
      data[e] = x;
      values.set(lastWrt.name, { dims: base.dims, data });
      try {
        return new IrEvaluator({ values, size }).valueIn(inner.node, inner.idx).data;
      } finally {
        values.set(lastWrt.name, base);
      }
    };
    const plus = at(x0 + h);
    const minus = at(x0 - h);
    for (let o = 0; o < innerSize; o++) {
      jac[o * xSize + e] = (plus[o]! - minus[o]!) / (2 * h);
      const f = Math.abs(plus[o]!);
      if (f > functionScale && Number.isFinite(f)) functionScale = f;
    }
  }
  const from = [...inner.idx, ...lastWrt.idx];
  const arranged = new IrEvaluator({ values, size }).arrange(jac, from, derived.axes);
  return { jacobian: { dims: derived.axes.map(size), data: arranged }, functionScale };
}

