// The engine's front door: source text in, a complete analysis out (syntax tree,
// typed terms, shapes, derivative requests, diagnostics), plus the plain-JSON
// report that the CLI prints and the editor adapters reuse.
//
// Invariants:
// - `analyze` never throws on any string. An unexpected internal failure is
//   reported as a diagnostic spanning the whole input, never as an exception.
// - Diagnostics are sorted by position; offsets are UTF-16 offsets into the
//   source.

import type { Expr, Program, Statement } from './syntax/ast';
import { parse } from './syntax/parser';
import { error, type Diagnostic } from './diagnostics';
import { elaborate, type Elaboration } from './shape/elaborate';
import { derivativeMatrixShape, type Layout } from './shape/layout';
import { matrixShapeText, type Dim, type Shape } from './shape/shape';
import { computeDerivatives, type ComputeOptions } from './derive/compute';
import type { JsonValue } from './derive/bindings';
import { checkClaims } from './derive/claims';
import { DefinitionTable, EMPTY_SCOPE, type Scope } from './shape/scope';

export interface AnalyzeOptions {
  readonly layout?: Layout;
  /** `block` (default): newlines separate statements. `math`: LaTeX math, newlines are spaces. */
  readonly mode?: 'block' | 'math';
  /** Names inherited from text before this one (see shape/scope.ts); none by default. */
  readonly scope?: Scope;
}

export interface Analysis {
  readonly source: string;
  readonly layout: Layout;
  readonly mode: 'block' | 'math';
  readonly program: Program;
  readonly elaboration: Elaboration;
  readonly diagnostics: readonly Diagnostic[];
  /** The scope the text started from (`options.scope`): what analysing it again, in another layout, needs. */
  readonly inherited: Scope;
}

const EMPTY_ELABORATION: Elaboration = {
  variables: new Map(),
  definitions: DefinitionTable.EMPTY,
  statements: [],
  derivatives: [],
  diagnostics: [],
  shapes: new Map(),
  scope: EMPTY_SCOPE,
};

export function analyze(source: string, options: AnalyzeOptions = {}): Analysis {
  const layout = options.layout ?? 'numerator';
  const mode = options.mode ?? 'block';
  try {
    const parsed = parse(source, { mode });
    const elaboration = elaborate(parsed.program, source, layout, options.scope);
    const diagnostics = [...parsed.diagnostics, ...elaboration.diagnostics].sort((a, b) => a.span.start - b.span.start);
    return { source, layout, mode, program: parsed.program, elaboration, diagnostics, inherited: options.scope ?? EMPTY_SCOPE };
  } catch (e) {
    // A bug in the engine must not take the editor down with it.
    const message = e instanceof Error ? e.message : String(e);
    return {
      source,
      layout,
      mode,
      program: { statements: [] },
      // The text's names are lost, but the scope it was given passes on unchanged.
      elaboration: { ...EMPTY_ELABORATION, scope: options.scope ?? EMPTY_SCOPE },
      diagnostics: [error('unexpected-token', `Internal error while analysing this text: ${message}`, { start: 0, end: source.length })],
      inherited: options.scope ?? EMPTY_SCOPE,
    };
  }
}

// ── the JSON report ───────────────────────────────────────────────────────

export interface ReportSymbol {
  readonly name: string;
  readonly kind: 'variable' | 'definition' | 'function';
  readonly shape: Dim[];
  readonly matrixShape: string | null;
}

export interface ReportExpression {
  readonly text: string;
  readonly shape: Dim[];
  readonly matrixShape: string | null;
  readonly start: number;
  readonly end: number;
}

export interface ReportDerivative {
  /** The request as written, e.g. "d/dx f". */
  readonly request: string;
  readonly of: string;
  readonly wrt: string;
  readonly order: 1 | 2;
  readonly layout: Layout;
  readonly shape: Dim[];
  readonly matrixShape: string | null;
  readonly start: number;
  readonly end: number;
  /** Matrix notation (LaTeX), or null when the result has no matrix form. */
  readonly latex?: string | null;
  /** Matrix notation (Unicode), or null when there is none (then see `index`). */
  readonly text?: string | null;
  /** Index notation of one entry (Unicode), e.g. "[i] Σₐ Aₐᵢ xₐ". */
  readonly index?: string;
  /** Index notation (LaTeX). */
  readonly indexLatex?: string;
  /**
   * Named sub-expressions that `text`, `latex`, `index` and `indexLatex` refer
   * to ("where t₁ = …"), each after the ones it uses. Present only when there
   * are some: large sub-expressions that occur more than once (deep networks).
   */
  readonly where?: ReportBinding[];
  /** With --at: the value, nested arrays in the layout's axis order (a number for a scalar). */
  readonly value?: JsonValue;
  readonly check?: { readonly maxRelError: number; readonly ok: boolean; readonly seed: number };
}

