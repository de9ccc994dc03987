// Side panel in a real browser: loads dist/webview.js in headless Chromium
// (the machine's /usr/bin/chromium via playwright-core, as the e2e tests do)
// with the panel's HTML shell, KaTeX's stylesheet and the panel stylesheet,
// then times, inside the page, an `update` message event → DOM built (the
// handler is synchronous) → style and layout done (a forced reflow) → every
// entry in the viewport typeset (entries are typeset when they come into
// view, in animation frames), with the longest frame until then.
//   node bench/panel-browser.mjs MODELS.json [--quick]
// Prints one JSON line per model.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchBrowser } from '../scripts/vscode/browser.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modelsPath = process.argv[2];
const quick = process.argv.includes('--quick');
const models = JSON.parse(readFileSync(modelsPath, 'utf8'));

const styles = [join(root, 'dist/katex/katex.min.css'), join(root, 'media/panel.css')].filter(existsSync);
const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
${styles.map((s) => `<link rel="stylesheet" href="${pathToFileURL(s)}">`).join('\n')}
<title>Derivative</title></head>
<body><main id="app" aria-label="Derivative"></main>
<script src="${pathToFileURL(join(root, 'dist/webview.js'))}"></script></body></html>`;
const page0 = join(root, 'bench/results/panel.html');
writeFileSync(page0, html);

const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.acquireVsCodeApi = () => ({ postMessage() {}, getState: () => undefined, setState() {} });
  });
  await page.goto(pathToFileURL(page0).href);
  await page.waitForSelector('#app .toolbar, #app button', { timeout: 20_000 });
  await page.evaluate(() => document.fonts.ready);
  for (const { id, model } of models) {
    const result = await page.evaluate(
      async ({ model, reps, budgetMs }) => {
        const built = [];
        const laidOut = [];
        const visibleReady = [];
        const longestFrame = [];
        let spent = 0;
        // Entries are typeset when they come into view (src/webview/lazy-math.ts): how long until
        // none in the viewport is still plain text, and the longest frame meanwhile.
        // In view: inside the window vertically and inside the table's scroll box horizontally
        // (a wide table scrolls sideways; the cells beyond its right edge are not seen).
        const pendingInView = () =>
          [...document.querySelectorAll('#app .typesetting')].some((el) => {
            const r = el.getBoundingClientRect();
            const box = el.closest('.elements-wrap')?.getBoundingClientRect() ?? { left: 0, right: innerWidth };
            return r.bottom > 0 && r.top < innerHeight && r.right > box.left && r.left < box.right;
          });
        for (let r = 0; r <= reps; r++) {
          const data = { type: 'update', model: { ...model, source: { ...model.source, version: 1000 + r } } };
          const t0 = performance.now();
          window.dispatchEvent(new MessageEvent('message', { data }));
          const t1 = performance.now();
          void document.body.offsetHeight; // style + layout now
          const t2 = performance.now();
          let last = t2;
          let worst = t2 - t0;
          let ready = pendingInView() ? null : t2 - t0;
          for (let f = 0; ready === null && f < 600; f++) {
            const now = await new Promise((done) => requestAnimationFrame(done));
            worst = Math.max(worst, now - last);
            last = now;
            if (!pendingInView()) ready = performance.now() - t0;
          }
          await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
          if (r === 0) continue; // warm-up (fonts, JIT)
          built.push(t1 - t0);
          laidOut.push(t2 - t0);
          visibleReady.push(ready ?? NaN);
          longestFrame.push(worst);
          spent += t2 - t0;
          if (spent > budgetMs && built.length >= 2) break;
        }
        const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN; };
        const max = (xs) => Math.max(...xs);
        return {
          n: built.length,
          domMedian: med(built),
          domMax: max(built),
          layoutMedian: med(laidOut),
          layoutMax: max(laidOut),
          visibleReadyMedian: med(visibleReady),
          longestFrameMedian: med(longestFrame),
          stillText: document.querySelectorAll('#app .typesetting').length,
          katexNodes: document.querySelectorAll('#app .katex').length,
          elements: document.querySelectorAll('#app *').length,
        };
      },
      { model, reps: quick ? 3 : 10, budgetMs: quick ? 1000 : 4000 },
    );
    process.stdout.write(`${JSON.stringify({ type: 'panel-browser', id, ...result, errors: errors.splice(0) })}\n`);
  }
} finally {
  await browser.close();
}
