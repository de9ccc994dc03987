// Groundwork for incremental, time-sliced document analysis (issue G). Not
// wired into the extension yet: today a document is analysed whole and
// synchronously (a 1 MB note with 1,900 blocks takes seconds, a note over
// 1,000,000 characters gets a single too-large diagnostic). These are the pure
// pieces the adapter needs to analyse region by region, reuse unchanged work,
// and yield to the editor between slices:
//
// - `regionKeys`: a cache key per region that changes when the region's text,
//   its mode, the layout, or any earlier region changes (declarations carry
//   across regions in reading order, so a region's meaning depends on what
//   precedes it). Editing region k keeps the keys of regions 0…k-1.
// - `RegionCache`: a bounded LRU map from keys to per-region results.
// - `firstDirty`: the first region whose result is not cached — where
//   re-analysis must start.
// - `runSlice`: runs work items until a time budget is spent or the caller
//   cancels, and says where to resume (the adapter calls it from setTimeout /
//   setImmediate, so the host is never blocked longer than one slice).
//
// Pure: strings and callbacks in, plain data out; the clock is a parameter.

import type { Region } from './regions';

export interface KeyedRegion {
  readonly region: Region;
  /** Depends on this region's text and mode, the layout, and every earlier region. */
  readonly key: string;
}

/** FNV-1a over UTF-16 code units, continuing from `seed` (two 32-bit lanes, so collisions need ~2⁶⁴ tries). */
function hash(text: string, seed: readonly [number, number]): [number, number] {
  let a = seed[0] >>> 0;
  let b = seed[1] >>> 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c ^ (a >>> 7), 0x5bd1e995) >>> 0;
  }
  return [a, b];
}

/** Chained keys for the regions of `text`, in document order. */
export function regionKeys(text: string, regions: readonly Region[], layout: string): KeyedRegion[] {
  let state: [number, number] = hash(layout, [0x811c9dc5, 0x9747b28c]);
  return regions.map((region) => {
    state = hash(`\u0000${region.kind}\u0000${region.mode}\u0000${text.slice(region.start, region.end)}`, state);
    return { region, key: `${region.kind}:${state[0].toString(36)}${state[1].toString(36).padStart(7, '0')}` };
  });
}

/** A bounded map from region keys to results, evicting the least recently used. */
export class RegionCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(readonly limit = 4096) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Refresh: Map iteration order is insertion order.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** Index of the first region without a cached result (`keys.length` when all are cached). */
export function firstDirty(keys: readonly KeyedRegion[], cache: RegionCache<unknown>): number {
  const k = keys.findIndex((r) => !cache.has(r.key));
  return k < 0 ? keys.length : k;
}

export interface SliceResult {
  /** Where to resume (items.length when finished). */
  readonly next: number;
  readonly done: boolean;
  readonly cancelled: boolean;
}

/**
 * Runs `work` on items[from], items[from+1], … until all are done, `budgetMs`
 * has passed (measured with `now`), or `isCancelled()` says so. At least one
 * item runs per slice, so progress is guaranteed.
 */
export function runSlice<T>(
  items: readonly T[],
  from: number,
  work: (item: T, index: number) => void,
  options: { readonly budgetMs: number; readonly now: () => number; readonly isCancelled?: () => boolean },
): SliceResult {
  const start = options.now();
  let i = from;
  while (i < items.length) {
    if (options.isCancelled?.()) return { next: i, done: false, cancelled: true };
    work(items[i]!, i);
    i++;
    if (options.now() - start >= options.budgetMs) break;
  }
  return { next: i, done: i >= items.length, cancelled: false };
}
