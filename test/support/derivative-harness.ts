// Runs one generated program through the engine the way the CLI does — analyze,
// derive, present, finite-difference check — and, on top, re-reads the printed
// matrix notation as an expression of the language in the same declaration
// context and evaluates it at the very point the check used.
//
// Nothing here throws on an engine failure: every outcome is a record with a
// stage and a message, so a property test can collect them all and print
// reproducible cases (source, layout, seed).

import { analyze, type Analysis } from '../../src/engine/analyze';
import { checkDerivative, concreteSizes, deriveRequest, randomValues, type CheckResult, type Derived } from '../../src/engine/derive/derive';
import { present, type Presentation } from '../../src/engine/derive/present';
import { IrEvaluator, type DenseTensor } from '../../src/engine/ir/evaluate-ir';
import type { Node } from '../../src/engine/ir/ir';
import { definitionMap, evaluate, randomPoint } from '../../src/engine/numeric/index';
import { walkReachable } from '../../src/engine/numeric/terms';
import type { DerivativeRequest } from '../../src/engine/shape/elaborate';
import type { Layout } from '../../src/engine/shape/layout';
import type { Shape } from '../../src/engine/shape/shape';

export const LAYOUTS: readonly Layout[] = ['numerator', 'denominator', 'mixed'];

/** Where a case stopped: `ok`, or the first property that failed. */
export type Stage = 'ok' | 'diagnostics' | 'request' | 'derive' | 'present' | 'too-costly' | 'not-differentiable' | 'check-error' | 'check' | 'zero';

export interface Point {
  readonly seed: number;
  readonly sizes: Record<string, number>;
  readonly values: Map<string, DenseTensor>;
}

/** The point checkDerivative draws for itself (same seed, same sizes, same values), made explicit so others can reuse it. */
export function pointFor(analysis: Analysis, request: DerivativeRequest, seed: number): Point | { error: string } {
  const point = randomPoint(
    { terms: [request.term], variables: analysis.elaboration.variables, definitions: analysis.elaboration.definitions },
    seed,
    {},
  );
  if (!point.ok) return { error: point.message };
  const sizes = { ...concreteSizes(analysis), ...Object.fromEntries(point.value.sizes) };
  const values = randomValues(analysis, sizes, seed);
  for (const [name, t] of point.value.values) values.set(name, { dims: [...t.dims], data: t.data });
  return { seed, sizes, values };
}

export interface DerivativeCase {
  readonly stage: Stage;
  readonly message?: string;
  readonly analysis: Analysis;
  readonly request?: DerivativeRequest;
  readonly derived?: Derived;
  readonly presentation?: Presentation;
  readonly check?: CheckResult;
  readonly point?: Point;
  /** Seeds tried after the first because the check could not evaluate (singular matrix, …) or was just over the tolerance. */
  readonly retries: number;
  /** Of those, retries after a result just over the tolerance (rounding in the finite differences). */
  readonly borderline?: number;
}

export interface CaseOptions {
  readonly layout: Layout;
  readonly seed: number;
  /** Retries with other seeds when the check cannot evaluate at a point. Default 2. */
  readonly maxRetries?: number;
  readonly rtol?: number;
  /** The derivative is known to be zero (F does not depend on the variable). */
  readonly expectZero?: boolean;
  /** Above this evaluation cost (see checkCost) the check is not run: stage `too-costly`. */
  readonly maxCost?: number;
  /**
   * A check that fails by at most this much is retried at another point (central
   * differences in float64 lose digits when |F| ≫ |∂F|). Default 1e-4; larger
   * errors are never retried.
   */
  readonly borderline?: number;
}

/**
 * A rough count of the multiply-adds the IR evaluator spends on `node`: it
 * evaluates a product (an einsum) by visiting every combination of all the
 * indices of its factors, so its cost is the product of their sizes.
 */
