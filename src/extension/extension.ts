// Extension entry point (VS Code extension host, Node or web). A thin adapter:
// it finds tensor expressions in documents (src/documents), asks the pure
// engine (src/engine) about them, and wires the answers into VS Code:
// diagnostics, hovers, CodeLenses, commands and the side panel.
//
// Invariants: no Node built-ins (the same code runs as a web extension);
// documents are never edited here except by the panel's explicit
// "Insert below" command, as one undoable edit.

import * as vscode from 'vscode';
import { analyzeDocument, hoverAt, type DocumentAnalysis } from '../documents/document-analysis';
import { derivativeInfo } from '../documents/derivative-info';
import { SUPPORTED_LANGUAGES } from '../documents/regions';
import { isLayout, LAYOUTS, type Layout } from '../engine/shape/layout';
import { formatShape } from '../engine/shape/shape';
import { commandLink, hoverMarkdown } from './hover-content';
import { DerivativePanel, SHOW_DERIVATIVE_COMMAND } from './panel';

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

/** One analysis per document version and layout, so hovers after the first are free. */
class AnalysisCache {
  private readonly entries = new Map<string, { version: number; layout: Layout; result: DocumentAnalysis }>();

  get(document: vscode.TextDocument): DocumentAnalysis {
    const key = document.uri.toString();
    const layout = currentLayout();
    const hit = this.entries.get(key);
    if (hit && hit.version === document.version && hit.layout === layout) return hit.result;
    const result = analyzeDocument(document.getText(), document.languageId, layout);
    this.entries.set(key, { version: document.version, layout, result });
    return result;
  }

  forget(document: vscode.TextDocument): void {
    this.entries.delete(document.uri.toString());
  }
}

function toRange(document: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(document.positionAt(start), document.positionAt(end));
}

export function activate(context: vscode.ExtensionContext): void {
  const cache = new AnalysisCache();
  const diagnostics = vscode.languages.createDiagnosticCollection('tensor-derivatives');
  const output = vscode.window.createOutputChannel('Tensor Derivatives');
  const lensesChanged = new vscode.EventEmitter<void>();
  context.subscriptions.push(diagnostics, output, lensesChanged);

  const refresh = (document: vscode.TextDocument): void => {
    if (!enabled(document)) {
      diagnostics.delete(document.uri);
      return;
    }
    const analysed = cache.get(document);
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
  };

  // Re-analyse as the user types, after a quiet period; a newer edit cancels the pending run.
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const schedule = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    clearTimeout(pending.get(key));
    const delay = Math.max(0, config().get<number>('updateDelay', 250));
    pending.set(key, setTimeout(() => {
      pending.delete(key);
      refresh(document);
      lensesChanged.fire();
    }, delay));
  };

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
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      cache.forget(d);
      diagnostics.delete(d.uri);
      clearTimeout(pending.get(d.uri.toString()));
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      vscode.workspace.textDocuments.forEach(refresh);
      lensesChanged.fire();
    }),
    vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover(document, position) {
        if (!enabled(document)) return undefined;
        const analysed = cache.get(document);
        const target = hoverAt(analysed, document.offsetAt(position));
        if (!target) return undefined;
        const layout = currentLayout();
        const info = target.request ? derivativeInfo(analysed.analysis, target.request, { check: config().get<boolean>('checkNumerically', true) }) : undefined;
        const link = target.request ? commandLink('Show derivative', SHOW_DERIVATIVE_COMMAND, [document.uri.toString(), target.start]) : undefined;
        const md = new vscode.MarkdownString(hoverMarkdown(target, layout, info, link));
        md.isTrusted = { enabledCommands: [SHOW_DERIVATIVE_COMMAND] };
        return new vscode.Hover(md, toRange(document, target.start, target.end));
      },
    }),
    vscode.languages.registerCodeLensProvider(SELECTOR, {
      onDidChangeCodeLenses: lensesChanged.event,
      provideCodeLenses(document) {
        if (!enabled(document) || !config().get<boolean>('codeLens', true)) return [];
        const { analysis } = cache.get(document);
        return analysis.elaboration.derivatives.map((r) => {
          const range = toRange(document, r.node.span.start, r.node.span.start);
          const shape = `${formatShape(r.shape)} (${analysis.layout})`;
          return new vscode.CodeLens(range, {
            title: `Show derivative · ${shape}`,
            tooltip: 'Open the derivative in the side panel',
            command: SHOW_DERIVATIVE_COMMAND,
            arguments: [document.uri.toString(), r.node.span.start],
          });
        });
      },
    }),
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
      const { analysis, regions, diagnostics: found } = cache.get(editor.document);
      output.clear();
      output.appendLine(`${editor.document.fileName}: ${regions.length} tensor region(s), ${analysis.layout} layout`);
      for (const v of analysis.elaboration.variables.values()) output.appendLine(`  ${v.name}: ${formatShape(v.shape)}`);
      for (const d of analysis.elaboration.derivatives) {
        const info = derivativeInfo(analysis, d, { check: false });
        const result = info.presentation?.matrix?.text ?? info.presentation?.index.text ?? info.problem ?? '';
        output.appendLine(`  ${analysis.source.slice(d.node.span.start, d.node.span.end).trim()} : ${formatShape(d.shape)} = ${result}`);
      }
      for (const d of found) {
        const pos = editor.document.positionAt(d.span.start);
        output.appendLine(`  ${pos.line + 1}:${pos.character + 1} ${d.severity} [${d.code}] ${d.message}`);
      }
      output.show(true);
    }),
    DerivativePanel.registerSerializer(context),
  );
  vscode.workspace.textDocuments.forEach(refresh);
}

export function deactivate(): void {
  // Nothing to release: every resource is owned by context.subscriptions.
}
