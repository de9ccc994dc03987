// What a user does in the workbench, as reusable Playwright steps: open a file from the
// explorer, run a command from the palette, hover over text in the editor, read
// notifications and dialogs, find a webview's frame and read it, and take screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../scripts/vscode/env.mjs';

export const screenshotsDir = join(repoRoot, 'screenshots');

/** Saves a full-window PNG as screenshots/<name>.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(screenshotsDir, { recursive: true });
  const path = join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Polls `probe` until it returns a truthy value, which it returns; fails after timeoutMs. */
export async function poll(what, probe, { timeoutMs = 15_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, intervalMs));
  }
}

/** Opens a workspace file by clicking through the explorer ('notes.md' or 'dir/file.md'). */
export async function openFile(page, relativePath) {
  // Ctrl+Shift+E shows (never hides) the explorer.
  await page.keyboard.press('Control+Shift+E');
  const parts = relativePath.split('/');
  for (const [index, name] of parts.entries()) {
    const row = page
      .locator('.explorer-folders-view .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) })
      .first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    const isFolder = index < parts.length - 1;
    if (isFolder && (await row.getAttribute('aria-expanded')) === 'true') continue;
    await row.click();
  }
  const fileName = parts.at(-1);
  await page
    .locator('.tabs-container .tab.active .label-name', { hasText: new RegExp(`^${escapeRegExp(fileName)}$`) })
    .waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
}

/**
 * Opens the command palette, types `title` ("Category: Title" as the palette shows it),
 * checks an entry with exactly that label is listed and runs it. Throws, listing what the
 * palette offered instead, when there is no such entry.
 */
export async function runCommand(page, title, { keepOpen = false } = {}) {
  // A modal dialog swallows the keyboard; say so instead of timing out on the palette.
  const open = await dialogs(page);
  if (open.length) throw new Error(`cannot run "${title}": a dialog is open: ${JSON.stringify(open)}`);
  await page.keyboard.press('Control+Shift+P');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  const entry = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) }).first();
  try {
    await entry.waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    const offered = await rows.allInnerTexts();
    await page.keyboard.press('Escape');
    throw new Error(`command palette has no entry "${title}"; it offered: ${JSON.stringify(offered)}`);
  }
  await entry.click();
  // Commands that open their own quick pick (a theme picker, say) leave the widget up.
  if (!keepOpen) await widget.waitFor({ state: 'hidden' });
}

/** Picks a colour theme through the command palette, as a user would. */
export async function switchTheme(page, name) {
  await runCommand(page, 'Preferences: Color Theme', { keepOpen: true });
  const widget = page.locator('.quick-input-widget');
  await widget.locator('input').first().fill(name);
  await widget.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
  await page.waitForTimeout(500);
}

/** Severity of a toast or dialog, read from its codicon (toasts: codicon-error, dialogs: codicon-dialog-error). */
async function severityOf(element) {
  if (await element.locator('.codicon-error, .codicon-dialog-error').count()) return 'error';
  if (await element.locator('.codicon-warning, .codicon-dialog-warning').count()) return 'warning';
  return 'info';
}

/** The notification toasts currently shown: [{ severity, message }]. */
export async function notifications(page) {
  const result = [];
  for (const toast of await page.locator('.notifications-toasts .notification-toast').all()) {
    result.push({ severity: await severityOf(toast), message: (await toast.locator('.notification-list-item-message').innerText()).trim() });
  }
  return result;
}

/**
 * The modal dialogs currently shown: [{ severity, message }]. VS Code reports an exception
 * thrown by a command run from the palette in a modal dialog, not in a toast.
 */
export async function dialogs(page) {
  const result = [];
  for (const dialog of await page.locator('.monaco-dialog-box').all()) {
    const text = await dialog.locator('.dialog-message-text, .dialog-message-detail').allInnerTexts();
    result.push({ severity: await severityOf(dialog), message: text.map((part) => part.trim()).join(': ') });
  }
  return result;
}

