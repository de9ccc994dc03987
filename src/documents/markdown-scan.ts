// Finds the tensor regions of a markdown document — fenced code blocks and math
// spans — and finds them again after an edit by re-reading only around it.
//
// A 5 MB note takes 15–45 ms to scan from the start, and the first hover after
// every keystroke needs the regions of the new version; re-reading from the
// last safe point before the edit until the scan is back in step with the old
// one costs well under a millisecond for a typical edit.
//
// Two scanners, both deterministic and forward-only:
// - fences, line by line (CommonMark ``` and ~~~ fences); the state at a line
//   start is only "inside a fence or not";
// - math spans (pandoc's rules for $, $$, \( and \[, with code spans and fenced
//   blocks skipped), jumping from one \, ` or $ to the next; between
//   constructs the state is only the position ("top level").
// Reading onwards from a top-level position depends only on the text from
// there on (and the fences from there on), but a construct may look ahead
// without bound (`$$` searches for its closing `$$`). So each scan records
// checkpoints — top-level positions — with how far the scanning after each
// looked ("extent": characters before it were read; a search that reached
// the end of the text has read past it, since text added there would change
// its outcome). After an edit, a scanner restarts at the last checkpoint
// before the edit whose earlier steps never looked at the edited text, and
// stops as soon as it stands, after the edit, at a position that was a
// checkpoint of the old scan (shifted by the edit's length change): from
// there on it would read the same text in the same state, so the old results
// are reused, shifted.
//
// Invariant (tested against the from-scratch scan on random documents and
// random edit sequences): `scanMarkdown(text, previous)` gives exactly the
// fences and math spans `scanMarkdown(text)` gives. Pure: strings in, plain
// data out.

import type { Region } from './regions';
import type { TextChange } from './text-change';

export interface Fence {
  /** Offset of the fence's first line, and the end of its closing line (or of the text). */
  readonly blockStart: number;
  readonly blockEnd: number;
  /** Offsets of the content between the fences. */
  readonly contentStart: number;
  readonly contentEnd: number;
  /** The info string's first word, lower case (`tensor`, `python`, …). */
  readonly info: string;
  /** False for a fence left open: it runs to the end of the text, and whatever is typed at the end is inside it. */
  readonly closed: boolean;
  /** The block's content as a region when it is a ```tensor block. */
  readonly region: Region | null;
}

/** A math span's content (without its delimiters) as a region. */
export type MathSpan = Region & { readonly kind: 'math' };

function makeFence(blockStart: number, blockEnd: number, contentStart: number, contentEnd: number, info: string, closed: boolean): Fence {
  const region: Region | null = info === 'tensor' ? { kind: 'fence', start: contentStart, end: contentEnd, mode: 'block' } : null;
  return { blockStart, blockEnd, contentStart, contentEnd, info, closed, region };
}

