// Incremental, time-sliced analysis of a document, region by region.
//
// A document's regions (```tensor blocks, math spans, @tensor comments) are
// elaborated in reading order, each on top of the scope the one before it
// handed on (engine/shape/scope.ts), each as its own text with offsets
// relative to its start. A region's result is cached under
//
//   region key = hash(kind, mode, text) + env key
//   env key    = hash(previous env key, what the region hands on)
//
// where "what a region hands on" is its declarations' and definitions' text
// (plus the shape of its statement list): an edit inside an expression keeps
// every later region's key, so only the edited region is analysed again
// ("early cutoff"); an edit to a declaration re-analyses the regions after it.
// Offsets are relative, so text inserted above a region does not invalidate
// it either.
//
// The regions themselves are found from the previous version's (RegionScan,
// markdown-scan.ts): a keystroke in a 5 MB note re-reads a few hundred
// characters instead of the note.
//
// Invariants:
// - Pure: strings in, plain data out; the clock and the decision when to stop
//   are the caller's (`step(deadline)`), so the extension host can interleave
//   slices with the editor's own work and cancel a stale run by dropping it.
// - A run's results equal a from-scratch analysis of the same text: cached
//   entries are reused only under equal keys, and a key covers everything the
//   region's analysis depends on (its text, its kind and mode, the layout —
//   the cache belongs to one layout — and the inherited scope via the env key).
// - Claim checks (numeric, the expensive part) are a separate, lazy phase,
//   cached in the same entries: `checkClaimsStep` never runs during `step`.
// - Memory is bounded by the document, not by its history: an entry keeps
//   what every region needs (diagnostics, the scope it hands on, where its
//   requests are) and a full analysis only while among the most recently used
//   (RegionEntry); sources are copies, never slices of a version's text.

import { analyze, type Analysis } from '../engine/analyze';
import type { Diagnostic } from '../engine/diagnostics';
import { checkClaims, statesClaims } from '../engine/derive/claims';
import type { Layout } from '../engine/shape/layout';
import type { Shape } from '../engine/shape/shape';
import { EMPTY_SCOPE, type Scope } from '../engine/shape/scope';
import { RegionScan, RegionScanJob, type Region } from './regions';
import { changeBetween, commonPrefixLength } from './text-change';
import { LruCache } from './lru-cache';

/** Where a region's derivative request is and what shape it has (kept when its analysis is not). */
export interface RequestSummary {
  /** Offsets relative to the region's start. */
  readonly start: number;
  readonly end: number;
  readonly shape: Shape;
}

/**
 * One region's cached analysis (offsets relative to the region's start).
 *
 * What the editor needs of every region (its diagnostics, the scope it hands
 * on, where its derivative requests are) is kept for as long as the entry is
 * cached. The full analysis (syntax tree, elaborated terms, a shape per
 * expression: about 190 objects per region) is held only while the entry is
 * among the `RecentAnalyses` most recently used (from its first use: not
 * while a run analyses region after region); after that, reading
 * `analysis` analyses the region again from its source and the scope it
 * started from. analyze() is a pure function of (source, layout, scope), so
 * the result equals the dropped one (not the same objects). Holding every
 * analysis made a 5 MB note a 180 MB heap of 3.8 M objects, and garbage
 * collections of that heap paused the extension host for 40–190 ms.
 */
export class RegionEntry {
  /** Engine diagnostics as the editor shows them (prose-math filtering applied). */
  readonly diagnostics: readonly Diagnostic[];
  readonly envKeyOut: string;
  /** The scope the region hands on to the next one. */
  readonly scopeOut: Scope;
  readonly requests: readonly RequestSummary[];
  /** Whether any statement states a claim (`= …` after it): regions without one need no check, nor their analysis back. */
  readonly hasClaims: boolean;
  /** Claim-check diagnostics; undefined until checked. */
  claims?: readonly Diagnostic[];
  private held: Analysis | null;

