// Side panel, host side: builds real panel models with buildPanelModel
// (src/panel/view-model.ts) — analysis, derivative, printing, numeric check
// and element partials — measures the message size and a JSON round trip
// (roughly what postMessage's structured clone costs), and KaTeX's
// renderToString of every LaTeX string in the model (a DOM-free reference).
// Writes the models for bench/panel-browser.mjs, which renders them in
// Chromium. With --happy-dom (when Chromium is missing) it also renders them
// with the webview's PanelApp in happy-dom — much slower than a browser DOM.
//   node panel.cjs [--quick] [--large=N] [--models-out=path]

import { writeFileSync } from 'node:fs';
import katex from 'katex';
import { buildPanelModel } from '../../src/panel/view-model';
import type { PanelModel } from '../../src/panel/protocol';
import { KATEX_OPTIONS } from '../../src/webview/math';
import { emit, flag, option, summarise } from './stats';

const quick = flag('quick');
const large = Number(option('large') ?? 64);

const CASES: { id: string; text: string }[] = [
  { id: 'xT A x (symbolic n)', text: "x: R^n; A: R^{n×n}\nd/dx (x' A x)" },
  { id: 'MLP 2 layers (symbolic)', text: 'x: R^n; W1: R^{n×n}; W2: R^{n×n}; y: R^n\nz1 = W1 x\na1 = sigmoid(z1)\nz2 = W2 a1\na2 = sigmoid(z2)\nL = sum((a2 - y).^2)\nd/dW1 L' },
  { id: 'sin(A x), 3×3 entries', text: 'x: R^3; A: R^{3×3}\nd/dx sin(A x)' },
  { id: 'sigmoid(A x), 16×16 entries', text: 'x: R^16; A: R^{16×16}\nd/dx sigmoid(A x)' },
  { id: `A X by X, (${large},${large},${large},${large})`, text: `A: R^{${large}×${large}}; X: R^{${large}×${large}}\nd/dX (A X)` },
];

function latexStrings(m: PanelModel): string[] {
  const out = [m.request.latex, ...m.declarations.map((d) => d.latex)];
  if (m.matrix) out.push(m.matrix.latex);
  out.push(`${m.index.lhs.latex} = ${m.index.rhs.latex}`);
  for (const e of m.elements?.entries ?? []) out.push(e.partial.latex, e.value.latex);
  return out;
}

/** Repeats `fn` until `budgetMs` is spent (at least once, at most `max`); the first run is a warm-up unless it alone exceeds the budget. */
function adaptive(fn: () => void, budgetMs: number, max: number): number[] {
  const t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  if (first > budgetMs) return [first];
  const out: number[] = [];
  let spent = 0;
  while (out.length < max && (spent < budgetMs || out.length < 1)) {
    const s = performance.now();
    fn();
    const dt = performance.now() - s;
    out.push(dt);
    spent += dt;
  }
  return out;
}

const budget = quick ? 500 : 3000;
const models: { id: string; model: PanelModel }[] = [];
for (const c of CASES) {
  const note = `\`\`\`tensor\n${c.text}\n\`\`\`\n`;
  const input = { text: note, languageId: 'markdown', uri: 'file:///bench.md', version: 1, layout: 'numerator' as const, offset: note.length - 6 };
  let model: PanelModel | { empty: string } = { empty: 'not built' };
  const buildMs = adaptive(() => {
    model = buildPanelModel(input);
  }, budget, quick ? 5 : 20);
  const m = model as PanelModel | { empty: string };
  if ('empty' in m) {
    emit({ type: 'panel', id: c.id, error: m.empty });
    continue;
  }
  models.push({ id: c.id, model: m });
  const message = { type: 'update', model: m };
  const json = JSON.stringify(message);
  const cloneMs = adaptive(() => JSON.parse(JSON.stringify(message)), budget / 5, 50);
  const strings = latexStrings(m);
  const katexMs = adaptive(() => {
    for (const s of strings) katex.renderToString(s, { ...KATEX_OPTIONS, displayMode: true });
  }, budget, 20);
  emit({
    type: 'panel',
    id: c.id,
    build: summarise(buildMs),
    messageBytes: json.length,
    clone: summarise(cloneMs),
    elements: m.elements ? { dims: m.elements.dims, entries: m.elements.entries.length, truncated: m.elements.truncated } : null,
    check: m.check,
    latexStrings: strings.length,
    katexRenderToString: summarise(katexMs),
  });
}
const out = option('models-out');
if (out) writeFileSync(out, JSON.stringify(models));

async function renderWithHappyDom(): Promise<void> {
  const { Window } = await import('happy-dom');
  const { PanelApp } = await import('../../src/webview/app');
  for (const { id, model } of models) {
    const window = new Window({ url: 'https://webview.bench/' });
    const document = window.document as unknown as Document;
    document.write('<!DOCTYPE html><html lang="en"><head></head><body><main id="app"></main></body></html>');
    (globalThis as { document?: unknown }).document = document;
    const app = new PanelApp(document.getElementById('app')!, { postMessage() {}, getState: () => undefined, setState() {} });
    let version = 2;
    const renderMs = adaptive(() => {
      app.receive({ type: 'update', model: { ...model, source: { ...model.source, version: version++ } } });
    }, budget, 10);
    emit({ type: 'panel-happy-dom', id, render: summarise(renderMs), katexNodes: document.querySelectorAll('.katex').length });
    await window.happyDOM.close();
  }
}

if (flag('happy-dom')) void renderWithHappyDom();
