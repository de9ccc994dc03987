// A DOM for webview tests (happy-dom), a recording fake of the VS Code webview
// API, and sample panel models.

import { Window } from 'happy-dom';
import type { PanelElement, PanelModel } from '../../../src/panel/protocol';

export interface DomEnv {
  readonly window: Window;
  readonly document: Document;
  readonly root: HTMLElement;
  close(): void;
}

/**
 * A fresh document with <main id="app">. KaTeX builds nodes with the global
 * `document`, so that global points at this one until `close()`.
 */
export function createDom(): DomEnv {
  const window = new Window({ url: 'https://webview.test/' });
  const document = window.document as unknown as Document;
  document.write('<!DOCTYPE html><html lang="en"><head></head><body><main id="app"></main></body></html>');
  const g = globalThis as { document?: unknown };
  const previous = g.document;
  g.document = document;
  return {
    window,
    document,
    root: document.getElementById('app')!,
    close() {
      g.document = previous;
      void window.happyDOM.close();
    },
  };
}

export class FakeVsCodeApi {
  readonly posted: unknown[] = [];
  readonly states: unknown[] = [];
  constructor(private state: unknown = undefined) {}
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  getState(): unknown {
    return this.state;
  }
  setState(state: unknown): void {
    this.state = state;
    this.states.push(state);
  }
}

const m = (latex: string, text: string) => ({ latex, text });

export function sampleModel(overrides: Partial<PanelModel> = {}): PanelModel {
  return {
    source: { uri: 'file:///notes/quadratic.md', start: 120, end: 135, version: 3 },
    request: m('\\frac{\\partial}{\\partial \\mathbf{x}} \\left(\\mathbf{x}^\\top A \\mathbf{x}\\right)', '∂(xᵀAx)/∂x'),
    declarations: [
      { name: 'x', latex: '\\mathbf{x} \\in \\mathbb{R}^{n}', text: 'x ∈ ℝⁿ' },
      { name: 'A', latex: 'A \\in \\mathbb{R}^{n \\times n}', text: 'A ∈ ℝⁿˣⁿ' },
    ],
    layout: 'numerator',
    matrix: m('\\mathbf{x}^\\top \\left(A + A^\\top\\right)', 'xᵀ(A + Aᵀ)'),
    index: {
      lhs: m('\\left[\\frac{\\partial f}{\\partial \\mathbf{x}}\\right]_{i}', '[∂f/∂x]ᵢ'),
      rhs: m('\\sum_{j} \\left(A_{ij} + A_{ji}\\right) x_{j}', 'Σⱼ (Aᵢⱼ + Aⱼᵢ) xⱼ'),
    },
    where: [],
    shape: { tensor: '(n)', matrix: '1×n', description: 'row vector (gradient as a row, numerator layout)' },
    check: { ok: true, maxRelError: 3.1e-11, seed: 1 },
    elements: {
      dims: [2],
      entries: [
        { position: [1], partial: m('\\frac{\\partial f}{\\partial x_1}', '∂f/∂x₁'), value: m('2 A_{11} x_1', '2A₁₁x₁') },
        { position: [2], partial: m('\\frac{\\partial f}{\\partial x_2}', '∂f/∂x₂'), value: m('2 A_{22} x_2', '2A₂₂x₂') },
      ],
      truncated: false,
    },
    messages: [],
    ...overrides,
  };
}

/** All entries of a dense result of the given dims. */
export function denseElements(dims: readonly number[]): NonNullable<PanelModel['elements']> {
  const entries: PanelElement[] = [];
  const walk = (prefix: number[]): void => {
    if (prefix.length === dims.length) {
      const sub = prefix.join('');
      entries.push({ position: prefix, partial: m(`\\frac{\\partial y_{${sub}}}{\\partial X}`, `∂y${sub}/∂X`), value: m(`${prefix.length}`, `${prefix.length}`) });
      return;
    }
    for (let i = 1; i <= dims[prefix.length]!; i++) walk([...prefix, i]);
  };
  walk([]);
  return { dims, entries, truncated: false };
}

export const update = (model: PanelModel) => ({ type: 'update', model });
