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

/**
 * A named shared sub-expression of the result ("where t₁ = …"): the matrix and
 * index forms refer to it by name, and it is defined after the ones it uses.
 */
export interface PanelBinding {
  /** e.g. `t_{1}` / "t₁" */
  readonly name: MathText;
  /** Its matrix-notation value, or null when the matrix form shown does not use the name. */
  readonly matrix: MathText | null;
  /** One entry: lhs e.g. `[t_{1}]_{ab}` / "t₁[a,b]", and its index-notation value. */
  readonly index: { readonly lhs: MathText; readonly rhs: MathText };
}

/** At most this many bindings cross the boundary (a 64-layer network needs about 2 per layer). */
export const MAX_BINDINGS = 512;

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
  /** Named sub-expressions both forms refer to, innermost first; empty for most results. */
  readonly where: readonly PanelBinding[];
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

// ---- per-element loop visualisation (issue D) -------------------------------

/** Bounds every loop message is checked against. */
export const LOOP_LIMITS = {
  /** Editable symbolic sizes (the preview sizes setting has the same range). */
  minSize: 1,
  maxSize: 64,
  /** Declared sizes may be larger; anything beyond this is refused. */
  maxAxis: 1_000_000,
  maxRank: 8,
  maxSizeNames: 16,
  maxNameLength: 40,
  maxEntries: 512,
  maxPseudocodeLines: 12,
  maxSeed: 2 ** 31 - 1,
} as const;

/** The host answers `loopStep` with entries [step − LOOP_WINDOW, step + LOOP_WINDOW] (clamped). */
export const LOOP_WINDOW = 16;

/** One loop of the nest: its variable, which tensor axis it runs over, and its length. */
export interface LoopAxisSpec {
  /** i, j, k, … */
  readonly letter: string;
  readonly from: 'F' | 'X';
  /** 0-based axis of F or X. */
  readonly axis: number;
  readonly size: number;
  /** The dimension as written: a symbolic name ("m") or the declared number ("3"). */
  readonly dim: string;
}

/** Everything the panel needs to draw the loops and grids; entries come separately, on demand. */
export interface LoopSpec {
  /** Changes whenever the host builds a new loop model; entries carry it. */
  readonly id: number;
  readonly layout: Layout;
  /** Outermost first: the result axes in the layout's order. */
  readonly loops: readonly LoopAxisSpec[];
  /** Number of entries (the product of the loop sizes); the Step slider runs 0..steps. */
  readonly steps: number;
  readonly fDims: readonly number[];
  readonly xDims: readonly number[];
  /** The derivative's dims in the layout's order (= the loop sizes). */
  readonly resultDims: readonly number[];
  /** "for i = 1..m:", …, "compute ∂a_i/∂X_jk" */
  readonly pseudocode: readonly string[];
  /** Unicode names: F (a name, or the expression) and the variable. */
  readonly fName: string;
  readonly xName: string;
  /** Whether fName is a single name (else it is shown in parentheses). */
  readonly fAtomic: boolean;
  /** Seed of the sample point the values are taken at. */
  readonly seed: number;
  /** Concrete sizes used for the symbolic dims. */
  readonly sizes: Readonly<Record<string, number>>;
  /** The symbolic size names of F and X, which the panel lets you edit (1..64). */
  readonly symbolic: readonly string[];
}

/** One entry of the derivative: where it is, its symbolic partial and its value at the sample point. */
export interface LoopEntryData {
  /** 0-based entry index; slider step s shows entry s − 1. */
  readonly step: number;
  /** 1-based value of each loop variable. */
  readonly indices: readonly number[];
  /** 1-based positions in F and X. */
  readonly fPosition: readonly number[];
  readonly xPosition: readonly number[];
  /** e.g. ∂a_1/∂X_{12} */
  readonly partial: MathText;
  /** e.g. 2 X_{11}, or 0 */
  readonly symbolic: MathText;
  /** The value at the sample point; null when it is not a finite number. */
  readonly value: number | null;
}

