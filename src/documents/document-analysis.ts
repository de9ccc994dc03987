// A document's analysis as the editor uses it: its tensor regions analysed
// in reading order (a declaration in one block serves the blocks after it),
// each region relative to its own start (see incremental.ts), with document
// offsets at this module's surface. Also answers "what is at this offset?"
// for hovers and lists the derivative requests.
//
// Pure: strings in, plain data out. Every offset this module returns is a
// document offset; every Analysis it hands out is a region's, with offsets
// relative to `base`.

import type { Analysis } from '../engine/analyze';
import type { Diagnostic } from '../engine/diagnostics';
import type { Layout } from '../engine/shape/layout';
import type { Expr, Statement } from '../engine/syntax/ast';
import type { Shape } from '../engine/shape/shape';
import type { DerivativeRequest, Variable } from '../engine/shape/elaborate';
import type { Region } from './regions';
import { AnalysisRun, DocumentAnalyzer, type RegionEntry, type RegionPart } from './incremental';

export interface DocumentAnalysis {
  readonly text: string;
  readonly layout: Layout;
  readonly regions: readonly Region[];
  /** The analysed regions, in document order (all of them once the run is done). */
  readonly parts: readonly RegionPart[];
  /** What the editor shows: engine diagnostics (filtered in prose math) and claim checks, document offsets. */
  readonly diagnostics: readonly Diagnostic[];
}

/** A snapshot of a run (complete or not) as a DocumentAnalysis. */
export function documentAnalysisOf(run: AnalysisRun): DocumentAnalysis {
  return { text: run.text, layout: run.layout, regions: run.regions, parts: [...run.parts], diagnostics: run.diagnostics() };
}

/** Analyses a whole document at once (the CLI, tests and one-off callers; the extension runs slices). */
export function analyzeDocument(text: string, languageId: string, layout: Layout, options: { claims?: boolean } = {}): DocumentAnalysis {
  const run = new DocumentAnalyzer().start(text, languageId, layout).finish();
  if (options.claims !== false) run.checkClaimsStep(Infinity, () => 0);
  return documentAnalysisOf(run);
}

/** Index of the item whose region contains `offset` (region ends inclusive), or -1; items in document order. */
function indexContaining<T>(items: readonly T[], regionOf: (item: T) => Region, offset: number): number {
  // Binary search for the last item starting at or before offset.
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (regionOf(items[mid]!).start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && offset <= regionOf(items[found]!).end ? found : -1;
}

/** The region part containing `offset` (region ends inclusive), or null. */
export function partAt(doc: { readonly parts: readonly RegionPart[] }, offset: number): RegionPart | null {
  const k = indexContaining(doc.parts, (p) => p.region, offset);
  return k >= 0 ? doc.parts[k]! : null;
}

/** The region containing `offset` (ends inclusive), or null: what a hover can tell before its region is analysed. */
export function regionAt(regions: readonly Region[], offset: number): Region | null {
  const k = indexContaining(regions, (r) => r, offset);
  return k >= 0 ? regions[k]! : null;
}

/** A derivative request of a document, with its region's analysis. */
export interface LocatedRequest {
  /** The derivative's shape (known without the region's full analysis). */
  readonly shape: Shape;
  /**
   * The elaborated request and the analysis of its region (offsets relative
   * to `base`), read on first use: listing every request of a long note (its
   * CodeLenses) does not bring back analyses the region cache has released
   * (see RegionEntry in incremental.ts).
   */
  readonly request: DerivativeRequest;
  readonly analysis: Analysis;
  readonly base: number;
  /** Document offsets of the request. */
  readonly start: number;
  readonly end: number;
}

/** A request found through its region's summary; the elaborated request is read on first use. */
class SummarisedRequest implements LocatedRequest {
  private resolved: { readonly request: DerivativeRequest; readonly analysis: Analysis } | undefined;

  constructor(
    private readonly entry: RegionEntry,
    private readonly index: number,
    readonly shape: Shape,
    readonly base: number,
    readonly start: number,
    readonly end: number,
  ) {}

  private resolve(): { readonly request: DerivativeRequest; readonly analysis: Analysis } {
    if (!this.resolved) {
      const analysis = this.entry.analysis;
      this.resolved = { request: analysis.elaboration.derivatives[this.index]!, analysis };
    }
    return this.resolved;
  }

  get request(): DerivativeRequest {
    return this.resolve().request;
  }

  get analysis(): Analysis {
    return this.resolve().analysis;
  }
}

/** Every derivative request, in document order. */
export function documentRequests(doc: { readonly parts: readonly RegionPart[] }): LocatedRequest[] {
  const out: LocatedRequest[] = [];
  for (const { region, entry } of doc.parts) {
    const { requests } = entry;
    for (let k = 0; k < requests.length; k++) {
      const r = requests[k]!;
      out.push(new SummarisedRequest(entry, k, r.shape, region.start, r.start + region.start, r.end + region.start));
    }
  }
  return out;
}

/** The request containing `offset` (innermost), else the nearest one before it, else the first after. */
export function documentRequestAt(doc: { readonly parts: readonly RegionPart[] }, offset: number): LocatedRequest | null {
  const all = documentRequests(doc);
  const containing = all.filter((r) => offset >= r.start && offset <= r.end).sort((a, b) => a.end - a.start - (b.end - b.start));
  if (containing[0]) return containing[0];
  const before = all.filter((r) => r.end <= offset).sort((a, b) => b.end - a.end);
  return before[0] ?? all[0] ?? null;
}

export interface HoverTarget {
  /** The hovered region's analysis (offsets relative to `base`). */
  readonly analysis: Analysis;
  readonly base: number;
  /** Document offsets of the hovered expression. */
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

/** The innermost expression with a known shape that contains `offset` (a document offset). */
export function hoverAt(doc: { readonly parts: readonly RegionPart[] }, documentOffset: number): HoverTarget | null {
  const part = partAt(doc, documentOffset);
  if (!part) return null;
  const base = part.region.start;
  const found = hoverInRegion(part.entry.analysis, documentOffset - base);
  if (!found) return null;
  const shift = <T extends { start: number; end: number }>(x: T): T => ({ ...x, start: x.start + base, end: x.end + base });
  return {
    ...found,
    analysis: part.entry.analysis,
    base,
    start: found.start + base,
    end: found.end + base,
    ...(found.declaration ? { declaration: shift(found.declaration) } : {}),
  };
}

type RegionHover = Omit<HoverTarget, 'analysis' | 'base'>;

/**
 * The variable a name in a declaration of this region created (a name can be
 * declared more than once). Inherited variables have spans in other regions:
 * the name must match too, and the region's own variables come first in
 * `elaboration.variables`, so an inherited namesake at the same relative
 * offset never wins.
 */
export function declaredVariable(analysis: Analysis, name: { readonly name: string; readonly span: { readonly start: number } }): Variable | undefined {
  for (const v of analysis.elaboration.variables.values()) if (v.span.start === name.span.start && v.name === name.name) return v;
  return undefined;
}

/** hoverAt within one region's analysis (offsets relative to the region). */
function hoverInRegion(analysis: Analysis, offset: number): RegionHover | null {
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
      const v = name && declaredVariable(analysis, name);
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
  const target: RegionHover = { start: found.span.start, end: found.span.end, text: spanText(analysis, found.span).text, shape };
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
