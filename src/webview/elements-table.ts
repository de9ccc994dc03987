// The entries of a small concrete derivative as a table, summarised like
// numpy prints large arrays: long axes show their first and last few indices
// with an ellipsis between, and never more than MAX_TYPESET_CELLS partials are
// typeset (each is a KaTeX render).

import type { PanelElement, PanelModel } from '../panel/protocol';
import { h } from './dom';
import { equation, type MathRenderer } from './math';

export const MAX_TYPESET_CELLS = 300;
const EDGE_ITEMS = [3, 2, 1];

type Elements = NonNullable<PanelModel['elements']>;
/** A shown index along one axis (1-based), or null for the ellipsis. */
type Slot = number | null;

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

function axisSlots(n: number, edge: number | null): Slot[] {
  const all = Array.from({ length: n }, (_, i) => i + 1);
  if (edge === null || n <= 2 * edge + 1) return all;
  return [...all.slice(0, edge), null, ...all.slice(n - edge)];
}

/** The indices shown along each axis: everything when small, else first/last `edge` items. */
export function summarise(dims: readonly number[], maxCells = MAX_TYPESET_CELLS): Slot[][] {
  if (product(dims) <= maxCells) return dims.map((n) => axisSlots(n, null));
  let slots: Slot[][] = [];
  for (const edge of EDGE_ITEMS) {
    slots = dims.map((n) => axisSlots(n, edge));
    if (product(slots.map((s) => s.filter((x) => x !== null).length)) <= maxCells) break;
  }
  return slots;
}

function cartesian(axes: readonly Slot[][]): Slot[][] {
  return axes.reduce<Slot[][]>((acc, axis) => acc.flatMap((prefix) => axis.map((s) => [...prefix, s])), [[]]);
}

const key = (position: readonly number[]): string => position.join(',');

interface Ctx {
  readonly doc: Document;
  readonly render: MathRenderer;
  readonly byPosition: ReadonlyMap<string, PanelElement>;
  budget: number;
  typeset: number;
  missing: number;
}

function cell(ctx: Ctx, position: readonly Slot[], axisOfEllipsis: 'row' | 'col' | 'both' | null): HTMLTableCellElement {
  const { doc } = ctx;
  if (axisOfEllipsis) {
    const glyph = axisOfEllipsis === 'row' ? '⋮' : axisOfEllipsis === 'col' ? '⋯' : '⋱';
    return h(doc, 'td', { className: 'ellipsis', text: glyph, attrs: { 'aria-label': 'omitted entries' } });
  }
  const pos = position as number[];
  const entry = ctx.byPosition.get(key(pos));
  if (!entry) {
    ctx.missing++;
    return h(doc, 'td', { className: 'missing', text: '–', attrs: { title: `entry (${pos.join(', ')}) not computed` } });
  }
  if (ctx.budget <= 0) return h(doc, 'td', { className: 'ellipsis', text: '…', attrs: { 'aria-label': 'omitted entry' } });
  ctx.budget--;
  ctx.typeset++;
  const td = h(doc, 'td', { className: 'entry' });
  const math = h(doc, 'span', { className: 'math' });
  ctx.render(math, equation(entry.partial, entry.value), false);
  td.appendChild(math);
  return td;
}

function indexHeader(doc: Document, slot: Slot, scope: 'col' | 'row'): HTMLTableCellElement {
  return slot === null
    ? h(doc, 'th', { className: 'ellipsis', text: scope === 'col' ? '⋯' : '⋮', attrs: { scope, 'aria-label': 'omitted' } })
    : h(doc, 'th', { text: String(slot), attrs: { scope } });
}