/** A named sub-expression of a derivative: `name = text` (matrix notation), `name[indices] = index`. */
export interface ReportBinding {
  /** Unicode name, e.g. "t₁" (the language reads it as t_1). */
  readonly name: string;
  /** LaTeX name, e.g. "t_{1}". */
  readonly latexName: string;
  /** Matrix notation of its value, right-hand side only (Unicode); null when the derivative's matrix form does not use it. */
  readonly text: string | null;
  /** The same in LaTeX. */
  readonly latex: string | null;
  /** Index letters of one entry, rows then columns; empty for a scalar. */
  readonly indices: string[];
  /** One entry in index notation, right-hand side only (Unicode), e.g. "σ(Σₐ W1ᵢₐ xₐ)". */
  readonly index: string;
  /** The same in LaTeX. */
  readonly indexLatex: string;
}

export interface ReportDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

/** A result stated after `=`, checked numerically against the left side. */
export interface ReportClaim {
  readonly text: string;
  readonly holds: boolean;
  /** Layouts in which the claim holds. */
  readonly layouts: Layout[];
  readonly assumption?: string;
  readonly maxRelError: number | null;
  readonly seed: number;
  readonly unchecked?: string;
  readonly start: number;
  readonly end: number;
}

export interface Report {
  readonly symbols: ReportSymbol[];
  readonly expressions: ReportExpression[];
  readonly derivatives: ReportDerivative[];
  readonly claims?: ReportClaim[];
  readonly diagnostics: ReportDiagnostic[];
}

function text(source: string, e: { span: { start: number; end: number } }): string {
  return source.slice(e.span.start, e.span.end).replace(/\s+/g, ' ').trim();
}

function statementExpression(s: Statement): Expr | null {
  if (s.kind === 'expression') return s.expr;
  if (s.kind === 'definition') return s.value;
  return null;
}

export interface ReportOptions extends ComputeOptions {
  /** Compute derivatives (printed forms, values, checks). Default true. */
  readonly derive?: boolean;
}