  constructor(
    /** The text the engine read (a copy: see `detached`). */
    readonly source: string,
    private readonly scopeIn: Scope,
    private readonly layout: Layout,
    private readonly recent: RecentAnalyses,
    region: Region,
    envKeyIn: string,
  ) {
    // Not held: a run analyses thousands of regions in a row, and holding the newest few hundred
    // full analyses made every young-generation collection copy them (scavenges of a 5 MB note's
    // first run took 1.07 s in all, p90 7.7 ms, against 0.67 s and 4.4 ms without). A region's
    // analysis is held from its first use (a hover, the panel).
    const analysis = this.analyse();
    this.held = null;
    this.diagnostics = editorDiagnostics(region, source, analysis.diagnostics);
    this.envKeyOut = hash(handedOn(analysis, scopeIn), envKeyIn);
    this.scopeOut = analysis.elaboration.scope;
    this.requests = analysis.elaboration.derivatives.map((r) => ({ start: r.node.span.start, end: r.node.span.end, shape: r.shape }));
    this.hasClaims = analysis.elaboration.statements.some(statesClaims);
  }

  private analyse(): Analysis {
    return analyze(this.source, { layout: this.layout, mode: 'block', scope: this.scopeIn });
  }

  /** The region's full analysis (analysed again if it was released). */
  get analysis(): Analysis {
    this.held ??= this.analyse();
    this.recent.touch(this);
    return this.held;
  }

  /** The full analysis for a one-off use (a claim check): the held one, else a fresh one that is not held. */
  analysisOnce(): Analysis {
    return this.held ?? this.analyse();
  }

  /** Whether the full analysis is held now (for tests and measurements). */
  get holdsAnalysis(): boolean {
    return this.held !== null;
  }

  /** Drops the full analysis (RecentAnalyses calls this for the least recently used). */
  release(): void {
    this.held = null;
  }
}

/** The region entries whose full analyses are held: the `limit` most recently used. */
export class RecentAnalyses {
  private readonly entries = new Set<RegionEntry>();

  constructor(readonly limit: number) {}

  touch(entry: RegionEntry): void {
    // A Set iterates in insertion order: re-inserting makes the entry the newest.
    this.entries.delete(entry);
    this.entries.add(entry);
    if (this.entries.size <= this.limit) return;
    const oldest = this.entries.values().next().value!;
    this.entries.delete(oldest);
    oldest.release();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** How many regions keep their full analyses (a 5 MB note has 20,000 regions; a slice analyses about 250). */
export const RECENT_ANALYSES = 512;

/** A region of the current text with its (cached or fresh) analysis. */
export interface RegionPart {
  readonly region: Region;
  /** The region's analysis; `entry.source` is the text the engine read. */
  readonly entry: RegionEntry;
  /** The env key the region started from (to reuse the entry without hashing). */
  readonly envKeyIn: string;
}

/**
 * Prose math is full of notation that is not meant as a computation
 * ($i = 1, \ldots, m$, abstract f(x)); there only problems with declared
 * tensors are reported, as warnings. Tensor blocks and @tensor comments
 * report everything.
 */
const KEPT_IN_PROSE_MATH: ReadonlySet<string> = new Set([
  'shape-mismatch', 'not-square', 'bad-index', 'wrong-arity', 'claim-false', 'claim-layout',
]);

/** `a_i`, `X_{ij}`: index notation in prose, not an element reference. */
function isSymbolicIndex(d: Diagnostic, source: string): boolean {
  return d.code === 'bad-index' && /_\{?[A-Za-z]/.test(source.slice(d.span.start, d.span.end));
}

/** What the editor shows of a region's diagnostics. */
export function editorDiagnostics(region: Region, source: string, found: readonly Diagnostic[]): Diagnostic[] {
  if (region.kind !== 'math') return [...found];
  return found
    .filter((d) => KEPT_IN_PROSE_MATH.has(d.code) && !isSymbolicIndex(d, source))
    // In prose, a finding is advice, not a build error.
    .map((d) => (d.severity === 'error' ? { ...d, severity: 'warning' as const } : d));
}

/** The text the engine reads for a region: LaTeX math spans read newlines as spaces. */
export function regionSource(text: string, region: Region): string {
  const raw = text.slice(region.start, region.end);
  return region.mode === 'math' ? raw.replace(/[\r\n]/g, ' ') : raw;
}

/**
 * A copy of `text` that does not keep a larger string alive. V8 represents a
 * slice of a long string as a view into it, so a cached region source sliced
 * from one version of a 5 MB note kept that whole version in memory (every
 * edit pinned another 10 MB). Concatenation then slicing makes V8 flatten the
 * text into a new string of its own length (the standard idiom; the value is
 * unchanged on any engine).
 */
export function detached(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/** FNV-1a-style hash over UTF-16 code units in two 32-bit lanes (collisions need ~2⁶⁴ tries). */
function hash(text: string, seed: string): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193) >>> 0;
      b = Math.imul(b ^ c ^ (a >>> 7), 0x5bd1e995) >>> 0;
    }
  };
  mix(seed);
  mix('\u0000');
  mix(text);
  return `${a.toString(36)}.${b.toString(36)}`;
}

