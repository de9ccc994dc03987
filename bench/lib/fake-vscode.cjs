// A minimal fake of the `vscode` module, enough to load dist/extension.js and
// run activate() outside VS Code (bench/activate.cjs). Every API the
// extension calls at activation is a cheap stub; anything not stubbed here
// resolves to a recording no-op (listed in `fake.unstubbed`), so a new API call
// in the extension degrades the benchmark's realism but does not break it.

'use strict';

function createFakeVscode(options = {}) {
  const unstubbed = new Set();
  const calls = [];
  const record = (name) => calls.push(name);

  class Disposable {
    constructor(fn) { this.fn = fn; }
    dispose() { if (this.fn) this.fn(); }
    static from(...items) { return new Disposable(() => items.forEach((d) => d && d.dispose && d.dispose())); }
  }
  const disposable = () => new Disposable(() => {});

  class EventEmitter {
    constructor() {
      this.listeners = [];
      this.event = (listener) => {
        this.listeners.push(listener);
        return new Disposable(() => { this.listeners = this.listeners.filter((l) => l !== listener); });
      };
    }
    fire(value) { for (const l of this.listeners) l(value); }
    dispose() { this.listeners = []; }
  }

  class Position {
    constructor(line, character) { this.line = line; this.character = character; }
  }
  class Range {
    constructor(a, b, c, d) {
      if (typeof a === 'number') { this.start = new Position(a, b); this.end = new Position(c, d); }
      else { this.start = a; this.end = b; }
    }
  }
  class Selection extends Range {}
  class Diagnostic {
    constructor(range, message, severity) { this.range = range; this.message = message; this.severity = severity; }
  }
  class Hover { constructor(contents, range) { this.contents = contents; this.range = range; } }
  class MarkdownString { constructor(value = '') { this.value = value; } appendMarkdown(s) { this.value += s; return this; } }
  class CodeLens { constructor(range, command) { this.range = range; this.command = command; } }
  class WorkspaceEdit { insert() {} replace() {} }

  class Uri {
    constructor(value) { this.value = value; this.fsPath = value.replace(/^file:\/\//, ''); this.scheme = value.split(':')[0]; }
    toString() { return this.value; }
    static parse(value) { return new Uri(value); }
    static file(path) { return new Uri(`file://${path}`); }
    static joinPath(base, ...parts) { return new Uri([base.value, ...parts].join('/')); }
    with() { return this; }
  }

  const config = {
    get: (key, fallback) => (options.settings && key in options.settings ? options.settings[key] : fallback),
    has: () => false,
    inspect: () => undefined,
    update: async () => {},
  };

  const diagnosticCollection = (name) => {
    const map = new Map();
    return {
      name,
      set: (uri, diags) => { record('diagnostics.set'); map.set(String(uri), diags); options.onDiagnostics?.(String(uri), diags); },
      delete: (uri) => map.delete(String(uri)),
      clear: () => map.clear(),
      get: (uri) => map.get(String(uri)),
      forEach: (fn) => map.forEach((v, k) => fn(k, v)),
      dispose: () => map.clear(),
      get size() { return map.size; },
      entries: map,
    };
  };
  const collections = [];

  // Providers and event listeners the extension registers, so a harness can
  // play the editor's part (bench/host.cjs): call providers, fire events.
  const providers = { hover: [], codeLens: [] };
  const listeners = new Map();
  const event = (name) => (listener) => {
    if (!listeners.has(name)) listeners.set(name, []);
    listeners.get(name).push(listener);
    return disposable();
  };
  const fire = (name, value) => { for (const l of listeners.get(name) ?? []) l(value); };
  const api = {
    Disposable, EventEmitter, Position, Range, Selection, Diagnostic, Hover, MarkdownString, CodeLens, WorkspaceEdit, Uri,
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
    EndOfLine: { LF: 1, CRLF: 2 },
    languages: {
      createDiagnosticCollection: (name) => { record('createDiagnosticCollection'); const c = diagnosticCollection(name); collections.push(c); return c; },
      registerHoverProvider: (_selector, provider) => { record('registerHoverProvider'); providers.hover.push(provider); return disposable(); },
      registerCodeLensProvider: (_selector, provider) => { record('registerCodeLensProvider'); providers.codeLens.push(provider); return disposable(); },
    },
    window: {
      createOutputChannel: (name) => ({ name, append() {}, appendLine() {}, clear() {}, show() {}, hide() {}, dispose() {} }),
      registerWebviewPanelSerializer: () => { record('registerWebviewPanelSerializer'); return disposable(); },
      createWebviewPanel: () => { throw new Error('not in the benchmark'); },
      showInformationMessage: async () => undefined,
      showWarningMessage: async () => undefined,
      showErrorMessage: async () => undefined,
      showQuickPick: async () => undefined,
      showTextDocument: async () => undefined,
      activeTextEditor: undefined,
      visibleTextEditors: [],
      onDidChangeActiveTextEditor: event('onDidChangeActiveTextEditor'),
      onDidChangeTextEditorSelection: event('onDidChangeTextEditorSelection'),
      onDidChangeVisibleTextEditors: event('onDidChangeVisibleTextEditors'),
    },
    workspace: {
      getConfiguration: () => config,
      get textDocuments() { return options.documents ?? []; },
      onDidOpenTextDocument: event('onDidOpenTextDocument'),
      onDidChangeTextDocument: event('onDidChangeTextDocument'),
      onDidCloseTextDocument: event('onDidCloseTextDocument'),
      onDidSaveTextDocument: event('onDidSaveTextDocument'),
      onDidChangeConfiguration: event('onDidChangeConfiguration'),
      openTextDocument: async () => { throw new Error('not in the benchmark'); },
      applyEdit: async () => true,
      isTrusted: true,
    },
    commands: {
      registerCommand: (name) => { record(`registerCommand:${name}`); return disposable(); },
      executeCommand: async () => undefined,
    },
    env: { clipboard: { writeText: async () => {} }, uiKind: 1, language: 'en' },
    extensions: { getExtension: () => undefined },
  };

  const noop = new Proxy(function () {}, {
    get: (_t, p) => (p === Symbol.toPrimitive ? () => '' : noop),
    apply: () => noop,
    construct: () => noop,
  });
  const guard = (obj, path) =>
    new Proxy(obj, {
      get(target, prop) {
        if (typeof prop === 'symbol' || prop in target) {
          const v = target[prop];
          return v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Function) && path.length === 0 ? guard(v, [...path, prop]) : v;
        }
        if (prop === 'then' || prop === '__esModule' || prop === 'default') return undefined;
        unstubbed.add([...path, prop].join('.'));
        return noop;
      },
    });
  return { vscode: guard(api, []), unstubbed, calls, collections, providers, fire };
}

/**
 * A TextDocument over a string, with the position/offset conversions the extension uses.
 * getText() costs what it costs in VS Code: the extension host keeps a document as an
 * array of lines (MirrorTextModel) and joins them on every getText() — about 8–10 ms for
 * a 5 MB note here, paid by whichever task first reads a new version.
 */
function fakeDocument(uri, languageId, text, version = 1) {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const positionAt = (offset) => {
    // Clamped to the text, as VS Code's positionAt is.
    offset = Math.max(0, Math.min(offset, text.length));
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1; }
    return { line: lo, character: offset - lineStarts[lo] };
  };
  return {
    uri: { toString: () => uri, fsPath: uri, scheme: 'file' },
    fileName: uri,
    languageId,
    version,
    lineCount: lineStarts.length,
    // With a range, the text of its lines only, clamped to the document, as VS Code builds it.
    getText: (range) => {
      if (!range) return lines.join(eol);
      const clamp = (p) => (p.line >= lines.length ? { line: lines.length - 1, character: lines[lines.length - 1].length } : { line: p.line, character: Math.min(p.character, lines[p.line].length) });
      const start = clamp(range.start);
      const end = clamp(range.end);
      if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
      return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join(eol);
    },
    positionAt,
    offsetAt: (p) => lineStarts[p.line] + p.character,
  };
}

/** Makes `require('vscode')` return the fake (for the extension bundle loaded after this). */
function installFakeVscode(fake) {
  const Module = require('node:module');
  const originalLoad = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode') return fake.vscode;
    return originalLoad.call(this, request, parent, isMain);
  };
}

/** The ExtensionContext activate() gets: the extension's folder is `root`; nothing is stored. */
function fakeExtensionContext(fake, root) {
  const { resolve } = require('node:path');
  const memento = () => ({ get: () => undefined, update: async () => {}, keys: () => [] });
  return {
    subscriptions: [],
    extensionUri: fake.vscode.Uri.file(root),
    extensionPath: root,
    globalState: memento(),
    workspaceState: memento(),
    asAbsolutePath: (p) => resolve(root, p),
    extensionMode: 1,
    storageUri: undefined,
    globalStorageUri: fake.vscode.Uri.file('/tmp'),
    logUri: fake.vscode.Uri.file('/tmp'),
  };
}

module.exports = { createFakeVscode, fakeDocument, fakeExtensionContext, installFakeVscode };
