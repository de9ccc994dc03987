// The "Derivative" side panel: one webview panel beside the editor that follows
// the cursor, showing the derivative request at (or nearest before) it.
//
// Invariants:
// - Security (VS Code webview guide): strict CSP with a per-load nonce, scripts
//   enabled, resources only from dist/ and media/, no retainContextWhenHidden,
//   every message from the webview validated (`parseFromWebview`) and invalid
//   ones dropped.
// - Loops (issue D): one lazy loop model per (document version, request,
//   layout, sizes, seed), sent as a `loop` message after each `update`;
//   `loopStep` is answered with a window of entries, never the whole tensor.
// - The only document edit is "Insert below": one undoable edit, on request.
// - Runs in the web extension host too: no Node built-ins (Web Crypto, timers).

import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../documents/document-analysis';
import { SUPPORTED_LANGUAGES } from '../documents/regions';
import { LruCache } from '../documents/lru-cache';
import { isLayout, type Layout } from '../engine/shape/layout';
import { parseFromWebview, type FromWebview, type LoopEntryData, type PanelModel, type ToWebview } from '../panel/protocol';
import type { PanelInput, PanelLoop, PanelLoopInput } from '../panel/view-model';
import { core } from './core';
import { makeNonce, panelHtml } from './panel-html';
import {
  copyLatex,
  entryWindow,
  hasResult,
  insertionFor,
  isEmptyResult,
  loopKey,
  ModelCache,
  nextSeed,
  parsePanelState,
  type BuildResult,
} from './panel-logic';

export { panelHtml, type PanelHtmlOptions } from './panel-html';

export const PANEL_VIEW_TYPE = 'tensorDerivatives.panel';
export const SHOW_DERIVATIVE_COMMAND = 'tensorDerivatives.showDerivative';
const DEBOUNCE_MS = 150;
const ANALYSING = 'Analysing this note… (a long note is analysed in the background; the derivative follows in a moment).';
const NOTHING_OPEN = 'Open a markdown note or a TypeScript/JavaScript file and put the cursor on a derivative, such as d/dx (x^T A x).';

/** What the panel asks src/panel/view-model for (swappable so tests can supply models). */
export interface PanelModelSource {
  buildPanelModel(input: PanelInput): BuildResult;
  listRequests(text: string, languageId: string, uri?: string): readonly { readonly start: number; readonly end: number; readonly label: string }[];
  /** The loop visualisation of the request at `offset` (lazy: entries on demand); without it the panel shows no loops. */
  buildLoop?(input: PanelLoopInput & Required<Pick<PanelLoopInput, 'sizes' | 'seed'>>): PanelLoop | { readonly unavailable: string };
}

/** The panel's view model from the analysis core, loaded when the panel first asks. */
const defaultSource: PanelModelSource = {
  buildPanelModel: (input) => core().buildPanelModel(input),
  listRequests: (text, languageId, uri) => core().listRequests(text, languageId, uri),
  buildLoop: (input) => core().buildPanelLoop(input),
};

type LoopResult = { readonly id: number; readonly loop: PanelLoop } | { readonly id: number; readonly unavailable: string };

function settingSizes(): Record<string, number> {
  const value = vscode.workspace.getConfiguration('tensorDerivatives').get<Record<string, unknown>>('previewSizes', {});
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? core().cleanSizes(value) : {};
}

