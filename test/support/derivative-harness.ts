// Runs one generated program through the engine the way the CLI does — analyze,
// derive, present, finite-difference check — and, on top, re-reads the printed
// matrix notation as an expression of the language in the same declaration
// context and evaluates it at the very point the check used.
//
// Nothing here throws on an engine failure: every outcome is a record with a
// stage and a message, so a property test can collect them all and print
// reproducible cases (source, layout, seed).

import katex from 'katex';
import { analyze, type Analysis } from '../../src/engine/analyze';
import { checkDerivative, concreteSizes, deriveRequest, randomValues, type CheckResult, type Derived } from '../../src/engine/derive/derive';
import { present, type Presentation } from '../../src/engine/derive/present';
import { IrEvaluator, type DenseTensor } from '../../src/engine/ir/evaluate-ir';
import type { Node } from '../../src/engine/ir/ir';
import { relativeDifference } from '../../src/engine/numeric/compare';
import { definitionMap, evaluate, randomPoint } from '../../src/engine/numeric/index';
import { walkReachable } from '../../src/engine/numeric/terms';
import type { DerivativeRequest } from '../../src/engine/shape/elaborate';
import type { Layout } from '../../src/engine/shape/layout';
import type { Shape } from '../../src/engine/shape/shape';
import { parse } from '../../src/engine/syntax/parser';
import { statementToSexpr } from '../../src/engine/syntax/sexpr';

export const LAYOUTS: readonly Layout[] = ['numerator', 'denominator', 'mixed'];

/** A test case's source without its last line (the request): the declarations a printed result is read back in. */
export const contextOf = (source: string): string => source.split('\n').slice(0, -1).join('\n');

/** KaTeX's error for `latex` in display mode, or null when it typesets. */
export function katexError(latex: string): string | null {
  try {
    katex.renderToString(latex, { throwOnError: true, displayMode: true });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

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
  /** The text analysed: the printed form, or it plus zeros of the expected shape (see `pinned`). */
  readonly text: string;
  /** True when the form's sizes were pinned by adding zeros of the expected shape (a bare 𝟙, I or e₁ does not say its size). */
  readonly pinned: boolean;
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
 * Why printed LaTeX does not read as one expression in math mode (as inside
 * `$$ … $$`, where a user pastes it), or null. A context in block mode reads the
 * form in block mode; the two readings must agree, which they do when the form
 * has no line break (the only thing the modes treat differently).
 */
function mathModeProblem(printed: string, contextMode: 'block' | 'math'): string | null {
  const math = parse(printed, { mode: 'math' });
  if (math.diagnostics.length > 0) return `does not parse in math mode: ${math.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ')}`;
  const statements = math.program.statements;
  if (statements.length !== 1 || statements[0]!.kind !== 'expression' || statements[0]!.claims.length > 0) {
    return `reads as ${statements.length} statement(s) in math mode, not one expression: ${statements.map(statementToSexpr).join(' ; ')}`;
  }
  if (contextMode === 'block') {
    const block = parse(printed, { mode: 'block' }).program.statements.map(statementToSexpr).join(' ; ');
    if (block !== statementToSexpr(statements[0]!)) return `reads differently in block mode (${block}) and math mode (${statementToSexpr(statements[0]!)})`;
  }
  return null;
}

/**
 * Reads `printed` (a matrix-notation form of the derivative) as a definition
 * in `context` and compares its value with `expected` (the derivative in the
 * layout's axis order) at `point`. Its shape must be the derivative's matrix
 * shape in the layout (a row stays a row). LaTeX must read as one expression in
 * math mode. Nothing is rewritten: the language reads all the printers' notation
 * (`X^{\circ 2}`, `X∘²`, `\mathbf{e}_{k}`, `e₁`, `\operatorname{sign}`, …).
 * Sizes the notation leaves open (a bare 𝟙, `0 𝟙 𝟙ᵀ`, `e₁ e₂ᵀ`) are pinned by
 * adding zeros of the expected shape, as a claim's left side pins them.
 * `where` (the result's bindings, in the same style) are read as definitions
 * `name = text` before it.
 */
export function roundTrip(
  context: string,
  printed: string,
  style: 'unicode' | 'latex',
  expectedShape: Shape,
  expected: DenseTensor,
  point: Point,
  tolerance = 1e-9,
  contextMode: 'block' | 'math' = 'block',
  where: readonly PrintedBinding[] = [],
): RoundTrip {
  if (style === 'latex') {
    const problem = mathModeProblem(printed, contextMode);
    if (problem) return { ok: false, text: printed, pinned: false, message: problem };
  }
  let firstProblem: string | null = null;
  for (const padded of [false, true]) {
    const pad = padded ? zerosFor(expectedShape) : null;
    if (padded && !pad) continue;
    const body = pad ? `(${printed}) + ${pad}` : printed;
    const separator = contextMode === 'math' ? ';\n' : '\n';
    const definitions = where.map((w) => `${w.name} = ${w.text}${separator}`).join('');
    const source = `${context}${separator}${definitions}Zclaim = ${body}`;
    const analysis = analyze(source, { mode: contextMode });
    const def = analysis.elaboration.definitions.find((d) => d.name === 'Zclaim');
    if (analysis.diagnostics.length > 0 || !def) {
      firstProblem ??= `does not read back: ${analysis.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ')}`;
      continue;
    }
    const shape = def.value.shape;
    const r = evaluate(def.value, { values: point.values, sizes: point.sizes, definitions: analysis.elaboration.definitions });
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
    // An all-zero derivative may read back as the scalar 0: compared entry by entry with it.
    const gotData = got.dims.length === 0 ? expected.data.map(() => got.data[0]!) : got.data;
    // Relative to the derivative's size, as the engine's own checks are: a deep network's
    // gradient (~1e-8) must read back to itself, not to anything within 1e-9.
    const worst = relativeDifference(gotData, expected.data, 1e-6);
    if (worst > tolerance) {
      firstProblem ??= `evaluates differently: max relative difference ${worst.toExponential(3)}`;
      continue;
    }
    return { ok: true, text: body, pinned: padded };
  }
  return { ok: false, text: printed, pinned: false, message: firstProblem ?? 'no reading' };
}
