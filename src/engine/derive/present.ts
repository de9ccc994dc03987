// Presentation of a derivative: matrix notation (when one exists) in the form
// that is right for the layout — A vs Aᵀ, row vs column — and index notation
// (always), each as LaTeX and Unicode.

import type { Analysis } from '../analyze';
import { derivativeMatrixShape } from '../shape/layout';
import { fromIndex, withSymmetry, type MExpr } from '../print/matrix-expr';
import { printIndex, printMatrix, type Style } from '../print/render';
import type { Derived } from './derive';

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
  const latexIndex = printIndex(derived.node, derived.axes, 'latex');
  const textIndex = printIndex(derived.node, derived.axes, 'unicode');
  return {
    matrix: m ? { latex: print('latex'), text: print('unicode') } : null,
    index: { latex: latexIndex.text, text: textIndex.text, indices: textIndex.lhsIndices },
  };
}
