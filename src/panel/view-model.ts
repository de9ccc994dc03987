// Builds the side panel's view-model (protocol.ts PanelModel) for the
// derivative request at a document offset. Pure: text in, plain data out; the
// extension host calls it and posts the result to the webview.
//
// Invariants: never throws (problems become `messages` or `{ empty }`); every
// LaTeX string is produced by our printers from the analysis, never copied
// from user text except the request as written in LaTeX.

import { analyzeDocument, documentAnalysisOf, documentRequestAt, documentRequests, type DocumentAnalysis } from '../documents/document-analysis';
import { DocumentAnalyzer } from '../documents/incremental';
import { LruCache } from '../documents/lru-cache';
import type { Analysis } from '../engine/analyze';
import { checkDerivative, deriveRequest, type Derived } from '../engine/derive/derive';
import { present, type Binding } from '../engine/derive/present';
import { elementOf } from '../engine/ir/element';
import { printIndex, displayName } from '../engine/print/render';
import { printTerm } from '../engine/print/term-print';
import type { DerivativeRequest } from '../engine/shape/elaborate';
import { derivativeAxes, derivativeMatrixShape, type Layout } from '../engine/shape/layout';
import { describeKind, formatSpace, type Dim, type Shape } from '../engine/shape/shape';
import { walkTerm, type Term } from '../engine/shape/term';
import { buildLoopModel, type LoopModel } from './loop-model';
import { isSizeName, LOOP_LIMITS, type LoopEntryData, type LoopSpec, type MathText, type PanelBinding, type PanelDeclaration, type PanelElement, type PanelModel } from './protocol';

export interface PanelInput {
  readonly text: string;
  readonly languageId: string;
  readonly uri: string;
  readonly version: number;
  readonly layout: Layout;
  readonly offset: number;
  /** Reuse an analysis of the same text and layout (the extension's cache). */
  readonly analyzed?: DocumentAnalysis;
}

/** The panel checks results numerically up to this many entries. */
export const MAX_CHECKED_ENTRIES = 4096;

/** Element tables are shown up to this many entries. */
export const MAX_ELEMENTS = 256;

const NO_REQUEST =
  'No derivative request here. Write one in a ```tensor block, a math span or an @tensor comment, for example d/dx (x^T A x) or \\frac{\\partial f}{\\partial x}.';

/**
 * Derivative requests of a document, for a quick pick. With the document's
 * `uri` the analysis is incremental and shared with the panel's (see
 * analysedCached); without it the text is analysed from scratch.
 */
export function listRequests(text: string, languageId: string, uri?: string): { start: number; end: number; label: string }[] {
  // Where requests are does not depend on the layout: the last analysis of this text serves in any.
  const doc = uri === undefined
    ? analyzeDocument(text, languageId, 'numerator', { claims: false })
    : (remembered(uri, text, languageId) ?? analysedCached({ text, languageId, uri, version: 0, layout: 'numerator', offset: 0 }));
  return documentRequests(doc).map((r) => ({
    start: r.start,
    end: r.end,
    label: text.slice(r.start, r.end).replace(/\s+/g, ' ').trim(),
  }));
}

function math(latex: string, text: string): MathText {
  return { latex, text };
}

/** A presentation's binding as the panel shows it. */
function panelBinding(b: Binding): PanelBinding {
  return {
    name: math(b.latexName, b.name),
    matrix: b.matrix ? math(b.matrix.latex, b.matrix.text) : null,
    index: { lhs: math(b.index.lhs.latex, b.index.lhs.text), rhs: math(b.index.latex, b.index.text) },
  };
}

function dimsText(dims: readonly Dim[]): string {
  return dims.length === 0 ? 'scalar' : `(${dims.join(', ')})`;
}

function spaceLatex(s: Shape): string {
  if (s.dims.length === 0) return '\\mathbb{R}';
  const dims = s.dims.map(String);
  return `\\mathbb{R}^{${dims.join(' \\times ')}}`;
}

