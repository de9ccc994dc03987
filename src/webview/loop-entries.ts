// The panel's cache of loop entries and its requests for more. The host
// answers `loopStep` with a window of entries around a step; this keeps them
// per loop model (by id), bounded in number, and lets at most one request be
// in flight (a stale one expires), so dragging the slider over millions of
// steps never floods the extension host.

import { entryFits, LOOP_WINDOW, type LoopEntryData, type LoopSpec } from '../panel/protocol';

export const CACHE_LIMIT = 8192;
/** A request unanswered for this long no longer blocks new ones. */
export const REQUEST_TIMEOUT_MS = 1500;

export class EntryStore {
  private spec: LoopSpec | null = null;
  private readonly entries = new Map<number, LoopEntryData>();
  /** Entries the host was asked for and did not send (it could not compute them): never asked for again. */
  private readonly failed = new Set<number>();
  private inFlight: { readonly at: number; readonly center: number } | null = null;

  constructor(
    private readonly send: (id: number, step: number) => void,
    private readonly now: () => number,
    private readonly limit = CACHE_LIMIT,
  ) {}

  /** Starts over for a new loop model. */
  reset(spec: LoopSpec | null): void {
    this.spec = spec;
    this.entries.clear();
    this.failed.clear();
    this.inFlight = null;
  }

  get size(): number {
    return this.entries.size;
  }

  get(index: number): LoopEntryData | undefined {
    return this.entries.get(index);
  }

  has(index: number): boolean {
    return this.entries.has(index);
  }

  /** Whether the host answered for `index` without it (the entry cannot be computed). */
  isFailed(index: number): boolean {
    return this.failed.has(index);
  }

  /** Adds entries sent for loop model `id`; returns how many were kept (none for another model or entries that do not fit it). */
  accept(id: number, entries: readonly LoopEntryData[]): number {
    const spec = this.spec;
    if (!spec || id !== spec.id) return 0;
    let asked = this.inFlight;
    const answers = (a: { center: number }) => entries.length === 0 || entries.some((e) => Math.abs(e.step - a.center) <= LOOP_WINDOW);
    // An answer to an older (timed-out) request leaves the newer one in flight.
    if (asked && !answers(asked)) asked = null;
    else this.inFlight = null;
    let kept = 0;
    for (const e of entries) {
      if (!entryFits(spec, e)) continue;
      this.entries.delete(e.step);
      this.entries.set(e.step, e);
      this.failed.delete(e.step);
      kept++;
    }
    // What the host left out of the window it was asked for, it could not compute; asking again would loop.
    if (asked) {
      for (let i = Math.max(0, asked.center - LOOP_WINDOW); i <= Math.min(spec.steps - 1, asked.center + LOOP_WINDOW); i++) {
        if (!this.entries.has(i)) this.failed.add(i);
      }
      while (this.failed.size > this.limit) this.failed.delete(this.failed.values().next().value!);
    }
    // Oldest first out.
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return kept;
  }

  /**
   * Asks for the window around entry `center` unless a request is already
   * out; returns whether it asked.
   */
  request(center: number): boolean {
    const spec = this.spec;
    if (!spec || spec.steps === 0) return false;
    const now = this.now();
    if (this.inFlight && now - this.inFlight.at < REQUEST_TIMEOUT_MS) return false;
    const step = Math.max(0, Math.min(spec.steps - 1, Math.round(center)));
    this.inFlight = { at: now, center: step };
    this.send(spec.id, step);
    return true;
  }

  /** Asks for entries so that `index` gets cached, when it is not (and can be). */
  ensure(index: number): void {
    if (!this.has(index) && !this.failed.has(index)) this.request(index);
  }

  /** Asks for the entries after `index` (the next window), when `index + LOOP_WINDOW / 2` is missing. */
  prefetchAfter(index: number): void {
    const spec = this.spec;
    if (!spec) return;
    const ahead = Math.min(spec.steps - 1, index + LOOP_WINDOW / 2);
    if (!this.has(ahead) && !this.failed.has(ahead)) this.request(Math.min(spec.steps - 1, index + LOOP_WINDOW));
  }

  /** The first entry in [0, end) that is neither cached nor failed, or null. */
  firstMissing(end: number): number | null {
    for (let i = 0; i < end; i++) if (!this.entries.has(i) && !this.failed.has(i)) return i;
    return null;
  }
}
