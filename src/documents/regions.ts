// Finds the tensor-language regions of a document: fenced ```tensor blocks and
// math spans ($…$, $$…$$, \(…\), \[…\]) in markdown, and `@tensor` comments
// in TypeScript/JavaScript (//, /* */ and JSDoc).
//
// Pure text processing (no vscode, no DOM): documents are strings, regions are
// UTF-16 offset ranges into them. Markdown is scanned by markdown-scan.ts,
// which finds the regions of an edited version by re-reading only around the
// edit (RegionScan keeps what it needs between versions).
//
// Invariant: `maskDocument` returns a string of exactly the document's length
// in which every character outside a region is blanked, so engine offsets are
// document offsets; region boundaries become statement separators.

import { MarkdownScan, MarkdownScanJob, type Fence } from './markdown-scan';
import { changeBetween, type TextChange } from './text-change';

export type RegionKind = 'fence' | 'math' | 'comment';

export interface Region {
  readonly kind: RegionKind;
  /** UTF-16 offsets of the region's content (without fences or delimiters). */
  readonly start: number;
  readonly end: number;
  /** How the engine reads the content: `block` (newlines separate) or `math` (LaTeX). */
  readonly mode: 'block' | 'math';
}

/** Fenced code blocks whose info string is `tensor` (CommonMark fences, ``` or ~~~). */
export function findFencedTensorBlocks(text: string): Region[] {
  return MarkdownScan.of(text).fences.flatMap((f) => (f.region ? [f.region] : []));
}

/**
 * Math spans in markdown prose ($…$, $$…$$, \(…\), \[…\]) following pandoc's
 * rules, outside code spans and fenced blocks (markdown-scan.ts).
 */
export function findMathSpans(text: string): Region[] {
  return [...MarkdownScan.of(text).math];
}

/**
 * `@tensor` comments in TypeScript/JavaScript. `// @tensor …` is a region for
 * the rest of its line; `// @tensor` alone starts a block of the following `//`
 * lines; in `/* … *\/` and JSDoc comments everything after `@tensor` up to the
 * next `@tag` or the comment's end, with the leading `*` of each line removed.
 * Each line becomes its own region (lines separate statements).
 */
export function findTensorComments(text: string): Region[] {
  const regions: Region[] = [];
  const lines: { start: number; text: string }[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    lines.push({ start: offset, text: line.endsWith('\r') ? line.slice(0, -1) : line });
    offset += line.length + 1;
  }
  const push = (start: number, end: number) => {
    let a = start;
    let b = end;
    while (a < b && /\s/.test(text[a]!)) a++;
    while (b > a && /\s/.test(text[b - 1]!)) b--;
    if (b > a) regions.push({ kind: 'comment', start: a, end: b, mode: 'block' });
  };
  let inBlock = false;
  let blockTensor = false;
  let lineBlock = false;
  for (const { start, text: line } of lines) {
    if (inBlock) {
      const endAt = line.indexOf('*/');
      const body = endAt >= 0 ? line.slice(0, endAt) : line;
      const star = /^\s*\*?/.exec(body)![0].length;
      const content = body.slice(star);
      if (/^\s*@(?!tensor\b)\w/.test(content)) blockTensor = false;
      const lead = content.length - content.trimStart().length;
      const tag = content.startsWith('@tensor', lead) && !/\w/.test(content[lead + 7] ?? '') ? lead : -1;
      if (tag >= 0) {
        blockTensor = true;
        push(start + star + tag + '@tensor'.length, start + body.length);
      } else if (blockTensor) push(start + star, start + body.length);
      if (endAt >= 0) {
        inBlock = false;
        blockTensor = false;
      }
      continue;
    }
    const lineComment = /^\s*\/\/+/.exec(line);
    if (lineComment) {
      const contentStart = lineComment[0].length;
      const content = line.slice(contentStart);
      // A tag starts the comment's text, as JSDoc tags do; "@tensor" mid-sentence is prose.
      const lead = content.length - content.trimStart().length;
      const tag = content.startsWith('@tensor', lead) && !/\w/.test(content[lead + 7] ?? '') ? lead : -1;
      if (tag >= 0) {
        const rest = content.slice(tag + '@tensor'.length);
        if (rest.trim() === '') lineBlock = true;
        else {
          lineBlock = false;
          push(start + contentStart + tag + '@tensor'.length, start + line.length);
        }
      } else if (lineBlock) {
        if (content.trim() === '') lineBlock = false;
        else push(start + contentStart, start + line.length);
      }
      continue;
    }
    lineBlock = false;
    const open = line.indexOf('/*');
    if (open >= 0) {
      const endAt = line.indexOf('*/', open + 2);
      const body = line.slice(open + 2, endAt >= 0 ? endAt : line.length).replace(/^\*/, ' ');
      const lead = body.length - body.trimStart().length;
      const tag = body.startsWith('@tensor', lead) && !/\w/.test(body[lead + 7] ?? '') ? lead : -1;
      if (tag >= 0) {
        push(start + open + 2 + tag + '@tensor'.length, start + open + 2 + body.length);
        blockTensor = true;
      }
      if (endAt < 0) inBlock = true;
      else blockTensor = false;
    }
  }
  return regions;
}