function settingLayout(): Layout {
  const value = vscode.workspace.getConfiguration('tensorDerivatives').get<string>('layout', 'numerator');
  return typeof value === 'string' && isLayout(value) ? value : 'numerator';
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Editors the panel follows (the enabled languages); others (settings, output, …) leave it showing what it had. */
function followable(document: vscode.TextDocument): boolean {
  const enabled = vscode.workspace.getConfiguration('tensorDerivatives').get<string[]>('languages', [...SUPPORTED_LANGUAGES]);
  const languages = Array.isArray(enabled) ? enabled : SUPPORTED_LANGUAGES;
  return SUPPORTED_LANGUAGES.includes(document.languageId) && languages.includes(document.languageId);
}

interface Target {
  readonly document: vscode.TextDocument;
  readonly offset: number;
}

export class DerivativePanel {
  private static current: DerivativePanel | undefined;
  /** Tests swap the model source; production uses src/panel/view-model. */
  static source: PanelModelSource = defaultSource;
  /**
   * The extension's background analysis of a document in a layout (extension.ts
   * sets it; in a layout other than the extension's, a run kept for the panel):
   * an analysis, null while it is not done (the panel waits for `analysed`),
   * or undefined when the panel must analyse by itself (a document the
   * extension does not analyse, and tests without the extension).
   */
  static analysisFor: ((document: vscode.TextDocument, layout: Layout) => DocumentAnalysis | null | undefined) | undefined;
  /**
   * A document's text (extension.ts: kept up to date from change events; VS Code's getText()
   * joins a 5 MB note's lines on every call, 8–10 ms).
   */
  static textOf: (document: vscode.TextDocument) => string = (document) => document.getText();
  /** The panel closed (extension.ts drops the analyses kept for it). */
  static closed: (() => void) | undefined;

  /** The background analysis of `document` is done: a panel waiting for it updates. */
  static analysed(document: vscode.TextDocument): void {
    const panel = DerivativePanel.current;
    if (panel?.waiting && panel.target?.document.uri.toString() === document.uri.toString()) panel.update();
  }

  private readonly disposables: vscode.Disposable[] = [];
  private readonly cache = new ModelCache((uri) => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    return doc ? DerivativePanel.source.listRequests(DerivativePanel.textOf(doc), doc.languageId, uri) : [];
  });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private model: PanelModel | null = null;
  private last: ToWebview | null = null;
  private dirty = true;
  /** The shown document's analysis is still running in the background (see analysisFor). */
  private waiting = false;
  private disposed = false;
  /** Loop visualisation: models by key, the shown one, the message that showed it, and the panel-local sizes and seed. */
  private readonly loops = new LruCache<LoopResult>(6);
  private loopShown: { readonly key: string; readonly result: LoopResult } | null = null;
  private loopMessage: ToWebview | null = null;
  private loopIds = 0;
  private sizeOverrides: Record<string, number> = {};
  private seed = 1;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private layout: Layout,
    private target: Target | null,
  ) {
    const webview = panel.webview;
    webview.options = webviewOptions(extensionUri);
    panel.iconPath = {
      light: vscode.Uri.joinPath(extensionUri, 'media', 'derivative-light.svg'),
      dark: vscode.Uri.joinPath(extensionUri, 'media', 'derivative-dark.svg'),
    };
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUris: [
        webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'katex', 'katex.min.css')).toString(),
        webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
      ],
    });

    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseFromWebview(raw);
        if (msg) void this.onMessage(msg);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && followable(editor.document)) this.follow(editor);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (followable(e.textEditor.document) && (e.textEditor === vscode.window.activeTextEditor || e.textEditor.document === this.target?.document)) {
          this.follow(e.textEditor);
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || e.document !== this.target?.document) return;
        const editor = vscode.window.visibleTextEditors.find((ed) => ed.document === e.document);
        if (editor) this.follow(editor);
        else this.schedule();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.forget(d.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('tensorDerivatives.layout')) {
          this.layout = settingLayout();
          this.update();
        } else if (e.affectsConfiguration('tensorDerivatives.previewSizes')) {
          this.syncLoop(false);
        }
      }),
      panel.onDidChangeViewState(() => {
        // Hidden webviews are discarded (no retainContextWhenHidden); a shown one reloads and says 'ready'.
        if (!panel.visible) this.cancel();
      }),
    );
  }

  /** Opens (or reveals) the panel beside the editor, showing the request at `offset`. */
  static show(context: vscode.ExtensionContext, editor: vscode.TextEditor, offset: number): DerivativePanel {
    const existing = DerivativePanel.current;
    if (existing) {
      existing.target = { document: editor.document, offset };
      existing.panel.reveal(undefined, true);
      existing.update();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      'Derivative',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(context.extensionUri),
    );
    const created = new DerivativePanel(panel, context.extensionUri, settingLayout(), { document: editor.document, offset });
    DerivativePanel.current = created;
    return created;
  }

  /** Restores the panel after a window reload from the webview's saved { uri, offset, layout }. */
  static registerSerializer(context: vscode.ExtensionContext): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, raw: unknown): Promise<void> {
        panel.webview.options = webviewOptions(context.extensionUri);
        const state = parsePanelState(raw);
        let target: Target | null = null;
        if (state) {
          try {
            const document =
              vscode.workspace.textDocuments.find((d) => d.uri.toString() === state.uri) ??
              (await vscode.workspace.openTextDocument(vscode.Uri.parse(state.uri, true)));
            target = { document, offset: Math.min(state.offset, document.getText().length) };
          } catch {
            // The document is gone; the panel shows the empty state until an editor is focused.
          }
        }
        if (!target) {
          const editor = vscode.window.activeTextEditor;
          if (editor && followable(editor.document)) target = { document: editor.document, offset: editor.document.offsetAt(editor.selection.active) };
        }
        DerivativePanel.current?.panel.dispose();
        DerivativePanel.current = new DerivativePanel(panel, context.extensionUri, state?.layout ?? settingLayout(), target);
      },
    });
  }

  /**
   * The `tensorDerivatives.showDerivative` command without arguments: shows
   * the request at the cursor. When the cursor is neither in a request nor
   * after one and the document has several, it offers them in a quick pick.
   */
  static async showCommand(context: vscode.ExtensionContext): Promise<void> {
    const editor = vscode.window.activeTextEditor ?? DerivativePanel.lastEditor();
    if (!editor) {
      void vscode.window.showInformationMessage(NOTHING_OPEN);
      return;
    }
    const document = editor.document;
    let offset = document.offsetAt(editor.selection.active);
    const requests = DerivativePanel.source.listRequests(DerivativePanel.textOf(document), document.languageId, document.uri.toString());
    const placed = requests.some((r) => r.start <= offset);
    if (!placed && requests.length > 1) {
      const picked = await vscode.window.showQuickPick(
        requests.map((r) => ({ label: r.label, description: `line ${document.positionAt(r.start).line + 1}`, request: r })),
        { title: 'Show Derivative', placeHolder: 'Choose a derivative to show' },
      );
      if (!picked) return;
      offset = picked.request.start;
      const pos = document.positionAt(offset);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    DerivativePanel.show(context, editor, offset);
  }

  /** Closes the panel, if open. */
  static disposeCurrent(): void {
    DerivativePanel.current?.dispose();
  }

  private static lastEditor(): vscode.TextEditor | undefined {
    const doc = DerivativePanel.current?.target?.document;
    return doc ? vscode.window.visibleTextEditors.find((e) => e.document === doc) : undefined;
  }

  private follow(editor: vscode.TextEditor): void {
    this.target = { document: editor.document, offset: editor.document.offsetAt(editor.selection.active) };
    this.schedule();
  }

  /** Rebuilds after a quiet period; a newer event replaces the pending one. */
  private schedule(): void {
    this.dirty = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, DEBOUNCE_MS);
  }

  private cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Rebuilds now (if visible) and posts the result. */
  private update(): void {
    this.cancel();
    this.dirty = true;
    if (this.disposed || !this.panel.visible) return;
    const message = this.compute();
    this.dirty = false;
    // The same cached model (the cursor moved within its request) needs no new message.
    if (message.type === 'update' && this.last?.type === 'update' && this.last.model === message.model) {
      this.syncLoop(false);
      return;
    }
    this.post(message);
    this.syncLoop(false);
  }

  private compute(): ToWebview {
    const target = this.target;
    if (!target) {
      this.model = null;
      return { type: 'empty', message: NOTHING_OPEN };
    }
    const { document } = target;
    const uri = document.uri.toString();
    const text = DerivativePanel.textOf(document);
    const offset = Math.min(target.offset, text.length);
    this.waiting = false;
    let result: BuildResult | undefined = this.cache.get(uri, document.version, this.layout, offset);
    if (!result) {
      // A long note is analysed in the background, in slices; until that is done the panel keeps
      // what it shows (the next update comes from `analysed`) instead of blocking the host.
      const analyzed = DerivativePanel.analysisFor?.(document, this.layout);
      if (analyzed === null) {
        this.waiting = true;
        return this.last ?? { type: 'empty', message: ANALYSING };
      }
      try {
        result = DerivativePanel.source.buildPanelModel({
          text,
          languageId: document.languageId,
          uri,
          version: document.version,
          layout: this.layout,
          offset,
          ...(analyzed ? { analyzed } : {}),
        });
      } catch (error) {
        this.model = null;
        return { type: 'empty', message: `Could not compute the derivative: ${error instanceof Error ? error.message : String(error)}` };
      }
      this.cache.set(uri, document.version, this.layout, offset, result);
    }
    if (isEmptyResult(result)) {
      this.model = null;
      return { type: 'empty', message: result.empty };
    }
    this.model = result;
    return { type: 'update', model: result };
  }

  private post(message: ToWebview): void {
    this.last = message;
    void this.panel.webview.postMessage(message);
  }

  /** Sizes for symbolic dims: the preview sizes setting, then the panel's own choices. */
  private loopSizes(): Record<string, number> {
    return { ...settingSizes(), ...this.sizeOverrides };
  }

  /**
   * Makes the webview show the loop model of the shown derivative: builds (or
   * reuses) the model for (version, request, layout, sizes, seed) and posts it
   * when it changed, or again when `resend` (a reloaded webview).
   */
  private syncLoop(resend: boolean): void {
    const build = DerivativePanel.source.buildLoop;
    const model = this.model;
    const document = this.target?.document;
    if (!build || !model || !document || model.source.uri !== document.uri.toString() || model.source.version !== document.version) {
      this.loopShown = null;
      this.loopMessage = null;
      return;
    }
    const sizes = this.loopSizes();
    const key = loopKey(model, this.layout, sizes, this.seed);
    if (this.loopShown?.key === key) {
      if (resend && this.loopMessage) void this.panel.webview.postMessage(this.loopMessage);
      return;
    }
    let result = this.loops.get(key);
    if (!result) {
      let built: PanelLoop | { readonly unavailable: string };
      try {
        built = build({
          text: DerivativePanel.textOf(document),
          languageId: document.languageId,
          uri: model.source.uri,
          version: model.source.version,
          layout: this.layout,
          offset: model.source.start,
          sizes,
          seed: this.seed,
        });
      } catch (error) {
        built = { unavailable: `The loops could not be built: ${error instanceof Error ? error.message : String(error)}` };
      }
      const id = ++this.loopIds;
      result = 'unavailable' in built ? { id, unavailable: built.unavailable } : { id, loop: built };
      this.loops.set(key, result);
    }
    this.loopShown = { key, result };
    this.loopMessage = 'loop' in result ? { type: 'loop', loop: { ...result.loop.spec, id: result.id } } : { type: 'loopUnavailable', message: result.unavailable };
    void this.panel.webview.postMessage(this.loopMessage);
  }

  /** Answers `loopStep` with the entries around `step` of the shown model (never more than a window). */
  private answerLoopStep(id: number, step: number): void {
    const shown = this.loopShown?.result;
    if (!shown || shown.id !== id || !('loop' in shown)) return;
    const { from, to } = entryWindow(step, shown.loop.spec.steps);
    const entries: LoopEntryData[] = [];
    for (let s = from; s < to; s++) {
      try {
        entries.push(shown.loop.entry(s));
      } catch {
        // An entry that cannot be computed is left out; the panel shows it as pending.
      }
    }
    void this.panel.webview.postMessage({ type: 'loopEntries', id, entries } satisfies ToWebview);
  }

  /** The shown model, brought up to date first if an update is pending. */
  private fresh(): PanelModel | null {
    if (this.timer !== undefined || this.dirty || (this.model && this.target && this.model.source.version !== this.target.document.version)) {
      this.cancel();
      const message = this.compute();
      this.dirty = false;
      this.post(message);
      this.syncLoop(false);
    }
    return this.model;
  }

  private async onMessage(msg: FromWebview): Promise<void> {
    switch (msg.type) {
      case 'ready': {
        // A (re)loaded webview has nothing on screen: always send it something.
        const last = this.last;
        const loopBefore = this.loopMessage;
        this.last = null;
        if (this.dirty || !last) this.update();
        else this.post(last);
        // The loop too, unless the update just sent a new one.
        if (this.loopMessage === loopBefore) this.syncLoop(true);
        return;
      }
      case 'loopStep':
        this.answerLoopStep(msg.id, msg.step);
        return;
      case 'reseed':
        this.seed = nextSeed(this.seed);
        this.syncLoop(false);
        return;
      case 'setSizes':
        this.sizeOverrides = { ...this.sizeOverrides, ...msg.sizes };
        this.syncLoop(false);
        return;
      case 'setLayout':
        if (msg.layout !== this.layout) {
          this.layout = msg.layout;
          this.update();
        } else if (this.last) {
          this.post(this.last);
          this.syncLoop(true);
        }
        return;
      case 'copyLatex': {
        const model = this.fresh();
        if (!model || !hasResult(model)) {
          vscode.window.setStatusBarMessage('Tensor Derivatives: no derivative to copy', 3000);
          return;
        }
        await vscode.env.clipboard.writeText(copyLatex(model));
        vscode.window.setStatusBarMessage(`$(check) Copied derivative LaTeX (${model.matrix ? 'matrix' : 'index'} notation)`, 3000);
        return;
      }
      case 'insertBelow':
        await this.insertBelow();
        return;
    }
  }

  private async insertBelow(): Promise<void> {
    const model = this.fresh();
    const document = this.target?.document;
    if (!model || !hasResult(model) || !document || document.isClosed || model.source.uri !== document.uri.toString() || model.source.version !== document.version) {
      void vscode.window.showWarningMessage('Tensor Derivatives: there is no up-to-date derivative to insert.');
      return;
    }
    const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const insertion = insertionFor(document.getText(), document.languageId, model, eol);
    if ('error' in insertion) {
      void vscode.window.showWarningMessage(`Tensor Derivatives: ${insertion.error}`);
      return;
    }
    const position = document.positionAt(insertion.offset);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
    let applied: boolean;
    if (editor) {
      // One edit with undo stops on both sides: a single Undo removes it.
      applied = await editor.edit((builder) => builder.insert(position, insertion.text), { undoStopBefore: true, undoStopAfter: true });
    } else {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, position, insertion.text);
      applied = await vscode.workspace.applyEdit(edit);
    }
    if (!applied) void vscode.window.showWarningMessage('Tensor Derivatives: the document changed before the result could be inserted; try again.');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cancel();
    if (DerivativePanel.current === this) DerivativePanel.current = undefined;
    DerivativePanel.closed?.();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
