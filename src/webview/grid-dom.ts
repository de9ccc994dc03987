// A small tensor (≤ DOM_GRID_LIMIT cells) as readable DOM cells: one table per
// matrix slice, slices arranged per grid-layout.ts. Updates touch only cells
// whose class or text changed.
//
// Invariants: text only through textContent; the slice arrangement is set via
// CSSOM (allowed by the panel's CSP), never a style attribute.

import { h } from './dom';
import type { GridOptions, GridState, TensorGrid } from './grid';
import { cellIndex, gridLayout, sliceIndices, type GridLayout } from './grid-layout';
import { formatValue } from './loop-math';

export class DomGrid implements TensorGrid {
  readonly node: HTMLElement;
  readonly kind = 'dom' as const;
  private readonly layout: GridLayout;
  private readonly cells: HTMLTableCellElement[] = [];
  private readonly shownClass: string[] = [];
  private readonly shownText: string[] = [];
  private state: GridState = { done: 0, current: null };

  constructor(
    doc: Document,
    private readonly options: GridOptions,
  ) {
    const layout = (this.layout = gridLayout(options.dims, options.orientation));
    const caption = h(doc, 'div', { className: 'grid-caption', text: options.label });
    const slices = h(doc, 'div', { className: 'grid-slices' });
    slices.style.gridTemplateColumns = `repeat(${layout.outerCols}, max-content)`;
    for (let k = 0; k < layout.slices; k++) {
      const table = h(doc, 'table', { className: 'grid-cells' });
      if (layout.slices > 1) {
        const text = options.sliceCaption ? options.sliceCaption(k) : `[${[...sliceIndices(layout, k), ':', ':'].join(', ')}]`;
        table.appendChild(h(doc, 'caption', { text }));
      }
      const body = h(doc, 'tbody');
      for (let r = 0; r < layout.sliceRows; r++) {
        const tr = h(doc, 'tr');
        for (let c = 0; c < layout.sliceCols; c++) {
          const flat = cellIndex(layout, k, r, c);
          const td = h(doc, 'td', { className: 'cell', attrs: { title: options.cellName(flat) } });
          this.cells[flat] = td;
          this.shownClass[flat] = 'cell';
          this.shownText[flat] = '';
          tr.appendChild(td);
        }
        body.appendChild(tr);
      }
      table.appendChild(body);
      slices.appendChild(table);
    }
    this.node = h(doc, 'div', { className: `grid dom-grid ${options.className ?? ''}`.trim(), attrs: { role: 'group', 'aria-label': options.label } }, [caption, slices]);
    this.paint();
  }

  update(state: GridState): void {
    this.state = state;
    this.paint();
  }

  refresh(): void {
    this.paint();
  }

  dispose(): void {}

  private paint(): void {
    const { done, current } = this.state;
    const { value, cellText, cellName } = this.options;
    for (let flat = 0; flat < this.layout.cells; flat++) {
      const isCurrent = flat === current;
      const isDone = flat < done;
      const cls = isCurrent ? 'cell current' : isDone ? 'cell done' : 'cell';
      let text: string;
      if (value) {
        if (isCurrent || isDone) {
          const v = value(flat);
          text = v === undefined ? '…' : formatValue(v);
        } else text = '';
      } else text = cellText ? cellText(flat) : '';
      const td = this.cells[flat]!;
      if (cls !== this.shownClass[flat]) {
        td.className = cls;
        if (isCurrent) td.setAttribute('aria-current', 'true');
        else td.removeAttribute('aria-current');
        this.shownClass[flat] = cls;
      }
      if (text !== this.shownText[flat]) {
        td.textContent = text;
        this.shownText[flat] = text;
        if (value) td.title = text && text !== '…' ? `${cellName(flat)} = ${text}` : cellName(flat);
      }
    }
  }
}
