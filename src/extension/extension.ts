// Extension entry point (VS Code extension host). A thin adapter: it finds
// tensor expressions in documents (src/documents) and asks the pure engine
// (src/engine) about them; this file only wires results into VS Code.
//
// Invariants: no Node built-ins (the extension also runs as a web extension);
// documents are never edited here.

import * as vscode from 'vscode';
import { analyzeDocument, hoverAt, type DocumentAnalysis } from '../documents/document-analysis';
import { isLayout, type Layout } from '../engine/shape/layout';
import { formatShape } from '../engine/shape/shape';
import { hoverMarkdown } from './hover-content';

const SELECTOR: vscode.DocumentSelector = [{ language: 'markdown' }];

function currentLayout(): Layout {
  const value = vscode.workspace.getConfiguration('tensorDerivatives').get<string>('layout', 'numerator');
  return isLayout(value) ? value : 'numerator';
}

/** Caches one analysis per document version and layout, so hovers after the first are free. */
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
  context.subscriptions.push(diagnostics, output);

  const refresh = (document: vscode.TextDocument): void => {
    if (vscode.languages.match(SELECTOR, document) === 0) return;
    const analysed = cache.get(document);
    diagnostics.set(
      document.uri,
      analysed.diagnostics.map((d) => {
        const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
        const item = new vscode.Diagnostic(toRange(document, d.span.start, d.span.end), d.message, severity);
        item.code = d.code;
        item.source = 'tensor';
        return item;
      }),
    );
  };

  // Re-analyse as the user types, but not on every keystroke.
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const schedule = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(key, setTimeout(() => {
      pending.delete(key);
      refresh(document);
    }, 250));
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      cache.forget(d);
      diagnostics.delete(d.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tensorDerivatives')) vscode.workspace.textDocuments.forEach(refresh);
    }),
    vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover(document, position) {
        const target = hoverAt(cache.get(document), document.offsetAt(position));
        if (!target) return undefined;
        return new vscode.Hover(new vscode.MarkdownString(hoverMarkdown(target, currentLayout())), toRange(document, target.start, target.end));
      },
    }),
    vscode.commands.registerCommand('tensorDerivatives.analyzeDocument', () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Open a markdown note with a ```tensor block to analyse it.');
        return;
      }
      const { analysis, regions } = cache.get(editor.document);
      output.clear();
      output.appendLine(`${editor.document.fileName}: ${regions.length} tensor region(s), ${analysis.layout} layout`);
      for (const v of analysis.elaboration.variables.values()) output.appendLine(`  ${v.name}: ${formatShape(v.shape)}`);
      for (const d of analysis.elaboration.derivatives) {
        output.appendLine(`  ${analysis.source.slice(d.node.span.start, d.node.span.end).trim()} : ${formatShape(d.shape)}`);
      }
      for (const d of analysis.diagnostics) {
        const pos = editor.document.positionAt(d.span.start);
        output.appendLine(`  ${pos.line + 1}:${pos.character + 1} ${d.severity} [${d.code}] ${d.message}`);
      }
      output.show(true);
    }),
  );
  vscode.workspace.textDocuments.forEach(refresh);
}

export function deactivate(): void {
  // Nothing to release: every resource is owned by context.subscriptions.
}
