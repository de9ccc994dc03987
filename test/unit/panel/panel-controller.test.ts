// The side panel's controller (src/extension/panel.ts) against an in-memory
// `vscode`: webview options, following the cursor with debouncing and
// caching, validated messages, layout switching, Copy LaTeX, Insert below and
// restoring after a reload.

import './fake-vscode';
import { strict as assert } from 'node:assert';
import { DerivativePanel, PANEL_VIEW_TYPE, type PanelModelSource } from '../../../src/extension/panel';
import type { PanelModel } from '../../../src/panel/protocol';
import { sampleModel } from '../webview/helpers';
import { fake, type FakeEditor, type FakePanel } from './fake-vscode';

const EXT = fake.Uri.parse('file:///ext');
const context = { extensionUri: EXT, subscriptions: [] } as never;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DEBOUNCE_WAIT = 220;

/** Requests are `d/d…` up to the end of the line. */
function requests(text: string) {
  return Array.from(text.matchAll(/d\/d[^\n]*/g), (m) => ({ start: m.index!, end: m.index! + m[0].length, label: m[0] }));
}

const calls: { offset: number; layout: string; version: number }[] = [];
const source: PanelModelSource = {
  listRequests: (text) => requests(text),
  buildPanelModel(input) {
    calls.push({ offset: input.offset, layout: input.layout, version: input.version });
    const all = requests(input.text);
    const r = all.find((q) => input.offset >= q.start && input.offset <= q.end) ?? all.filter((q) => q.end <= input.offset).at(-1) ?? all[0];
    if (!r) return { empty: 'No derivative request here.' };
    return sampleModel({
      source: { uri: input.uri, start: r.start, end: r.end, version: input.version },
      layout: input.layout,
      matrix: { latex: `M_{${r.label}}`, text: `M(${r.label})` },
    });
  },
};

const MD = ['# Notes', '', '```tensor', 'x: R^n', 'd/dx (x^T A x)', 'd/dx (a^T x)', '```', 'End.', ''].join('\n');

type Update = { type: 'update'; model: PanelModel } | { type: 'empty'; message: string };
const posted = (panel: FakePanel) => panel.webview.posted as Update[];
const lastPosted = (panel: FakePanel) => posted(panel).at(-1)!;

