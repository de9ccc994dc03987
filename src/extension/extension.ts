// Extension entry point (VS Code extension host, Node or web). A thin adapter:
// it finds tensor expressions in documents (src/documents), asks the pure
// engine (src/engine) about them, and wires the answers into VS Code:
// diagnostics, hovers, CodeLenses, commands and the side panel.
//
// Invariants: no Node built-ins (the same code runs as a web extension);
// documents are never edited here except by the panel's explicit
// "Insert below" command, as one undoable edit.

import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../documents/document-analysis';
import { SUPPORTED_LANGUAGES } from '../documents/regions';
import { isLayout, LAYOUTS, type Layout } from '../engine/shape/layout';
import { commandLink, hoverMarkdown, pendingHoverMarkdown } from './hover-content';
import { DerivativePanel, SHOW_DERIVATIVE_COMMAND } from './panel';
import { DocumentAnalyses } from './analyses';
import { RequestLensProvider } from './code-lenses';
import { core } from './core';

const SECTION = 'tensorDerivatives';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

function currentLayout(): Layout {
  const value = config().get<string>('layout', 'numerator');
  return isLayout(value) ? value : 'numerator';
}

function enabledLanguages(): string[] {
  const value = config().get<string[]>('languages', [...SUPPORTED_LANGUAGES]);
  return Array.isArray(value) ? value.filter((l) => SUPPORTED_LANGUAGES.includes(l)) : [...SUPPORTED_LANGUAGES];
}

function enabled(document: vscode.TextDocument): boolean {
  return enabledLanguages().includes(document.languageId);
}

const SELECTOR: vscode.DocumentSelector = SUPPORTED_LANGUAGES.map((language) => ({ language }));

/** Longest analysis a panel update does itself before waiting for the background run. */
const PANEL_BUDGET_MS = 30;

function toRange(document: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(document.positionAt(start), document.positionAt(end));
}