export type ToWebview =
  | { readonly type: 'update'; readonly model: PanelModel }
  | { readonly type: 'empty'; readonly message: string }
  | { readonly type: 'loop'; readonly loop: LoopSpec }
  | { readonly type: 'loopUnavailable'; readonly message: string }
  | { readonly type: 'loopEntries'; readonly id: number; readonly entries: readonly LoopEntryData[] };

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'setLayout'; readonly layout: Layout }
  | { readonly type: 'copyLatex' }
  | { readonly type: 'insertBelow' }
  /** Asks for the entries around entry index `step` of loop model `id`. */
  | { readonly type: 'loopStep'; readonly id: number; readonly step: number }
  /** A new sample point (new seed) for the values. */
  | { readonly type: 'reseed' }
  /** Panel-local sizes for symbolic dims, each an integer in 1..64. */
  | { readonly type: 'setSizes'; readonly sizes: Readonly<Record<string, number>> };

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
    case 'reseed':
      return Object.keys(x).length === 1 ? { type: 'reseed' } : null;
    case 'setLayout':
      return isLayoutValue(x.layout) && Object.keys(x).length === 2 ? { type: 'setLayout', layout: x.layout } : null;
    case 'loopStep':
      return Object.keys(x).length === 3 && isCount(x.id) && isCount(x.step) && Number.isSafeInteger(x.step) ? { type: 'loopStep', id: x.id, step: x.step } : null;
    case 'setSizes': {
      if (Object.keys(x).length !== 2) return null;
      const sizes = parseSizes(x.sizes, LOOP_LIMITS.maxSize);
      return sizes ? { type: 'setSizes', sizes } : null;
    }
    default:
      return null;
  }
}

