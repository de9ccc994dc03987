// Finds the tensor-language regions of a document: fenced ```tensor blocks in
// markdown (more kinds — math spans, @tensor comments — plug in here).
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

/** Fenced code blocks whose info string is `tensor` (CommonMark fences, ``` or ~~~). */
export function findFencedTensorBlocks(text: string): Region[] {
  const regions: Region[] = [];
  let offset = 0;
  const lines = text.split('\n');
  let open: { fence: string; contentStart: number; tensor: boolean } | null = null;
  for (const line of lines) {
    const lineStart = offset;
    offset += line.length + 1;
    const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (open) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(bare);
      if (close && close[1]!.startsWith(open.fence[0]!) && close[1]!.length >= open.fence.length) {
        if (open.tensor) regions.push({ kind: 'fence', start: open.contentStart, end: lineStart, mode: 'block' });
        open = null;
      }
      continue;
    }
    const m = FENCE_OPEN.exec(bare);
    if (m) {
      open = { fence: m[2]!, contentStart: Math.min(offset, text.length), tensor: m[3]!.toLowerCase() === 'tensor' };
    }
  }
  // An unclosed fence runs to the end of the document (CommonMark).
  if (open?.tensor) regions.push({ kind: 'fence', start: open.contentStart, end: text.length, mode: 'block' });
  return regions;
}

export function findRegions(text: string, languageId: string): Region[] {
  if (languageId === 'markdown') return findFencedTensorBlocks(text);
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