/**
 * What a region hands on to the regions after it, as text: the kind and
 * sentence-joining of every statement (they decide the elaboration order) and
 * the text of every declaration and definition. When the region assembled a
 * variable from element definitions at a use (a definition made by an
 * expression), the whole text counts.
 */
function handedOn(analysis: Analysis, scopeIn: Scope): string {
  const { statements } = analysis.program;
  const definitionStatements = statements.filter((s) => s.kind === 'definition').length;
  const made = analysis.elaboration.definitions.length - scopeIn.definitions.length;
  if (made > definitionStatements) return `all\u0000${analysis.source}`;
  const parts: string[] = [String(made)];
  for (const s of statements) {
    // Runs of whitespace count as one space: `f =  x` hands on what `f = x` does (but `Ax` is not `A x`).
    const text = s.kind === 'expression' ? '' : analysis.source.slice(s.span.start, s.span.end).replace(/\s+/g, ' ');
    parts.push(`${s.kind[0]}${s.joined ? '+' : ''}${text}`);
  }
  return parts.join('\u0001');
}

export interface RunStats {
  /** Regions analysed in this run (cache misses). */
  analysed: number;
  /** Regions taken from the cache. */
  reused: number;
  /** Regions whose claims were checked in this run. */
  claimsChecked: number;
}

/**
 * One analysis of one version of a document. Advance it with `step` (for a
 * time budget) or `through` (up to an offset, for a hover); read `parts`.
 */
export class AnalysisRun {
  readonly regions: readonly Region[];
  private readonly parts_: RegionPart[] = [];
  private scope: Scope = EMPTY_SCOPE;
  private envKey: string;
  private claimsNext = 0;
  readonly stats: RunStats = { analysed: 0, reused: 0, claimsChecked: 0 };

  constructor(
    /** This version's text and regions. */
    readonly scan: RegionScan,
    readonly layout: Layout,
    private readonly cache: LruCache<RegionEntry>,
    private readonly recent: RecentAnalyses,
    /** The run of the previous version: a region with the same text at the same index is reused by comparing strings. */
    private previous?: AnalysisRun,
    /**
     * The texts of this and the previous run's version agree before this offset, so
     * a region ending there with the same bounds has the same source: reused
     * without slicing and comparing it (a hover at the end of a 5 MB note walks
     * 20,000 such regions).
     */
    private readonly unchangedBefore = 0,
  ) {
    this.regions = scan.regions;
    this.envKey = layout;
  }

  get text(): string {
    return this.scan.text;
  }

  get languageId(): string {
    return this.scan.languageId;
  }

  /** The regions analysed so far, in document order. */
  get parts(): readonly RegionPart[] {
    return this.parts_;
  }

  get done(): boolean {
    return this.parts_.length === this.regions.length;
  }

  get claimsDone(): boolean {
    return this.done && this.claimsNext === this.parts_.length;
  }

  /** Drops the link to the run before this one (memory: one previous run at most). */
  forgetPrevious(): void {
    this.previous = undefined;
  }

