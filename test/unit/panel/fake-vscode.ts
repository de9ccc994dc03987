// A small in-memory stand-in for the `vscode` module, enough to drive the side
// panel's controller (src/extension/panel.ts) in unit tests. Importing this
// file installs it: later `require('vscode')` calls get this fake.

import Module from 'node:module';

type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  get count(): number {
    return this.listeners.length;
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static parse(value: string): Uri {
    const m = /^([a-z][\w+.-]*):\/\/(.*)$/i.exec(value);
    if (!m) throw new Error(`bad uri ${value}`);
    return new Uri(m[1]!, m[2]!);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...parts].join('/'));
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}

export class Selection extends Range {
  constructor(
    readonly anchor: Position,
    readonly active: Position,
  ) {
    super(anchor, active);
  }
}

export const ViewColumn = { Active: -1, Beside: -2, One: 1, Two: 2 } as const;
export const EndOfLine = { LF: 1, CRLF: 2 } as const;
export const TextEditorRevealType = { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 } as const;

export class FakeDocument {
  version = 1;
  isClosed = false;
  constructor(
    readonly uri: Uri,
    readonly languageId: string,
    private text: string,
    readonly eol: number = EndOfLine.LF,
  ) {}
  getText(): string {
    return this.text;
  }
  offsetAt(p: Position): number {
    const lines = this.text.split('\n');
    let offset = 0;
    for (let i = 0; i < p.line; i++) offset += lines[i]!.length + 1;
    return offset + p.character;
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, offset).split('\n');
    return new Position(before.length - 1, before.at(-1)!.length);
  }
  /** Applies an insertion as VS Code would: new version, change event. */
  insert(at: Position, text: string): void {
    const offset = this.offsetAt(at);
    this.text = this.text.slice(0, offset) + text + this.text.slice(offset);
    this.version++;
    events.documentChange.fire({ document: this, contentChanges: [{ text }] });
  }
}

export class FakeEditor {
  selection: Selection;
  readonly edits: { position: Position; text: string; options: unknown }[] = [];
  constructor(readonly document: FakeDocument, offset = 0) {
    const p = document.positionAt(offset);
    this.selection = new Selection(p, p);
  }
  /** Moves the cursor and fires the selection event, as a user would. */
  moveTo(offset: number): void {
    const p = this.document.positionAt(offset);
    this.selection = new Selection(p, p);
    events.selection.fire({ textEditor: this, selections: [this.selection] });
  }
  async edit(callback: (b: { insert(p: Position, t: string): void }) => void, options?: unknown): Promise<boolean> {
    callback({
      insert: (position, text) => {
        this.edits.push({ position, text, options });
        this.document.insert(position, text);
      },
    });
    return true;
  }
  revealRange(): void {}
}

export class FakeWebview {
  html = '';
  options: Record<string, unknown> = {};
  readonly cspSource = 'https://fake.vscode-cdn.net';
  readonly posted: unknown[] = [];
  private readonly received = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  asWebviewUri(u: Uri): Uri {
    return Uri.parse(`https://fake.vscode-cdn.net/${u.path}`);
  }
  postMessage(message: unknown): Promise<boolean> {
    this.posted.push(JSON.parse(JSON.stringify(message)));
    return Promise.resolve(true);
  }
  /** A message from the webview script. */
  send(message: unknown): void {
    this.received.fire(message);
  }
}

export class FakePanel {
  readonly webview = new FakeWebview();
  visible = true;
  disposed = false;
  iconPath: unknown;
  readonly reveals: unknown[] = [];
  private readonly disposeEmitter = new EventEmitter<void>();
  private readonly viewState = new EventEmitter<unknown>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly onDidChangeViewState = this.viewState.event;
  constructor(
    readonly viewType: string,
    readonly title: string,
    readonly showOptions: unknown,
    readonly createOptions: unknown,
  ) {}
  reveal(column?: unknown, preserveFocus?: boolean): void {
    this.reveals.push({ column, preserveFocus });
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.viewState.fire({ webviewPanel: this });
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
  }
}

export class WorkspaceEdit {
  readonly inserts: { uri: Uri; position: Position; text: string }[] = [];
  insert(uri: Uri, position: Position, text: string): void {
    this.inserts.push({ uri, position, text });
  }
}

interface FakeState {
  settings: Record<string, unknown>;
  panels: FakePanel[];
  serializers: Map<string, { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }>;
  clipboard: string[];
  statusMessages: string[];
  warnings: string[];
  infos: string[];
  appliedEdits: WorkspaceEdit[];
  quickPickAnswer: ((items: readonly unknown[]) => unknown) | undefined;
}

