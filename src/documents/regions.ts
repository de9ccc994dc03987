// Finds the tensor-language regions of a document: fenced ```tensor blocks and
// math spans ($…$, $$…$$, \(…\), \[…\]) in markdown, and `@tensor` comments
// in TypeScript/JavaScript (//, /* */ and JSDoc).
//
// Pure text processing (no vscode, no DOM): documents are strings, regions are
// UTF-16 offset ranges into them.
//
// Invariant: `maskDocument` returns a string of exactly the document's length
// in which every character outside a region is blanked, so engine offsets are
// document offsets; region boundaries become statement separators.

export type RegionKind = 'fence' | 'math' | 'comment';

export interface Region {
  readonly kind: RegionKind;
  /** UTF-16 offsets of the region's content (without fences or delimiters). */
  readonly start: number;
  readonly end: number;
  /** How the engine reads the content: `block` (newlines separate) or `math` (LaTeX). */
  readonly mode: 'block' | 'math';
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n`]*$/;

interface Fence {
  /** Offset of the fence's first line, and the end of its closing line (or of the text). */
  readonly blockStart: number;
  readonly blockEnd: number;
  /** Offsets of the content between the fences. */
  readonly contentStart: number;
  readonly contentEnd: number;
  readonly info: string;
}

/**
 * Every fenced code block (CommonMark: ``` or ~~~, closed by a fence of the same kind at least as long).
 * Walks lines with indexOf and tests only lines whose first non-blank character
 * (after at most 3 spaces) is a backtick or tilde: a 5 MB note has 150,000
 * lines, and splitting and matching every one dominated finding its regions.
 */
function scanFences(text: string): Fence[] {
  const fences: Fence[] = [];
  let open: { fence: string; blockStart: number; contentStart: number; info: string } | null = null;
  const n = text.length;
  for (let lineStart = 0; lineStart <= n; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? n : newline;
    const next = newline < 0 ? n + 1 : newline + 1;
    let first = lineStart;
    while (first < lineEnd && first - lineStart < 3 && text.charCodeAt(first) === 32) first++;
    const c = text.charCodeAt(first);
    if (c === 96 || c === 126) {
      const line = text.slice(lineStart, lineEnd);
      const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
      const offset = Math.min(next, n);
      if (open) {
        const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(bare);
        if (close && close[1]!.startsWith(open.fence[0]!) && close[1]!.length >= open.fence.length) {
          fences.push({ blockStart: open.blockStart, blockEnd: offset, contentStart: open.contentStart, contentEnd: lineStart, info: open.info });
          open = null;
        }
      } else {
        const m = FENCE_OPEN.exec(bare);
        if (m) open = { fence: m[2]!, blockStart: lineStart, contentStart: offset, info: m[3]!.toLowerCase() };
      }
    }
    lineStart = next;
  }
  // An unclosed fence runs to the end of the document (CommonMark).
  if (open) fences.push({ blockStart: open.blockStart, blockEnd: n, contentStart: open.contentStart, contentEnd: n, info: open.info });
  return fences;
}

function tensorBlocksOf(fences: readonly Fence[]): Region[] {
  return fences.filter((f) => f.info === 'tensor').map((f) => ({ kind: 'fence', start: f.contentStart, end: f.contentEnd, mode: 'block' }));
}

/** Fenced code blocks whose info string is `tensor` (CommonMark fences, ``` or ~~~). */
export function findFencedTensorBlocks(text: string): Region[] {
  return tensorBlocksOf(scanFences(text));
}

/**
 * Math spans in markdown prose, following pandoc's rules for `$`: an opening `$`
 * is not followed by a space, a closing `$` is not preceded by a space nor
 * followed by a digit; `\$` is a literal dollar; code spans and fenced blocks
 * are skipped.
 */
export function findMathSpans(text: string, fenced: readonly Fence[] = scanFences(text)): Region[] {
  const regions: Region[] = [];
  const fences = fenced.map((f): [number, number] => [f.blockStart, f.blockEnd]);
  let fence = 0;
  let i = 0;
  const n = text.length;
  // Only \, ` and $ start anything: jump from one to the next (a native search)
  // instead of visiting every character.
  const special = /[\\`$]/g;
  while (i < n) {
    special.lastIndex = i;
    const hit = special.exec(text);
    if (!hit) break;
    i = hit.index;
    while (fence < fences.length && fences[fence]![1] <= i) fence++;

    if (fence < fences.length && fences[fence]![0] <= i) {
      i = fences[fence]![1];
      continue;
    }
    const c = text[i]!;
    if (c === '\\' && (text[i + 1] === '(' || text[i + 1] === '[')) {
      const close = text[i + 1] === '(' ? '\\)' : '\\]';
      const end = text.indexOf(close, i + 2);
      if (end > 0) {
        regions.push({ kind: 'math', start: i + 2, end, mode: 'math' });
        i = end + 2;
        continue;
      }
    }
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '`') {
      // A code span: skip to the matching run of backticks.
      let run = 1;
      while (text[i + run] === '`') run++;
      const ticks = '`'.repeat(run);
      const end = text.indexOf(ticks, i + run);
      i = end < 0 ? i + run : end + run;
      continue;
    }
    if (c === '$') {
      if (text[i + 1] === '$') {
        const end = text.indexOf('$$', i + 2);
        if (end > 0) {
          regions.push({ kind: 'math', start: i + 2, end, mode: 'math' });
          i = end + 2;
          continue;
        }
        i += 2;
        continue;
      }
      const next = text[i + 1];
      if (next !== undefined && !/\s/.test(next)) {
        let j = i + 1;
        let found = -1;
        while (j < n && text[j] !== '\n' || (j < n && text[j] === '\n' && text[j + 1] !== '\n')) {
          if (text[j] === '\\') {
            j += 2;
            continue;
          }
          if (text[j] === '$' && !/\s/.test(text[j - 1]!) && !/[0-9]/.test(text[j + 1] ?? '')) {
            found = j;
            break;
          }
          j++;
        }
        if (found > 0) {
          regions.push({ kind: 'math', start: i + 1, end: found, mode: 'math' });
          i = found + 1;
          continue;
        }
      }
    }
    i++;
  }
  return regions;
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

export function findRegions(text: string, languageId: string): Region[] {
  if (languageId === 'markdown') {
    const fences = scanFences(text);
    return [...tensorBlocksOf(fences), ...findMathSpans(text, fences)].sort((a, b) => a.start - b.start);
  }
  if (SUPPORTED_LANGUAGES.includes(languageId)) return findTensorComments(text);
  return [];
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
