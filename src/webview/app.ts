// The side panel's view: a persistent toolbar (layout radio group, Copy LaTeX,
// Insert below) and a content area re-rendered from each validated model.
//
// Invariants:
// - Every message from the extension passes `parseMessage`; others are ignored.
// - The loop section (loop-view.ts) lives beside the content and survives
//   model updates; it changes only with `loop` / `loopEntries` messages.
// - Text goes in via textContent; KaTeX output is the only generated markup.
// - The toolbar is built once, so keyboard focus survives updates.
// - State saved with setState is exactly { uri, offset, layout }.

import type { Layout } from '../engine/shape/layout';
import { isLayoutValue, type FromWebview, type PanelModel } from '../panel/protocol';
import { h, section } from './dom';
import { renderElements } from './elements-table';
import { LazyTypesetter } from './lazy-math';
import { LayoutToggle } from './layout-toggle';
import { LoopView } from './loop-view';
import { equation, renderMath, type MathRenderer } from './math';
import { parseMessage } from './validate';

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export interface PanelState {
  readonly uri: string;
  readonly offset: number;
  readonly layout: Layout;
}

export function parseState(x: unknown): PanelState | null {
  if (typeof x !== 'object' || x === null) return null;
  const s = x as Record<string, unknown>;
  if (typeof s.uri !== 'string' || typeof s.offset !== 'number' || !Number.isInteger(s.offset) || s.offset < 0 || !isLayoutValue(s.layout)) return null;
  return { uri: s.uri, offset: s.offset, layout: s.layout };
}

/** "3.1e-11" */
export function formatError(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x === 0 ? '0' : x.toExponential(1).replace('e+', 'e');
}

export function checkText(check: NonNullable<PanelModel['check']>): { ok: boolean; text: string } {
  if ('error' in check) return { ok: false, text: `⚠ numeric check did not run: ${check.error}` };
  const detail = `max rel. error ${formatError(check.maxRelError)}, seed ${check.seed}`;
  return check.ok
    ? { ok: true, text: `✓ matches finite differences (${detail})` }
    : { ok: false, text: `⚠ differs from finite differences (${detail})` };
}

export class PanelApp {
  private readonly doc: Document;
  private readonly content: HTMLElement;
  private readonly status: HTMLElement;
  private readonly toggle: LayoutToggle;
  private readonly copyButton: HTMLButtonElement;
  private readonly insertButton: HTMLButtonElement;
  private readonly loop: LoopView;
  private state: PanelState | null;
  private model: PanelModel | null = null;
  /** The shown model serialised, to skip re-typesetting an identical update (e.g. the cursor moved within a request). */
  private shownKey = '';
  /** A layout chosen here that the extension has not confirmed yet (optimistic UI). */
  private pending: Layout | null = null;
  private staleAllowance = 0;