describe('panel controller', () => {
  let editor: FakeEditor;
  let panel: FakePanel;

  beforeEach(() => {
    fake.reset();
    calls.length = 0;
    DerivativePanel.source = source;
    editor = fake.open('file:///notes/a.md', 'markdown', MD, MD.indexOf('d/dx (x^T'));
    DerivativePanel.show(context, editor as never, MD.indexOf('d/dx (x^T') + 2);
    panel = fake.state.panels[0]!;
    panel.webview.send({ type: 'ready' });
  });
  afterEach(() => DerivativePanel.disposeCurrent());

  it('opens one webview beside the editor with scripts on, only dist/ and media/ as roots, and no retained context', () => {
    assert.equal(fake.state.panels.length, 1);
    assert.equal(panel.viewType, PANEL_VIEW_TYPE);
    assert.equal(panel.title, 'Derivative');
    assert.deepEqual(panel.showOptions, { viewColumn: fake.ViewColumn.Beside, preserveFocus: true });
    const options = panel.createOptions as Record<string, unknown>;
    assert.equal(options.enableScripts, true);
    assert.equal(options.retainContextWhenHidden, undefined);
    assert.deepEqual((options.localResourceRoots as unknown[]).map(String), ['file:///ext/dist', 'file:///ext/media']);
    assert.deepEqual((panel.webview.options.localResourceRoots as unknown[]).map(String), ['file:///ext/dist', 'file:///ext/media']);
    const nonce = /script-src 'nonce-([0-9a-f]{32})'/.exec(panel.webview.html)?.[1];
    assert.ok(nonce, 'CSP with a nonce');
    assert.ok(panel.webview.html.includes(`<script nonce="${nonce}" src="https://fake.vscode-cdn.net//ext/dist/webview.js">`));
    // A second show reuses the panel.
    DerivativePanel.show(context, editor as never, 0);
    assert.equal(fake.state.panels.length, 1);
    assert.deepEqual(panel.reveals.at(-1), { column: undefined, preserveFocus: true });
  });

  it('answers ready with the model for the cursor in the configured layout', () => {
    const msg = lastPosted(panel);
    assert.equal(msg.type, 'update');
    assert.equal((msg as { model: PanelModel }).model.matrix!.latex, 'M_{d/dx (x^T A x)}');
    assert.deepEqual(calls, [{ offset: MD.indexOf('d/dx (x^T') + 2, layout: 'numerator', version: 1 }]);
  });

  it('drops invalid messages from the webview', async () => {
    const before = posted(panel).length;
    for (const bad of [null, 'ready', { type: 'setLayout', layout: 'diagonal' }, { type: 'copyLatex', extra: 1 }, { type: 'insertBelow', text: 'rm -rf' }, { type: 'eval' }]) {
      panel.webview.send(bad);
    }
    await sleep(10);
    assert.equal(posted(panel).length, before);
    assert.equal(calls.length, 1);
    assert.deepEqual(fake.state.clipboard, []);
    assert.equal(editor.document.version, 1);
  });

  it('follows the cursor, debounced, and reuses the cached model within a request', async () => {
    const second = MD.indexOf('d/dx (a^T');
    for (let i = 0; i < 5; i++) editor.moveTo(second + i);
    assert.equal(calls.length, 1, 'nothing rebuilt before the quiet period');
    await sleep(DEBOUNCE_WAIT);
    assert.deepEqual(calls.slice(1), [{ offset: second + 4, layout: 'numerator', version: 1 }]);
    assert.equal((lastPosted(panel) as { model: PanelModel }).model.matrix!.latex, 'M_{d/dx (a^T x)}');
    const count = posted(panel).length;
    editor.moveTo(second + 7);
    await sleep(DEBOUNCE_WAIT);
    assert.equal(calls.length, 2, 'same request, same version: served from the cache');
    assert.equal(posted(panel).length, count, 'an unchanged model is not re-sent');
  });

  it('rebuilds after document edits for the new version', async () => {
    editor.document.insert(editor.document.positionAt(0), '% ');
    await sleep(DEBOUNCE_WAIT);
    assert.equal(calls.at(-1)!.version, 2);
    assert.equal((lastPosted(panel) as { model: PanelModel }).model.source.version, 2);
  });

  it('setLayout re-renders at once in the new layout, panel-locally', () => {
    panel.webview.send({ type: 'setLayout', layout: 'denominator' });
    assert.equal(calls.at(-1)!.layout, 'denominator');
    assert.equal((lastPosted(panel) as { model: PanelModel }).model.layout, 'denominator');
    assert.equal(fake.state.settings['tensorDerivatives.layout'], undefined, 'the setting is untouched');
  });

  it('follows a change of the layout setting', () => {
    fake.configure('tensorDerivatives.layout', 'mixed');
    assert.equal((lastPosted(panel) as { model: PanelModel }).model.layout, 'mixed');
  });

  it('copyLatex copies the matrix LaTeX and says so in the status bar', async () => {
    panel.webview.send({ type: 'copyLatex' });
    await sleep(10);
    assert.deepEqual(fake.state.clipboard, ['M_{d/dx (x^T A x)}']);
    assert.match(fake.state.statusMessages.at(-1)!, /Copied derivative LaTeX/);
  });

  it('insertBelow adds one $$ block after the fence as a single edit', async () => {
    panel.webview.send({ type: 'insertBelow' });
    await sleep(10);
    assert.equal(editor.edits.length, 1);
    assert.deepEqual(editor.edits[0]!.options, { undoStopBefore: true, undoStopAfter: true });
    const text = editor.document.getText();
    assert.ok(text.includes('```\n\n$$\n'), text);
    assert.ok(text.includes('= M_{d/dx (x^T A x)}\n$$\n\nEnd.'), text);
    assert.equal(editor.document.version, 2);
  });

  it('insertBelow in TypeScript adds a // = line with the request line\'s indentation', async () => {
    const ts = 'function f() {\n  // @tensor d/dx (x^T x)\n  return 1;\n}\n';
    const tsEditor = fake.open('file:///src/f.ts', 'typescript', ts, ts.indexOf('d/dx'));
    await sleep(DEBOUNCE_WAIT);
    panel.webview.send({ type: 'insertBelow' });
    await sleep(10);
    assert.equal(tsEditor.document.getText(), 'function f() {\n  // @tensor d/dx (x^T x)\n  // = M(d/dx (x^T x))\n  return 1;\n}\n');
    assert.equal(editor.edits.length, 0, 'the markdown note is untouched');
  });

  it('ignores editors of other languages and keeps showing the last result', async () => {
    fake.open('file:///settings.json', 'json', '{ "d/dx": 1 }', 3);
    await sleep(DEBOUNCE_WAIT);
    assert.equal(calls.length, 1);
  });

  it('does no work while hidden and catches up when shown again', async () => {
    panel.setVisible(false);
    editor.moveTo(MD.indexOf('d/dx (a^T'));
    await sleep(DEBOUNCE_WAIT);
    assert.equal(calls.length, 1);
    panel.setVisible(true);
    panel.webview.send({ type: 'ready' });
    assert.equal((lastPosted(panel) as { model: PanelModel }).model.matrix!.latex, 'M_{d/dx (a^T x)}');
  });

  it('re-sends the current model to a reloaded webview', () => {
    const count = posted(panel).length;
    panel.webview.send({ type: 'ready' });
    assert.equal(posted(panel).length, count + 1);
    assert.deepEqual(lastPosted(panel), posted(panel)[count - 1]);
  });

  it('restores from the saved webview state after a reload', async () => {
    DerivativePanel.disposeCurrent();
    DerivativePanel.registerSerializer(context);
    const serializer = fake.state.serializers.get(PANEL_VIEW_TYPE)!;
    const restored = new (panel.constructor as typeof FakePanel)(PANEL_VIEW_TYPE, 'Derivative', {}, {});
    const offset = MD.indexOf('d/dx (a^T');
    await serializer.deserializeWebviewPanel(restored, { uri: 'file:///notes/a.md', offset, layout: 'mixed' });
    assert.equal(restored.webview.options.enableScripts, true);
    assert.match(restored.webview.html, /Content-Security-Policy/);
    restored.webview.send({ type: 'ready' });
    const msg = lastPosted(restored) as { model: PanelModel };
    assert.equal(msg.model.layout, 'mixed');
    assert.equal(msg.model.matrix!.latex, 'M_{d/dx (a^T x)}');
  });

  it('restores to the empty state when the saved state is unusable', async () => {
    DerivativePanel.disposeCurrent();
    fake.window.activeTextEditor = undefined;
    DerivativePanel.registerSerializer(context);
    const restored = new (panel.constructor as typeof FakePanel)(PANEL_VIEW_TYPE, 'Derivative', {}, {});
    await fake.state.serializers.get(PANEL_VIEW_TYPE)!.deserializeWebviewPanel(restored, { uri: 'file:///gone.md', offset: 3, layout: 'mixed', evil: '<script>' });
    restored.webview.send({ type: 'ready' });
    assert.equal(lastPosted(restored).type, 'empty');
  });

  it('showCommand offers a quick pick when the cursor is before several requests', async () => {
    editor.moveTo(0);
    fake.window.activeTextEditor = editor;
    fake.state.quickPickAnswer = (items) => items[1];
    await DerivativePanel.showCommand(context);
    const second = MD.indexOf('d/dx (a^T');
    assert.equal(editor.document.offsetAt(editor.selection.active), second);
    await sleep(DEBOUNCE_WAIT);
    assert.equal((lastPosted(panel) as { model: PanelModel }).model.source.start, second);
  });
});
