// Typesetting for the side panel. KaTeX is the only producer of markup in the
// panel, and it builds DOM nodes itself (no HTML strings), so the strict CSP
// (no 'unsafe-inline') holds: KaTeX sets styles through CSSOM, which CSP allows.
//
// Invariant: untrusted LaTeX is rendered with `trust: false` and bounded
// expansion/size; if KaTeX still fails, the Unicode text is shown as text.

import katex from 'katex';
import type { MathText } from '../panel/protocol';

export const KATEX_OPTIONS = {
  throwOnError: false,
  trust: false,
  maxExpand: 1000,
  maxSize: 20,
  strict: 'ignore',
  output: 'htmlAndMathml',
} as const;

/** Typesets `math` into `el` (replacing its content). */
export type MathRenderer = (el: HTMLElement, math: MathText, display: boolean) => void;

export const renderMath: MathRenderer = (el, math, display) => {
  try {
    katex.render(math.latex, el, { ...KATEX_OPTIONS, displayMode: display });
  } catch {
    el.textContent = math.text;
  }
};

/** `a = b` as one piece of math. */
export function equation(lhs: MathText, rhs: MathText): MathText {
  return { latex: `${lhs.latex} = ${rhs.latex}`, text: `${lhs.text} = ${rhs.text}` };
}