function mathSpan(start: number, end: number): MathSpan {
  return { kind: 'math', start, end, mode: 'math' };
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n`]*$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** A checkpoint at least this often (in characters) even where no math span ends, so a restart never goes far back. */
const CHECKPOINT_SPACING = 2048;

const BACKSLASH = 92;
const BACKTICK = 96;
const DOLLAR = 36;
const TILDE = 126;
const SPACE = 32;
const NEWLINE = 10;

/**
 * Checkpoints of the math scan: positions (increasing) and how far the scan
 * from each to the next looked. Plain arrays of small integers rather than
 * typed arrays: a new version copies tens of thousands of them, and typed
 * arrays that size are allocated outside the JavaScript heap, which made the
 * copy inside a hover trigger garbage collections (2–25 ms).
 */
class Checkpoints {
  readonly positions: number[] = [];
  readonly extents: number[] = [];

  get length(): number {
    return this.positions.length;
  }

  push(position: number): void {
    this.positions.push(position);
    this.extents.push(position);
  }

  /** The scan since the last checkpoint looked at characters before `extent`. */
  reach(extent: number): void {
    const k = this.extents.length - 1;
    if (extent > this.extents[k]!) this.extents[k] = extent;
  }

  /** Copies `count` checkpoints of `from`, starting at `start`, shifted by `delta`. */
  append(from: Checkpoints, start: number, count: number, delta: number): void {
    for (let k = start; k < start + count; k++) {
      this.positions.push(from.positions[k]! + delta);
      this.extents.push(from.extents[k]! + delta);
    }
  }

  /** Index of the checkpoint at `position`, or -1. */
  indexOf(position: number): number {
    const { positions } = this;
    let lo = 0;
    let hi = positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (positions[mid]! < position) lo = mid + 1;
      else hi = mid;
    }
    return lo < positions.length && positions[lo] === position ? lo : -1;
  }
}

/** What a rescan re-read (for tests and the benchmark): character ranges of the new text. */
export interface RescanStats {
  readonly fences: { readonly from: number; readonly to: number };
  readonly math: { readonly from: number; readonly to: number };
}

export class MarkdownScan {
  /** Built by `of` (and by a rescan); Checkpoints is this module's own. */
  constructor(
    readonly text: string,
    readonly fences: readonly Fence[],
    readonly math: readonly MathSpan[],
    /** The math scan's checkpoints (what a rescan restarts and resynchronises at). */
    readonly marks: Checkpoints,
    /** Null for a scan from scratch. */
    readonly rescanned: RescanStats | null,
  ) {}

  /** Scans `text`; with the scan of an earlier version (and where they differ), re-reads only around the change. */
  static of(text: string, previous?: { readonly scan: MarkdownScan; readonly change: TextChange }): MarkdownScan {
    if (!previous) {
      const fences: Fence[] = [];
      scanFences(text, 0, fences);
      const math: MathSpan[] = [];
      const checkpoints = new Checkpoints();
      scanMath(text, fences, 0, math, checkpoints);
      return new MarkdownScan(text, fences, math, checkpoints, null);
    }
    return rescan(text, previous.scan, previous.change);
  }
}

/**
 * A scan from scratch done a slice at a time (the first scan of a long note:
 * 17–45 ms for 5 MB in one go). Both passes are stopped only where they can
 * restart: the fence pass at a line start outside any fence, the math pass at
 * a top-level position, which becomes a checkpoint (any top-level position is
 * a valid one). The result equals `MarkdownScan.of(text)` in its fences and
 * math spans; its checkpoints are a superset.
 */
export class MarkdownScanJob {
  private readonly fences: Fence[] = [];
  private readonly math: MathSpan[] = [];
  private readonly marks = new Checkpoints();
  private phase: 'fences' | 'math' | 'done' = 'fences';
  private at = 0;
  private result: MarkdownScan | null = null;

  constructor(
    readonly text: string,
    /** How many lines or positions pass between two looks at the clock (tests stop at every one). */
    private readonly checkEvery = 256,
  ) {}

  /** Scans until `now() >= deadline` (checked every `checkEvery` lines or positions) or the end; returns the scan once done. */
  step(deadline: number, now: () => number): MarkdownScan | null {
    if (this.result) return this.result;
    let asked = 0;
    // A pass asked to stop where it started would make no progress.
    const stopAfter = (from: number) => (position: number): boolean => position > from && ++asked % this.checkEvery === 0 && now() >= deadline;
    if (this.phase === 'fences') {
      const stopped = scanFences(this.text, this.at, this.fences, stopAfter(this.at));
      if (stopped <= this.text.length) {
        this.at = stopped;
        return null;
      }
      this.phase = 'math';
      this.at = 0;
      if (now() >= deadline) return null;
    }
    const stopped = scanMath(this.text, this.fences, this.at, this.math, this.marks, stopAfter(this.at));
    if (stopped < this.text.length) {
      this.at = stopped;
      return null;
    }
    this.phase = 'done';
    this.result = new MarkdownScan(this.text, this.fences, this.math, this.marks, null);
    return this.result;
  }
}

/**
 * Scans fences line by line from `from` (a line start outside any fence),
 * appending to `out`. With `sync`, asks at every line start outside a fence
 * whether the rest is known; stops there when the answer is an index (>= 0).
 * Returns where it stopped (the text's length + 1 when it read to the end).
 */
function scanFences(text: string, from: number, out: Fence[], sync?: (lineStart: number) => boolean): number {
  let open: { fence: string; blockStart: number; contentStart: number; info: string } | null = null;
  const n = text.length;
  // Walks lines with indexOf and tests only lines whose first non-blank character
  // (after at most 3 spaces) is a backtick or tilde: a 5 MB note has 150,000
  // lines, and splitting and matching every one dominated finding its regions.
  for (let lineStart = from; lineStart <= n; ) {
    if (open === null && sync && sync(lineStart)) return lineStart;
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? n : newline;
    const next = newline < 0 ? n + 1 : newline + 1;
    let first = lineStart;
    while (first < lineEnd && first - lineStart < 3 && text.charCodeAt(first) === SPACE) first++;
    const c = text.charCodeAt(first);
    if (c === BACKTICK || c === TILDE) {
      const line = text.slice(lineStart, lineEnd);
      const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
      const offset = Math.min(next, n);
      if (open) {
        const close = FENCE_CLOSE.exec(bare);
        if (close && close[1]!.startsWith(open.fence[0]!) && close[1]!.length >= open.fence.length) {
          out.push(makeFence(open.blockStart, offset, open.contentStart, lineStart, open.info, true));
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
  if (open) out.push(makeFence(open.blockStart, n, open.contentStart, n, open.info, false));
  return n + 1;
}

/** Index of the first fence ending after `offset` (fences are sorted and disjoint). */
function firstFenceEndingAfter(fences: readonly Fence[], offset: number): number {
  let lo = 0;
  let hi = fences.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fences[mid]!.blockEnd <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Math spans in markdown prose, following pandoc's rules for `$`: an opening `$`
 * is not followed by a space, a closing `$` is not preceded by a space nor
 * followed by a digit; `\$` is a literal dollar; code spans and fenced blocks
 * are skipped. Scans from the top-level position `from`, appending spans to
 * `out` and checkpoints to `marks`; with `sync`, stops at the first top-level
 * position where it answers true and returns it (the text's length when it
 * read to the end).
 */
function scanMath(text: string, fences: readonly Fence[], from: number, out: MathSpan[], marks: Checkpoints, sync?: (position: number) => boolean): number {
  const n = text.length;
  let fence = firstFenceEndingAfter(fences, from);
  // Only \, ` and $ start anything: jump from one to the next (a native search)
  // instead of visiting every character.
  const special = /[\\`$]/g;
  let mark = true;
  for (let i = from; i < n; ) {
    if (sync && sync(i)) return i;
    if (mark || i - marks.positions[marks.length - 1]! >= CHECKPOINT_SPACING) marks.push(i);
    mark = false;
    special.lastIndex = i;
    const hit = special.exec(text);
    if (!hit) {
      marks.reach(n + 1);
      break;
    }
    const h = hit.index;
    while (fence < fences.length && fences[fence]!.blockEnd <= h) fence++;
    if (fence < fences.length && fences[fence]!.blockStart <= h) {
      i = fences[fence]!.blockEnd;
      marks.reach(i);
      mark = true;
      continue;
    }
    const c = text.charCodeAt(h);
    if (c === BACKSLASH) {
      const next = text[h + 1];
      if (next === '(' || next === '[') {
        const end = text.indexOf(next === '(' ? '\\)' : '\\]', h + 2);
        if (end > 0) {
          out.push(mathSpan(h + 2, end));
          i = end + 2;
          marks.reach(i);
          mark = true;
          continue;
        }
        marks.reach(n + 1);
      }
      i = h + 2;
      marks.reach(i);
      continue;
    }
    if (c === BACKTICK) {
      // A code span: skip to the matching run of backticks.
      let run = 1;
      while (text.charCodeAt(h + run) === BACKTICK) run++;
      const end = text.indexOf('`'.repeat(run), h + run);
      i = end < 0 ? h + run : end + run;
      marks.reach(end < 0 ? n + 1 : i + 1);
      continue;
    }
    // c === DOLLAR
    if (text.charCodeAt(h + 1) === DOLLAR) {
      const end = text.indexOf('$$', h + 2);
      if (end > 0) {
        out.push(mathSpan(h + 2, end));
        i = end + 2;
        marks.reach(i);
        mark = true;
        continue;
      }
      i = h + 2;
      marks.reach(n + 1);
      continue;
    }
    const next = text[h + 1];
    if (next !== undefined && !/\s/.test(next)) {
      let j = h + 1;
      let found = -1;
      while ((j < n && text.charCodeAt(j) !== NEWLINE) || (j < n && text.charCodeAt(j) === NEWLINE && text.charCodeAt(j + 1) !== NEWLINE)) {
        if (text.charCodeAt(j) === BACKSLASH) {
          j += 2;
          continue;
        }
        if (text.charCodeAt(j) === DOLLAR && !/\s/.test(text[j - 1]!) && !/[0-9]/.test(text[j + 1] ?? '')) {
          found = j;
          break;
        }
        j++;
      }
      marks.reach(j + 2);
      if (found > 0) {
        out.push(mathSpan(h + 1, found));
        i = found + 1;
        mark = true;
        continue;
      }
    }
    i = h + 1;
    marks.reach(h + 2);
  }
  return n;
}