export function evaluationCost(node: Node, size: (i: string) => number): number {
  const seen = new Set<Node>();
  let total = 0;
  const visit = (n: Node): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const count = (indices: Iterable<string>) => {
      let c = 1;
      for (const i of indices) c *= size(i);
      return c;
    };
    switch (n.k) {
      case 'mul': {
        const all = new Set<string>(n.free);
        for (const f of n.factors) for (const i of f.free) all.add(i);
        total += count(all) * n.factors.length;
        n.factors.forEach(visit);
        break;
      }
      case 'add':
        total += count(n.free) * n.terms.length;
        n.terms.forEach(visit);
        break;
      case 'fn':
        total += count(n.free);
        visit(n.arg);
        break;
      case 'pow':
        total += count(n.free);
        visit(n.base);
        break;
      case 'matfn':
        total += count(n.argIdx) ** 2 + count(n.free);
        visit(n.arg);
        break;
      default:
        total += count(n.free);
    }
  };
  visit(node);
  return total;
}

/** What a finite-difference check costs: the derivative once, the inner function twice per entry of the variable. */
export function checkCost(derived: Derived, sizes: Readonly<Record<string, number>>): number {
  const size = (i: string) => {
    const d = derived.space.dim(i);
    return typeof d === 'number' ? d : sizes[d] ?? 3;
  };
  const entries = derived.lastWrt.idx.reduce((a, i) => a * size(i), 1);
  return evaluationCost(derived.node, size) + 2 * entries * evaluationCost(derived.inner.node, size);
}

/** Analyze → derive → present → check, stopping at the first failure. */
export function runCase(source: string, options: CaseOptions): DerivativeCase {
  const analysis = analyze(source, { layout: options.layout });
  if (analysis.diagnostics.length > 0) {
    return { stage: 'diagnostics', message: analysis.diagnostics.map((d) => `${d.code}: ${d.message} [${source.slice(d.span.start, d.span.end)}]`).join('; '), analysis, retries: 0 };
  }
  const requests = analysis.elaboration.derivatives;
  if (requests.length !== 1) return { stage: 'request', message: `expected one derivative request, found ${requests.length}`, analysis, retries: 0 };
  const request = requests[0]!;
  const outcome = deriveRequest(analysis, request);
  if (!outcome.ok) return { stage: 'derive', message: `${outcome.diagnostic.code}: ${outcome.diagnostic.message}`, analysis, request, retries: 0 };
  const derived = outcome.derived;
  let presentation: Presentation;
  try {
    presentation = present(analysis, derived);
  } catch (e) {
    return { stage: 'present', message: `present threw: ${e instanceof Error ? e.stack : String(e)}`, analysis, request, derived, retries: 0 };
  }
  const maxRetries = options.maxRetries ?? 2;
  let lastError = '';
  let borderline = 0;
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    const seed = options.seed + attempt * 7919;
    const point = pointFor(analysis, request, seed);
    if ('error' in point) {
      lastError = point.error;
      continue;
    }
    const cost = checkCost(derived, point.sizes);
    if (options.maxCost !== undefined && cost > options.maxCost) {
      return { stage: 'too-costly', message: `evaluating the check would take about ${cost.toExponential(1)} multiply-adds (the IR evaluator visits every index combination of a product)`, analysis, request, derived, presentation, point, retries: attempt };
    }
    let check: CheckResult | { error: string };
    try {
      check = checkDerivative(analysis, derived, { seed, sizes: point.sizes, values: point.values, rtol: options.rtol ?? 1e-6 });
    } catch (e) {
      return { stage: 'check-error', message: `checkDerivative threw: ${e instanceof Error ? e.stack : String(e)}`, analysis, request, derived, presentation, retries: attempt };
    }
    if ('error' in check) {
      lastError = check.error;
      continue;
    }
    const base = { analysis, request, derived, presentation, check, point, retries: attempt, borderline };
    if (!check.ok) {
      const zeroNorm = zeroNormArgument(analysis, request, point);
      if (zeroNorm) return { ...base, stage: 'not-differentiable', message: `F is not differentiable at any point: the argument of ${zeroNorm} is identically zero` };
      if (check.maxRelError <= (options.borderline ?? 1e-4) && attempt < maxRetries) {
        borderline++;
        lastError = `max relative error ${check.maxRelError.toExponential(3)} (seed ${seed})`;
        continue;
      }
      return { ...base, stage: 'check', message: `max relative error ${check.maxRelError.toExponential(3)} (seed ${seed})${attempt > 0 ? `, after ${attempt} other point(s): ${lastError}` : ''}` };
    }
    if (options.expectZero) {
      const nonzero = check.symbolic.data.findIndex((v) => v !== 0);
      if (nonzero >= 0) return { ...base, stage: 'zero', message: `F does not depend on the variable, yet entry ${nonzero} is ${check.symbolic.data[nonzero]}` };
    }
    return { ...base, stage: 'ok' };
  }
  return { stage: 'check-error', message: `the check could not evaluate at ${maxRetries + 1} points: ${lastError}`, analysis, request, derived, presentation, retries: maxRetries };
}

