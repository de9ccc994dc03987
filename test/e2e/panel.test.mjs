// What a user does with the side panel in the real VS Code: hover a derivative request and
// read its shape, run "Show Derivative" from the command palette, read the rendered result
// and shape in the panel, toggle the layout and see both change; screenshots in the dark
// (default) and light themes.
import assert from 'node:assert/strict';
import { workbench } from './lib/session.mjs';
import { closeAllEditors, findWebviewFrame, hoverAtText, openFile, poll, readWebviewText, runCommand, screenshot, switchTheme } from './lib/workbench.mjs';

const SHOW = 'Tensor Derivatives: Show Derivative';

async function putCursorOn(page, text) {
  const line = page.locator('.monaco-editor .view-line', { hasText: text }).first();
  await line.waitFor();
  await line.click();
  await page.keyboard.press('End');
}

async function panelFrame(page) {
  return findWebviewFrame(page, { text: 'Layout convention', timeoutMs: 20_000 }).catch(() =>
    findWebviewFrame(page, { title: 'Derivative', timeoutMs: 20_000 }),
  );
}

/** Waits until KaTeX's fonts are in, so screenshots show the typeset math. */
async function fontsReady(frame) {
  await frame.evaluate(() => document.fonts.ready.then(() => true));
}

async function panelText(frame, includes) {
  return poll(`the panel to show "${includes}"`, async () => {
    const text = await readWebviewText(frame, '#content').catch(() => '');
    return text.includes(includes) ? text : undefined;
  }, { timeoutMs: 20_000 });
}

describe('the derivative side panel (default light theme)', () => {
  let page;

  before(async () => {
    ({ page } = await workbench());
    // Earlier files may leave a panel open and focused: start from a clean window.
    await closeAllEditors(page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await closeAllEditors(page);
    await switchTheme(page, 'Light Modern');
  });

  it('shows the derivative’s shape and result in a hover over the request', async () => {
    await openFile(page, 'quadratic.md');
    const hover = await hoverAtText(page, 'd/dx (x^T A x)', { offset: 1, timeoutMs: 20_000 });
    assert.match(hover, /Derivative in numerator layout: shape \(n\), matrix 1×n\./);
    assert.match(hover, /xᵀ \(A \+ Aᵀ\)/);
    assert.match(hover, /Matches central finite differences/);
    await screenshot(page, 'hover-light');
  });

  it('opens from the command palette, renders the result, and follows the layout toggle', async () => {
    await putCursorOn(page, 'd/dx (x^T A x)');
    await runCommand(page, SHOW);
    const frame = await panelFrame(page);
    const numerator = await panelText(frame, '1×n');
    assert.match(numerator, /row vector/);
    // KaTeX renders the result; its text includes the transpose and both terms.
    assert.match(numerator, /A/);
    await fontsReady(frame);
    await screenshot(page, 'panel-light-numerator');

    await frame.locator('[role="radio"][data-layout="denominator"]').click();
    const denominator = await panelText(frame, 'n×1');
    assert.match(denominator, /column vector/);
    assert.equal(await frame.locator('[role="radio"][data-layout="denominator"]').getAttribute('aria-checked'), 'true');
    assert.equal(await frame.getByRole('radiogroup', { name: 'Layout convention' }).count(), 1);
    await fontsReady(frame);
    await screenshot(page, 'panel-light-denominator');
  });

  it('shows named shared sub-expressions ("where t₁ = …") in the hover and the panel', async () => {
    await closeAllEditors(page);
    await openFile(page, 'network.md');
    const hover = await hoverAtText(page, 'd/dW1 loss', { offset: 1, timeoutMs: 20_000 });
    assert.match(hover, /where t₁ = σ\(W2 σ\(W1 x\)\)/);
    assert.match(hover, /t₇ = σ\(W8 t₆\)/);
    await screenshot(page, 'hover-where-light');
    await putCursorOn(page, 'd/dW1 loss');
    await runCommand(page, SHOW);
    const frame = await panelFrame(page);
    await panelText(frame, 'where');
    assert.equal(await frame.locator('#matrix .where .katex-display').count(), 7);
    assert.equal(await frame.locator('#index .where .katex-display').count(), 7);
    await fontsReady(frame);
    await screenshot(page, 'panel-where-light');
  });

  it('typesets a 12×12 table of entries as it comes into view (plain text until then)', async () => {
    await closeAllEditors(page);
    await openFile(page, 'entries.md');
    await putCursorOn(page, 'd/dx sigmoid(A x)');
    await runCommand(page, SHOW);
    const frame = await panelFrame(page);
    await panelText(frame, 'Entries (12×12)');
    assert.equal(await frame.locator('#elements td.entry').count(), 144);
    // The first entry is in view: typeset. The last (row 12, column 12) is far below and to the
    // right: still its plain text, until it is scrolled into view.
    const first = frame.locator('#elements tbody tr').nth(0).locator('td.entry').nth(0);
    const last = frame.locator('#elements tbody tr').nth(11).locator('td.entry').nth(11);
    await poll('the first entry typeset', async () => (await first.locator('.katex').count()) === 1 || undefined, { timeoutMs: 10_000 });
    assert.equal(await last.locator('.typesetting').count(), 1);
    assert.match(await last.innerText(), /∂/);
    await last.scrollIntoViewIfNeeded();
    await poll('the last entry typeset once in view', async () => (await last.locator('.katex').count()) === 1 || undefined, { timeoutMs: 10_000 });
    assert.equal(await last.locator('.typesetting').count(), 0);
    await frame.locator('#elements .elements-wrap').evaluate((el) => el.scrollTo(0, 0));
    await frame.locator('#elements').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const rows = frame.locator('#elements tbody tr');
    for (const k of [0, 1, 2]) {
      await poll(`row ${k + 1} in view typeset`, async () => (await rows.nth(k).locator('td.entry').nth(1).locator('.katex').count()) === 1 || undefined, { timeoutMs: 10_000 });
    }
    await fontsReady(frame);
    await screenshot(page, 'panel-entries-light');
  });

  it('renders readably in the dark theme', async () => {
    await switchTheme(page, 'Dark Modern');
    // Start from a clean window: the previous test left the panel open and focused.
    await closeAllEditors(page);
    await openFile(page, 'quadratic.md');
    await hoverAtText(page, 'd/dx (x^T A x)', { offset: 1, timeoutMs: 20_000 });
    await screenshot(page, 'hover-dark');
    await putCursorOn(page, 'd/dx (x^T A x)');
    await runCommand(page, SHOW);
    const frame = await panelFrame(page);
    await panelText(frame, 'Matrix shape');
    await fontsReady(frame);
    await screenshot(page, 'panel-dark');

    // The entries table: cells still waiting for KaTeX and typeset ones both read well.
    await closeAllEditors(page);
    await openFile(page, 'entries.md');
    await putCursorOn(page, 'd/dx sigmoid(A x)');
    await runCommand(page, SHOW);
    const entries = await panelFrame(page);
    await panelText(entries, 'Entries (12×12)');
    await entries.locator('#elements').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const second = entries.locator('#elements tbody tr').nth(1).locator('td.entry').nth(1);
    await poll('the entries in view typeset', async () => (await second.locator('.katex').count()) === 1 || undefined, { timeoutMs: 10_000 });
    await fontsReady(entries);
    await screenshot(page, 'panel-entries-dark');
  });
});
