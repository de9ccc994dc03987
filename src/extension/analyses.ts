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
//   part) run only after the whole document is analysed.
// - No Node built-ins: the same code runs in the web extension host.

import type * as vscode from 'vscode';
import { documentAnalysisOf, type DocumentAnalysis } from '../documents/document-analysis';
import { DocumentAnalyzer, type AnalysisRun } from '../documents/incremental';
import type { Layout } from '../engine/shape/layout';

/** Longest stretch of analysis work between two yields to the event loop. */
export const SLICE_MS = 20;

interface Tracked {
  readonly analyzer: DocumentAnalyzer;
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
  readonly now?: () => number;
}

export class DocumentAnalyses {
  private readonly tracked = new Map<string, Tracked>();
  private readonly now: () => number;

  constructor(private readonly options: AnalysesOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  private entry(document: vscode.TextDocument): Tracked {
    const key = document.uri.toString();
    let t = this.tracked.get(key);
    if (!t) {
      t = { analyzer: new DocumentAnalyzer(), run: null, version: -1, layout: null, generation: 0, timer: undefined };
      this.tracked.set(key, t);
    }
    return t;
  }

  /** The run for the document's current version and layout (started, not advanced, when new). */
  private current(document: vscode.TextDocument): { t: Tracked; run: AnalysisRun } {
    const t = this.entry(document);
    const layout = this.options.layout();
    if (!t.run || t.version !== document.version || t.layout !== layout) {
      t.run = t.analyzer.start(document.getText(), document.languageId, layout);
      t.version = document.version;
      t.layout = layout;
      t.generation++;
    }
    return { t, run: t.run };
  }

  /** What a hover at `offset` needs: the regions up to the one containing it, analysed now. */
  through(document: vscode.TextDocument, offset: number): AnalysisRun {
    const { run } = this.current(document);
    run.through(offset);
    return run;
  }

  /** The whole document, analysed now (commands, the panel). Claims are included when already checked. */
  complete(document: vscode.TextDocument): DocumentAnalysis {
    const { run } = this.current(document);
    run.finish();
    return documentAnalysisOf(run);
  }

  /** The whole analysis of the current version if the background run has finished it, else null. */
  ifDone(document: vscode.TextDocument): DocumentAnalysis | null {
    const t = this.tracked.get(document.uri.toString());
    if (!t?.run || t.version !== document.version || t.layout !== this.options.layout() || !t.run.done) return null;
    return documentAnalysisOf(t.run);
  }

  /** Analyses the document in the background, starting after `delayMs`. */
  schedule(document: vscode.TextDocument, delayMs: number): void {
    const t = this.entry(document);
    clearTimeout(t.timer);
    t.timer = setTimeout(() => {
      t.timer = undefined;
      const { run } = this.current(document);
      this.slice(document, t, run, t.generation, false);
    }, delayMs);
  }

  private slice(document: vscode.TextDocument, t: Tracked, run: AnalysisRun, generation: number, reported: boolean): void {
    if (t.generation !== generation || t.run !== run) return;
    const deadline = this.now() + SLICE_MS;
    if (!run.done) {
      run.step(deadline, this.now);
      if (!run.done) {
        t.timer = setTimeout(() => this.slice(document, t, run, generation, false), 0);
        return;
      }
    }
    if (!reported) this.options.onUpdate(document, documentAnalysisOf(run));
    if (!this.options.checkClaims() || run.claimsDone) return;
    if (run.checkClaimsStep(this.now() + SLICE_MS, this.now)) {
      this.options.onUpdate(document, documentAnalysisOf(run));
      return;
    }
    t.timer = setTimeout(() => this.slice(document, t, run, generation, true), 0);
  }

  forget(document: vscode.TextDocument): void {
    const t = this.tracked.get(document.uri.toString());
    if (!t) return;
    clearTimeout(t.timer);
    t.generation++;
    this.tracked.delete(document.uri.toString());
  }

  /** Drops every run (the layout or another setting changed); analysers keep their caches. */
  invalidateAll(): void {
    for (const t of this.tracked.values()) {
      clearTimeout(t.timer);
      t.run = null;
      t.generation++;
    }
  }
}