/** The first norm2 call reachable from the request whose argument is zero at the point (then F is not differentiable there), or null. */
function zeroNormArgument(analysis: Analysis, request: DerivativeRequest, point: Point): string | null {
  const definitions = analysis.elaboration.definitions;
  let found: string | null = null;
  walkReachable(request.term, definitionMap(definitions), (t) => {
    if (found || t.op !== 'call' || t.fn !== 'norm2') return;
    const r = evaluate(t.args[0]!, { values: point.values, sizes: point.sizes, definitions });
    if (r.ok && r.value.data.every((v) => v === 0)) found = `norm2(${analysis.source.slice(t.args[0]!.span.start, t.args[0]!.span.end)})`;
  });
  return found;
}

/** The derivative evaluated symbolically at a given point (no finite differences). */
export function symbolicValue(derived: Derived, point: Point): DenseTensor {
  const size = (i: string) => {
    const d = derived.space.dim(i);
    return typeof d === 'number' ? d : point.sizes[d] ?? 3;
  };
  return new IrEvaluator({ values: point.values, size }).valueIn(derived.node, derived.axes);
}

// ── reading printed notation back ─────────────────────────────────────────

export interface RoundTrip {
  readonly ok: boolean;
  readonly message?: string;
  /** The text analysed (after the notation rewrites below). */
  readonly text: string;
  /** Rewrites that were needed: notation the printer uses but the language does not read. */
  readonly rewrites: readonly string[];
}

interface Unit {
  readonly name: string;
  /** 1-based position of the 1. */
  readonly k: number;
}

const SUPERSCRIPT_DIGITS: Record<string, string> = { '⁻': '-', '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9' };

/**
 * Printer notation the language does not read (yet), rewritten to what it
 * means. Each rewrite is recorded, so the test can report how often it was
 * needed; none changes a value.
 */
export function rewritePrinted(text: string, style: 'unicode' | 'latex'): { text: string; rewrites: string[]; units: Unit[] } {
  const rewrites: string[] = [];
  const units: Unit[] = [];
  // Each occurrence gets its own name: e₁ in e₁ e₁ᵀ may stand for unit vectors of two sizes.
  const unit = (k: string): string => {
    const k26 = units.length;
    const name = `Eunit${String.fromCharCode(65 + Math.floor(k26 / 26) % 26)}${String.fromCharCode(65 + (k26 % 26))}`;
    units.push({ name, k: Number(k) });
    return name;
  };
  let out = text;
  if (style === 'unicode') {
    // Elementwise powers: a∘² → a .^ 2.
    out = out.replace(/∘(⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)/g, (_, d: string) => {
      rewrites.push('∘ⁿ elementwise power');
      const p = [...d].map((c) => SUPERSCRIPT_DIGITS[c]).join('');
      return p.startsWith('-') ? ` .^ (${p})` : ` .^ ${p}`;
    });
    // Unit vectors e₁, e₂: declared below as variables with unit values.
    out = out.replace(/(?<![A-Za-z0-9_])e([₁₂₃₄₅₆₇₈₉]+)/g, (_, d: string) => {
      rewrites.push('eₖ unit vector');
      return unit([...d].map((c) => String('₀₁₂₃₄₅₆₇₈₉'.indexOf(c))).join(''));
    });
  } else {
    out = out.replace(/\^\{\\circ\s*(-?\d+)\}/g, (_, d: string) => {
      rewrites.push('^{\\circ n} elementwise power');
      return d.startsWith('-') ? ` .^ (${d})` : ` .^ ${d}`;
    });
    out = out.replace(/\\mathbf\{e\}_\{(\d+)\}/g, (_, k: string) => {
      rewrites.push('\\mathbf{e}_{k} unit vector');
      return unit(k);
    });
  }
  return { text: out, rewrites, units };
}

