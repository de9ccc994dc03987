// What a user does with the per-element loop visualisation in the real VS Code: open the
// Derivative panel on the seed notebook's vector-by-matrix example, step the "Step" slider
// with the keyboard, read the highlighted loop indices and the current element, switch the
// layout and see the loops reorder, edit a symbolic size, play to the end; then
// screenshots of the notebook's cases (light theme) and of a large derivative on a canvas.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir, workbench } from './lib/session.mjs';
import { closeAllEditors, findWebviewFrame, openFile, poll, runCommand, screenshot, switchTheme } from './lib/workbench.mjs';

const SHOW = 'Tensor Derivatives: Show Derivative';
const NOTE = readFileSync(join(fixturesDir, 'workspace', 'loops.md'), 'utf8').split('\n');

/** Puts the cursor at the end of the line holding `text`, going to it with "Go to Line" (the editor renders only visible lines). */
async function putCursorOn(page, text) {
  const line = NOTE.findIndex((l) => l.includes(text)) + 1;
  assert.ok(line > 0, `"${text}" is in loops.md`);
  await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-line', { hasText: text }).first().waitFor();
  await page.keyboard.press('End');
}

async function ensureLightTheme(page) {
  if (!(await page.locator('.monaco-workbench.vs').count())) await switchTheme(page, 'Light Modern');
}

/** Text of the pseudo-code lines and of the loop-variable chips. */
async function loopState(frame) {
  return {
    code: (await frame.locator('.pseudocode .code-line code').allTextContents()).map((t) => t.trim()),
    chips: (await frame.locator('.pseudocode .loop-value').allTextContents()).filter(Boolean),
    active: (await frame.locator('.pseudocode .code-line.active code').allTextContents()).map((t) => t.trim()),
    step: await frame.locator('#loop-step').inputValue(),
  };
}

/** Waits until the current element reads `text` (e.g. "∂a₁/∂X₁₂ = 2"), from its screen-reader line. */
async function elementText(frame, text) {
  return poll(`the current element to read "${text}"`, async () => {
    const live = (await frame.locator('#loop-live').textContent()) ?? '';
    return live.includes(text) ? live : undefined;
  }, { timeoutMs: 15_000 });
}

async function waitForCompute(frame, line) {
  return poll(`the loops to end in "${line}"`, async () => {
    const state = await loopState(frame);
    return state.code.at(-1) === line ? state : undefined;
  }, { timeoutMs: 20_000 });
}

async function showLoops(frame) {
  await frame.evaluate(() => document.fonts.ready.then(() => true));
  await frame.locator('#loop').evaluate((el) => el.scrollIntoView({ block: 'start' }));
}