export const SUPPORTED_LANGUAGES: readonly string[] = ['markdown', 'typescript', 'javascript', 'typescriptreact', 'javascriptreact'];

/**
 * The regions of one version of a document. For markdown it keeps the scan,
 * so the regions of the next version are found by re-reading only around the
 * edit (markdown-scan.ts); TypeScript/JavaScript comments are found by a scan
 * of the whole text (source files are small next to notes).
 */
export class RegionScan {
  private constructor(
    readonly text: string,
    readonly languageId: string,
    readonly regions: readonly Region[],
    readonly markdown: MarkdownScan | null,
  ) {}

  /** The regions of a markdown scan. */
  static fromMarkdown(scan: MarkdownScan): RegionScan {
    return new RegionScan(scan.text, 'markdown', mergeByStart(scan.fences, scan.math), scan);
  }

  /** The regions of `text`; with the scan of an earlier version of the same document, found incrementally. */
  static of(text: string, languageId: string, previous?: RegionScan, change?: TextChange): RegionScan {
    if (languageId === 'markdown') {
      const old = previous?.languageId === 'markdown' ? previous.markdown : null;
      const scan = old ? MarkdownScan.of(text, { scan: old, change: change ?? changeBetween(old.text, text) }) : MarkdownScan.of(text);
      return RegionScan.fromMarkdown(scan);
    }
    return new RegionScan(text, languageId, SUPPORTED_LANGUAGES.includes(languageId) ? findTensorComments(text) : [], null);
  }
}

/**
 * The regions of `text` found a slice at a time (a document's first scan):
 * markdown in slices (MarkdownScanJob), other languages in one step.
 */
export class RegionScanJob {
  private readonly markdown: MarkdownScanJob | null;
  private result: RegionScan | null = null;

  constructor(
    readonly text: string,
    readonly languageId: string,
    checkEvery?: number,
  ) {
    this.markdown = languageId === 'markdown' ? new MarkdownScanJob(text, checkEvery) : null;
  }

  /** Scans until the deadline or the end (at least a little per call); returns the scan once done. */
  step(deadline: number, now: () => number): RegionScan | null {
    if (this.result) return this.result;
    if (!this.markdown) return (this.result = RegionScan.of(this.text, this.languageId));
    const scan = this.markdown.step(deadline, now);
    if (scan) this.result = RegionScan.fromMarkdown(scan);
    return this.result;
  }
}

/** Tensor blocks and math spans in document order (a block first when both start at one offset). */
function mergeByStart(fences: readonly Fence[], math: readonly Region[]): Region[] {
  const out: Region[] = [];
  let m = 0;
  for (const f of fences) {
    if (!f.region) continue;
    while (m < math.length && math[m]!.start < f.region.start) out.push(math[m++]!);
    out.push(f.region);
  }
  while (m < math.length) out.push(math[m++]!);
  return out;
}

export function findRegions(text: string, languageId: string): Region[] {
  return [...RegionScan.of(text, languageId).regions];
}

/**
 * The document with everything outside regions blanked (newlines kept), math
 * regions' newlines turned into spaces, and a `;` at each region's end, so the
 * whole document can be analysed as one source in reading order.
 */
export function maskDocument(text: string, regions: readonly Region[]): string {
  const out = new Array<string>(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text[i] === '\n' ? '\n' : ' ';
  for (const r of regions) {
    for (let i = r.start; i < r.end; i++) {
      const ch = text[i]!;
      out[i] = r.mode === 'math' && (ch === '\n' || ch === '\r') ? ' ' : ch;
    }
    // Separate this region from whatever follows, at a blanked position.
    if (r.end < text.length && out[r.end] === ' ') out[r.end] = ';';
  }
  return out.join('');
}
