// Checks the reusable helpers in lib/workbench.mjs against built-in VS Code features, so a
// later test failing on a hover or a webview points at our extension, not at the helper.
import assert from 'node:assert/strict';
import { workbench } from './lib/session.mjs';
import { closeAllEditors, findWebviewFrame, hoverAtText, openFile, readWebviewText, runCommand, screenshot } from './lib/workbench.mjs';

describe('e2e helpers', () => {
  let page;

  before(async () => {
    ({ page } = await workbench());
  });

  afterEach(async () => {
    await closeAllEditors(page);
  });

  it('hoverAtText reads the hover TypeScript shows for a constant', async function () {
    await openFile(page, 'demo.ts');
    // The TypeScript server needs a few seconds to start on a cold extension host, and
    // much longer on a loaded 2-core machine: its hover says "Loading…" until then.
    this.timeout(180_000);
    const text = await hoverAtText(page, 'answer', { timeoutMs: 150_000 });
    await screenshot(page, 'helpers-hover');
    assert.match(text, /answer: 42/);
  });

  it('findWebviewFrame and readWebviewText read the built-in markdown preview', async () => {
    await openFile(page, 'notes.md');
    await runCommand(page, 'Markdown: Open Preview to the Side');
    const frame = await findWebviewFrame(page, { title: 'Preview notes.md', extensionId: 'vscode.markdown-language-features' });
    await screenshot(page, 'helpers-webview');
    assert.match(await readWebviewText(frame), /A note with a tensor block/);
  });
});
