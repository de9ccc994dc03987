// The typed message protocol between the extension host and the side-panel
// webview, with validators for every message that crosses the boundary.
//
// Invariants:
// - Pure data, no vscode or DOM imports: both sides import this file.
// - Every inbound message is validated (`parseFromWebview`, `parseToWebview`)
//   before use; anything that does not match is dropped, never trusted.
// - The panel receives LaTeX and plain text only; it renders LaTeX with KaTeX
//   (trust: false) and text with textContent — never as HTML.

import type { Layout } from '../engine/shape/layout';

export const LAYOUT_VALUES: readonly Layout[] = ['numerator', 'denominator', 'mixed'];

/** A labelled piece of math: LaTeX for KaTeX and Unicode text as a fallback / accessible label. */
export interface MathText {
  readonly latex: string;
  readonly text: string;
}

export interface PanelDeclaration {
  readonly name: string;
  /** e.g. `A \in \mathbb{R}^{m \times n}` */
  readonly latex: string;
  /** e.g. "A ∈ ℝᵐˣⁿ" */
  readonly text: string;
}

/** One entry of a small concrete derivative: its position and symbolic partial. */
export interface PanelElement {
  /** 1-based position in the layout's axis order. */
  readonly position: readonly number[];
  /** e.g. `\frac{\partial a_1}{\partial v_2}` */
  readonly partial: MathText;
  /** e.g. `\cos(v_2)` or `0` */
  readonly value: MathText;
}

export interface PanelCheck {
  readonly ok: boolean;
  readonly maxRelError: number;
  readonly seed: number;
}

export interface PanelModel {
  /** Where the request is (document URI and offsets), so the panel can follow edits. */
  readonly source: { readonly uri: string; readonly start: number; readonly end: number; readonly version: number };
  /** The request, e.g. `\frac{\partial}{\partial \mathbf{x}} \left(\mathbf{x}^\top A \mathbf{x}\right)`. */
  readonly request: MathText;
  /** Declarations of the variables involved. */
  readonly declarations: readonly PanelDeclaration[];
  readonly layout: Layout;
  /** The derivative in matrix notation, in the form right for the layout; null when none exists. */
  readonly matrix: MathText | null;
  /** Index notation of one entry: lhs e.g. `\left[\frac{\partial f}{\partial x}\right]_{i}` and the right side. */
  readonly index: { readonly lhs: MathText; readonly rhs: MathText };
  readonly shape: {
    /** Tensor shape in the layout's axis order, e.g. "(m, n)" or "scalar". */
    readonly tensor: string;
    /** "1×n", "n×1", "m×n", or null for rank ≥ 3. */
    readonly matrix: string | null;
    /** e.g. "row vector (gradient as a row, numerator layout)" */
    readonly description: string;
  };
  /** Numeric self-check against finite differences, or why it could not run. */
  readonly check: PanelCheck | { readonly error: string } | null;
  /** Entries for small concrete sizes (at most a few hundred), else null. */
  readonly elements: { readonly dims: readonly number[]; readonly entries: readonly PanelElement[]; readonly truncated: boolean } | null;
  /** Problems to show instead of, or next to, the result. */
  readonly messages: readonly string[];
}

export type ToWebview =
  | { readonly type: 'update'; readonly model: PanelModel }
  | { readonly type: 'empty'; readonly message: string };

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'setLayout'; readonly layout: Layout }
  | { readonly type: 'copyLatex' }
  | { readonly type: 'insertBelow' };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function isLayoutValue(x: unknown): x is Layout {
  return typeof x === 'string' && (LAYOUT_VALUES as readonly string[]).includes(x);
}

/** Validates a message from the webview; returns null for anything malformed. */
export function parseFromWebview(x: unknown): FromWebview | null {
  if (!isRecord(x) || typeof x.type !== 'string') return null;
  switch (x.type) {
    case 'ready':
    case 'copyLatex':
    case 'insertBelow':
      return Object.keys(x).length === 1 ? { type: x.type } : null;
    case 'setLayout':
      return isLayoutValue(x.layout) && Object.keys(x).length === 2 ? { type: 'setLayout', layout: x.layout } : null;
    default:
      return null;
  }
}

function isMathText(x: unknown): x is MathText {
  return isRecord(x) && typeof x.latex === 'string' && typeof x.text === 'string';
}

/** Validates a message from the extension (the webview trusts nothing either). */
export function parseToWebview(x: unknown): ToWebview | null {
  if (!isRecord(x)) return null;
  if (x.type === 'empty') return typeof x.message === 'string' ? { type: 'empty', message: x.message } : null;
  if (x.type !== 'update' || !isRecord(x.model)) return null;
  const m = x.model;
  const ok =
    isRecord(m.source) &&
    isMathText(m.request) &&
    Array.isArray(m.declarations) &&
    m.declarations.every((d) => isRecord(d) && typeof d.name === 'string' && typeof d.latex === 'string' && typeof d.text === 'string') &&
    isLayoutValue(m.layout) &&
    (m.matrix === null || isMathText(m.matrix)) &&
    isRecord(m.index) &&
    isMathText(m.index.lhs) &&
    isMathText(m.index.rhs) &&
    isRecord(m.shape) &&
    typeof m.shape.tensor === 'string' &&
    (m.shape.matrix === null || typeof m.shape.matrix === 'string') &&
    typeof m.shape.description === 'string' &&
    Array.isArray(m.messages) &&
    m.messages.every((s) => typeof s === 'string');
  return ok ? { type: 'update', model: m as unknown as PanelModel } : null;
}
