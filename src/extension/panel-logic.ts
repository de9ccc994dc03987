// The side panel's pure logic, kept apart from panel.ts so it can be tested
// without VS Code: what "Copy LaTeX" copies, where and what "Insert below"
// inserts, the webview state format, the model cache, and the loop
// visualisation's keys, entry windows and seeds.

import type { Layout } from '../engine/shape/layout';
import { isLayoutValue, LOOP_WINDOW, type MathText, type PanelModel } from '../panel/protocol';
import { core } from './core';

export type BuildResult = PanelModel | { readonly empty: string };

export function isEmptyResult(r: BuildResult): r is { readonly empty: string } {
  return 'empty' in r;
}

/** What the webview persists with setState, and the serializer restores from. */
export interface PanelState {
  readonly uri: string;
  readonly offset: number;
  readonly layout: Layout;
}

export function parsePanelState(x: unknown): PanelState | null {
  if (typeof x !== 'object' || x === null) return null;
  const s = x as Record<string, unknown>;
  if (typeof s.uri !== 'string' || s.uri.length === 0) return null;
  if (typeof s.offset !== 'number' || !Number.isInteger(s.offset) || s.offset < 0) return null;
  if (!isLayoutValue(s.layout)) return null;
  return { uri: s.uri, offset: s.offset, layout: s.layout };
}

/** Whether the model has a result to copy or insert (a failed derivation has neither form). */
export function hasResult(model: PanelModel): boolean {
  return model.matrix !== null || model.index.rhs.latex.trim() !== '';
}

/** The definitions `name = value` of the bindings the form shown refers to, in the order they must be read. */
function shownBindings(model: PanelModel): { lhs: MathText; rhs: MathText }[] {
  if (model.matrix) return model.where.flatMap((b) => (b.matrix ? [{ lhs: b.name, rhs: b.matrix }] : []));
  return model.where.map((b) => b.index);
}

/**
 * A result that refers to named sub-expressions as one `aligned` block: each
 * `t_{k} &= …` line, then `lhs &= rhs`. Inside `$$ … $$` the tensor language
 * reads it back as definitions followed by the claim (`&` is layout, `\\`
 * separates statements), so the pasted result is checked like any other.
 */
function alignedLatex(definitions: readonly { lhs: MathText; rhs: MathText }[], lhs: string, rhs: string): string {
  const lines = [...definitions.map((d) => `${d.lhs.latex} &= ${d.rhs.latex}`), `${lhs} &= ${rhs}`];
  return `\\begin{aligned}\n${lines.join(' \\\\\n')}\n\\end{aligned}`;
}

/**
 * The LaTeX "Copy LaTeX" copies: the matrix form, or the index form when there
 * is none. A result with named sub-expressions is copied with their
 * definitions, as the equation `request = result` (see alignedLatex).
 */
export function copyLatex(model: PanelModel): string {
  const definitions = shownBindings(model);
  if (definitions.length > 0) {
    return model.matrix ? alignedLatex(definitions, model.request.latex, model.matrix.latex) : alignedLatex(definitions, model.index.lhs.latex, model.index.rhs.latex);
  }
  return model.matrix ? model.matrix.latex : `${model.index.lhs.latex} = ${model.index.rhs.latex}`;
}

export const COMMENT_LANGUAGES: readonly string[] = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'];

export interface Insertion {
  /** Document offset to insert at (the end of a line, before its line break). */
  readonly offset: number;
  readonly text: string;
}

/** Offset of the end of the line containing `offset` (before `\r\n` or `\n`). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl === -1) return text.length;
  return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The line after the one ending at `end` is blank or missing. */
function nextLineBlank(text: string, end: number): boolean {
  const nl = text.indexOf('\n', end);
  if (nl === -1) return true;
  const next = text.slice(nl + 1, lineEnd(text, nl + 1));
  return next.trim() === '';
}

/**
 * The text "Insert below" adds for `model`, and where, or why not.
 * - markdown: a `$$ … $$` display block `<request> = <result>` after the
 *   ```tensor fence holding the request (inside the fence it would be read as
 *   tensor source), or below the request line when it is not in a fence;
 * - TS/JS: a `// = <unicode>` comment line below the request line, with the
 *   same indentation.
 */
