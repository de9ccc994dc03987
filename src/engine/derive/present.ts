// Presentation of a derivative: matrix notation (when one exists) in the form
// that is right for the layout — A vs Aᵀ, row vs column — and index notation
// (always), each as LaTeX and Unicode.
//
// Large sub-expressions that occur more than once (print/sharing.ts) are
// printed once, as bindings "where t₁ = …", and referred to by name in both
// notations, so a deep network's derivative prints in size linear in its
// depth. Results without such sub-expressions have no bindings and print as
// they always did.

import type { Analysis } from '../analyze';
import { derivativeMatrixShape } from '../shape/layout';
import { contains, endMatrixComputation, MatrixBuilder, withSymmetry, type MExpr, type RefName } from '../print/matrix-expr';
import { namedEntry, printIndex, printMatrix, subscript, tensorNames, type IndexRefs, type Style } from '../print/render';
import { memberIndices, sharedSubexpressions, type Sharing } from '../print/sharing';
import type { Derived } from './derive';
import { elementOf } from '../ir/element';
import type { Node } from '../ir/ir';

function usesUnitVectors(e: MExpr): boolean {
  return contains(e, 'unit');
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
  // Each entry is simplified once and printed in both styles (it was simplified once per print).
  const entries = new Map<string, Node>();
  const element = (pos: number[]): Node => {
    const key = pos.join(',');
    let node = entries.get(key);
    if (!node) entries.set(key, (node = elementOf(derived.node, derived.axes, pos, derived.space)));
    return node;
  };
  const entry = (pos: number[], style: Style) => printIndex(element(pos), [], style).text;
  const rows = sizes.length === 0 ? [[[] as number[]]] : sizes.length === 1 ? (row ? [Array.from({ length: sizes[0]! }, (_, j) => [j])] : Array.from({ length: sizes[0]! }, (_, i) => [[i]])) : Array.from({ length: sizes[0]! }, (_, i) => Array.from({ length: sizes[1]! }, (_, j) => [i, j]));
  // Entries that are themselves sums over indices are no clearer than index notation.
  const all = rows.flat().map((pos) => entry(pos, 'unicode'));
  if (all.some((t) => t.includes('Σ') || t.includes('δ'))) return null;
  if (sizes.length === 0) return null;
  const latex = `\\begin{bmatrix} ${rows.map((r) => r.map((pos) => entry(pos, 'latex')).join(' & ')).join(' \\\\ ')} \\end{bmatrix}`;
  // In the language a comma list is a column and [[…]] a matrix, so a row vector is
  // written as the transpose of its column ([[a, b]] would be a 1×2 matrix), and a
  // matrix brackets every row, even of one entry ([a, b] would be a column).
  const unicode = (pos: number[]) => entry(pos, 'unicode');
  const text =
    sizes.length === 1
      ? `[${rows.flat().map(unicode).join(', ')}]${row ? 'ᵀ' : ''}`
      : `[${rows.map((r) => `[${r.map(unicode).join(', ')}]`).join(', ')}]`;
  return { latex, text };
}

export interface Presentation {
  /** Matrix notation, or null when the result has no matrix form (rank ≥ 3, or no product pattern). */
  readonly matrix: { readonly latex: string; readonly text: string } | null;
  /** Index notation of one entry: `[∂f/∂x]_i = …`. */
  readonly index: { readonly latex: string; readonly text: string; readonly indices: readonly string[] };
  /** Named sub-expressions used by `matrix` and `index`, each after those it uses; empty for most results. */
  readonly where: readonly Binding[];
}

/** A named sub-expression: `name = matrix`, and entrywise `name[indices] = index`. */
export interface Binding {
  /** The name in Unicode, e.g. "t₁" (the language reads it as t_1). */
  readonly name: string;
  /** The name in LaTeX, e.g. "t_{1}". */
  readonly latexName: string;
  /** Its value in matrix notation (right-hand side only), or null when the matrix form shown does not use the name. */
  readonly matrix: { readonly latex: string; readonly text: string } | null;
  /**
   * One entry in index notation: `lhs` names it as references elsewhere do,
   * t₁[a,b] (LaTeX [t_{1}]_{ab}); `latex`/`text` are its value; `indices` are its
   * index letters, rows then columns.
   */
  readonly index: {
    readonly lhs: { readonly latex: string; readonly text: string };
    readonly latex: string;
    readonly text: string;
    readonly indices: readonly string[];
  };
}

export function matrixForm(analysis: Analysis, derived: Derived, builder = new MatrixBuilder()): MExpr | null {
  const { node, axes } = derived;
  if (axes.length === 0) return builder.of(node, null, null);
  if (axes.length === 1) {
    const r = derived.request;
    const m = r.node.order === 1 ? derivativeMatrixShape(r.of, r.wrtShapes[0]!, analysis.layout) : null;
    const row = m !== null && m[0] === 1 && m[1] !== 1;
    return row ? builder.of(node, null, axes[0]!) : builder.of(node, axes[0]!, null);
  }
  if (axes.length === 2) return builder.of(node, axes[0]!, axes[1]!);
  return null;
}