  /**
   * Analyses the next region. Once every region is analysed the previous run
   * is let go: its parts served only to reuse entries while this run was being
   * made, and after an edit to an early definition they held the old analyses
   * of every later region (the heap of a 5 MB note went from 106 to 190 MB at
   * the first such edit, and stayed there).
   */
  private analyseNext(): void {
    this.analyseOne();
    if (this.done) this.previous = undefined;
  }

  private analyseOne(): void {
    const index = this.parts_.length;
    const region = this.regions[index]!;
    const envKeyIn = this.envKey;
    const before = this.previous?.parts_[index];
    // The same region object means the same text: a scan hands on the region objects before
    // an edit unchanged (markdown-scan.ts), so a hover far down a just-edited note walks
    // thousands of these without allocating.
    if (before !== undefined && before.region === region && before.envKeyIn === envKeyIn) {
      this.parts_.push(before);
      this.scope = before.entry.scopeOut;
      this.envKey = before.entry.envKeyOut;
      this.stats.reused++;
      return;
    }
    // The previous version's part, when it is this region read in the same scope: the same
    // bounds inside the unchanged prefix, else (most regions are unchanged) the same source by
    // a native string comparison instead of hashing the text again.
    const samePlace = before !== undefined && before.envKeyIn === envKeyIn && before.region.kind === region.kind && before.region.mode === region.mode;
    const unchanged = samePlace && region.end < this.unchangedBefore && before.region.start === region.start && before.region.end === region.end;
    const source = unchanged ? before.entry.source : regionSource(this.text, region);
    let entry = samePlace && before.entry.source === source ? before.entry : undefined;
    const key = entry ? '' : `${hash(source, `${region.kind}\u0000${region.mode}`)}|${envKeyIn}`;
    entry ??= this.cache.get(key);
    if (entry) this.stats.reused++;
    else {
      entry = new RegionEntry(detached(source), this.scope, this.layout, this.recent, region, envKeyIn);
      this.cache.set(key, entry);
      this.stats.analysed++;
    }
    this.parts_.push({ region, entry, envKeyIn });
    this.scope = entry.scopeOut;
    this.envKey = entry.envKeyOut;
  }

  /**
   * Analyses regions until `now() >= deadline` or all are done (at least one
   * per call, so every call makes progress). Returns `done`.
   */
  step(deadline: number, now: () => number): boolean {
    while (!this.done) {
      this.analyseNext();
      if (now() >= deadline) break;
    }
    return this.done;
  }

  /**
   * Analyses every region that starts at or before `offset` (what a hover
   * there needs), or stops at the deadline (at least one region per call).
   * Returns whether every such region is analysed.
   */
  through(offset: number, deadline = Infinity, now: () => number = () => 0): boolean {
    const needed = () => !this.done && this.regions[this.parts_.length]!.start <= offset;
    while (needed()) {
      this.analyseNext();
      if (needed() && now() >= deadline) return false;
    }
    return true;
  }

  /** Runs every step to the end. */
  finish(): this {
    while (!this.done) this.analyseNext();
    return this;
  }

  /**
   * Checks the claims of analysed regions until the deadline (at least one
   * region per call). Cached per region entry, so a claim is checked once per
   * distinct text and scope. Returns `claimsDone`.
   */
  checkClaimsStep(deadline: number, now: () => number): boolean {
    while (this.claimsNext < this.parts_.length) {
      const { region, entry } = this.parts_[this.claimsNext++]!;
      if (entry.claims) continue;
      if (!entry.hasClaims) {
        entry.claims = [];
        continue;
      }
      entry.claims = editorDiagnostics(region, entry.source, checkClaims(entry.analysisOnce()).diagnostics);
      this.stats.claimsChecked++;
      if (now() >= deadline) break;
    }
    return this.claimsDone;
  }

  /** The last diagnostics() answer and the progress it was computed at (publishing and CodeLenses both ask). */
  private diagnosticsMemo: { readonly at: string; readonly list: readonly Diagnostic[] } | null = null;

