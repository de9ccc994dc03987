// Where two versions of a document differ: the common prefix and suffix of
// two strings, found by native comparisons of 64 KB chunks and then character
// by character in the first chunk that differs.
//
// Pure (strings in, numbers out). Invariant of a TextChange: the texts agree
// before `start` and agree after the changed stretch (old [start, oldEnd),
// new [start, newEnd)), so new[i] === old[i - delta] for i >= newEnd, where
// delta = newEnd - oldEnd.

export interface TextChange {
  /** First offset where the texts differ (both texts). */
  readonly start: number;
  /** End of the changed stretch in the old text. */
  readonly oldEnd: number;
  /** End of the changed stretch in the new text. */
  readonly newEnd: number;
}

const CHUNK = 65_536;

/** Length of the longest common prefix of two texts. */
export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let at = 0;
  while (at < n) {
    const end = Math.min(at + CHUNK, n);
    if (a.slice(at, end) !== b.slice(at, end)) break;
    at = end;
  }
  while (at < n && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/** Length of the longest common suffix of two texts, at most `limit`. */
export function commonSuffixLength(a: string, b: string, limit = Math.min(a.length, b.length)): number {
  const n = Math.min(limit, a.length, b.length);
  let at = 0;
  while (at < n) {
    const size = Math.min(CHUNK, n - at);
    if (a.slice(a.length - at - size, a.length - at) !== b.slice(b.length - at - size, b.length - at)) break;
    at += size;
  }
  while (at < n && a.charCodeAt(a.length - 1 - at) === b.charCodeAt(b.length - 1 - at)) at++;
  return at;
}

/** The smallest stretch whose replacement turns `before` into `after` (prefix first, then the suffix of what is left). */
export function changeBetween(before: string, after: string): TextChange {
  const start = commonPrefixLength(before, after);
  const suffix = commonSuffixLength(before, after, Math.min(before.length, after.length) - start);
  return { start, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}
