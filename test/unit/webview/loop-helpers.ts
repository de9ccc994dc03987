// Loop specs and entries for webview tests, built by the real host code
// (src/panel/view-model buildPanelLoop) from small tensor sources, and passed
// through JSON as postMessage would.

import { strict as assert } from 'node:assert';
import type { Layout } from '../../../src/engine/shape/layout';
import type { LoopEntryData, LoopSpec } from '../../../src/panel/protocol';
import { buildPanelLoop, type PanelLoop } from '../../../src/panel/view-model';

/** The seed notebook's vector-by-matrix example: a ∈ ℝ², X ∈ ℝ^{2×2}, a₁ = X₁₁ + 2X₁₂, a₂ = 3X₂₁ + 4X₂₂. */
export const VECTOR_BY_MATRIX = ['```tensor', 'X: R^{2×2}', 'a: R^2', 'a_1 = X_{11} + 2 X_{12}', 'a_2 = 3 X_{21} + 4 X_{22}', 'da/dX', '```', ''].join('\n');
export const SCALAR_BY_VECTOR = ['```tensor', 'v: R^n; u: R^n', 's = v^T u', 'ds/dv', '```', ''].join('\n');
export const LARGE = ['```tensor', 'X: R^{64×64}; A: R^{64×64}', 'd/dX (A X)', '```', ''].join('\n');

export interface RealLoop {
  readonly spec: LoopSpec;
  readonly loop: PanelLoop;
  /** Entries [from, to) as the host would send them. */
  entries(from: number, to: number): LoopEntryData[];
}

let ids = 100;

export function realLoop(text: string, layout: Layout = 'mixed', options: { sizes?: Record<string, number>; seed?: number; id?: number } = {}): RealLoop {
  // The request is the line starting "d…/d…".
  const offset = text.search(/^d\w*\/d/m);
  assert.ok(offset >= 0, 'a request line');
  const loop = buildPanelLoop({ text, languageId: 'markdown', uri: 'file:///loops.md', version: 1, layout, offset, sizes: options.sizes, seed: options.seed });
  assert.ok(!('unavailable' in loop), 'unavailable' in loop ? loop.unavailable : '');
  const spec = JSON.parse(JSON.stringify({ ...loop.spec, id: options.id ?? ++ids })) as LoopSpec;
  return {
    spec,
    loop,
    entries(from, to) {
      const out: LoopEntryData[] = [];
      for (let s = from; s < Math.min(to, spec.steps); s++) out.push(loop.entry(s));
      return JSON.parse(JSON.stringify(out)) as LoopEntryData[];
    },
  };
}

export const loopMessage = (spec: LoopSpec) => ({ type: 'loop', loop: spec });
export const entriesMessage = (id: number, entries: readonly LoopEntryData[]) => ({ type: 'loopEntries', id, entries });