function isMathText(x: unknown): x is MathText {
  return isRecord(x) && typeof x.latex === 'string' && typeof x.text === 'string';
}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** A size name: a short identifier-like string (no markup, no prototype keys). */
export function isSizeName(x: unknown): x is string {
  return (
    typeof x === 'string' &&
    x.length >= 1 &&
    x.length <= LOOP_LIMITS.maxNameLength &&
    /^[\p{L}\p{N}_'{}\\^]+$/u.test(x) &&
    x !== '__proto__' &&
    x !== 'constructor' &&
    x !== 'prototype'
  );
}

/** `{ name: integer in 1..max }` with at most maxSizeNames names, or null. */
export function parseSizes(x: unknown, max: number): Record<string, number> | null {
  if (!isRecord(x)) return null;
  const keys = Object.keys(x);
  if (keys.length > LOOP_LIMITS.maxSizeNames) return null;
  const out: Record<string, number> = {};
  for (const k of keys) {
    const v = x[k];
    if (!isSizeName(k) || typeof v !== 'number' || !Number.isInteger(v) || v < LOOP_LIMITS.minSize || v > max) return null;
    out[k] = v;
  }
  return out;
}

const isDims = (x: unknown): x is number[] =>
  Array.isArray(x) && x.length <= LOOP_LIMITS.maxRank && x.every((d) => isCount(d) && d >= 1 && d <= LOOP_LIMITS.maxAxis);

const isStringArray = (x: unknown, max: number, maxLength = 400): x is string[] =>
  Array.isArray(x) && x.length <= max && x.every((s) => typeof s === 'string' && s.length <= maxLength);

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

function isLoopAxis(x: unknown): x is LoopAxisSpec {
  return (
    isRecord(x) &&
    typeof x.letter === 'string' &&
    x.letter.length >= 1 &&
    x.letter.length <= 4 &&
    (x.from === 'F' || x.from === 'X') &&
    isCount(x.axis) &&
    isCount(x.size) &&
    x.size >= 1 &&
    x.size <= LOOP_LIMITS.maxAxis &&
    typeof x.dim === 'string' &&
    x.dim.length <= LOOP_LIMITS.maxNameLength
  );
}

/** A loop spec whose parts agree with each other (sizes, axes, steps), or null. */
export function parseLoopSpec(x: unknown): LoopSpec | null {
  if (!isRecord(x)) return null;
  const { loops, fDims, xDims, resultDims } = x;
  if (!isCount(x.id) || !isLayoutValue(x.layout) || !Array.isArray(loops) || !isDims(fDims) || !isDims(xDims) || !isDims(resultDims)) return null;
  if (loops.length > LOOP_LIMITS.maxRank || !loops.every(isLoopAxis)) return null;
  const axes = loops as LoopAxisSpec[];
  if (axes.length !== fDims.length + xDims.length || resultDims.length !== axes.length) return null;
  // Every axis of F and of X is run over by exactly one loop, with its size.
  for (const [from, dims] of [['F', fDims], ['X', xDims]] as const) {
    const mine = axes.filter((l) => l.from === from);
    if (mine.length !== dims.length) return null;
    for (let a = 0; a < dims.length; a++) {
      const l = mine.filter((m) => m.axis === a);
      if (l.length !== 1 || l[0]!.size !== dims[a]) return null;
    }
  }
  if (!axes.every((l, t) => resultDims[t] === l.size)) return null;
  const steps = product(resultDims);
  if (!Number.isSafeInteger(steps) || x.steps !== steps) return null;
  if (!isStringArray(x.pseudocode, LOOP_LIMITS.maxPseudocodeLines) || x.pseudocode.length !== axes.length + 1) return null;
  if (typeof x.fName !== 'string' || x.fName.length > 400 || typeof x.xName !== 'string' || x.xName.length > 100 || typeof x.fAtomic !== 'boolean') return null;
  if (!isCount(x.seed) || x.seed > LOOP_LIMITS.maxSeed) return null;
  const sizes = parseSizes(x.sizes, LOOP_LIMITS.maxAxis);
  if (!sizes || !isStringArray(x.symbolic, LOOP_LIMITS.maxSizeNames) || !x.symbolic.every((n) => isSizeName(n) && n in sizes)) return null;
  return {
    id: x.id,
    layout: x.layout,
    loops: axes.map((l) => ({ letter: l.letter, from: l.from, axis: l.axis, size: l.size, dim: l.dim })),
    steps,
    fDims,
    xDims,
    resultDims,
    pseudocode: x.pseudocode,
    fName: x.fName,
    xName: x.xName,
    fAtomic: x.fAtomic,
    seed: x.seed,
    sizes,
    symbolic: x.symbolic,
  };
}

/** Entries as the host sends them: shape-checked (lengths, ranges) but not against a spec (see `entryFits`). */
export function parseLoopEntries(x: unknown): LoopEntryData[] | null {
  if (!Array.isArray(x) || x.length > LOOP_LIMITS.maxEntries) return null;
  const out: LoopEntryData[] = [];
  const positions = (p: unknown): p is number[] => Array.isArray(p) && p.length <= LOOP_LIMITS.maxRank && p.every((v) => isCount(v) && v >= 1 && v <= LOOP_LIMITS.maxAxis);
  for (const e of x) {
    if (!isRecord(e) || !isCount(e.step) || !Number.isSafeInteger(e.step)) return null;
    if (!positions(e.indices) || !positions(e.fPosition) || !positions(e.xPosition)) return null;
    if (!isMathText(e.partial) || !isMathText(e.symbolic)) return null;
    if (e.partial.latex.length > 2000 || e.symbolic.latex.length > 4000) return null;
    if (!(e.value === null || (typeof e.value === 'number' && Number.isFinite(e.value)))) return null;
    out.push({
      step: e.step,
      indices: e.indices,
      fPosition: e.fPosition,
      xPosition: e.xPosition,
      partial: { latex: e.partial.latex, text: e.partial.text },
      symbolic: { latex: e.symbolic.latex, text: e.symbolic.text },
      value: e.value,
    });
  }
  return out;
}

/** Whether an entry belongs to `spec`: its step is in range and its indices agree with the loops. */
export function entryFits(spec: LoopSpec, e: LoopEntryData): boolean {
  if (e.step >= spec.steps || e.indices.length !== spec.loops.length) return false;
  if (e.fPosition.length !== spec.fDims.length || e.xPosition.length !== spec.xDims.length) return false;
  let flat = 0;
  for (let t = 0; t < spec.loops.length; t++) {
    const l = spec.loops[t]!;
    const v = e.indices[t]!;
    if (v > l.size) return false;
    if ((l.from === 'F' ? e.fPosition[l.axis] : e.xPosition[l.axis]) !== v) return false;
    flat = flat * l.size + (v - 1);
  }
  return flat === e.step;
}

function isBinding(x: unknown): x is PanelBinding {
  return isRecord(x) && isMathText(x.name) && (x.matrix === null || isMathText(x.matrix)) && isRecord(x.index) && isMathText(x.index.lhs) && isMathText(x.index.rhs);
}

/** Validates a message from the extension (the webview trusts nothing either). */
export function parseToWebview(x: unknown): ToWebview | null {
  if (!isRecord(x)) return null;
  if (x.type === 'empty') return typeof x.message === 'string' ? { type: 'empty', message: x.message } : null;
  if (x.type === 'loopUnavailable') return typeof x.message === 'string' && Object.keys(x).length === 2 ? { type: 'loopUnavailable', message: x.message } : null;
  if (x.type === 'loop') {
    const loop = parseLoopSpec(x.loop);
    return loop ? { type: 'loop', loop } : null;
  }
  if (x.type === 'loopEntries') {
    const entries = parseLoopEntries(x.entries);
    return entries && isCount(x.id) ? { type: 'loopEntries', id: x.id, entries } : null;
  }
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
    Array.isArray(m.where) &&
    m.where.length <= MAX_BINDINGS &&
    m.where.every(isBinding) &&
    isRecord(m.shape) &&
    typeof m.shape.tensor === 'string' &&
    (m.shape.matrix === null || typeof m.shape.matrix === 'string') &&
    typeof m.shape.description === 'string' &&
    Array.isArray(m.messages) &&
    m.messages.every((s) => typeof s === 'string');
  return ok ? { type: 'update', model: m as unknown as PanelModel } : null;
}