export function report(analysis: Analysis, options: ReportOptions = {}): Report {
  const { source, elaboration } = analysis;
  const computation = options.derive === false ? null : computeDerivatives(analysis, options);
  const sizes = computation?.sizes ?? {};
  // With values given (--at), shapes are reported with numbers.
  // Size names are user text: only own entries count (`x: R^{constructor}` must not find Object.prototype.constructor).
  const sizeOf = (name: string): number | undefined => (Object.hasOwn(sizes, name) ? sizes[name] : undefined);
  const concrete = (dims: readonly Dim[]): Dim[] => dims.map((d) => (typeof d === 'string' && sizeOf(d) !== undefined ? sizeOf(d)! : d));
  const concreteMatrix = (m: string | null): string | null => (m === null ? null : m.split('×').map((x) => String(sizeOf(x) ?? x)).join('×'));
  const symbols: ReportSymbol[] = [];
  const seen = new Set<string>();
  const order: { name: string; at: number }[] = [];
  // A name's latest declaration is what the report shows.
  const latestVariable = new Map<string, (typeof elaboration.variables extends ReadonlyMap<string, infer V> ? V : never)>();
  for (const v of elaboration.variables.values()) latestVariable.set(v.name, v);
  for (const v of elaboration.variables.values()) order.push({ name: v.name, at: v.span.start });
  for (const d of elaboration.definitions) order.push({ name: d.name, at: d.span.start });
  order.sort((a, b) => a.at - b.at);
  for (const { name } of order) {
    if (seen.has(name)) continue;
    seen.add(name);
    // The shape users see for a name is its latest meaning: definition over declaration.
    const defs = elaboration.definitions.filter((d) => d.name === name);
    const def = defs[defs.length - 1];
    const v = latestVariable.get(name);
    const s: Shape = def ? def.value.shape : v!.shape;
    symbols.push({
      name,
      kind: def ? 'definition' : v?.domain ? 'function' : 'variable',
      shape: concrete(s.dims),
      matrixShape: concreteMatrix(matrixShapeText(s)),
    });
  }
  const expressions: ReportExpression[] = [];
  for (const s of analysis.program.statements) {
    const e = statementExpression(s);
    if (!e) continue;
    const shape = elaboration.shapes.get(e);
    if (!shape) continue;
    expressions.push({
      text: text(source, e),
      shape: concrete(shape.dims),
      matrixShape: concreteMatrix(matrixShapeText(shape)),
      start: e.span.start,
      end: e.span.end,
    });
  }
  const derivatives: ReportDerivative[] = elaboration.derivatives.map((d, k) => {
    const computed = computation?.derivatives[k];
    const wrt = d.node.wrt[0]!.name === d.node.wrt[d.node.wrt.length - 1]!.name ? d.node.wrt[0]!.name : d.node.wrt.map((w) => w.name).join(', ');
    let matrixShape: string | null;
    if (d.node.order === 1) {
      const m = derivativeMatrixShape(d.of, d.wrtShapes[0]!, analysis.layout);
      matrixShape = m ? `${m[0]}×${m[1]}` : null;
    } else {
      matrixShape = d.shape.dims.length === 2 ? `${d.shape.dims[0]}×${d.shape.dims[1]}` : d.shape.dims.length < 2 ? matrixShapeText(d.shape) : null;
    }
    const p = computed?.presentation;
    matrixShape = concreteMatrix(matrixShape);
    return {
      request: text(source, d.node),
      of: text(source, d.node.of),
      wrt,
      order: d.node.order,
      layout: analysis.layout,
      shape: concrete(d.shape.dims),
      matrixShape,
      start: d.node.span.start,
      end: d.node.span.end,
      ...(p
        ? {
            latex: p.matrix?.latex ?? null,
            text: p.matrix?.text ?? null,
            index: `[${p.index.indices.join(',')}] = ${p.index.text}`,
            indexLatex: p.index.latex,
            ...(p.where.length > 0
              ? {
                  where: p.where.map((w) => ({
                    name: w.name,
                    latexName: w.latexName,
                    text: w.matrix?.text ?? null,
                    latex: w.matrix?.latex ?? null,
                    indices: [...w.index.indices],
                    index: w.index.text,
                    indexLatex: w.index.latex,
                  })),
                }
              : {}),
          }
        : {}),
      ...(computed?.value !== undefined ? { value: computed.value } : {}),
      ...(computed?.check ? { check: computed.check } : {}),
    };
  });
  const claimCheck = options.derive === false ? null : checkClaims(analysis, options.seed ?? 1);
  const claims: ReportClaim[] | undefined = claimCheck?.results.map((c) => ({
    text: source.slice(c.span.start, c.span.end).replace(/\s+/g, ' ').trim(),
    holds: c.holds,
    layouts: [...c.layouts],
    ...(c.assumption ? { assumption: c.assumption } : {}),
    maxRelError: Number.isFinite(c.maxRelError) ? c.maxRelError : null,
    seed: c.seed,
    ...(c.unchecked ? { unchecked: c.unchecked } : {}),
    start: c.span.start,
    end: c.span.end,
  }));
  const all = [
    ...analysis.diagnostics,
    ...(computation?.diagnostics ?? []),
    ...(computation?.derivatives.flatMap((c) => (c.diagnostic ? [c.diagnostic] : [])) ?? []),
    ...(claimCheck?.diagnostics ?? []),
  ].sort((a, b) => a.span.start - b.span.start);
  const diagnostics: ReportDiagnostic[] = all.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    start: d.span.start,
    end: d.span.end,
  }));
  return { symbols, expressions, derivatives, ...(claims ? { claims } : {}), diagnostics };
}

export function hasErrors(analysis: Analysis): boolean {
  return analysis.diagnostics.some((d) => d.severity === 'error');
}