  /** Every diagnostic of the analysed regions in document offsets (claims where checked), sorted. */
  diagnostics(): readonly Diagnostic[] {
    const at = `${this.parts_.length}:${this.claimsNext}`;
    if (this.diagnosticsMemo?.at === at) return this.diagnosticsMemo.list;
    const out: Diagnostic[] = [];
    for (const { region, entry } of this.parts_) {
      const shift = (d: Diagnostic): Diagnostic => ({ ...d, span: { start: d.span.start + region.start, end: d.span.end + region.start } });
      for (const d of entry.diagnostics) out.push(shift(d));
      for (const d of entry.claims ?? []) out.push(shift(d));
    }
    out.sort((a, b) => a.span.start - b.span.start);
    this.diagnosticsMemo = { at, list: out };
    return out;
  }
}

/**
 * The analyses of one document over its versions: a cache shared by the runs
 * (one per version and layout; a run for another layout uses its own cache).
 *
 * The cache holds `minimum` entries, or one and a half times the regions of
 * the newest version when that is more: enough for every region of the
 * document (a block inserted near the top shifts every region after it, and
 * only the cache finds them again) and for the regions recent edits changed
 * (undo), without keeping the entries of many old versions of a long note.
 */
export class DocumentAnalyzer {
  private readonly caches = new Map<Layout, LruCache<RegionEntry>>();
  private readonly recent: RecentAnalyses;

  constructor(private readonly minimum = 4096, recentAnalyses = RECENT_ANALYSES) {
    this.recent = new RecentAnalyses(recentAnalyses);
  }

  private last: AnalysisRun | undefined;
  /** The regions of the newest version started, in any layout: the next version's are found from them. */
  private lastScan: RegionScan | undefined;

  /**
   * Starts from the regions `other` found last (when this analyzer has found
   * none): a second analyzer of the same document, in another layout, then
   * finds its first run's regions by an incremental rescan, not a full scan.
   */
  adoptScan(other: DocumentAnalyzer): void {
    this.lastScan ??= other.lastScan;
  }

  /**
   * A first scan of `text` to do a slice at a time before `start` (null when
   * this analyzer has found regions before: its next run finds them again
   * incrementally). Once the job is done, a `start` with the same text uses
   * its regions without scanning; a different text is rescanned from them.
   */
  scanJob(text: string, languageId: string): { step(deadline: number, now: () => number): boolean } | null {
    if (this.lastScan) return null;
    const job = new RegionScanJob(text, languageId);
    return {
      step: (deadline, now) => {
        const scan = job.step(deadline, now);
        // A run started meanwhile (a hover) found the regions itself: keep its scan.
        if (scan) this.lastScan ??= scan;
        return scan !== null;
      },
    };
  }

  /** A new run over `text` (finds the regions; call `step`/`through` to analyse). */
  start(text: string, languageId: string, layout: Layout): AnalysisRun {
    let cache = this.caches.get(layout);
    if (!cache) {
      cache = new LruCache<RegionEntry>(this.minimum);
      this.caches.set(layout, cache);
    }
    const previous = this.last && this.last.layout === layout && this.last.languageId === languageId ? this.last : undefined;
    const before = this.lastScan;
    let scan: RegionScan;
    let unchangedBefore = 0;
    if (before && before.languageId === languageId && before.text === text) {
      scan = before;
      unchangedBefore = text.length;
    } else {
      const change = before && before.languageId === languageId ? changeBetween(before.text, text) : undefined;
      scan = RegionScan.of(text, languageId, change && before, change);
      unchangedBefore = change?.start ?? 0;
    }
    if (previous && previous.scan !== before) unchangedBefore = commonPrefixLength(text, previous.text);
    this.lastScan = scan;
    this.last = new AnalysisRun(scan, layout, cache, this.recent, previous, previous ? unchangedBefore : 0);
    // Room for the document and a fifth more: entries of edited versions are evicted soon (at 1.5×
    // an edit to an early definition kept ten thousand old analyses of a 5 MB note, +20 MB).
    cache.resize(Math.max(this.minimum, Math.ceil(1.2 * this.last.regions.length)));
    // Only the newest run is remembered, so runs do not chain into a list.
    previous?.forgetPrevious();
    return this.last;
  }
}
