// Loop visualisation of a (64, 64, 64, 64) derivative: ∂(A X)/∂X with
// A, X ∈ ℝ^{64×64}. Opening = buildPanelLoop (analysis, derivative, loop
// model; no entry is computed); a step = the window of entries the host sends
// for one `loopStep` message (LOOP_WINDOW either side); also the raw cost of
// one element (elementOf + printing + value) at ~1000 random positions. The
// 16.7 million entries are never materialised.

import { existsSync } from 'node:fs';
import { analyzeDocument, documentRequests } from '../../src/documents/document-analysis';
import { deriveRequest } from '../../src/engine/derive/derive';
import { elementOf } from '../../src/engine/ir/element';
import { printIndex } from '../../src/engine/print/render';
import { LOOP_WINDOW } from '../../src/panel/protocol';
import { buildPanelLoop } from '../../src/panel/view-model';
import { emit, flag, rng, summarise } from './stats';

const quick = flag('quick');
const N = 64;
const text = `\`\`\`tensor\nA: R^{${N}×${N}}; X: R^{${N}×${N}}\nd/dX (A X)\n\`\`\`\n`;
const offset = text.indexOf('d/dX') + 2;
const input = { text, languageId: 'markdown', uri: 'file:///loop.md', version: 1, layout: 'numerator' as const, offset };

/** Heap in use after a full collection (bench/run.mjs runs this file with --expose-gc), in MB. */
const heapMB = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};
const heapBefore = heapMB();

// Opening: cold (analysis included) and with the extension's cached analysis.
const openCold: number[] = [];
const openCached: number[] = [];
let loop = null as ReturnType<typeof buildPanelLoop> | null;
for (let r = 0; r < (quick ? 3 : 10) + 1; r++) {
  const t0 = performance.now();
  const l = buildPanelLoop({ ...input, text: `${text}${' '.repeat(r)}` }); // a new text defeats the last-analysis cache
  const t1 = performance.now();
  const analyzed = analyzeDocument(text, 'markdown', 'numerator', { claims: false });
  const t2 = performance.now();
  loop = buildPanelLoop({ ...input, analyzed });
  const t3 = performance.now();
  if (r === 0) continue;
  openCold.push(t1 - t0);
  openCached.push(t3 - t2);
  if ('unavailable' in l) throw new Error(l.unavailable);
}
if (!loop || 'unavailable' in loop) throw new Error(loop ? loop.unavailable : 'no loop');
const steps = loop.spec.steps;

const t0 = performance.now();
loop.entry(0); // the first entry also draws the sample point
const firstEntry = performance.now() - t0;

const random = rng(1);
const perEntry: number[] = [];
const perStep: number[] = [];
const windows = quick ? 10 : 30;
for (let w = 0; w < windows; w++) {
  const step = Math.floor(random() * steps);
  const from = Math.max(0, step - LOOP_WINDOW);
  const to = Math.min(steps, step + LOOP_WINDOW + 1);
  const s0 = performance.now();
  for (let s = from; s < to; s++) {
    const e0 = performance.now();
    loop.entry(s);
    perEntry.push(performance.now() - e0);
  }
  perStep.push(performance.now() - s0);
}
// Playing: consecutive steps, one entry each.
const play: number[] = [];
for (let s = 1000; s < 1000 + (quick ? 100 : 500); s++) {
  const e0 = performance.now();
  loop.entry(s);
  play.push(performance.now() - e0);
}

// What an open loop holds after ~1,500 entries were shown: its model, the analysis, the sample point.
const heapHeld = heapMB() - heapBefore;
const measuredWithGc = typeof (globalThis as { gc?: unknown }).gc === 'function';

// The raw element: elementOf (+ printing), at ~1000 random positions.
const first = documentRequests(analyzeDocument(text, 'markdown', 'numerator', { claims: false }))[0]!;
const outcome = deriveRequest(first.analysis, first.request);
if (!outcome.ok) throw new Error(outcome.diagnostic.message);
const d = outcome.derived;
const element: number[] = [];
const elementPrinted: number[] = [];
const dims = d.axes.map((a) => d.space.dim(a) as number);
for (let k = 0; k < (quick ? 200 : 1000); k++) {
  const position = dims.map((n) => Math.floor(random() * n));
  const e0 = performance.now();
  const node = elementOf(d.node, d.axes, position, d.space);
  const e1 = performance.now();
  printIndex(node, [], 'latex');
  printIndex(node, [], 'unicode');
  const e2 = performance.now();
  element.push(e1 - e0);
  elementPrinted.push(e2 - e0);
}

emit({
  type: 'loop',
  loopModel: existsSync('src/panel/loop-model.ts'),
  dims: loop.spec.resultDims,
  steps,
  openCold: summarise(openCold),
  openCached: summarise(openCached),
  firstEntry,
  entry: summarise(perEntry),
  step: summarise(perStep),
  stepEntries: 2 * LOOP_WINDOW + 1,
  play: summarise(play),
  elementOf: summarise(element),
  elementOfPrinted: summarise(elementPrinted),
  allEntriesEstimateS: (summarise(perEntry).median * steps) / 1000,
  heapHeldMB: measuredWithGc ? heapHeld : null,
});