/** F's printed form for the request: a name if it is one, else the expression. */
function derivandText(request: DerivativeRequest, style: 'latex' | 'unicode'): { text: string; atomic: boolean } {
  const of: Term = request.term.args[0]!;
  const atomic = of.op === 'var' || of.op === 'ref';
  return { text: printTerm(of, style), atomic };
}

function requestMath(request: DerivativeRequest): MathText {
  const wrt = request.term.wrt!.map((w) => displayName(w));
  const fl = derivandText(request, 'latex');
  const fu = derivandText(request, 'unicode');
  const second = request.node.order === 2;
  const denL = second
    ? request.node.explicitMatrix
      ? `\\partial ${wrt[0]} \\, \\partial ${wrt[1]}^\\top`
      : wrt[0] === wrt[1]
        ? `\\partial ${wrt[0]}^2`
        : `\\partial ${wrt[0]} \\, \\partial ${wrt[1]}`
    : `\\partial ${wrt[0]}`;
  const num = second ? '\\partial^2' : '\\partial';
  const latex = fl.atomic ? `\\frac{${num} ${fl.text}}{${denL}}` : `\\frac{${num}}{${denL}} \\left(${fl.text}\\right)`;
  const text = `∂${second ? '²' : ''}${fu.atomic ? fu.text : `(${fu.text})`}/∂${wrt.join(' ∂')}${second && request.node.explicitMatrix ? 'ᵀ' : ''}`;
  return math(latex, text);
}