function shapeText(s: Shape): string {
  if (s.dims.length === 0) return 'scalar';
  if (s.dims.length === 1) return s.row ? `1×${s.dims[0]}` : `${s.dims[0]}×1`;
  return s.dims.join('×');
}

function zerosFor(s: Shape): string | null {
  if (s.dims.length === 0) return null;
  if (s.dims.length === 1) return s.row ? `zeros(${s.dims[0]})'` : `zeros(${s.dims[0]})`;
  return `zeros(${s.dims.join(', ')})`;
}

/** A printed binding ("where t₁ = …") in one style: its name and right-hand side. */
export interface PrintedBinding {
  readonly name: string;
  readonly text: string;
}

/** The matrix-notation bindings of a presentation, in `style`, as definitions to read back before the result. */
export function whereOf(presentation: Presentation, style: 'unicode' | 'latex'): PrintedBinding[] {
  return presentation.where.flatMap((w) => (w.matrix ? [{ name: style === 'latex' ? w.latexName : w.name, text: style === 'latex' ? w.matrix.latex : w.matrix.text }] : []));
}

/**
 * Reads `printed` (a matrix-notation form of the derivative) as a definition
 * in `context` and compares its value with `expected` (the derivative in the
 * layout's axis order) at `point`. Its shape must be the derivative's matrix
 * shape in the layout (a row stays a row). `where` (the result's bindings, in
 * the same style) are read as definitions `name = text` before it.
 */