/** The fence whose block contains `offset` past its first character (a fence left open contains the end of the text). */
function fenceAround(fences: readonly Fence[], offset: number): Fence | undefined {
  const f = fences[firstFenceEndingAfter(fences, offset)] ?? fences[fences.length - 1];
  return f && f.blockStart < offset && (offset < f.blockEnd || !f.closed) ? f : undefined;
}

/** Number of leading items of a sorted list for which `before` holds. */
function countWhile<T>(items: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(items[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function rescan(text: string, old: MarkdownScan, change: TextChange): MarkdownScan {
  const oldText = old.text;
  const delta = change.newEnd - change.oldEnd;

  // ── Fences: restart at the start of the edited line, or of the fence it is in. ──
  // (lastIndexOf clamps a negative start to 0, where it would still find a newline.)
  let restart = change.start === 0 ? 0 : oldText.lastIndexOf('\n', change.start - 1) + 1;
  const around = fenceAround(old.fences, restart);
  if (around) restart = around.blockStart;
  const fences: Fence[] = old.fences.slice(0, countWhile(old.fences, (f) => f.blockStart < restart));
  // In step again at a line start after the edit that was a line start outside any fence in the old text.
  const fenceSync = (lineStart: number): boolean => {
    if (lineStart < change.newEnd) return false;
    const before = lineStart - delta;
    if (before > 0 && oldText.charCodeAt(before - 1) !== NEWLINE) return false;
    return fenceAround(old.fences, before) === undefined;
  };
  const fencesSyncedAt = scanFences(text, restart, fences, fenceSync);
  const fencesTo = Math.min(fencesSyncedAt, text.length);
  if (fencesSyncedAt <= text.length) {
    for (let k = countWhile(old.fences, (f) => f.blockStart < fencesSyncedAt - delta); k < old.fences.length; k++) {
      const f = old.fences[k]!;
      fences.push(makeFence(f.blockStart + delta, f.blockEnd + delta, f.contentStart + delta, f.contentEnd + delta, f.info, f.closed));
    }
  }

  // ── Math: restart at the last checkpoint at or before the fence restart whose earlier steps looked only before it. ──
  const marks = old.marks;
  let k = -1;
  for (let j = 0, looked = 0; j < marks.length; j++) {
    if (marks.positions[j]! > restart || looked > restart) break;
    k = j;
    looked = Math.max(looked, marks.extents[j]!);
  }
  const mathFrom = k < 0 ? 0 : marks.positions[k]!;
  const math: MathSpan[] = old.math.slice(0, countWhile(old.math, (s) => s.start < mathFrom));
  const checkpoints = new Checkpoints();
  if (k > 0) checkpoints.append(marks, 0, k, 0);
  // In step again at a top-level position after the edit (and after the fences are) that was a checkpoint of the old scan.
  const syncFrom = Math.max(change.newEnd, fencesSyncedAt);
  let oldMark = -1;
  const mathSync = (position: number): boolean => {
    if (position < syncFrom) return false;
    oldMark = marks.indexOf(position - delta);
    return oldMark >= 0;
  };
  const mathSyncedAt = scanMath(text, fences, mathFrom, math, checkpoints, mathSync);
  if (mathSyncedAt < text.length && oldMark >= 0) {
    const resumeAt = mathSyncedAt - delta;
    for (let s = countWhile(old.math, (m) => m.start < resumeAt); s < old.math.length; s++) {
      const m = old.math[s]!;
      math.push(mathSpan(m.start + delta, m.end + delta));
    }
    checkpoints.append(marks, oldMark, marks.length - oldMark, delta);
  }
  return new MarkdownScan(text, fences, math, checkpoints, { fences: { from: restart, to: fencesTo }, math: { from: mathFrom, to: mathSyncedAt } });
}