/** Declarations of the variables F depends on (through definitions) and of the variables differentiated by. */
function declarationsOf(analysis: Analysis, request: DerivativeRequest): PanelDeclaration[] {
  const ids = new Set<string>();
  const seenDefs = new Set<number>();
  const visit = (t: Term) =>
    walkTerm(t, (x) => {
      if (x.op === 'var') ids.add(x.name!);
      if (x.op === 'ref' && x.def !== undefined && !seenDefs.has(x.def)) {
        seenDefs.add(x.def);
        const def = analysis.elaboration.definitions.get(x.def);
        if (def) visit(def.value);
      }
    });
  visit(request.term);
  for (const w of request.term.wrt ?? []) ids.add(w);
  const out: PanelDeclaration[] = [];
  for (const id of ids) {
    const v = analysis.elaboration.variables.get(id);
    if (!v) continue;
    const mods = v.modifiers.length ? ` (${v.modifiers.join(', ')})` : '';
    out.push({ name: v.name, latex: `${v.name} \\in ${spaceLatex(v.shape)}${mods ? `\\ \\text{${mods.trim()}}` : ''}`, text: `${v.name} ∈ ${formatSpace(v.shape)}${mods}` });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function shapeDescription(request: DerivativeRequest, derived: Derived, layout: Layout): string {
  const result = derived.request.shape;
  const kind = describeKind(result);
  if (request.node.order === 2) return `${kind}: second derivative, ${layout} layout`;
  const f = request.of;
  const x = request.wrtShapes[0]!;
  const m = derivativeMatrixShape(f, x, layout);
  if (f.dims.length === 0 && x.dims.length === 1) {
    return m && m[0] === 1 ? `row vector: the gradient as a row (${layout} layout)` : `column vector: the gradient as a column (${layout} layout)`;
  }
  if (f.dims.length === 1 && x.dims.length === 1) return `matrix: the Jacobian${layout === 'denominator' ? ', transposed' : ''} (${layout} layout)`;
  if (f.dims.length === 0 && x.dims.length === 2) return `matrix: shaped like ${layout === 'numerator' ? 'the variable transposed' : 'the variable'} (${layout} layout)`;
  if (x.dims.length === 0 && f.dims.length === 2) return `matrix: shaped like ${layout === 'denominator' ? 'the function transposed' : 'the function'} (${layout} layout)`;
  return `${kind} (${layout} layout: ${layout === 'numerator' ? "F's axes, then the variable's axes reversed" : layout === 'denominator' ? "the variable's axes, then F's axes reversed" : "F's axes, then the variable's axes"})`;
}

/** Symbolic partials for each entry, when every size is a number and the table is small. */
function elements(analysis: Analysis, request: DerivativeRequest, derived: Derived): PanelModel['elements'] {
  const dims = derived.axes.map((a) => derived.space.dim(a));
  if (dims.some((d) => typeof d !== 'number')) return null;
  const sizes = dims as number[];
  const total = sizes.reduce((a, b) => a * b, 1);
  if (total === 0) return null;
  const origins = axisOrigins(request, analysis.layout);
  const fName = derivandText(request, 'latex');
  const fText = derivandText(request, 'unicode');
  const wrt = request.term.wrt!.map(displayName);
  const entries: PanelElement[] = [];
  const count = Math.min(total, MAX_ELEMENTS);
  for (let flat = 0; flat < count; flat++) {
    const position: number[] = [];
    let rest = flat;
    for (let k = sizes.length - 1; k >= 0; k--) {
      position.unshift(rest % sizes[k]!);
      rest = Math.floor(rest / sizes[k]!);
    }
    const node = elementOf(derived.node, derived.axes, position, derived.space);
    const fIdx = origins.filter((o) => o.from === 'F').sort((a, b) => a.axis - b.axis).map((o) => position[o.pos]! + 1);
    const xIdx = origins.filter((o) => o.from === 'X').sort((a, b) => a.axis - b.axis).map((o) => position[o.pos]! + 1);
    const sub = (xs: number[]) => (xs.length ? `_{${xs.join(xs.some((x) => x > 9) ? ',' : '')}}` : '');
    const usub = (xs: number[]) => (xs.length ? `[${xs.join(',')}]` : '');
    const fL = fName.atomic ? `${fName.text}${sub(fIdx)}` : `\\left(${fName.text}\\right)${sub(fIdx)}`;
    const fU = fText.atomic ? `${fText.text}${usub(fIdx)}` : `(${fText.text})${usub(fIdx)}`;
    entries.push({
      position: position.map((p) => p + 1),
      partial: math(`\\frac{\\partial ${fL}}{\\partial ${wrt[0]}${sub(xIdx)}}`, `∂${fU}/∂${wrt[0]}${usub(xIdx)}`),
      value: math(printIndex(node, [], 'latex').text, printIndex(node, [], 'unicode').text),
    });
  }
  return { dims: sizes, entries, truncated: total > count };
}

/** For each result axis: whether it indexes F or X, which axis of it, and its position in the result. */
function axisOrigins(request: DerivativeRequest, layout: Layout): { from: 'F' | 'X'; axis: number; pos: number }[] {
  const fRank = request.of.dims.length;
  const xRank = request.wrtShapes.slice(0, request.node.order).reduce((n, s) => n + s.dims.length, 0);
  return derivativeAxes(fRank, xRank, layout).map((o, pos) => ({ ...o, pos }));
}

export function buildPanelModel(input: PanelInput): PanelModel | { empty: string } {
  try {
    const doc = analysedCached(input);
    const located = documentRequestAt(doc, input.offset);
    if (!located) return { empty: NO_REQUEST };
    const { analysis, request } = located;
    const messages = doc.diagnostics
      .filter((d) => d.severity === 'error' && d.span.start >= located.start && d.span.end <= located.end)
      .map((d) => d.message);
    const source = { uri: input.uri, start: located.start, end: located.end, version: input.version };
    const base = {
      source,
      request: requestMath(request),
      declarations: declarationsOf(analysis, request),
      layout: input.layout,
    };
    const outcome = deriveRequest(analysis, request);
    if (!outcome.ok) {
      return {
        ...base,
        matrix: null,
        index: { lhs: math('', ''), rhs: math('', '') },
        where: [],
        shape: { tensor: dimsText(request.shape.dims), matrix: null, description: describeKind(request.shape) },
        check: null,
        elements: null,
        messages: [...messages, outcome.diagnostic.message],
      };
    }
    const derived = outcome.derived;
    const p = present(analysis, derived);
    const idx = p.index.indices;
    const lhsLatex = `\\left[${base.request.latex}\\right]${idx.length ? `_{${idx.join('')}}` : ''}`;
    const lhsText = `[${base.request.text}]${idx.length ? `[${idx.join(',')}]` : ''}`;
    // The finite-difference check evaluates F once per entry of X: beyond a few
    // thousand result entries it would stall the extension host, so it is skipped
    // with a note (the loop visualisation still shows entries lazily).
    const entries = derived.axes.reduce((n, a) => {
      const d = derived.space.dim(a);
      return n * (typeof d === 'number' ? d : 4);
    }, 1);
    const check = entries > MAX_CHECKED_ENTRIES
      ? { error: `skipped for a result with ${entries} entries (checks run up to ${MAX_CHECKED_ENTRIES})` }
      : checkDerivative(analysis, derived, { seed: 1 });
    const m = request.node.order === 1 ? derivativeMatrixShape(request.of, request.wrtShapes[0]!, input.layout) : null;
    const matrixShape = m ? `${m[0]}×${m[1]}` : request.shape.dims.length === 2 ? request.shape.dims.join('×') : request.shape.dims.length === 0 ? '1×1' : null;
    return {
      ...base,
      matrix: p.matrix ? math(p.matrix.latex, p.matrix.text) : null,
      index: { lhs: math(lhsLatex, lhsText), rhs: math(p.index.latex, p.index.text) },
      where: p.where.map(panelBinding),
      shape: { tensor: dimsText(request.shape.dims), matrix: matrixShape, description: shapeDescription(request, derived, input.layout) },
      check: 'error' in check ? { error: check.error } : { ok: check.ok, maxRelError: check.maxRelError, seed: check.seed },
      elements: elements(analysis, request, derived),
      messages,
    };
  } catch (e) {
    return { empty: `The panel could not be built: ${e instanceof Error ? e.message : String(e)}` };
  }
}

// ---- loop visualisation data (issue D) -----------------------------------------

export interface PanelLoopInput extends PanelInput {
  /** Sizes for symbolic dims (the preview sizes setting and the panel's own choices). */
  readonly sizes?: Readonly<Record<string, number>>;
  readonly seed?: number;
}

/** A lazily evaluated loop model for the panel: the spec (without its id) and entries on demand. */
export interface PanelLoop {
  readonly spec: Omit<LoopSpec, 'id'>;
  /** Entry `step` (0-based, clamped); one small computation, never the whole tensor. */
  entry(step: number): LoopEntryData;
}

/**
 * Incremental analyzers per document (src/documents/incremental.ts), so a
 * panel update after an edit re-analyses only the edited region, and the
 * last analysis, so a loop built right after its panel model does not
 * analyse again. Bounded: the panel follows one document at a time.
 */
const analyzers = new LruCache<DocumentAnalyzer>(4);
let lastAnalysis: { uri: string; text: string; languageId: string; layout: Layout; doc: DocumentAnalysis } | null = null;

/** The last analysis, if it is of this text (and in this layout, when given). */
function remembered(uri: string, text: string, languageId: string, layout?: Layout): DocumentAnalysis | null {
  const last = lastAnalysis;
  return last && last.uri === uri && last.text === text && last.languageId === languageId && (layout === undefined || last.layout === layout) ? last.doc : null;
}

function analysedCached(input: PanelInput): DocumentAnalysis {
  if (input.analyzed) {
    // Remembered, so the loop and request list built next for the same text reuse it too.
    lastAnalysis = { uri: input.uri, text: input.text, languageId: input.languageId, layout: input.layout, doc: input.analyzed };
    return input.analyzed;
  }
  const hit = remembered(input.uri, input.text, input.languageId, input.layout);
  if (hit) return hit;
  let analyzer = analyzers.get(input.uri);
  if (!analyzer) {
    analyzer = new DocumentAnalyzer();
    analyzers.set(input.uri, analyzer);
  }
  const doc = documentAnalysisOf(analyzer.start(input.text, input.languageId, input.layout).finish());
  lastAnalysis = { uri: input.uri, text: input.text, languageId: input.languageId, layout: input.layout, doc };
  return doc;
}

/** Keeps only sizes in 1..64 for the given names. */
export function cleanSizes(sizes: Readonly<Record<string, unknown>> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(sizes ?? {})) {
    if (typeof v === 'number' && Number.isInteger(v) && v >= LOOP_LIMITS.minSize && v <= LOOP_LIMITS.maxSize) out[k] = v;
  }
  return out;
}

const isName = (text: string): boolean => /^[\p{L}\p{N}_'′]+$/u.test(text);

function loopSpecOf(model: LoopModel, request: DerivativeRequest): Omit<LoopSpec, 'id'> {
  const xShapes = request.node.order === 1 ? [request.wrtShapes[0]!] : [request.wrtShapes[0]!, request.wrtShapes[1]!];
  const fDimsAsWritten = request.of.dims;
  const xDimsAsWritten = xShapes.flatMap((s) => s.dims);
  const written = (from: 'F' | 'X', axis: number): Dim => (from === 'F' ? fDimsAsWritten[axis]! : xDimsAsWritten[axis]!);
  const loops = model.loops.map((l) => ({ letter: l.letter, from: l.from, axis: l.axis, size: l.size, dim: String(written(l.from, l.axis)) }));
  // Names the panel could not safely key an input by are left fixed (the webview would drop the spec).
  const symbolic = [...new Set([...fDimsAsWritten, ...xDimsAsWritten].filter((d): d is string => typeof d === 'string' && isSizeName(d)))].slice(0, LOOP_LIMITS.maxSizeNames);
  const fAtomic = isName(model.fName);
  const letters = (from: 'F' | 'X') =>
    loops
      .filter((l) => l.from === from)
      .sort((a, b) => a.axis - b.axis)
      .map((l) => l.letter)
      .join('');
  const sub = (s: string) => (s ? `_${s}` : '');
  const f = fAtomic ? model.fName : `(${model.fName})`;
  const pseudocode = [
    ...loops.map((l, t) => `${'  '.repeat(t)}for ${l.letter} = 1..${l.dim}:`),
    `${'  '.repeat(loops.length)}compute ∂${f}${sub(letters('F'))}/∂${model.xName}${sub(letters('X'))}`,
  ];
  const sizes: Record<string, number> = {};
  for (const name of symbolic) sizes[name] = model.sizes[name] ?? 3;
  return {
    layout: model.layout,
    loops,
    steps: model.steps,
    fDims: [...model.fDims],
    xDims: [...model.xDims],
    resultDims: loops.map((l) => l.size),
    pseudocode,
    fName: model.fName,
    xName: model.xName,
    fAtomic,
    seed: model.seed,
    sizes,
    symbolic,
  };
}

/**
 * The loop visualisation for the request at `input.offset`, or why there is
 * none. Cheap for any size: building the model touches no entry.
 */
export function buildPanelLoop(input: PanelLoopInput): PanelLoop | { readonly unavailable: string } {
  try {
    const doc = analysedCached(input);
    const located = documentRequestAt(doc, input.offset);
    if (!located) return { unavailable: NO_REQUEST };
    const { analysis, request } = located;
    const outcome = deriveRequest(analysis, request);
    if (!outcome.ok) return { unavailable: `No loops to show: ${outcome.diagnostic.message}` };
    const model = buildLoopModel(analysis, outcome.derived, { sizes: cleanSizes(input.sizes), seed: input.seed ?? 1 });
    const spec = loopSpecOf(model, request);
    if (!Number.isSafeInteger(spec.steps) || spec.loops.some((l) => l.size > LOOP_LIMITS.maxAxis) || spec.loops.length > LOOP_LIMITS.maxRank) {
      return { unavailable: 'This derivative is too large to step through.' };
    }
    return {
      spec,
      entry(step: number): LoopEntryData {
        const e = model.entry(step);
        return {
          step: e.step,
          indices: [...e.indices],
          fPosition: [...e.fPosition],
          xPosition: [...e.xPosition],
          partial: { latex: e.partial.latex, text: e.partial.text },
          symbolic: { latex: e.symbolic.latex, text: e.symbolic.text },
          value: Number.isFinite(e.value) ? e.value : null,
        };
      },
    };
  } catch (e) {
    return { unavailable: `The loops could not be built: ${e instanceof Error ? e.message : String(e)}` };
  }
}