const state: FakeState = {
  settings: {},
  panels: [],
  serializers: new Map(),
  clipboard: [],
  statusMessages: [],
  warnings: [],
  infos: [],
  appliedEdits: [],
  quickPickAnswer: undefined,
};

const disposable = { dispose() {} };

/** The emitters behind the fake's events (VS Code exposes only the `event` functions). */
export const events = {
  activeEditor: new EventEmitter<FakeEditor | undefined>(),
  selection: new EventEmitter<{ textEditor: FakeEditor; selections: Selection[] }>(),
  documentChange: new EventEmitter<{ document: FakeDocument; contentChanges: unknown[] }>(),
  documentClose: new EventEmitter<FakeDocument>(),
  configuration: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
};

export const fake = {
  state,
  Uri,
  Position,
  Range,
  Selection,
  ViewColumn,
  EndOfLine,
  TextEditorRevealType,
  WorkspaceEdit,
  window: {
    activeTextEditor: undefined as FakeEditor | undefined,
    visibleTextEditors: [] as FakeEditor[],
    onDidChangeActiveTextEditor: events.activeEditor.event,
    onDidChangeTextEditorSelection: events.selection.event,
    createWebviewPanel(viewType: string, title: string, showOptions: unknown, options: unknown): FakePanel {
      const panel = new FakePanel(viewType, title, showOptions, options);
      state.panels.push(panel);
      return panel;
    },
    registerWebviewPanelSerializer(viewType: string, serializer: FakeState['serializers'] extends Map<string, infer S> ? S : never) {
      state.serializers.set(viewType, serializer);
      return disposable;
    },
    setStatusBarMessage(text: string) {
      state.statusMessages.push(text);
      return disposable;
    },
    showWarningMessage(text: string) {
      state.warnings.push(text);
      return Promise.resolve(undefined);
    },
    showInformationMessage(text: string) {
      state.infos.push(text);
      return Promise.resolve(undefined);
    },
    showQuickPick(items: readonly unknown[]) {
      return Promise.resolve(state.quickPickAnswer?.(items));
    },
  },
  workspace: {
    textDocuments: [] as FakeDocument[],
    onDidChangeTextDocument: events.documentChange.event,
    onDidCloseTextDocument: events.documentClose.event,
    onDidChangeConfiguration: events.configuration.event,
    getConfiguration(section: string) {
      return { get: (key: string, fallback: unknown) => (`${section}.${key}` in state.settings ? state.settings[`${section}.${key}`] : fallback) };
    },
    openTextDocument(uri: Uri) {
      const doc = fake.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      return doc ? Promise.resolve(doc) : Promise.reject(new Error('not found'));
    },
    applyEdit(edit: WorkspaceEdit) {
      state.appliedEdits.push(edit);
      for (const i of edit.inserts) fake.workspace.textDocuments.find((d) => d.uri.toString() === i.uri.toString())?.insert(i.position, i.text);
      return Promise.resolve(true);
    },
  },
  env: {
    clipboard: {
      writeText(text: string) {
        state.clipboard.push(text);
        return Promise.resolve();
      },
    },
  },
  /** Sets a setting and fires the configuration event. */
  configure(key: string, value: unknown): void {
    state.settings[key] = value;
    events.configuration.fire({ affectsConfiguration: (s: string) => key === s || key.startsWith(`${s}.`) });
  },
  /** Opens a document in an editor and makes it active. */
  open(uri: string, languageId: string, text: string, offset = 0): FakeEditor {
    const doc = new FakeDocument(Uri.parse(uri), languageId, text);
    fake.workspace.textDocuments.push(doc);
    const editor = new FakeEditor(doc, offset);
    fake.window.visibleTextEditors.push(editor);
    fake.window.activeTextEditor = editor;
    events.activeEditor.fire(editor);
    return editor;
  },
  reset(): void {
    state.settings = {};
    state.panels = [];
    state.serializers.clear();
    state.clipboard = [];
    state.statusMessages = [];
    state.warnings = [];
    state.infos = [];
    state.appliedEdits = [];
    state.quickPickAnswer = undefined;
    fake.window.activeTextEditor = undefined;
    fake.window.visibleTextEditors = [];
    fake.workspace.textDocuments = [];
  },
};

// Route `require('vscode')` to the fake.
const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const originalLoad = loader._load;
loader._load = function (request: string, parent: unknown, isMain: boolean): unknown {
  if (request === 'vscode') return fake;
  return originalLoad.call(this, request, parent, isMain);
};
