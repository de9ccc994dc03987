// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) opening a
// code-server workbench. Shared by the in-host test driver, the end-to-end tests and
// anything else that needs "a user looking at VS Code".
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { PrerequisiteError } from './env.mjs';
import { chromiumPath } from './prerequisites.mjs';

// The machine's network is closed: without the background-networking flags Chromium keeps
// opening connections that are refused. No sandbox because we run as root.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches Chromium, headless unless HEADED=1 (for a machine with a display). */
export async function launchBrowser({ headless = process.env.HEADED !== '1' } = {}) {
  if (!existsSync(chromiumPath)) {
    throw new PrerequisiteError(`${chromiumPath} is missing; install the Debian package chromium.`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless, args: chromiumArgs });
}

/**
 * Opens `url` in a new page and waits for the workbench to render. Browser console errors
 * are kept in `page.consoleErrors` because they often explain a failing test.
 */
export async function openWorkbench(browser, url, { timeoutMs = 60_000, viewport = { width: 1400, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.consoleErrors.push(message.text());
  });
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  return page;
}
