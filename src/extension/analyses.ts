// The extension's document analyses: one incremental analyzer per open
// document (src/documents/incremental.ts), advanced in short time slices so
// the extension host is never blocked for long, and on demand for a hover
// (only the regions up to the hovered one) or a command (the whole document).
//
// Invariants:
// - One run per document version and layout; a newer version or layout
//   replaces the run, and its pending slices stop (they check the run they
//   were scheduled for).
// - Slices run from timers (setTimeout), never synchronously from an editor
//   event, and each stops after SLICE_MS; claim checks (numeric, the slow
//   part) run only after the whole document is analysed. Starting a run
//   (finding the regions) and publishing diagnostics each get a turn of the
//   event loop of their own, so no turn does two of these things.
// - The panel's layout toggle may ask for another layout: that gets one run
//   per document of its own, sliced the same way, never published as
//   diagnostics, dropped when the panel no longer needs it.
// - `whenDone` callers (CodeLens requests) are woken when a run publishes, or
//   told false when the document is forgotten; `t.timer` is set exactly while
//   a step is pending, so a waiter can tell whether to schedule one.
// - No Node built-ins: the same code runs in the web extension host.

import type * as vscode from 'vscode';
import type { DocumentAnalysis } from '../documents/document-analysis';
import type { AnalysisRun, DocumentAnalyzer } from '../documents/incremental';
import { core, coreLoaded } from './core';
import type { Layout } from '../engine/shape/layout';
import { TextMirror, type LineReader } from './text-mirror';

/** The background steps of a run, in order (see DocumentAnalyses.slice). */
type Phase = 'analyse' | 'publish' | 'check' | 'publish-checked';

/** Longest analysis a hover does before answering "still analysing" (the regions are found before it starts). */
export const HOVER_BUDGET_MS = 25;

/** Longest stretch of analysis work between two yields to the event loop. */
export const SLICE_MS = 15;

/**
 * The side panel's run in a layout other than the extension's (its layout
 * toggle): sliced like the extension's run, never published as diagnostics,
 * no claim checks (the panel checks the derivative it shows). Its own
 * analyzer keeps that layout's regions and its previous run, so the
 * extension's hovers keep theirs.
 */
interface OtherLayoutRun {
  readonly analyzer: DocumentAnalyzer;
  readonly layout: Layout;
  readonly version: number;
  readonly run: AnalysisRun;
  timer: ReturnType<typeof setTimeout> | undefined;
}

interface Tracked {
  /** Made on first use (see `analyzerOf`). */
  analyzer: DocumentAnalyzer | null;
  run: AnalysisRun | null;
  version: number;
  layout: Layout | null;
  /** Bumped when the run is replaced or the document forgotten: scheduled slices of older generations stop. */
  generation: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface AnalysesOptions {
  readonly layout: () => Layout;
  readonly checkClaims: () => boolean;
  /** Called when a run has analysed every region, and again when its claims are checked. */
  readonly onUpdate: (document: vscode.TextDocument, analysis: DocumentAnalysis) => void;
  /** Called when the panel's run in another layout than the extension's has analysed every region (see `within`). */
  readonly onOtherLayout?: (document: vscode.TextDocument) => void;
  readonly now?: () => number;
  /** Reads a range of a document's lines (see LineReader); without it, a document's first read is one getText(). */
  readonly readLines?: LineReader;
}

export class DocumentAnalyses {
  private readonly tracked = new Map<string, Tracked>();
  private readonly now: () => number;
  /** Document texts kept up to date from change events (getText() joins a 5 MB note's lines: 8–10 ms). */
  private readonly texts = new TextMirror();
  /** Callers waiting for a run of a document to finish (by URI), see whenDone. */
  private readonly waiting = new Map<string, ((finished: boolean) => void)[]>();
  /** The panel's runs in another layout, by URI (the panel shows one document; at most a few). */
  private readonly others = new Map<string, OtherLayoutRun>();

