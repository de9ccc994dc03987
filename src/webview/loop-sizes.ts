// The loop section's settings: a small number input per symbolic size name
// (validated 1..64 before anything is sent; declared sizes are fixed), and the
// sample point's seed with a Reseed button.

import { LOOP_LIMITS, type LoopSpec } from '../panel/protocol';
import { h } from './dom';

/** A whole number in 1..64, or null. */
export function parseSizeInput(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return Number.isInteger(n) && n >= LOOP_LIMITS.minSize && n <= LOOP_LIMITS.maxSize ? n : null;
}

export class SizesForm {
  readonly node: HTMLElement;
  private readonly fieldset: HTMLFieldSetElement;
  private readonly inputsBox: HTMLElement;
  private readonly error: HTMLElement;
  private readonly seedText: HTMLElement;
  private readonly inputs = new Map<string, HTMLInputElement>();
  private spec: LoopSpec | null = null;

  constructor(
    private readonly doc: Document,
    private readonly onSizes: (sizes: Record<string, number>) => void,
    onReseed: () => void,
  ) {
    this.inputsBox = h(doc, 'span', { className: 'size-inputs' });
    this.error = h(doc, 'span', { className: 'field-error', attrs: { id: 'loop-sizes-error', 'aria-live': 'polite' } });
    this.fieldset = h(doc, 'fieldset', { className: 'loop-sizes' }, [h(doc, 'legend', { text: 'Sizes' }), this.inputsBox, this.error]);
    this.seedText = h(doc, 'span', { className: 'seed-text', attrs: { id: 'loop-seed' } });
    const reseed = h(doc, 'button', { className: 'secondary', text: 'Reseed', attrs: { type: 'button', id: 'loop-reseed', title: 'Pick a new random sample point', 'aria-describedby': 'loop-seed' } });
    reseed.addEventListener('click', onReseed);
    const seed = h(doc, 'span', { className: 'loop-seed' }, [this.seedText, reseed]);
    this.node = h(doc, 'div', { className: 'loop-settings' }, [this.fieldset, seed]);
  }

  setSpec(spec: LoopSpec): void {
    this.spec = spec;
    this.seedText.textContent = `Sample point: seed ${spec.seed}`;
    this.fieldset.hidden = spec.symbolic.length === 0;
    const names = spec.symbolic.join('\u0000');
    const shown = [...this.inputs.keys()].join('\u0000');
    if (names !== shown) {
      // New names: rebuild. Same names: update values, but never under the user's cursor.
      this.inputsBox.textContent = '';
      this.inputs.clear();
      for (const name of spec.symbolic) {
        const input = h(this.doc, 'input', {
          className: 'size-input',
          attrs: { type: 'number', min: String(LOOP_LIMITS.minSize), max: String(LOOP_LIMITS.maxSize), step: '1', inputmode: 'numeric', 'data-size': name, 'aria-describedby': 'loop-sizes-error' },
        });
        input.addEventListener('change', () => this.submit(input, name));
        const label = h(this.doc, 'label', { className: 'size-field' }, [h(this.doc, 'span', { className: 'size-name', text: name }), input]);
        this.inputs.set(name, input);
        this.inputsBox.appendChild(label);
      }
    }
    for (const [name, input] of this.inputs) {
      if (this.doc.activeElement !== input || input.getAttribute('aria-invalid') !== 'true') input.value = String(spec.sizes[name] ?? '');
      if (this.doc.activeElement !== input) input.removeAttribute('aria-invalid');
    }
    if (![...this.inputs.values()].some((i) => i.getAttribute('aria-invalid') === 'true')) this.error.textContent = '';
  }

  private submit(input: HTMLInputElement, name: string): void {
    const spec = this.spec;
    if (!spec) return;
    const value = parseSizeInput(input.value);
    if (value === null) {
      input.setAttribute('aria-invalid', 'true');
      this.error.textContent = `${name} must be a whole number from ${LOOP_LIMITS.minSize} to ${LOOP_LIMITS.maxSize}.`;
      return;
    }
    input.removeAttribute('aria-invalid');
    this.error.textContent = '';
    const sizes: Record<string, number> = {};
    for (const [n, i] of this.inputs) sizes[n] = n === name ? value : (parseSizeInput(i.value) ?? spec.sizes[n]!);
    if (spec.symbolic.every((n) => sizes[n] === spec.sizes[n])) return;
    this.onSizes(sizes);
  }
}