export function activate(context: vscode.ExtensionContext): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('tensor-derivatives');
  const output = vscode.window.createOutputChannel('Tensor Derivatives');
  const lensesChanged = new vscode.EventEmitter<void>();
  context.subscriptions.push(diagnostics, output, lensesChanged);

  // Documents are analysed in the background, in short slices (analyses.ts);
  // diagnostics and CodeLenses follow when a version is done.
  const publish = (document: vscode.TextDocument, analysed: DocumentAnalysis): void => {
    if (document.isClosed || !enabled(document)) return;
    diagnostics.set(
      document.uri,
      analysed.diagnostics.map((d) => {
        const severity =
          d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
        const item = new vscode.Diagnostic(toRange(document, d.span.start, d.span.end), d.message, severity);
        item.code = d.code;
        item.source = 'tensor';
        return item;
      }),
    );
    // The claim checks' publication of the same version changes no lens.
    const lensKey = `${document.version}:${analysed.layout}`;
    if (lensesFiredFor.get(document.uri.toString()) !== lensKey) {
      lensesFiredFor.set(document.uri.toString(), lensKey);
      lensesChanged.fire();
    }
    DerivativePanel.analysed(document);
  };
  const lensesFiredFor = new Map<string, string>();
  const analyses = new DocumentAnalyses({
    layout: currentLayout,
    checkClaims: () => config().get<boolean>('checkNumerically', true),
    onUpdate: publish,
    onOtherLayout: (document) => DerivativePanel.analysed(document),
    // VS Code builds a range's text from its lines only, and clamps a range past the end.
    readLines: (document, fromLine, toLine) => (document as vscode.TextDocument).getText(new vscode.Range(fromLine, 0, toLine, 0)),
  });
  DerivativePanel.closed = () => analyses.dropOtherLayouts();
  DerivativePanel.textOf = (document) => analyses.textOf(document);

  const lenses = new RequestLensProvider(
    analyses,
    (document) => enabled(document) && config().get<boolean>('codeLens', true),
    SHOW_DERIVATIVE_COMMAND,
    lensesChanged.event,
  );

  // The panel reads the background analysis (waiting for it on a long note) instead of analysing again.
  DerivativePanel.analysisFor = (document, layout) => (enabled(document) ? analyses.within(document, layout, PANEL_BUDGET_MS) : undefined);

  // Opening a document analyses it at once (in slices); typing re-analyses after a quiet period.
  const refresh = (document: vscode.TextDocument, delayMs = 0): void => {
    if (!enabled(document)) {
      analyses.forget(document);
      diagnostics.delete(document.uri);
      return;
    }
    analyses.schedule(document, delayMs);
  };
  const schedule = (document: vscode.TextDocument): void => refresh(document, Math.max(0, config().get<number>('updateDelay', 250)));

  const showDerivative = async (uri?: unknown, offset?: unknown): Promise<void> => {
    if (typeof uri === 'string' && typeof offset === 'number') {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
      // Reuse the editor already showing the note (a CodeLens or hover link is clicked in it).
      const editor =
        vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === document.uri.toString()) ??
        (await vscode.window.showTextDocument(document, { preserveFocus: false }));
      const pos = document.positionAt(offset);
      editor.selection = new vscode.Selection(pos, pos);
      DerivativePanel.show(context, editor, offset);
      return;
    }
    await DerivativePanel.showCommand(context);
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => refresh(d)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      analyses.changed(e);
      schedule(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      analyses.forget(d);
      lenses.forget(d);
      lensesFiredFor.delete(d.uri.toString());
      diagnostics.delete(d.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      analyses.invalidateAll();
      vscode.workspace.textDocuments.forEach((d) => refresh(d));
      lensesChanged.fire();
    }),
    vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover(document, position) {
        if (!enabled(document)) return undefined;
        // Only the regions up to the hovered one are needed (most are cached).
        const offset = document.offsetAt(position);
        const analysed = analyses.through(document, offset);
        if ('pending' in analysed) {
          return analysed.pending.inRegion ? new vscode.Hover(new vscode.MarkdownString(pendingHoverMarkdown(analysed.pending.analysed, analysed.pending.regions))) : undefined;
        }
        const target = core().hoverAt(analysed, offset);
        if (!target) return undefined;
        const layout = currentLayout();
        const info = target.request ? core().derivativeInfo(target.analysis, target.request, { check: config().get<boolean>('checkNumerically', true) }) : undefined;
        const link = target.request ? commandLink('Show derivative', SHOW_DERIVATIVE_COMMAND, [document.uri.toString(), target.start]) : undefined;
        const md = new vscode.MarkdownString(hoverMarkdown(target, layout, info, link));
        md.isTrusted = { enabledCommands: [SHOW_DERIVATIVE_COMMAND] };
        return new vscode.Hover(md, toRange(document, target.start, target.end));
      },
    }),
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.commands.registerCommand(SHOW_DERIVATIVE_COMMAND, showDerivative),
    vscode.commands.registerCommand('tensorDerivatives.chooseLayout', async () => {
      const picked = await vscode.window.showQuickPick(
        LAYOUTS.map((l) => ({ label: l, picked: l === currentLayout() })),
        { title: 'Layout convention for derivatives', placeHolder: currentLayout() },
      );
      if (picked) await config().update('layout', picked.label, vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand('tensorDerivatives.analyzeDocument', () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Open a markdown note or a TypeScript/JavaScript file with tensor expressions to analyse it.');
        return;
      }
      const analysed = analyses.complete(editor.document);
      output.clear();
      output.appendLine(`${editor.document.fileName}: ${analysed.regions.length} tensor region(s), ${analysed.layout} layout`);
      for (const { entry } of analysed.parts) {
        for (const d of entry.analysis.elaboration.statements) {
          if (d.node.kind !== 'declaration') continue;
          for (const n of d.node.names) {
            const v = core().declaredVariable(entry.analysis, n);
            if (v) output.appendLine(`  ${v.name}: ${core().formatShape(v.shape)}`);
          }
        }
      }
      for (const r of core().documentRequests(analysed)) {
        const info = core().derivativeInfo(r.analysis, r.request, { check: false });
        const result = info.presentation?.matrix?.text ?? info.presentation?.index.text ?? info.problem ?? '';
        output.appendLine(`  ${analysed.text.slice(r.start, r.end).trim()} : ${core().formatShape(r.request.shape)} = ${result}`);
      }
      for (const d of analysed.diagnostics) {
        const pos = editor.document.positionAt(d.span.start);
        output.appendLine(`  ${pos.line + 1}:${pos.character + 1} ${d.severity} [${d.code}] ${d.message}`);
      }
      output.show(true);
    }),
    DerivativePanel.registerSerializer(context),
  );
  // activate() returns at once: open documents are analysed from timers.
  vscode.workspace.textDocuments.forEach((d) => refresh(d));
}

export function deactivate(): void {
  // Nothing to release: every resource is owned by context.subscriptions.
}
