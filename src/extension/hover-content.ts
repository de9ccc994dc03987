// Hover text for a tensor expression: plain Unicode math in markdown, because
// VS Code hovers cannot run KaTeX. Pure (no vscode import) so it is unit-tested.

import type { HoverTarget } from '../documents/document-analysis';
import { describeKind, formatShape, formatSpace, matrixShapeText } from '../engine/shape/shape';
import type { Layout } from '../engine/shape/layout';

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text}${ticks}`;
}

/** e.g. "`A x` : ℝᵐ — vector (m)" plus the declaration it came from. */
export function hoverMarkdown(target: HoverTarget, layout: Layout): string {
  const s = target.shape;
  const dims = s.dims.length === 0 ? '' : ` (${formatShape(s)})`;
  const lines = [`${code(target.text)} : ${formatSpace(s)} — ${describeKind(s)}${dims}`];
  if (target.derivative) {
    const m = matrixShapeText(s);
    lines.push('', `Derivative in ${layout} layout: shape (${s.dims.join(', ')})${m && s.dims.length <= 2 ? `, matrix ${m}` : ''}.`);
  }
  if (target.declaration && target.declaration.text !== target.text) {
    lines.push('', `Declared by ${code(target.declaration.text)}`);
  }
  return lines.join('\n');
}