describe('the loop visualisation in the Derivative panel', () => {
  let page;
  let frame;

  before(async () => {
    ({ page } = await workbench());
    await ensureLightTheme(page);
    await openFile(page, 'loops.md');
    // Earlier suites may leave the bottom panel (Output) open; the screenshots want the height.
    if (await page.locator('.part.panel').isVisible()) {
      await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+J');
      await page.locator('.part.panel').waitFor({ state: 'hidden' });
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  // The panel keeps its own layout (mixed here); later suites start from a fresh one.
  after(async () => {
    await closeAllEditors(page);
  });

  it('steps ∂a/∂X with the keyboard, highlights the indices, and reorders the loops with the layout', async () => {
    await putCursorOn(page, 'da/dX');
    await runCommand(page, SHOW);
    frame = await findWebviewFrame(page, { text: 'Layout convention', timeoutMs: 20_000 });
    const slider = frame.getByRole('slider', { name: 'Step' });
    await slider.waitFor({ timeout: 20_000 });
    assert.equal(await slider.getAttribute('max'), '8');

    // Numerator layout (the default): F's axis, then X's axes reversed.
    const numerator = await waitForCompute(frame, 'compute ∂a_i/∂X_kj');
    assert.deepEqual(numerator.code.slice(0, 3), ['for i = 1..2:', 'for j = 1..2:', 'for k = 1..2:']);
    assert.equal(numerator.step, '0');
    assert.deepEqual(numerator.active, []);
    await slider.press('ArrowRight');
    await slider.press('ArrowRight');
    await elementText(frame, '∂a₁/∂X₂₁ = 0');
    let state = await loopState(frame);
    assert.equal(state.step, '2');
    assert.deepEqual(state.chips, ['i = 1', 'j = 1', 'k = 2']);
    assert.deepEqual(state.active, ['compute ∂a_i/∂X_kj']);
    assert.equal(await frame.locator('.x-grid td.current').getAttribute('title'), 'X₂₁');
    assert.equal(await frame.locator('.f-grid td.current').getAttribute('title'), 'a₁');

    // Mixed layout (the notebook's order): the loops reorder and the same element stays current.
    await frame.locator('[role="radio"][data-layout="mixed"]').click();
    state = await waitForCompute(frame, 'compute ∂a_i/∂X_jk');
    assert.equal(state.step, '3');
    assert.deepEqual(state.chips, ['i = 1', 'j = 2', 'k = 1']);
    await elementText(frame, '∂a₁/∂X₂₁ = 0');

    await slider.press('ArrowLeft');
    await elementText(frame, '∂a₁/∂X₁₂ = 2');
    state = await loopState(frame);
    assert.deepEqual(state.chips, ['i = 1', 'j = 1', 'k = 2']);
    assert.equal(await frame.locator('.x-grid td.current').getAttribute('title'), 'X₁₂');
    assert.equal(await frame.locator('.d-grid td.done').count(), 1);
    assert.equal(await frame.locator('.d-grid td.current').textContent(), '2');
    await showLoops(frame);
    await screenshot(page, 'loop-vector-by-matrix-step-2');

    // Home, End and play to the end: every entry done, with the seed's values.
    await slider.press('Home');
    assert.equal(await slider.inputValue(), '0');
    await frame.locator('#loop-speed').selectOption('30');
    await frame.getByRole('button', { name: 'Play' }).click();
    await poll('playing to the end', async () => (await slider.inputValue()) === '8', { timeoutMs: 10_000 });
    await elementText(frame, '∂a₂/∂X₂₂ = 4');
    assert.equal(await frame.getByRole('button', { name: 'Play' }).count(), 1, 'stopped at the end');
    const values = await frame.locator('.d-grid td').allTextContents();
    assert.deepEqual(values, ['1', '2', '0', '0', '0', '0', '3', '4']);
    await showLoops(frame);
    await screenshot(page, 'loop-vector-by-matrix');
  });

  it('edits a symbolic size (validated 1..64) and rebuilds the loops', async () => {
    await putCursorOn(page, 'ds/dv');
    await waitForCompute(frame, 'compute ∂s/∂v_i');
    const n = frame.getByLabel('n', { exact: true });
    assert.equal(await n.inputValue(), '3');
    assert.equal(await frame.getByRole('slider', { name: 'Step' }).getAttribute('max'), '3');
    await n.fill('99');
    await n.press('Enter');
    await poll('the size error', async () => ((await frame.locator('#loop-sizes-error').textContent()) ?? '').includes('from 1 to 64'));
    assert.equal(await n.getAttribute('aria-invalid'), 'true');
    await n.fill('4');
    await n.press('Enter');
    await poll('4 steps', async () => (await frame.getByRole('slider', { name: 'Step' }).getAttribute('max')) === '4');
    assert.equal(await frame.locator('.pseudocode .code-line code').first().textContent(), 'for i = 1..n:');
    // Back to the notebook's n = 3 for the screenshots.
    await n.fill('3');
    await n.press('Enter');
    await poll('3 steps', async () => (await frame.getByRole('slider', { name: 'Step' }).getAttribute('max')) === '3');
  });

  it('saves light-theme screenshots of the seed notebook’s cases', async () => {
    const cases = [
      ['ds/dv', 'compute ∂s/∂v_i', 'loop-scalar-by-vector', 2],
      ['d/dM sum', 'compute ∂(sum(M ⊙ M))/∂M_ij', 'loop-scalar-by-matrix', 4],
      ['dr/dT', 'compute ∂r/∂T_ijk', 'loop-scalar-by-3-tensor', 7],
      ['da/dX', 'compute ∂a_i/∂X_jk', 'loop-vector-by-matrix-mixed', 7],
      ['dB/dY', 'compute ∂B_ij/∂Y_kl', 'loop-matrix-by-matrix', 7],
      ['dC/dS', 'compute ∂C_ij/∂S_klp', 'loop-matrix-by-3-tensor', 12],
    ];
    for (const [request, compute, name, step] of cases) {
      await putCursorOn(page, request);
      await waitForCompute(frame, compute);
      const slider = frame.getByRole('slider', { name: 'Step' });
      await slider.fill(String(step));
      await poll(`step ${step} of ${request}`, async () => (await slider.inputValue()) === String(step));
      await poll(`the element of ${request}`, async () => ((await frame.locator('.element-value').textContent()) ?? '').startsWith('Value'));
      await showLoops(frame);
      await screenshot(page, name);
    }
  });

  it('draws a large derivative on a canvas that zooms, and times the steps', async () => {
    await putCursorOn(page, 'd/dZ (W Z)');
    await waitForCompute(frame, 'compute ∂(W Z)_ij/∂Z_kl');
    assert.equal(await frame.locator('.d-grid canvas').count(), 1);
    assert.equal(await frame.locator('.d-grid td').count(), 0);
    const slider = frame.getByRole('slider', { name: 'Step' });
    assert.equal(await slider.getAttribute('max'), '4096');
    await slider.fill('700');
    for (let i = 0; i < 20; i++) await slider.press('ArrowRight');
    // Step 720 is entry 719 = (1, 3, 1, 7) zero-based in the mixed order i, j, k, l.
    await elementText(frame, '∂(W Z)₂₄/∂Z₂₈');
    const ms = await frame.locator('#loop').evaluate((el) => ({ last: Number(el.dataset.stepMs), max: Number(el.dataset.stepMsMax), p95: Number(el.dataset.stepMsP95), n: Number(el.dataset.stepsTimed) }));
    console.log(`      step render (8⁴ canvas): last ${ms.last} ms, p95 ${ms.p95} ms, max ${ms.max} ms over ${ms.n} steps`);
    await frame.getByRole('button', { name: 'Zoom in to ∂(W Z)/∂Z (8×8×8×8, mixed layout)' }).click();
    await frame.getByRole('button', { name: 'Zoom in to ∂(W Z)/∂Z (8×8×8×8, mixed layout)' }).click();
    await showLoops(frame);
    await frame.locator('.d-grid').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'loop-canvas-8x8x8x8');
  });

  it('follows the theme: the grids and highlights read well in the dark theme', async () => {
    await switchTheme(page, 'Dark Modern');
    try {
      await putCursorOn(page, 'dB/dY');
      await waitForCompute(frame, 'compute ∂B_ij/∂Y_kl');
      await frame.getByRole('slider', { name: 'Step' }).fill('7');
      await poll('the element', async () => ((await frame.locator('.element-value').textContent()) ?? '').startsWith('Value'));
      await showLoops(frame);
      await screenshot(page, 'loop-matrix-by-matrix-dark');
    } finally {
      await switchTheme(page, 'Light Modern');
    }
  });
});
