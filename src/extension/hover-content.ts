// Hover text for a tensor expression: plain Unicode math in markdown, because
// VS Code hovers cannot run KaTeX. Pure (no vscode import) so it is unit-tested.

import type { HoverTarget } from '../documents/document-analysis';
import type { DerivativeInfo } from '../documents/derivative-info';
import type { Presentation } from '../engine/derive/present';
import type { Layout } from '../engine/shape/layout';
import { core } from './core';

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text}${ticks}`;
}

/** A `command:` link; the hover enables only this command. */
export function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))} "${title}")`;
}

/** A hover shows this many named sub-expressions; the panel shows them all. */
export const HOVER_BINDINGS = 8;

/** "where t₁ = …" lines for the bindings the form shown refers to (matrix form, else index form). */
function whereLines(p: Presentation): string[] {
  const definitions = p.matrix
    ? p.where.flatMap((w) => (w.matrix ? [`${w.name} = ${w.matrix.text}`] : []))
    : p.where.map((w) => `${w.index.lhs.text} = ${w.index.text}`);
  const shown = definitions.slice(0, HOVER_BINDINGS).map((d, k) => `${k === 0 ? 'where' : '     '} ${d}`);
  const more = definitions.length - shown.length;
  return more > 0 ? [...shown, `      … ${more} more (Show Derivative lists them all)`] : shown;
}

/**
 * e.g. "`A x` : ℝᵐ — vector (m)" plus the declaration it came from; over a
 * derivative request also its result (Unicode, code-fenced), shapes, the
 * numeric check and a link to the panel.
 */
export function hoverMarkdown(target: HoverTarget, layout: Layout, info?: DerivativeInfo, showLink?: string): string {
  const s = target.shape;
  const dims = s.dims.length === 0 ? '' : ` (${core().formatShape(s)})`;
  const lines = [`${code(target.text)} : ${core().formatSpace(s)} — ${core().describeKind(s)}${dims}`];
  if (target.derivative) {
    const m = info?.matrixShape ?? (s.dims.length <= 2 ? core().matrixShapeText(s) : null);
    lines.push('', `Derivative in ${layout} layout: shape (${s.dims.join(', ')})${m ? `, matrix ${m}` : ''}.`);
    const p = info?.presentation;
    if (p) {
      const body = p.matrix ? `= ${p.matrix.text}` : `[${p.index.indices.join(',')}] = ${p.index.text}`;
      lines.push('', '```text', body, ...whereLines(p), '```');
      if (p.matrix) lines.push(`Entry: \`[${p.index.indices.join(',')}] = ${p.index.text}\``);
    }
    if (info?.check) {
      lines.push('', info.check.ok
        ? `✓ Matches central finite differences (max relative error ${info.check.maxRelError.toExponential(1)}, seed ${info.check.seed}).`
        : `⚠ Differs from finite differences (max relative error ${info.check.maxRelError.toExponential(1)}, seed ${info.check.seed}).`);
    } else if (info?.problem) {
      lines.push('', `⚠ ${info.problem}`);
    }
    if (showLink) lines.push('', showLink);
  }
  if (target.declaration && target.declaration.text !== target.text) {
    lines.push('', `Declared by ${code(target.declaration.text)}`);
  }
  return lines.join('\n');
}

/**
 * Thousands separators (12,345). Not `toLocaleString`/`Intl.NumberFormat`: each
 * builds a formatter from locale data (3 ms per call in a hover; 19 ms when
 * built while the bundle loads).
 */
const count = (n: number): string => String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The hover while the regions before the hovered one are still being analysed (a long note, just edited). */
export function pendingHoverMarkdown(analysed: number, regions: number): string {
  return `**Tensor Derivatives** is still analysing this note (${count(analysed)} of ${count(regions)} regions); hover again in a moment.`;
}
