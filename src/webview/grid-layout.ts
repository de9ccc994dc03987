// How a tensor of any rank is laid out on the page, shared by the DOM and
// canvas grids: a scalar is one cell, a vector a strip (a row or a column), a
// matrix a matrix, and higher ranks a grid of matrix slices over the last two
// axes, like the seed notebook's stacks of matrices: rank 3 puts its slices
// side by side (wrapping into a near-square block when there are many), rank 4
// is an (a × b) grid of (c × d) slices, and rank ≥ 5 folds the leading axes
// into the grid's rows and columns.
//
// Invariant: pure and O(rank); slice k sits at outer row ⌊k / outerCols⌋,
// column k mod outerCols, and the flat (row-major) index of a cell is
// k·sliceRows·sliceCols + row·sliceCols + col — so a prefix of entries fills
// whole slices, then whole rows, then part of a row.

export type Orientation = 'row' | 'column';

export interface GridLayout {
  readonly dims: readonly number[];
  /** Cells per slice, down and across. */
  readonly sliceRows: number;
  readonly sliceCols: number;
  /** Number of slices (the product of the leading dims) and their arrangement. */
  readonly slices: number;
  readonly outerRows: number;
  readonly outerCols: number;
  /** Dims of the leading (slice-selecting) axes. */
  readonly leading: readonly number[];
  readonly cells: number;
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

export function gridLayout(dims: readonly number[], orientation: Orientation = 'column'): GridLayout {
  const cells = product(dims);
  if (dims.length === 0) return { dims, sliceRows: 1, sliceCols: 1, slices: 1, outerRows: 1, outerCols: 1, leading: [], cells };
  if (dims.length === 1) {
    const n = dims[0]!;
    return orientation === 'row'
      ? { dims, sliceRows: 1, sliceCols: n, slices: 1, outerRows: 1, outerCols: 1, leading: [], cells }
      : { dims, sliceRows: n, sliceCols: 1, slices: 1, outerRows: 1, outerCols: 1, leading: [], cells };
  }
  const sliceRows = dims[dims.length - 2]!;
  const sliceCols = dims[dims.length - 1]!;
  const leading = dims.slice(0, -2);
  const slices = product(leading);
  let outerRows: number;
  let outerCols: number;
  if (leading.length === 0) {
    outerRows = outerCols = 1;
  } else if (leading.length === 1) {
    outerCols = slices <= 4 ? slices : Math.ceil(Math.sqrt(slices));
    outerRows = Math.ceil(slices / outerCols);
  } else {
    const half = Math.floor(leading.length / 2);
    outerRows = product(leading.slice(0, half));
    outerCols = product(leading.slice(half));
  }
  return { dims, sliceRows, sliceCols, slices, outerRows, outerCols, leading, cells };
}

export interface CellPlace {
  readonly slice: number;
  readonly outerRow: number;
  readonly outerCol: number;
  readonly row: number;
  readonly col: number;
}

/** Where the cell with row-major index `flat` is drawn. */
export function placeCell(layout: GridLayout, flat: number): CellPlace {
  const size = layout.sliceRows * layout.sliceCols;
  const slice = Math.floor(flat / size);
  const within = flat - slice * size;
  const row = Math.floor(within / layout.sliceCols);
  return { slice, outerRow: Math.floor(slice / layout.outerCols), outerCol: slice % layout.outerCols, row, col: within - row * layout.sliceCols };
}

/** The row-major index of the cell at (slice, row, col). */
export function cellIndex(layout: GridLayout, slice: number, row: number, col: number): number {
  return (slice * layout.sliceRows + row) * layout.sliceCols + col;
}

/** 1-based leading indices of slice `k` (the position of its [.., :, :]). */
export function sliceIndices(layout: GridLayout, k: number): number[] {
  const out = new Array<number>(layout.leading.length);
  let rest = k;
  for (let a = layout.leading.length - 1; a >= 0; a--) {
    out[a] = (rest % layout.leading[a]!) + 1;
    rest = Math.floor(rest / layout.leading[a]!);
  }
  return out;
}

/** Pixel geometry of a layout at a cell size, for the canvas. */
export interface Geometry {
  readonly cell: number;
  readonly gap: number;
  readonly sliceW: number;
  readonly sliceH: number;
  readonly width: number;
  readonly height: number;
}

/** Gap between slices at a cell size: a cell's worth, within 1..10 px (none when there are too many slices to show gaps). */
export function gapFor(layout: GridLayout, cell: number, viewWidth: number): number {
  if (layout.slices <= 1) return 0;
  if ((layout.outerCols - 1) * 1 > viewWidth / 3) return 0;
  return Math.max(1, Math.min(10, Math.round(cell * 0.6)));
}

export function geometry(layout: GridLayout, cell: number, viewWidth: number): Geometry {
  const gap = gapFor(layout, cell, viewWidth);
  const sliceW = layout.sliceCols * cell;
  const sliceH = layout.sliceRows * cell;
  return {
    cell,
    gap,
    sliceW,
    sliceH,
    width: layout.outerCols * sliceW + (layout.outerCols - 1) * gap,
    height: layout.outerRows * sliceH + (layout.outerRows - 1) * gap,
  };
}

/** The largest cell size (≤ maxCell) at which the whole layout fits in width × height. */
export function fitCell(layout: GridLayout, width: number, height: number, maxCell: number): number {
  const across = layout.outerCols * layout.sliceCols;
  const down = layout.outerRows * layout.sliceRows;
  let cell = Math.min(maxCell, width / across, height / down);
  // The gaps depend on the cell size; two refinements settle it.
  for (let i = 0; i < 2; i++) {
    const gap = gapFor(layout, cell, width);
    cell = Math.min(maxCell, (width - (layout.outerCols - 1) * gap) / across, (height - (layout.outerRows - 1) * gap) / down);
  }
  return Math.max(cell, 0.01);
}

/** The top-left pixel of a cell. */
export function cellOrigin(g: Geometry, place: CellPlace): { x: number; y: number } {
  return { x: place.outerCol * (g.sliceW + g.gap) + place.col * g.cell, y: place.outerRow * (g.sliceH + g.gap) + place.row * g.cell };
}

/** The cell under pixel (x, y), or null over a gap or outside. */
export function cellAt(layout: GridLayout, g: Geometry, x: number, y: number): number | null {
  if (x < 0 || y < 0 || x >= g.width || y >= g.height) return null;
  const oc = Math.floor(x / (g.sliceW + g.gap));
  const or = Math.floor(y / (g.sliceH + g.gap));
  const col = Math.floor((x - oc * (g.sliceW + g.gap)) / g.cell);
  const row = Math.floor((y - or * (g.sliceH + g.gap)) / g.cell);
  if (col >= layout.sliceCols || row >= layout.sliceRows || oc >= layout.outerCols || or >= layout.outerRows) return null;
  const slice = or * layout.outerCols + oc;
  if (slice >= layout.slices) return null;
  return cellIndex(layout, slice, row, col);
}
