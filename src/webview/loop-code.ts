// The loop nest as pseudo-code, like the seed notebook's "Iterative Process":
// one line per loop ("for i = 1..m:") and the compute line, with the current
// value of each loop variable beside its line ("i = 2"), the compute line
// marked active once something is computed, and the lines whose variable just
// changed marked too.

import type { LoopSpec } from '../panel/protocol';
import { h } from './dom';

export class PseudoCode {
  readonly node: HTMLOListElement;
  private lines: HTMLLIElement[] = [];
  private chips: HTMLElement[] = [];
  private spec: LoopSpec | null = null;

  constructor(private readonly doc: Document) {
    this.node = h(doc, 'ol', { className: 'pseudocode', attrs: { 'aria-label': 'Iterative process' } });
  }

  setSpec(spec: LoopSpec): void {
    this.spec = spec;
    this.node.textContent = '';
    this.lines = [];
    this.chips = [];
    spec.pseudocode.forEach((text, n) => {
      const isLoop = n < spec.loops.length;
      const code = h(this.doc, 'code', { text });
      const li = h(this.doc, 'li', { className: isLoop ? 'code-line loop-line' : 'code-line compute-line', attrs: { 'data-line': String(n) } }, [code]);
      if (isLoop) {
        const chip = h(this.doc, 'span', { className: 'loop-value', attrs: { 'data-letter': spec.loops[n]!.letter } });
        li.appendChild(chip);
        this.chips.push(chip);
      }
      this.lines.push(li);
      this.node.appendChild(li);
    });
  }

  /**
   * Shows the loop variables' values (1-based; null = before the first
   * step); `previous` are the values one step earlier, to mark what changed.
   */
  show(indices: readonly number[] | null, previous: readonly number[] | null): void {
    const spec = this.spec;
    if (!spec) return;
    spec.loops.forEach((l, t) => {
      const chip = this.chips[t]!;
      const line = this.lines[t]!;
      const text = indices ? `${l.letter} = ${indices[t]}` : '';
      if (chip.textContent !== text) chip.textContent = text;
      line.classList.toggle('running', indices !== null);
      line.classList.toggle('changed', indices !== null && (previous === null || previous[t] !== indices[t]));
    });
    const compute = this.lines[spec.loops.length]!;
    compute.classList.toggle('active', indices !== null);
    if (indices) compute.setAttribute('aria-current', 'step');
    else compute.removeAttribute('aria-current');
  }

  /** The text of the active line and the chips, for tests. */
  get activeLine(): HTMLLIElement | null {
    return this.lines.find((l) => l.classList.contains('active')) ?? null;
  }
}
