// Analysis of a whole document: its tensor regions analysed together, in
// reading order, so a declaration in one block serves the blocks after it.
// Also answers "what is at this offset?" for hovers.
//
// Pure: strings in, plain data out. Offsets are document offsets.

import { analyze, type Analysis } from '../engine/analyze';
import type { Diagnostic } from '../engine/diagnostics';
import { checkClaims } from '../engine/derive/claims';
import type { Layout } from '../engine/shape/layout';
import type { Expr, Statement } from '../engine/syntax/ast';
import type { Shape } from '../engine/shape/shape';
import type { DerivativeRequest } from '../engine/shape/elaborate';
import { findRegions, maskDocument, type Region } from './regions';

export interface DocumentAnalysis {
  readonly regions: readonly Region[];
  readonly analysis: Analysis;
  /** What the editor shows: engine diagnostics (filtered in prose math) and claim checks. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Prose math is full of notation that is not meant as a computation
 * ($i = 1, \ldots, m$, abstract f(x)); there only problems with declared
 * tensors are reported. Tensor blocks and @tensor comments report everything.
 */
const KEPT_IN_PROSE_MATH: ReadonlySet<string> = new Set([
  'shape-mismatch', 'not-square', 'bad-index', 'wrong-arity', 'claim-false', 'claim-layout',
]);

/** `a_i`, `X_{ij}`: index notation in prose, not an element reference. */
function isSymbolicIndex(d: Diagnostic, text: string): boolean {
  return d.code === 'bad-index' && /_\{?[A-Za-z]/.test(text.slice(d.span.start, d.span.end));
}

export function analyzeDocument(text: string, languageId: string, layout: Layout, options: { claims?: boolean } = {}): DocumentAnalysis {
  const regions = findRegions(text, languageId);
  const masked = maskDocument(text, regions);
  const analysis = analyze(masked, { layout, mode: 'block' });
  const claims = options.claims === false ? [] : checkClaims(analysis).diagnostics;
  const inMath = (d: Diagnostic) => regions.some((r) => r.kind === 'math' && d.span.start >= r.start && d.span.start <= r.end);
  const diagnostics = [...analysis.diagnostics, ...claims]
    .filter((d) => !inMath(d) || (KEPT_IN_PROSE_MATH.has(d.code) && !isSymbolicIndex(d, text)))
    // In prose, a finding is advice, not a build error.
    .map((d) => (inMath(d) && d.severity === 'error' ? { ...d, severity: 'warning' as const } : d))
    .sort((a, b) => a.span.start - b.span.start);
  return { regions, analysis, diagnostics };
}

export interface HoverTarget {
  readonly start: number;
  readonly end: number;
  /** The source text of the hovered expression. */
  readonly text: string;
  readonly shape: Shape;
  /** The declaration or definition statement of a hovered name, if any. */
  readonly declaration?: { readonly start: number; readonly end: number; readonly text: string };
  readonly derivative?: Expr & { kind: 'derivative' };
  /** The elaborated request, for a hovered derivative. */
  readonly request?: DerivativeRequest;
}

function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'neg':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'power':
      return [e.base, e.exponent];
    case 'transpose':
      return [e.operand];
    case 'call':
      return [...e.args];
    case 'array':
      return [...e.elements];
    case 'derivative':
      return [e.of];
    case 'subscript':
      return [e.base];
    default:
      return [];
  }
}

function statementExprs(s: Statement): Expr[] {
  if (s.kind === 'definition') return [s.target, s.value, ...s.claims];
  if (s.kind === 'expression') return [s.expr, ...s.claims];
  return [];
}

/** The innermost expression with a known shape that contains `offset`. */
export function hoverAt(doc: DocumentAnalysis, offset: number): HoverTarget | null {
  const { analysis } = doc;
  const inside = doc.regions.some((r) => offset >= r.start && offset <= r.end);
  if (!inside) return null;
  let best: Expr | null = null;
  const visit = (e: Expr): void => {
    if (offset < e.span.start || offset >= e.span.end) return;
    if (analysis.elaboration.shapes.has(e)) {
      if (!best || e.span.end - e.span.start <= best.span.end - best.span.start) best = e;
    }
    for (const c of children(e)) visit(c);
  };
  for (const s of analysis.program.statements) {
    if (offset < s.span.start || offset > s.span.end) continue;
    if (s.kind === 'declaration') {
      const name = s.names.find((n) => offset >= n.span.start && offset < n.span.end);
      // The variable this declaration created (names can be declared more than once).
      const v = name && [...analysis.elaboration.variables.values()].find((x) => x.span.start === name.span.start && x.name === name.name);
      if (name && v) {
        return { start: name.span.start, end: name.span.end, text: name.name, shape: v.shape, declaration: spanText(analysis, s.span) };
      }
      continue;
    }
    for (const e of statementExprs(s)) visit(e);
  }
  const found = best as Expr | null;
  if (!found) return null;
  const shape = analysis.elaboration.shapes.get(found)!;
  const target: HoverTarget = { start: found.span.start, end: found.span.end, text: spanText(analysis, found.span).text, shape };
  const name = found.kind === 'ident' ? found.name : found.kind === 'subscript' ? found.subscriptName : null;
  const declaration = name ? declarationOf(analysis, name, found.span.start) : undefined;
  return {
    ...target,
    ...(declaration ? { declaration } : {}),
    ...(found.kind === 'derivative' ? { derivative: found } : {}),
    ...(found.kind === 'derivative' ? requestOf(analysis, found) : {}),
  };
}

function requestOf(analysis: Analysis, node: Expr): { request?: DerivativeRequest } {
  const request = analysis.elaboration.derivatives.find((r) => r.node === node);
  return request ? { request } : {};
}

function spanText(analysis: Analysis, span: { start: number; end: number }): { start: number; end: number; text: string } {
  return { start: span.start, end: span.end, text: analysis.source.slice(span.start, span.end).replace(/\s+/g, ' ').trim() };
}

/** The last declaration or definition of `name` before `before`. */
function declarationOf(analysis: Analysis, name: string, before: number): { start: number; end: number; text: string } | undefined {
  let found: Statement | undefined;
  for (const s of analysis.program.statements) {
    if (s.span.start > before) break;
    if (s.kind === 'declaration' && s.names.some((n) => n.name === name)) found = s;
    if (s.kind === 'definition') {
      const t = s.target.kind === 'ident' ? s.target.name : s.target.subscriptName;
      if (t === name) found = s;
    }
  }
  return found ? spanText(analysis, found.span) : undefined;
}