/** Every error the user can see right now, from toasts and dialogs. */
export async function visibleErrors(page) {
  return [...(await notifications(page)), ...(await dialogs(page))].filter((entry) => entry.severity === 'error');
}

/** Closes every editor (keeps tests that share the session independent). */
export async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
}

/**
 * Moves the mouse over the first occurrence of `text` in the active editor and returns the
 * hover's text once it shows. `offset` picks a character inside `text` (default: its middle).
 */
export async function hoverAtText(page, text, { offset, timeoutMs = 10_000 } = {}) {
  const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content').first();
  // A hover still shown (for other text) may cover the target; park the mouse on the status
  // bar, outside every editor, until it goes.
  if (await hover.isVisible()) {
    const bar = await page.locator('.part.statusbar').boundingBox();
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await hover.waitFor({ state: 'hidden', timeout: timeoutMs });
  }
  const point = await page.evaluate(
    ({ text, offset }) => {
      // The editor renders spaces as non-breaking spaces, one span per token.
      const lines = document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines .view-line');
      for (const line of lines) {
        const content = (line.textContent ?? '').replace(/\u00a0/g, ' ');
        const index = content.indexOf(text);
        if (index < 0) continue;
        const target = index + (offset ?? Math.floor(text.length / 2));
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent.length;
          if (target < seen + length) {
            const range = document.createRange();
            range.setStart(node, target - seen);
            range.setEnd(node, target - seen + 1);
            const rect = range.getBoundingClientRect();
            // "Away" is the empty space after the line's text: inside the editor, over no text.
            const textEnd = line.firstElementChild?.getBoundingClientRect().right ?? rect.right;
            const editorRight = line.closest('.monaco-editor').getBoundingClientRect().right;
            return {
              x: rect.left + rect.width / 2,
              y: rect.top + rect.height / 2,
              awayX: Math.min(textEnd + 40, editorRight - 60),
            };
          }
          seen += length;
        }
      }
      return undefined;
    },
    { text, offset },
  );
  if (!point) throw new Error(`"${text}" is not visible in the active editor`);
  // A hover asked for before the providers are ready (extension still activating, language
  // server starting) stays empty until the mouse moves, so step away and back until one
  // shows. "Away" stays inside the editor: the first move after entering it from outside
  // does not always start a hover.
  await poll(`a hover over "${text}"`, async () => {
    await page.mouse.move(point.awayX, point.y);
    await page.mouse.move(point.x, point.y, { steps: 2 });
    return hover.waitFor({ state: 'visible', timeout: 2_000 }).then(() => true);
  }, { timeoutMs });
  // Providers may answer after the "Loading…" placeholder; wait until it is gone.
  return poll('the hover to finish loading', async () => {
    const content = (await hover.innerText()).trim();
    return content && !/^Loading\.*…?$/.test(content) ? content : undefined;
  }, { timeoutMs });
}

/**
 * Finds the content frame of a webview (side panel, custom editor, preview): the inner
 * frame VS Code writes the extension's HTML into. Matches on any given criteria:
 * `title` (the panel title), `extensionId` (the owner) and `text` (in its body).
 */
export async function findWebviewFrame(page, { title, extensionId, text, timeoutMs = 15_000 } = {}) {
  return poll(`a webview frame matching ${JSON.stringify({ title, extensionId, text })}`, async () => {
    for (const frame of page.frames()) {
      const host = frame.parentFrame();
      if (!host || !host.url().includes('/webview/browser/pre/index.html')) continue;
      const element = await frame.frameElement();
      if ((await element.getAttribute('id')) !== 'active-frame') continue;
      if (title !== undefined && (await element.getAttribute('title')) !== title) continue;
      if (extensionId !== undefined && new URL(host.url()).searchParams.get('extensionId') !== extensionId) continue;
      if (text !== undefined && !(await readWebviewText(frame)).includes(text)) continue;
      return frame;
    }
    return undefined;
  }, { timeoutMs });
}

/** The visible text of a webview frame (or of `selector` inside it). */
export async function readWebviewText(frame, selector = 'body') {
  return frame.locator(selector).first().innerText();
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