export function roundTrip(
  context: string,
  printed: string,
  style: 'unicode' | 'latex',
  expectedShape: Shape,
  expected: DenseTensor,
  point: Point,
  tolerance = 1e-9,
  where: readonly PrintedBinding[] = [],
): RoundTrip {
  // One rewrite over the definitions and the result, so unit vectors are numbered across all of them.
  const rewritten = rewritePrinted([...where.map((w) => `${w.name} = ${w.text}`), printed].join('\n'), style);
  const lines = rewritten.text.split('\n');
  const text = lines.pop()!;
  const { rewrites, units } = rewritten;
  if (lines.length > 0) context = `${context}\n${lines.join('\n')}`;
  const dims = ['n', 'm'];
  // A unit vector's size is not printed. Up to 7 of them: try every assignment; more:
  // the assignment found by flipping one size at a time while that removes size errors.
  const assignments: string[][] = units.length === 0 ? [[]] : units.length <= 7 ? cartesian(units.map(() => dims)) : [descend(units, context, text)];
  let firstProblem: string | null = null;
  for (let a = 0; a < assignments.length && a < 128; a++) {
    const assignment = assignments[a]!;
    for (const padded of [false, true]) {
      // Sizes the notation leaves open (a bare 𝟙 or 0 𝟙 𝟙ᵀ) are pinned by adding zeros of the expected shape.
      const pad = padded ? zerosFor(expectedShape) : null;
      if (padded && !pad) continue;
      const decls = units.map((u, i) => `${u.name}: R^${assignment[i]}`).join('\n');
      const body = pad ? `(${text}) + ${pad}` : text;
      const source = `${decls ? `${decls}\n` : ''}${context}\nZclaim = ${body}`;
      const analysis = analyze(source);
      const def = analysis.elaboration.definitions.find((d) => d.name === 'Zclaim');
      if (analysis.diagnostics.length > 0 || !def) {
        firstProblem ??= `does not read back: ${analysis.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ')}`;
        continue;
      }
      const values = new Map(point.values);
      units.forEach((u, i) => {
        const n = point.sizes[assignment[i]!] ?? 3;
        const data = new Float64Array(n);
        if (u.k - 1 < n) data[u.k - 1] = 1;
        values.set(u.name, { dims: [n], data });
      });
      const shape = def.value.shape;
      const r = evaluate(def.value, { values, sizes: point.sizes, definitions: analysis.elaboration.definitions });
      if (!r.ok) {
        firstProblem ??= `does not evaluate: ${r.message}`;
        continue;
      }
      const got = r.value;
      const allZero = expected.data.every((v) => v === 0);
      const shapeOk = shape.dims.length === expectedShape.dims.length && shape.dims.every((d, k) => d === expectedShape.dims[k]) && shape.row === expectedShape.row;
      if (!shapeOk && !(allZero && got.dims.length === 0 && got.data[0] === 0)) {
        firstProblem ??= `reads back as ${shapeText(shape)}, but the derivative is ${shapeText(expectedShape)} in this layout`;
        continue;
      }
      if (got.data.length !== expected.data.length && !(allZero && got.dims.length === 0)) {
        firstProblem ??= `has ${got.data.length} entries, the derivative ${expected.data.length}`;
        continue;
      }
      let scale = 1;
      for (const v of expected.data) scale = Math.max(scale, Math.abs(v));
      let worst = 0;
      for (let i = 0; i < expected.data.length; i++) {
        const a = got.dims.length === 0 ? got.data[0]! : got.data[i]!;
        const b = expected.data[i]!;
        const err = Number.isNaN(a) || Number.isNaN(b) ? (Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity) : Math.abs(a - b) / scale;
        worst = Math.max(worst, err);
      }
      if (worst > tolerance) {
        firstProblem ??= `evaluates differently: max relative difference ${worst.toExponential(3)}`;
        continue;
      }
      const notes = [...rewrites, ...(padded ? ['sizes pinned with + zeros(…)'] : [])];
      return { ok: true, text: body, rewrites: notes };
    }
  }
  return { ok: false, text, rewrites, message: firstProblem ?? 'no reading' };
}

/** Sizes for many unit vectors: coordinate descent on the number of diagnostics, with a few deterministic restarts. */
function descend(units: readonly Unit[], context: string, text: string): string[] {
  const errors = (assignment: readonly string[]) => {
    const decls = units.map((u, i) => `${u.name}: R^${assignment[i]}`).join('\n');
    return analyze(`${decls}\n${context}\nZclaim = ${text}`).diagnostics.length;
  };
  let seed = 12345;
  const coin = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % 2 === 0;
  let overall: string[] = units.map(() => 'n');
  let overallBest = Infinity;
  for (let restart = 0; restart < 12 && overallBest > 0; restart++) {
    const current = units.map(() => (restart === 0 || coin() ? 'n' : 'm'));
    let best = errors(current);
    for (let improved = true, pass = 0; improved && best > 0 && pass < 6; pass++) {
      improved = false;
      for (let i = 0; i < units.length && best > 0; i++) {
        current[i] = current[i] === 'n' ? 'm' : 'n';
        const e = errors(current);
        if (e < best) {
          best = e;
          improved = true;
        } else current[i] = current[i] === 'n' ? 'm' : 'n';
      }
    }
    if (best < overallBest) {
      overallBest = best;
      overall = [...current];
    }
  }
  return overall;
}

function cartesian(lists: string[][]): string[][] {
  return lists.reduce<string[][]>((acc, list) => acc.flatMap((a) => list.map((x) => [...a, x])), [[]]);
}
