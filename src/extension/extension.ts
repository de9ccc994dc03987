// Extension entry point (VS Code extension host). A thin adapter: it finds tensor
// expressions in documents and asks the pure engine (src/engine) about them.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('tensorDerivatives.analyzeDocument', () => undefined),
  );
}

export function deactivate(): void {
  // Nothing to release: every resource is owned by context.subscriptions.
}
