// A straightforward, character-by-character scanner for markdown regions (the
// implementation before regions.ts learnt to jump between candidate lines and
// characters), kept as the oracle the fast scanner is compared with on random
// documents. Test-only.

import type { Region } from '../../src/documents/regions';

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

/** Every fenced code block (CommonMark: ``` or ~~~, closed by a fence of the same kind at least as long). */
function scanFences(text: string): Fence[] {
  const fences: Fence[] = [];
  let offset = 0;
  let open: { fence: string; blockStart: number; contentStart: number; info: string } | null = null;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (open) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(bare);
      if (close && close[1]!.startsWith(open.fence[0]!) && close[1]!.length >= open.fence.length) {
        fences.push({ blockStart: open.blockStart, blockEnd: Math.min(offset, text.length), contentStart: open.contentStart, contentEnd: lineStart, info: open.info });
        open = null;
      }
      continue;
    }
    const m = FENCE_OPEN.exec(bare);
    if (m) open = { fence: m[2]!, blockStart: lineStart, contentStart: Math.min(offset, text.length), info: m[3]!.toLowerCase() };
  }
  // An unclosed fence runs to the end of the document (CommonMark).
  if (open) fences.push({ blockStart: open.blockStart, blockEnd: text.length, contentStart: open.contentStart, contentEnd: text.length, info: open.info });
  return fences;
}

/** Fenced code blocks whose info string is `tensor` (CommonMark fences, ``` or ~~~). */
function findFencedTensorBlocks(text: string): Region[] {
  return scanFences(text)
    .filter((f) => f.info === 'tensor')
    .map((f) => ({ kind: 'fence', start: f.contentStart, end: f.contentEnd, mode: 'block' }));
}

/** Ranges of all fenced code blocks (any info string), to skip when looking for math. */
function fencedRanges(text: string): [number, number][] {
  return scanFences(text).map((f) => [f.blockStart, f.blockEnd]);
}

/**
 * Math spans in markdown prose, following pandoc's rules for `$`: an opening `$`
 * is not followed by a space, a closing `$` is not preceded by a space nor
 * followed by a digit; `\$` is a literal dollar; code spans and fenced blocks
 * are skipped.
 */
function findMathSpans(text: string): Region[] {
  const regions: Region[] = [];
  const fences = fencedRanges(text);
  let fence = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
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


export function referenceMarkdownRegions(text: string): Region[] {
  return [...findFencedTensorBlocks(text), ...findMathSpans(text)].sort((a, b) => a.start - b.start);
}