export function insertionFor(text: string, languageId: string, model: PanelModel, eol: '\n' | '\r\n' = '\n'): Insertion | { readonly error: string } {
  const { start, end } = model.source;
  if (start > text.length || end > text.length || start > end) return { error: 'The document changed; the result is out of date.' };
  const lastOfRequest = Math.max(start, end - 1);

  if (languageId === 'markdown') {
    const rhs = model.matrix ? model.matrix.latex : model.index.rhs.latex;
    const lhs = model.matrix ? model.request.latex : model.index.lhs.latex;
    const definitions = shownBindings(model);
    const equation = definitions.length > 0 ? alignedLatex(definitions, lhs, rhs) : `${lhs} = ${rhs}`;
    // Display math ends at a blank line: keep the block's lines together.
    const latex = equation.replace(/\r?\n(\s*\r?\n)+/g, '\n').split(/\r?\n/).join(eol);
    const fence = core().findRegions(text, languageId).find((r) => r.kind === 'fence' && start >= r.start && start <= r.end);
    // A fence's region ends where its closing line starts; an unclosed fence runs to the end of the text.
    const closed = fence !== undefined && fence.end < text.length;
    const at = closed ? lineEnd(text, fence.end) : lineEnd(text, lastOfRequest);
    const block = `${eol}${eol}$$${eol}${latex}${eol}$$${nextLineBlank(text, at) ? '' : eol}`;
    return { offset: at, text: block };
  }

  if (COMMENT_LANGUAGES.includes(languageId)) {
    const indent = /^[ \t]*/.exec(text.slice(lineStart(text, start), lineEnd(text, start)))![0];
    const result = model.matrix ? `= ${model.matrix.text}` : `${model.index.lhs.text} = ${model.index.rhs.text}`;
    const oneLine = (line: string) => line.replace(/\s*\r?\n\s*/g, ' ');
    // The named sub-expressions follow the result, as a reader expects "… where t₁ = …".
    const where = shownBindings(model).map((d, k) => `${eol}${indent}//   ${k === 0 ? 'where' : '     '} ${oneLine(`${d.lhs.text} = ${d.rhs.text}`)}`);
    return { offset: lineEnd(text, lastOfRequest), text: `${eol}${indent}// ${oneLine(result)}${where.join('')}` };
  }

  return { error: `Insert below works in markdown and TypeScript/JavaScript documents, not ${languageId}.` };
}

interface DocEntry {
  version: number;
  requests: readonly { start: number; end: number }[] | null;
  readonly byLayout: Map<Layout, { readonly models: BuildResult[]; readonly byOffset: Map<number, BuildResult> }>;
}

/**
 * Built models per document version and layout. A lookup hits when the same
 * offset was built before, or when a cached model's request is the innermost
 * request containing the offset (so moving the cursor within a request is
 * free). Any other version of the document is dropped.
 */
export class ModelCache {
  private readonly docs = new Map<string, DocEntry>();

  constructor(
    private readonly listRequests: (uri: string) => readonly { start: number; end: number }[],
    private readonly maxDocs = 8,
    private readonly maxPerLayout = 64,
  ) {}

  private entry(uri: string, version: number): DocEntry {
    let doc = this.docs.get(uri);
    if (!doc || doc.version !== version) {
      doc = { version, requests: null, byLayout: new Map() };
    }
    // Most recently used last.
    this.docs.delete(uri);
    this.docs.set(uri, doc);
    while (this.docs.size > this.maxDocs) this.docs.delete(this.docs.keys().next().value!);
    return doc;
  }

  get(uri: string, version: number, layout: Layout, offset: number): BuildResult | undefined {
    const doc = this.docs.get(uri);
    if (!doc || doc.version !== version) return undefined;
    const slot = doc.byLayout.get(layout);
    if (!slot) return undefined;
    const exact = slot.byOffset.get(offset);
    if (exact) return exact;
    doc.requests ??= this.listRequests(uri);
    let innermost: { start: number; end: number } | undefined;
    for (const r of doc.requests) {
      if (offset >= r.start && offset <= r.end && (!innermost || r.end - r.start < innermost.end - innermost.start)) innermost = r;
    }
    if (!innermost) return undefined;
    return slot.models.find((m) => !isEmptyResult(m) && m.source.start === innermost!.start && m.source.end === innermost!.end);
  }

  set(uri: string, version: number, layout: Layout, offset: number, result: BuildResult): void {
    const doc = this.entry(uri, version);
    let slot = doc.byLayout.get(layout);
    if (!slot) doc.byLayout.set(layout, (slot = { models: [], byOffset: new Map() }));
    slot.byOffset.set(offset, result);
    if (slot.byOffset.size > this.maxPerLayout) slot.byOffset.delete(slot.byOffset.keys().next().value!);
    if (!isEmptyResult(result) && !slot.models.includes(result)) {
      slot.models.push(result);
      if (slot.models.length > this.maxPerLayout) slot.models.shift();
    }
  }

  forget(uri: string): void {
    this.docs.delete(uri);
  }
}

// ---- loop visualisation (issue D) ----------------------------------------------

/** Entries answered for `loopStep` at entry `step`: [from, to) around it, clamped to the model. */
export function entryWindow(step: number, steps: number, radius = LOOP_WINDOW): { readonly from: number; readonly to: number } {
  if (steps <= 0) return { from: 0, to: 0 };
  const center = Math.max(0, Math.min(steps - 1, Math.floor(step)));
  return { from: Math.max(0, center - radius), to: Math.min(steps, center + radius + 1) };
}

/** Sizes in a stable order, for keys. */
function sizesKey(sizes: Readonly<Record<string, number>>): string {
  return Object.keys(sizes)
    .sort()
    .map((k) => `${k}=${sizes[k]}`)
    .join(',');
}

/** One loop model per (document version, request, layout, sizes, seed). */
export function loopKey(model: PanelModel, layout: Layout, sizes: Readonly<Record<string, number>>, seed: number): string {
  const s = model.source;
  return `${s.uri}@${s.version}#${s.start}-${s.end}|${layout}|${sizesKey(sizes)}|${seed}`;
}

/** A new seed in 1..99999, different from `current`. */
export function nextSeed(current: number, random: () => number = Math.random): number {
  for (let i = 0; i < 8; i++) {
    const seed = 1 + Math.floor(random() * 99_999);
    if (seed !== current) return seed;
  }
  return (current % 99_999) + 1;
}
