// The layout-convention switch: an ARIA radio group (WAI-ARIA APG pattern) with
// roving tabindex. Arrow keys move and select, Home/End jump, Space/Enter and
// clicks select. Selecting calls `onSelect` at once (optimistic UI).

import { LAYOUT_VALUES } from '../panel/protocol';
import type { Layout } from '../engine/shape/layout';
import { h } from './dom';

const LABELS: Record<Layout, { label: string; title: string }> = {
  numerator: { label: 'Numerator', title: 'Jacobian formulation: ∂(Ax)/∂x = A; gradients are rows' },
  denominator: { label: 'Denominator', title: 'Gradient formulation: the transpose of numerator layout; gradients are columns' },
  mixed: { label: 'Mixed', title: 'PyTorch jacobian order: gradients shaped like the variable' },
};

export class LayoutToggle {
  readonly node: HTMLElement;
  private readonly radios = new Map<Layout, HTMLElement>();
  private current: Layout;

  constructor(
    doc: Document,
    initial: Layout,
    private readonly onSelect: (layout: Layout) => void,
  ) {
    this.current = initial;
    const label = h(doc, 'span', { className: 'group-label', text: 'Layout convention', attrs: { id: 'layout-label' } });
    const group = h(doc, 'div', { className: 'segmented', attrs: { role: 'radiogroup', 'aria-labelledby': 'layout-label' } });
    for (const layout of LAYOUT_VALUES) {
      const radio = h(doc, 'div', {
        className: 'radio',
        text: LABELS[layout].label,
        attrs: { role: 'radio', 'data-layout': layout, title: LABELS[layout].title },
      });
      radio.addEventListener('click', () => this.select(layout, false));
      radio.addEventListener('keydown', (e) => this.onKey(e, layout));
      this.radios.set(layout, radio);
      group.appendChild(radio);
    }
    this.node = h(doc, 'div', { className: 'layout-toggle' }, [label, group]);
    this.show(initial);
  }

  get value(): Layout {
    return this.current;
  }

  /** Shows `layout` as checked without reporting it (e.g. when the extension says so). */
  show(layout: Layout): void {
    this.current = layout;
    for (const [l, radio] of this.radios) {
      const checked = l === layout;
      radio.setAttribute('aria-checked', String(checked));
      radio.tabIndex = checked ? 0 : -1;
    }
  }

  private select(layout: Layout, focus: boolean): void {
    const changed = layout !== this.current;
    this.show(layout);
    if (focus) this.radios.get(layout)!.focus();
    if (changed) this.onSelect(layout);
  }

  private onKey(e: KeyboardEvent, from: Layout): void {
    const i = LAYOUT_VALUES.indexOf(from);
    const n = LAYOUT_VALUES.length;
    let next: Layout | undefined;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = LAYOUT_VALUES[(i + 1) % n];
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = LAYOUT_VALUES[(i - 1 + n) % n];
        break;
      case 'Home':
        next = LAYOUT_VALUES[0];
        break;
      case 'End':
        next = LAYOUT_VALUES[n - 1];
        break;
      case ' ':
      case 'Enter':
        next = from;
        break;
      default:
        return;
    }
    e.preventDefault();
    this.select(next!, true);
  }
}