export function present(analysis: Analysis, derived: Derived): Presentation {
  try {
    return presentWithBuilder(analysis, derived);
  } finally {
    endMatrixComputation();
  }
}

function presentWithBuilder(analysis: Analysis, derived: Derived): Presentation {
  const symmetric = new Set<string>();
  for (const v of analysis.elaboration.variables.values()) {
    if (v.modifiers.includes('symmetric') || v.modifiers.includes('spd')) symmetric.add(v.id);
  }
  const sharing = sharedSubexpressions(derived.node);
  const names = bindingNames(analysis, derived.node, sharing);
  const builder = new MatrixBuilder(names.byNode);
  const raw = matrixForm(analysis, derived, builder);
  const symmetryMemo = new Map<MExpr, MExpr>();
  const m = raw && withSymmetry(raw, symmetric, symmetryMemo);
  const printed = (e: MExpr) => ({ latex: printMatrix(e, { style: 'latex', symmetric }), text: printMatrix(e, { style: 'unicode', symmetric }) });
  const r = derived.request;
  const rowResult = r.node.order === 1 && (() => {
    const shape = derivativeMatrixShape(r.of, r.wrtShapes[0]!, analysis.layout);
    return shape !== null && shape[0] === 1 && shape[1] !== 1;
  })();
  const explicit = (!m || usesUnitVectors(m)) && derived.axes.length <= 2 ? explicitMatrix(derived, rowResult) : null;
  // The bindings of the matrix form, when it is the form shown; their axes order the index form's too.
  const definitions = new Map(sharing.named.map((n) => [n, m && !explicit ? builder.definition(n) : null]));
  const axesOf = (representative: Node) => definitions.get(representative)?.axes ?? representative.free;
  const refs: IndexRefs | undefined = sharing.named.length === 0 ? undefined : {
    names: new Map([...names.byNode].map(([n, name]) => [n, { name: name.name, latex: name.latex, axes: memberIndices(sharing, name.of, n, axesOf(name.of)) }])),
    reserved: names.reserved,
  };
  const latexIndex = printIndex(derived.node, derived.axes, 'latex', refs);
  const textIndex = printIndex(derived.node, derived.axes, 'unicode', refs);
  const where = sharing.named.map((n): Binding => {
    const { name, latex } = names.byNode.get(n)!;
    const definition = definitions.get(n);
    const indexLatex = printIndex(n, axesOf(n), 'latex', refs);
    const indexText = printIndex(n, axesOf(n), 'unicode', refs);
    return {
      name,
      latexName: latex,
      matrix: definition ? printed(withSymmetry(definition.e, symmetric, symmetryMemo)) : null,
      index: {
        lhs: { latex: namedEntry({ name, latex }, indexLatex.lhsIndices, 'latex'), text: namedEntry({ name, latex }, indexText.lhsIndices, 'unicode') },
        latex: indexLatex.text,
        text: indexText.text,
        indices: indexText.lhsIndices,
      },
    };
  });
  return {
    matrix: explicit ?? (m ? printed(m) : null),
    index: { latex: latexIndex.text, text: textIndex.text, indices: textIndex.lhsIndices },
    where,
  };
}

/** Letters for binding names, in order of preference; the first that no name in the text uses is taken. */
const BINDING_BASES: readonly { readonly unicode: string; readonly latex: string }[] = [
  ...['t', 'u', 'v', 'w', 'q', 'r', 'p', 'g', 'h', 'k'].map((b) => ({ unicode: b, latex: b })),
  { unicode: 'τ', latex: '\\tau' },
  { unicode: 'θ', latex: '\\theta' },
  { unicode: 'ξ', latex: '\\xi' },
];

/**
 * Names t₁, t₂, … for the shared nodes, with a letter that cannot be read as
 * any user name: no variable or definition is called t or t_<anything>.
 */
function bindingNames(analysis: Analysis, root: Node, sharing: Sharing): { byNode: Map<Node, RefName>; reserved: ReadonlySet<string> } {
  if (sharing.named.length === 0) return { byNode: new Map(), reserved: new Set() };
  const taken = new Set<string>(tensorNames(root));
  for (const v of analysis.elaboration.variables.values()) taken.add(v.name);
  for (const d of analysis.elaboration.definitions) taken.add(d.name);
  const clashes = (b: string) => [...taken].some((n) => n === b || n.startsWith(`${b}_`));
  const base = BINDING_BASES.find((b) => !clashes(b.unicode)) ?? BINDING_BASES[0]!;
  const byRepresentative = new Map(
    sharing.named.map((n, k): [Node, RefName] => [
      n,
      { name: `${base.unicode}${subscript(String(k + 1))}`, latex: `${base.latex}_{${k + 1}}`, of: n, indices: (member, indices) => memberIndices(sharing, n, member, indices) },
    ]),
  );
  const byNode = new Map([...sharing.group].map(([n, r]) => [n, byRepresentative.get(r)!]));
  return { byNode, reserved: new Set([...taken, base.unicode]) };
}