/** A 2-D table over the last two axes (rows × cols), the leading positions fixed by `prefix`. */
function table2d(ctx: Ctx, prefix: readonly Slot[], rows: readonly Slot[], cols: readonly Slot[], caption: string): HTMLTableElement {
  const { doc } = ctx;
  const table = h(doc, 'table', { className: 'elements' }, [h(doc, 'caption', { text: caption })]);
  const head = h(doc, 'tr', {}, [h(doc, 'td', { className: 'corner' })]);
  for (const c of cols) head.appendChild(indexHeader(doc, c, 'col'));
  table.appendChild(h(doc, 'thead', {}, [head]));
  const body = h(doc, 'tbody');
  for (const r of rows) {
    const tr = h(doc, 'tr', {}, [indexHeader(doc, r, 'row')]);
    for (const c of cols) {
      const ell = r === null && c === null ? 'both' : r === null ? 'row' : c === null ? 'col' : null;
      tr.appendChild(cell(ctx, [...prefix, r, c], ell));
    }
    body.appendChild(tr);
  }
  table.appendChild(body);
  return table;
}

/** A rank-1 result as a single row (row vector) or single column. */
function table1d(ctx: Ctx, slots: readonly Slot[], horizontal: boolean, caption: string): HTMLTableElement {
  const { doc } = ctx;
  const table = h(doc, 'table', { className: 'elements' }, [h(doc, 'caption', { text: caption })]);
  const body = h(doc, 'tbody');
  if (horizontal) {
    const head = h(doc, 'tr', {}, slots.map((s) => indexHeader(doc, s, 'col')));
    const tr = h(doc, 'tr', {}, slots.map((s) => cell(ctx, [s], s === null ? 'col' : null)));
    table.appendChild(h(doc, 'thead', {}, [head]));
    body.appendChild(tr);
  } else {
    for (const s of slots) body.appendChild(h(doc, 'tr', {}, [indexHeader(doc, s, 'row'), cell(ctx, [s], s === null ? 'row' : null)]));
  }
  table.appendChild(body);
  return table;
}

export interface ElementsView {
  readonly node: HTMLElement;
  /** How many partials were typeset. */
  readonly typeset: number;
}

/**
 * Renders the entries. `horizontal` lays a rank-1 result out as a row (use it
 * for 1×n matrix shapes).
 */
export function renderElements(doc: Document, elements: Elements, render: MathRenderer, horizontal = false, maxCells = MAX_TYPESET_CELLS): ElementsView {
  const { dims } = elements;
  const byPosition = new Map(elements.entries.map((e) => [key(e.position), e] as const));
  const ctx: Ctx = { doc, render, byPosition, budget: maxCells, typeset: 0, missing: 0 };
  const wrap = h(doc, 'div', { className: 'elements-wrap' });
  const total = product(dims);
  const dimsText = dims.length === 0 ? 'scalar' : dims.join('×');
  const slots = summarise(dims, maxCells);

  if (dims.length === 0) {
    const entry = byPosition.get('');
    const p = h(doc, 'p', { className: 'entry' });
    if (entry) {
      ctx.typeset++;
      render(p, equation(entry.partial, entry.value), false);
    } else p.textContent = '–';
    wrap.appendChild(p);
  } else if (dims.length === 1) {
    wrap.appendChild(table1d(ctx, slots[0]!, horizontal, `Entries (${dimsText})`));
  } else {
    const lead = slots.slice(0, -2);
    const rows = slots[dims.length - 2]!;
    const cols = slots[dims.length - 1]!;
    for (const prefix of cartesian(lead)) {
      if (prefix.includes(null)) {
        // One marker per run of omitted slices.
        const last = wrap.lastElementChild;
        if (!last?.classList.contains('slice-ellipsis')) wrap.appendChild(h(doc, 'p', { className: 'slice-ellipsis', text: '⋮', attrs: { 'aria-label': 'omitted slices' } }));
        continue;
      }
      const label = dims.length === 2 ? `Entries (${dimsText})` : `Entries [${[...prefix, ':', ':'].join(', ')}] of ${dimsText}`;
      wrap.appendChild(table2d(ctx, prefix, rows, cols, label));
    }
  }

  const shown = ctx.typeset;
  const notes: string[] = [];
  if (shown < total) notes.push(`Showing ${shown} of ${total} entries.`);
  if (elements.truncated || ctx.missing > 0) notes.push('Some entries were not computed.');
  if (notes.length) wrap.appendChild(h(doc, 'p', { className: 'note', text: notes.join(' ') }));
  return { node: wrap, typeset: shown };
}
