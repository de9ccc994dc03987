// Tensor shapes and their notation.
//
// Invariants:
// - A shape is a list of dims (numbers or symbolic size names); rank = length.
// - Rank-1 shapes carry an orientation: vectors are columns unless `row` is
//   true (a transposed vector). Orientation is meaningless for other ranks and
//   is always false there.
// - Shapes are immutable plain data. `shape()` hands out one shared, frozen
//   object per distinct small shape (see INTERNED), so callers never mutate
//   a shape or its dims (they copy).

export type Dim = number | string;

export interface Shape {
  readonly dims: readonly Dim[];
  /** Only for rank 1: true for a row vector (a transposed column). */
  readonly row: boolean;
}

export const SCALAR: Shape = Object.freeze({ dims: Object.freeze([]) as readonly Dim[], row: false });

/**
 * One shape object per distinct shape of rank ≤ 3, up to INTERN_LIMIT of
 * them. A long note's analyses hold a shape for every term of every
 * definition and every declared variable: 200,000 copies of a few dozen
 * distinct shapes (`n`, `n×n`, `m×n`) were a sixth of the objects the
 * extension host's garbage collector had to trace on a 5 MB note. Keys tag
 * numeric dims (`#3`) so that the size 3 and a size named "3" stay apart.
 */
const INTERNED = new Map<string, Shape>();
const INTERN_LIMIT = 4096;

function internKey(dims: readonly Dim[], row: boolean): string {
  let key = row ? 'r' : 'c';
  for (const d of dims) key += typeof d === 'number' ? `\u0000#${d}` : `\u0000${d}`;
  return key;
}

export function shape(dims: readonly Dim[], row = false): Shape {
  const orientedRow = dims.length === 1 ? row : false;
  if (dims.length === 0) return SCALAR;
  if (dims.length > 3) return { dims: [...dims], row: orientedRow };
  const key = internKey(dims, orientedRow);
  const hit = INTERNED.get(key);
  if (hit) return hit;
  const made: Shape = Object.freeze({ dims: Object.freeze([...dims]), row: orientedRow });
  if (INTERNED.size < INTERN_LIMIT) INTERNED.set(key, made);
  return made;
}

export function rank(s: Shape): number {
  return s.dims.length;
}

export function isScalar(s: Shape): boolean {
  return s.dims.length === 0;
}

export function isVector(s: Shape): boolean {
  return s.dims.length === 1;
}

export function isMatrix(s: Shape): boolean {
  return s.dims.length === 2;
}

export function dimEquals(a: Dim, b: Dim): boolean {
  return a === b;
}

export function shapeEquals(a: Shape, b: Shape): boolean {
  return a.dims.length === b.dims.length && a.row === b.row && a.dims.every((d, i) => d === b.dims[i]);
}

export function formatDim(d: Dim): string {
  return String(d);
}

/**
 * Compact shape text used in diagnostics and hovers: `scalar`, `n` (column),
 * `1×n` (row), `m×n`, `2×3×4`.
 */
export function formatShape(s: Shape): string {
  if (s.dims.length === 0) return 'scalar';
  if (s.dims.length === 1) return s.row ? `1×${formatDim(s.dims[0]!)}` : formatDim(s.dims[0]!);
  return s.dims.map(formatDim).join('×');
}

/** Matrix-shape text (rows×columns) for rank ≤ 2: `1×1`, `n×1`, `1×n`, `m×n`; null otherwise. */
export function matrixShapeText(s: Shape): string | null {
  if (s.dims.length === 0) return '1×1';
  if (s.dims.length === 1) return s.row ? `1×${formatDim(s.dims[0]!)}` : `${formatDim(s.dims[0]!)}×1`;
  if (s.dims.length === 2) return `${formatDim(s.dims[0]!)}×${formatDim(s.dims[1]!)}`;
  return null;
}

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ', f: 'ᶠ', g: 'ᵍ', h: 'ʰ', i: 'ⁱ', j: 'ʲ', k: 'ᵏ', l: 'ˡ', m: 'ᵐ',
  n: 'ⁿ', o: 'ᵒ', p: 'ᵖ', r: 'ʳ', s: 'ˢ', t: 'ᵗ', u: 'ᵘ', v: 'ᵛ', w: 'ʷ', x: 'ˣ', y: 'ʸ', z: 'ᶻ',
  A: 'ᴬ', B: 'ᴮ', D: 'ᴰ', E: 'ᴱ', G: 'ᴳ', H: 'ᴴ', I: 'ᴵ', J: 'ᴶ', K: 'ᴷ', L: 'ᴸ', M: 'ᴹ', N: 'ᴺ', O: 'ᴼ',
  P: 'ᴾ', R: 'ᴿ', T: 'ᵀ', U: 'ᵁ', V: 'ⱽ', W: 'ᵂ', '×': 'ˣ', _: '',
};

/** `ℝᵐˣⁿ` style, falling back to `ℝ^(m×n)` when a dim has no superscript form. */
export function formatSpace(s: Shape): string {
  if (s.dims.length === 0) return 'ℝ';
  const text = s.dims.map(formatDim).join('×');
  const sup = [...text].map((ch) => SUPERSCRIPT[ch]);
  if (sup.every((x) => x !== undefined)) return `ℝ${sup.join('')}`;
  return `ℝ^(${text})`;
}

/** A word for the kind of tensor: scalar, column vector, row vector, matrix, 3-tensor. */
export function describeKind(s: Shape): string {
  switch (s.dims.length) {
    case 0:
      return 'scalar';
    case 1:
      return s.row ? 'row vector' : 'vector';
    case 2:
      return 'matrix';
    default:
      return `${s.dims.length}-tensor`;
  }
}
