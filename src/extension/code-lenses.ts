// "Show derivative" CodeLenses above every derivative request of a document.
//
// Invariants:
// - A request for lenses waits for the background analysis of the document's
//   current version instead of answering "none" while it runs: VS Code keeps
//   showing (and moving with the edits) the lenses it has until the answer
//   comes, so lenses do not blink out on every keystroke.
// - Lenses carry only their position; the title and command are filled in by
//   resolveCodeLens, which VS Code calls for the lenses on screen only (a long
//   note has thousands of requests).
// - One list per document version and layout: the claim-check publication of
//   the same version answers from it. A long list is built a chunk per turn of
//   the event loop.

import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../documents/document-analysis';
import type { Layout } from '../engine/shape/layout';
import type { Shape } from '../engine/shape/shape';
import { core } from './core';

/** A lens above one request; the command is made when VS Code resolves it. */
class RequestLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly uri: string,
    /** The request's document offset and shape (not the request: lenses outlive runs). */
    readonly offset: number,
    readonly shape: Shape,
    readonly layout: Layout,
  ) {
    super(range);
  }
}

/** Lenses built per turn of the event loop. */
export const LENS_CHUNK = 1000;

export interface LensSource {
  /** The finished analysis of the document's current version and the extension's layout, else null. */
  ifDone(document: vscode.TextDocument): DocumentAnalysis | null;
  /** Resolves when a run of the document finishes (true), or false when the document is forgotten first. */
  whenDone(document: vscode.TextDocument): Promise<boolean>;
}

export class RequestLensProvider implements vscode.CodeLensProvider<RequestLens> {
  private readonly lists = new Map<string, { readonly version: number; readonly layout: Layout; readonly lenses: RequestLens[] }>();

  constructor(
    private readonly source: LensSource,
    private readonly shows: (document: vscode.TextDocument) => boolean,
    private readonly command: string,
    readonly onDidChangeCodeLenses: vscode.Event<void>,
  ) {}

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<RequestLens[]> {
    if (!this.shows(document)) return [];
    let analysed = this.source.ifDone(document);
    // A newer version than the finished run: wait for its run (VS Code cancels the request when
    // the document changes again; the loop then ends at the next finished run).
    while (!analysed && !token.isCancellationRequested) {
      if (!(await this.source.whenDone(document))) return [];
      // The wait ends inside the step that published the run: listing thousands of lenses gets a
      // turn of the event loop of its own instead of adding to that step.
      await new Promise((resolve) => setTimeout(resolve, 0));
      analysed = this.source.ifDone(document);
    }
    if (!analysed || token.isCancellationRequested) return [];
    return (await this.listFor(document, analysed, token)) ?? [];
  }

  resolveCodeLens(lens: RequestLens): RequestLens {
    lens.command = {
      title: `Show derivative · ${core().formatShape(lens.shape)} (${lens.layout})`,
      tooltip: 'Open the derivative in the side panel',
      command: this.command,
      arguments: [lens.uri, lens.offset],
    };
    return lens;
  }

  /** Drops the document's list (closed, or no longer shown). */
  forget(document: vscode.TextDocument): void {
    this.lists.delete(document.uri.toString());
  }

  /**
   * The lenses of the analysed version, built LENS_CHUNK at a time with a turn of the event loop
   * between chunks (10,000 requests took 20–30 ms in one go); null when cancelled meanwhile.
   */
  private async listFor(document: vscode.TextDocument, analysed: DocumentAnalysis, token: vscode.CancellationToken): Promise<RequestLens[] | null> {
    const uri = document.uri.toString();
    const version = document.version;
    const hit = this.lists.get(uri);
    if (hit && hit.version === version && hit.layout === analysed.layout) return hit.lenses;
    // Walks the regions' request summaries directly: listing every request first (a located
    // request per derivative) was most of the first chunk's 10–15 ms on a 10,000-request note.
    const lenses: RequestLens[] = [];
    for (const { region, entry } of analysed.parts) {
      for (const r of entry.requests) {
        if (lenses.length > 0 && lenses.length % LENS_CHUNK === 0) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          // The document changed meanwhile (offsets would be wrong) or VS Code stopped asking.
          if (token.isCancellationRequested || document.version !== version) return null;
        }
        const offset = region.start + r.start;
        const at = document.positionAt(offset);
        lenses.push(new RequestLens(new vscode.Range(at, at), uri, offset, r.shape, analysed.layout));
      }
    }
    this.lists.set(uri, { version, layout: analysed.layout, lenses });
    return lenses;
  }
}