  constructor(
    root: HTMLElement,
    private readonly api: VsCodeApi,
    private readonly render: MathRenderer = renderMath,
    /** Typesets the entries table's cells when they come into view (startPanel); without it, at once. */
    private readonly cells: LazyTypesetter | null = null,
  ) {
    this.doc = root.ownerDocument;
    this.state = parseState(api.getState());
    const doc = this.doc;
    this.toggle = new LayoutToggle(doc, this.state?.layout ?? 'numerator', (layout) => this.chooseLayout(layout));
    this.copyButton = h(doc, 'button', { text: 'Copy LaTeX', attrs: { type: 'button', id: 'copy-latex', title: 'Copy the derivative as LaTeX' } });
    this.insertButton = h(doc, 'button', { className: 'secondary', text: 'Insert below', attrs: { type: 'button', id: 'insert-below', title: 'Insert the result below the request in the document' } });
    this.copyButton.addEventListener('click', () => this.post({ type: 'copyLatex' }));
    this.insertButton.addEventListener('click', () => this.post({ type: 'insertBelow' }));
    const actions = h(doc, 'div', { className: 'actions' }, [this.copyButton, this.insertButton]);
    // Not role=toolbar: that pattern would claim the arrow keys the radio group uses.
    const toolbar = h(doc, 'div', { className: 'toolbar' }, [this.toggle.node, actions]);
    this.status = h(doc, 'div', { className: 'visually-hidden', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.content = h(doc, 'div', { className: 'content', attrs: { id: 'content' } });
    this.loop = new LoopView(doc, (message) => this.post(message), this.render);
    root.textContent = '';
    root.append(toolbar, this.status, this.content, this.loop.node);
    this.setActionsEnabled(false);
    this.content.appendChild(h(doc, 'p', { className: 'empty', text: 'Loading…' }));
  }

  /** Handles one message from the extension; returns false when it was ignored as invalid. */
  receive(data: unknown): boolean {
    const msg = parseMessage(data);
    if (!msg) return false;
    switch (msg.type) {
      case 'loop':
        this.loop.setSpec(msg.loop);
        return true;
      case 'loopEntries':
        this.loop.addEntries(msg.id, msg.entries);
        return true;
      case 'loopUnavailable':
        this.loop.unavailable(msg.message);
        return true;
      default:
        break;
    }
    if (msg.type === 'empty') {
      this.loop.clear();
      this.model = null;
      this.shownKey = '';
      this.setActionsEnabled(false);
      this.cells?.reset();
      this.content.textContent = '';
      this.content.appendChild(h(this.doc, 'p', { className: 'empty', text: msg.message }));
      this.announce(msg.message);
      return true;
    }
    const model = msg.model;
    this.model = model;
    if (this.pending && model.layout !== this.pending && this.staleAllowance > 0) {
      // An update computed before the extension saw our setLayout: show it, keep our choice.
      this.staleAllowance--;
    } else {
      const confirmed = this.pending !== null && this.pending === model.layout;
      this.pending = null;
      this.content.removeAttribute('aria-busy');
      this.toggle.show(model.layout);
      if (confirmed) this.announce(`Showing ${model.layout} layout`);
    }
    this.saveState({ uri: model.source.uri, offset: model.source.start, layout: this.toggle.value });
    this.setActionsEnabled(model.matrix !== null || model.index.rhs.latex.trim() !== '');
    const key = JSON.stringify(model);
    if (key !== this.shownKey) {
      this.shownKey = key;
      this.renderModel(model);
    }
    return true;
  }

  /** The model currently shown, if any. */
  get current(): PanelModel | null {
    return this.model;
  }

  /** The loop visualisation section. */
  get loopView(): LoopView {
    return this.loop;
  }

  private post(message: FromWebview): void {
    this.api.postMessage(message);
  }

  private chooseLayout(layout: Layout): void {
    this.pending = layout;
    this.staleAllowance = 1;
    this.content.setAttribute('aria-busy', 'true');
    this.loop.setBusy(true);
    if (this.state) this.saveState({ ...this.state, layout });
    this.post({ type: 'setLayout', layout });
  }

  private saveState(state: PanelState): void {
    this.state = state;
    this.api.setState({ uri: state.uri, offset: state.offset, layout: state.layout });
  }

  private setActionsEnabled(enabled: boolean): void {
    this.copyButton.disabled = !enabled;
    this.insertButton.disabled = !enabled;
  }

  private announce(text: string): void {
    this.status.textContent = text;
  }

  private math(tag: 'div' | 'span', latex: { latex: string; text: string }, display: boolean, className = 'math'): HTMLElement {
    const el = h(this.doc, tag, { className });
    this.render(el, latex, display);
    return el;
  }

  /** "where t₁ = …, t₂ = …": the named sub-expressions a form refers to, one display line each. */
  private where(definitions: readonly { latex: string; text: string }[]): HTMLElement {
    const block = h(this.doc, 'div', { className: 'where', attrs: { role: 'group', 'aria-label': 'where' } });
    block.appendChild(h(this.doc, 'p', { className: 'where-label', text: 'where' }));
    for (const d of definitions) block.appendChild(this.math('div', d, true, 'math display'));
    return block;
  }

  private renderModel(m: PanelModel): void {
    const doc = this.doc;
    // The cells of the table shown so far are about to go: none is typeset any more.
    this.cells?.reset();
    const out: HTMLElement[] = [];

    if (m.messages.length) {
      const list = h(doc, 'ul', { className: 'messages', attrs: { 'aria-label': 'Messages' } });
      for (const text of m.messages) list.appendChild(h(doc, 'li', { text }));
      out.push(list);
    }

    const request = section(doc, 'request', 'Request');
    request.appendChild(this.math('div', m.request, true, 'math display'));
    if (m.declarations.length) {
      const decls = h(doc, 'ul', { className: 'declarations', attrs: { 'aria-label': 'Declarations' } });
      for (const d of m.declarations) {
        const li = h(doc, 'li');
        li.appendChild(this.math('span', d, false));
        decls.appendChild(li);
      }
      request.appendChild(decls);
    }
    out.push(request);

    if (m.matrix) {
      const matrix = section(doc, 'matrix', 'Matrix notation');
      matrix.appendChild(this.math('div', m.matrix, true, 'math display'));
      const named = m.where.flatMap((b) => (b.matrix ? [equation(b.name, b.matrix)] : []));
      if (named.length) matrix.appendChild(this.where(named));
      out.push(matrix);
    }

    if (m.index.rhs.latex.trim() !== '') {
      const index = section(doc, 'index', 'Index notation');
      index.appendChild(this.math('div', equation(m.index.lhs, m.index.rhs), true, 'math display'));
      if (m.where.length) index.appendChild(this.where(m.where.map((b) => equation(b.index.lhs, b.index.rhs))));
      out.push(index);
    }

    const shape = section(doc, 'shape', 'Shape');
    const dl = h(doc, 'dl', { className: 'shape' });
    const row = (term: string, value: string): void => {
      dl.append(h(doc, 'dt', { text: term }), h(doc, 'dd', { text: value }));
    };
    row('Tensor shape', m.shape.tensor);
    if (m.shape.matrix !== null) row('Matrix shape', m.shape.matrix);
    row('Description', m.shape.description);
    shape.appendChild(dl);
    if (m.check) {
      const { ok, text } = checkText(m.check);
      shape.appendChild(h(doc, 'p', { className: `badge ${ok ? 'ok' : 'warn'}`, text }));
    }
    out.push(shape);

    if (m.elements) {
      const elements = section(doc, 'elements', 'Elements');
      const horizontal = m.elements.dims.length === 1 && m.shape.matrix !== null && /^1\s*×/.test(m.shape.matrix);
      elements.appendChild(renderElements(doc, m.elements, this.cells ? this.cells.renderer(this.render) : this.render, horizontal).node);
      out.push(elements);
    }

    this.content.textContent = '';
    this.content.append(...out);
  }
}

/** Wires the panel into a webview window: renders into #app, listens for messages, says ready. */
export function startPanel(win: Window & typeof globalThis, api: VsCodeApi, render: MathRenderer = renderMath): PanelApp {
  const root = win.document.getElementById('app') ?? win.document.body;
  const app = new PanelApp(root, api, render, typeof win.IntersectionObserver === 'function' ? new LazyTypesetter(win) : null);
  win.addEventListener('message', (event) => {
    app.receive((event as MessageEvent).data);
  });
  api.postMessage({ type: 'ready' } satisfies FromWebview);
  return app;
}