  constructor(private readonly options: AnalysesOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  private entry(document: vscode.TextDocument): Tracked {
    const key = document.uri.toString();
    let t = this.tracked.get(key);
    if (!t) {
      t = { analyzer: null, run: null, version: -1, layout: null, generation: 0, timer: undefined };
      this.tracked.set(key, t);
    }
    return t;
  }

  /**
   * The document's analyzer, made on first use: scheduling the documents open at activation must
   * not load the analysis core (src/extension/core.ts); their first background slice does.
   */
  private analyzerOf(t: Tracked): DocumentAnalyzer {
    return (t.analyzer ??= new (core().DocumentAnalyzer)());
  }

  /** The run for the document's current version and layout (started, not advanced, when new). */
  private current(document: vscode.TextDocument): { t: Tracked; run: AnalysisRun } {
    const t = this.entry(document);
    const layout = this.options.layout();
    if (!t.run || t.version !== document.version || t.layout !== layout) {
      t.run = this.analyzerOf(t).start(this.texts.textOf(document), document.languageId, layout);
      t.version = document.version;
      t.layout = layout;
      t.generation++;
    }
    return { t, run: t.run };
  }

  /**
   * What a hover at `offset` needs: the regions up to the one containing it,
   * analysed now, within HOVER_BUDGET_MS. Null when that was not enough (edits
   * early in a long note, made faster than the background analysis catches
   * up, can leave thousands of regions to analyse again): the hover says so
   * instead of blocking the host.
   */
  through(document: vscode.TextDocument, offset: number): AnalysisRun | { readonly pending: { readonly analysed: number; readonly regions: number; readonly inRegion: boolean } } {
    // The budget includes starting the version's run (finding its regions, reading its text).
    const deadline = this.now() + HOVER_BUDGET_MS;
    const { run } = this.current(document);
    if (run.through(offset, deadline, this.now)) return run;
    return { pending: { analysed: run.parts.length, regions: run.regions.length, inRegion: core().regionAt(run.regions, offset) !== null } };
  }

  /**
   * The whole analysis of the current version for the panel, if it can be had
   * within `budgetMs`: null when the background run needs longer (it goes on,
   * and `onUpdate` reports when it is done). In a layout other than the
   * extension's, from a run kept for the panel (`onOtherLayout` reports).
   */
  within(document: vscode.TextDocument, layout: Layout, budgetMs: number): DocumentAnalysis | null {
    if (layout !== this.options.layout()) return this.withinOther(document, layout, budgetMs);
    // Back in the extension's layout: the panel's other run is not needed any more.
    this.dropOtherLayout(document);
    // The budget includes starting a run (finding the regions: nothing on a small note, tens of ms on a huge one).
    const deadline = this.now() + budgetMs;
    const { t, run } = this.current(document);
    if (!run.done) run.step(deadline, this.now);
    if (run.done) return core().documentAnalysisOf(run);
    if (t.timer === undefined) this.schedule(document, 0);
    return null;
  }

  /** `within` for a layout other than the extension's: the panel's own run, in the background. */
  private withinOther(document: vscode.TextDocument, layout: Layout, budgetMs: number): DocumentAnalysis | null {
    const deadline = this.now() + budgetMs;
    const key = document.uri.toString();
    let o = this.others.get(key);
    if (!o || o.version !== document.version || o.layout !== layout) {
      if (o) clearTimeout(o.timer);
      let analyzer = o?.analyzer;
      if (!analyzer) {
        // The extension's analyzer has found this text's regions (or the previous version's):
        // starting from its scan spares a scan of the whole text (tens of ms on a huge note).
        analyzer = new (core().DocumentAnalyzer)();
        const own = this.tracked.get(key)?.analyzer;
        if (own) analyzer.adoptScan(own);
      }
      o = { analyzer, layout, version: document.version, run: analyzer.start(this.texts.textOf(document), document.languageId, layout), timer: undefined };
      this.others.set(key, o);
    }
    if (!o.run.done) o.run.step(deadline, this.now);
    if (o.run.done) return core().documentAnalysisOf(o.run);
    if (o.timer === undefined) this.sliceOther(document, o);
    return null;
  }

  /** Analyses the other-layout run for SLICE_MS per turn of the event loop until done, then tells the panel. */
  private sliceOther(document: vscode.TextDocument, o: OtherLayoutRun): void {
    o.timer = setTimeout(() => {
      o.timer = undefined;
      // Replaced (a newer version or layout) or dropped: this run is not wanted any more.
      if (this.others.get(document.uri.toString()) !== o) return;
      o.run.step(this.now() + SLICE_MS, this.now);
      if (o.run.done) this.options.onOtherLayout?.(document);
      else this.sliceOther(document, o);
    }, 0);
  }

  /** Drops the panel's run in another layout for the document (the panel closed or switched back). */
  dropOtherLayout(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const o = this.others.get(key);
    if (!o) return;
    clearTimeout(o.timer);
    this.others.delete(key);
  }

  /** Drops every other-layout run (the panel closed). */
  dropOtherLayouts(): void {
    for (const o of this.others.values()) clearTimeout(o.timer);
    this.others.clear();
  }

  /** Whether a run in another layout is kept for the document (tests and measurements). */
  hasOtherLayout(document: vscode.TextDocument): boolean {
    return this.others.has(document.uri.toString());
  }

  /** The whole document, analysed now (commands). Claims are included when already checked. */
  complete(document: vscode.TextDocument): DocumentAnalysis {
    const { run } = this.current(document);
    run.finish();
    return core().documentAnalysisOf(run);
  }

  /** The whole analysis of the current version if the background run has finished it, else null. */
  ifDone(document: vscode.TextDocument): DocumentAnalysis | null {
    const t = this.tracked.get(document.uri.toString());
    if (!t?.run || t.version !== document.version || t.layout !== this.options.layout() || !t.run.done) return null;
    return core().documentAnalysisOf(t.run);
  }

  /**
   * Resolves with true when the next run of the document has analysed every
   * region (at once when the current version's is done), or with false when
   * the document is forgotten first. A run started later (the document
   * changed meanwhile) resolves it too: callers check `ifDone` again.
   */
  whenDone(document: vscode.TextDocument): Promise<boolean> {
    if (this.ifDone(document)) return Promise.resolve(true);
    const key = document.uri.toString();
    const t = this.entry(document);
    if (t.timer === undefined) this.schedule(document, 0);
    return new Promise((resolve) => {
      const list = this.waiting.get(key);
      if (list) list.push(resolve);
      else this.waiting.set(key, [resolve]);
    });
  }

  private wake(document: vscode.TextDocument, finished: boolean): void {
    const key = document.uri.toString();
    const list = this.waiting.get(key);
    if (!list) return;
    this.waiting.delete(key);
    for (const resolve of list) resolve(finished);
  }

  /** Analyses the document in the background, starting after `delayMs`. */
  schedule(document: vscode.TextDocument, delayMs: number): void {
    const t = this.entry(document);
    clearTimeout(t.timer);
    t.timer = setTimeout(() => this.begin(document, t), delayMs);
  }

  /**
   * Starts the run of the document's current version, then its slices on
   * later turns of the event loop. Starting a run finds the regions: after an
   * edit from the previous version's (a few hundred characters re-read), but
   * the first time from the whole text, which a 5 MB note needs 17–45 ms
   * for: that scan is done SLICE_MS at a time first.
   */
  private begin(document: vscode.TextDocument, t: Tracked): void {
    t.timer = undefined;
    if (!coreLoaded()) {
      // The first analysis loads the core (compiling it takes 5–15 ms): in a task of its own, so no
      // slice of work pays for it on top of its budget.
      core();
      t.timer = setTimeout(() => this.begin(document, t), 0);
      return;
    }
    const version = document.version;
    const read = t.run === null ? this.texts.readJob(document, this.options.readLines) : null;
    if (read) {
      // A long document's first read, a range of lines per slice (one getText() would block for longer than a slice).
      const readSlice = (): void => {
        t.timer = undefined;
        if (document.version !== version || this.tracked.get(document.uri.toString()) !== t) return;
        // Done: the scan starts on the next turn, as a slice of its own.
        t.timer = setTimeout(read.step(this.now() + SLICE_MS, this.now) ? () => this.begin(document, t) : readSlice, 0);
      };
      readSlice();
      return;
    }
    const scan = t.run === null ? this.analyzerOf(t).scanJob(this.texts.textOf(document), document.languageId) : null;
    const scanSlice = (): void => {
      t.timer = undefined;
      // A newer version was scheduled meanwhile (its own timer is pending), or the document was forgotten.
      if (document.version !== version || this.tracked.get(document.uri.toString()) !== t) return;
      // A hover or command may have started a run meanwhile (finding the regions itself).
      if (scan && t.run === null && !scan.step(this.now() + SLICE_MS, this.now)) {
        t.timer = setTimeout(scanSlice, 0);
        return;
      }
      const { run } = this.current(document);
      const generation = t.generation;
      t.timer = setTimeout(() => this.slice(document, t, run, generation, 'analyse'), 0);
    };
    // Without a first scan to do, this starts the run at once.
    scanSlice();
  }

  /**
   * One step of the background work, then the next one on a later turn of the
   * event loop: analyse regions for SLICE_MS at a time; publish (all of the
   * document's diagnostics at once: a step of its own); check claims for
   * SLICE_MS at a time; publish again.
   */
  private slice(document: vscode.TextDocument, t: Tracked, run: AnalysisRun, generation: number, phase: Phase): void {
    // This callback's timer has fired: nothing is pending until `next` schedules the following step
    // (a replaced chain's timer would have been cleared, so `t.timer` was this one).
    t.timer = undefined;
    if (t.generation !== generation || t.run !== run) return;
    const next = (then: Phase): void => {
      t.timer = setTimeout(() => this.slice(document, t, run, generation, then), 0);
    };
    const checking = this.options.checkClaims();
    switch (phase) {
      case 'analyse':
        run.step(this.now() + SLICE_MS, this.now);
        return next(run.done ? 'publish' : 'analyse');
      case 'publish':
        this.options.onUpdate(document, core().documentAnalysisOf(run));
        this.wake(document, true);
        if (checking && !run.claimsDone) next('check');
        return;
      case 'check':
        if (!checking) return;
        return next(run.checkClaimsStep(this.now() + SLICE_MS, this.now) ? 'publish-checked' : 'check');
      case 'publish-checked':
        this.options.onUpdate(document, core().documentAnalysisOf(run));
        return;
    }
  }

  /** The text of the document's current version (from the change events when possible). */
  textOf(document: vscode.TextDocument): string {
    return this.texts.textOf(document);
  }

  /** Call from onDidChangeTextDocument before anything reads the new version. */
  changed(event: vscode.TextDocumentChangeEvent): void {
    this.texts.changed(event);
  }

  forget(document: vscode.TextDocument): void {
    this.texts.forget(document);
    this.wake(document, false);
    this.dropOtherLayout(document);
    const t = this.tracked.get(document.uri.toString());
    if (!t) return;
    clearTimeout(t.timer);
    t.generation++;
    this.tracked.delete(document.uri.toString());
  }

  /** Drops every run (the layout or another setting changed); analysers keep their caches. */
  invalidateAll(): void {
    // The panel's layout may now be the extension's; an other-layout run is made again on demand.
    this.dropOtherLayouts();
    for (const t of this.tracked.values()) {
      clearTimeout(t.timer);
      t.timer = undefined;
      t.run = null;
      t.generation++;
    }
  }
}
