// Presentation of a derivative: matrix notation (when one exists) in the form
// that is right for the layout — A vs Aᵀ, row vs column — and index notation
// (always), each as LaTeX and Unicode.

import type { Analysis } from '../analyze';
import { derivativeMatrixShape } from '../shape/layout';
import { fromIndex, withSymmetry, type MExpr } from '../print/matrix-expr';
import { printIndex, printMatrix, type Style } from '../print/render';
import type { Derived } from './derive';
import { elementOf } from '../ir/element';
import type { MExpr as M } from '../print/matrix-expr';

function usesUnitVectors(e: M): boolean {
  const json = JSON.stringify(e);
  return json.includes('"t":"unit"');
}

/**
 * For concrete sizes of rank ≤ 2, the explicit matrix of symbolic entries
 * ([[2v₁, 0], [1, 1], [0, cos v₂]]), which is how notes write derivatives of
 * componentwise definitions. Null when sizes are symbolic or too large.
 */
export function explicitMatrix(derived: Derived, row: boolean): { latex: string; text: string } | null {
  const dims = derived.axes.map((a) => derived.space.dim(a));
  if (dims.length > 2 || dims.some((d) => typeof d !== 'number')) return null;
  const sizes = dims as number[];
  if (sizes.reduce((a, b) => a * b, 1) > 64) return null;
  const entry = (pos: number[], style: Style) => printIndex(elementOf(derived.node, derived.axes, pos, derived.space), [], style).text;
  const rows = sizes.length === 0 ? [[[] as number[]]] : sizes.length === 1 ? (row ? [Array.from({ length: sizes[0]! }, (_, j) => [j])] : Array.from({ length: sizes[0]! }, (_, i) => [[i]])) : Array.from({ length: sizes[0]! }, (_, i) => Array.from({ length: sizes[1]! }, (_, j) => [i, j]));
  // Entries that are themselves sums over indices are no clearer than index notation.
  const all = rows.flat().map((pos) => entry(pos, 'unicode'));
  if (all.some((t) => t.includes('Σ') || t.includes('δ'))) return null;
  if (sizes.length === 0) return null;
  const latex = `\\begin{bmatrix} ${rows.map((r) => r.map((pos) => entry(pos, 'latex')).join(' & ')).join(' \\\\ ')} \\end{bmatrix}`;
  const text = `[${rows.map((r) => (r.length === 1 && !row ? entry(r[0]!, 'unicode') : `[${r.map((pos) => entry(pos, 'unicode')).join(', ')}]`)).join(', ')}]`;
  return { latex, text };
}

export interface Presentation {
  /** Matrix notation, or null when the result has no matrix form (rank ≥ 3, or no product pattern). */
  readonly matrix: { readonly latex: string; readonly text: string } | null;
  /** Index notation of one entry: `[∂f/∂x]_i = …`. */
  readonly index: { readonly latex: string; readonly text: string; readonly indices: readonly string[] };
}

export function matrixForm(analysis: Analysis, derived: Derived): MExpr | null {
  const { node, axes } = derived;
  if (axes.length === 0) return fromIndex(node, null, null);
  if (axes.length === 1) {
    const r = derived.request;
    const m = r.node.order === 1 ? derivativeMatrixShape(r.of, r.wrtShapes[0]!, analysis.layout) : null;
    const row = m !== null && m[0] === 1 && m[1] !== 1;
    return row ? fromIndex(node, null, axes[0]!) : fromIndex(node, axes[0]!, null);
  }
  if (axes.length === 2) return fromIndex(node, axes[0]!, axes[1]!);
  return null;
}

export function present(analysis: Analysis, derived: Derived): Presentation {
  const symmetric = new Set<string>();
  for (const v of analysis.elaboration.variables.values()) {
    if (v.modifiers.includes('symmetric') || v.modifiers.includes('spd')) symmetric.add(v.id);
  }
  const raw = matrixForm(analysis, derived);
  const m = raw && withSymmetry(raw, symmetric);
  const print = (style: Style) => printMatrix(m!, { style, symmetric });
  const r = derived.request;
  const rowResult = r.node.order === 1 && (() => {
    const shape = derivativeMatrixShape(r.of, r.wrtShapes[0]!, analysis.layout);
    return shape !== null && shape[0] === 1 && shape[1] !== 1;
  })();
  const explicit = (!m || usesUnitVectors(m)) && derived.axes.length <= 2 ? explicitMatrix(derived, rowResult) : null;
  const latexIndex = printIndex(derived.node, derived.axes, 'latex');
  const textIndex = printIndex(derived.node, derived.axes, 'unicode');
  return {
    matrix: explicit ?? (m ? { latex: print('latex'), text: print('unicode') } : null),
    index: { latex: latexIndex.text, text: textIndex.text, indices: textIndex.lhsIndices },
  };
}
