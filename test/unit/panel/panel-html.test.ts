// The side panel's HTML shell obeys the webview security rules: a strict CSP,
// scripts only by nonce and by src, nothing inline, nothing remote.

import { strict as assert } from 'node:assert';
import { Window } from 'happy-dom';
import { makeNonce, panelCsp, panelHtml } from '../../../src/extension/panel-html';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const ORIGIN = 'https://file%2B.vscode-resource.vscode-cdn.net/ext';
const NONCE = 'c2VjcmV0LW5vbmNlLWZvci10ZXN0cw';

function html(overrides: Partial<Parameters<typeof panelHtml>[0]> = {}): string {
  return panelHtml({
    cspSource: CSP_SOURCE,
    nonce: NONCE,
    scriptUri: `${ORIGIN}/dist/webview.js`,
    styleUris: [`${ORIGIN}/dist/katex/katex.min.css`, `${ORIGIN}/media/panel.css`],
    ...overrides,
  });
}

function parse(source: string): Document {
  const window = new Window();
  const doc = new window.DOMParser().parseFromString(source, 'text/html') as unknown as Document;
  return doc;
}

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map((parts) => [parts[0]!, parts.slice(1)]),
  );
}

/**
 * Everything that would make the panel unsafe, as a list of violations. The
 * tests run it on the real HTML (expect none) and on tampered copies (expect
 * each tampering caught), so a regression cannot slip past a weak check.
 */
function audit(source: string, nonce: string, allowedOrigins: readonly string[]): string[] {
  const problems: string[] = [];
  const doc = parse(source);
  const metas = Array.from(doc.querySelectorAll('meta[http-equiv]')).filter((m) => m.getAttribute('http-equiv')!.toLowerCase() === 'content-security-policy');
  if (metas.length !== 1) problems.push(`expected one CSP meta, found ${metas.length}`);
  const csp = metas[0]?.getAttribute('content') ?? '';
  const d = directives(csp);
  if (d.get('default-src')?.join(' ') !== "'none'") problems.push("default-src is not 'none'");
  if (!d.get('script-src')?.every((s) => s === `'nonce-${nonce}'`)) problems.push(`script-src allows more than the nonce: ${d.get('script-src')?.join(' ')}`);
  if (/unsafe-eval|unsafe-inline|unsafe-hashes|wasm-unsafe-eval|\*(?!\.)|https?:\s|\bhttp:/i.test(csp)) problems.push(`CSP relaxes something: ${csp}`);
  if (/'unsafe-eval'|unsafe-inline/i.test(source)) problems.push('unsafe keyword in the HTML');
  // The policy must be in force before anything loads.
  if (metas[0] && doc.querySelector('meta[http-equiv], link, script') !== metas[0]) problems.push('a resource comes before the CSP meta');
  for (const script of Array.from(doc.querySelectorAll('script'))) {
    if (script.getAttribute('nonce') !== nonce) problems.push('a script without the nonce');
    if (!script.getAttribute('src')) problems.push('a script without src');
    if ((script.textContent ?? '').trim() !== '') problems.push('an inline script body');
  }
  if (doc.querySelectorAll('style').length) problems.push('an inline <style> element');
  for (const el of Array.from(doc.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      if (/^on/i.test(attr.name)) problems.push(`inline event handler ${attr.name} on <${el.tagName.toLowerCase()}>`);
      if (attr.name === 'style') problems.push(`inline style on <${el.tagName.toLowerCase()}>`);
      if (['src', 'href', 'srcset', 'action', 'formaction', 'data', 'poster'].includes(attr.name)) {
        if (!allowedOrigins.some((o) => attr.value.startsWith(`${o}/`))) problems.push(`resource outside the webview origin: ${attr.value}`);
      }
    }
  }
  for (const tag of ['iframe', 'object', 'embed', 'base', 'form']) {
    if (doc.querySelector(tag)) problems.push(`a <${tag}> element`);
  }
  if (/javascript:/i.test(source)) problems.push('a javascript: URL');
  return problems;
}

describe('panel HTML', () => {
  it('passes the security audit', () => {
    assert.deepEqual(audit(html(), NONCE, [ORIGIN]), []);
  });

  it('has a CSP meta with exactly the intended directives', () => {
    const doc = parse(html());
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content')!;
    assert.equal(csp, panelCsp(CSP_SOURCE, NONCE));
    assert.deepEqual(Object.fromEntries(directives(csp)), {
      'default-src': ["'none'"],
      'style-src': [CSP_SOURCE],
      'font-src': [CSP_SOURCE],
      'img-src': [CSP_SOURCE, 'data:'],
      'script-src': [`'nonce-${NONCE}'`],
    });
  });

  it('loads one script, by src with the nonce, after the app root, and the stylesheets in order', () => {
    const doc = parse(html());
    const scripts = Array.from(doc.querySelectorAll('script'));
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]!.getAttribute('src'), `${ORIGIN}/dist/webview.js`);
    assert.equal(scripts[0]!.getAttribute('nonce'), NONCE);
    assert.ok(doc.getElementById('app'));
    assert.deepEqual(
      Array.from(doc.querySelectorAll('link[rel="stylesheet"]')).map((l) => l.getAttribute('href')),
      [`${ORIGIN}/dist/katex/katex.min.css`, `${ORIGIN}/media/panel.css`],
    );
    assert.match(html(), /^<!DOCTYPE html>/, 'standards mode (KaTeX refuses quirks mode)');
  });

  it('keeps a CSP-compatible cspSource with quoted keywords (e.g. code-server\'s \'self\')', () => {
    const page = html({ cspSource: `'self' ${CSP_SOURCE}` });
    assert.deepEqual(audit(page, NONCE, [ORIGIN]), []);
    assert.ok(parse(page).querySelector('meta[http-equiv]')!.getAttribute('content')!.includes(`style-src 'self' ${CSP_SOURCE};`));
  });

  describe('the audit catches tampering', () => {
    const tamper: [string, (s: string) => string, RegExp][] = [
      ['an inline script', (s) => s.replace('</body>', `<script nonce="${NONCE}">alert(1)</script></body>`), /inline script body|without src/],
      ['a script without the nonce', (s) => s.replace('</body>', `<script src="${ORIGIN}/x.js"></script></body>`), /without the nonce/],
      ["'unsafe-eval'", (s) => s.replace("script-src 'nonce-", "script-src 'unsafe-eval' 'nonce-"), /unsafe/],
      ["'unsafe-inline' styles", (s) => s.replace('style-src ', "style-src 'unsafe-inline' "), /unsafe/],
      ['an inline event handler', (s) => s.replace('<main id="app"', '<main id="app" onclick="go()"'), /event handler onclick/],
      ['a remote script', (s) => s.replace(`${ORIGIN}/dist/webview.js`, 'https://cdn.example.com/katex.js'), /outside the webview origin/],
      ['a relaxed default-src', (s) => s.replace("default-src 'none'", 'default-src *'), /default-src/],
      ['a stylesheet before the CSP', (s) => s.replace('<meta http-equiv', `<link rel="stylesheet" href="${ORIGIN}/a.css">\n  <meta http-equiv`), /before the CSP/],
      ['an inline style', (s) => s.replace('<main id="app"', '<main id="app" style="color:red"'), /inline style/],
    ];
    for (const [what, change, expected] of tamper) {
      it(`flags ${what}`, () => {
        const problems = audit(change(html()), NONCE, [ORIGIN]);
        assert.ok(problems.some((p) => expected.test(p)), `audit missed ${what}: ${JSON.stringify(problems)}`);
      });
    }
  });

  it('escapes attribute values and refuses a cspSource that could add directives', () => {
    const page = html({ scriptUri: `${ORIGIN}/dist/webview.js"><script>alert(1)</script>` });
    assert.equal(parse(page).querySelectorAll('script').length, 1);
    assert.throws(() => html({ cspSource: "https://x; script-src 'unsafe-inline'" }), /cspSource/);
    assert.throws(() => html({ nonce: 'short' }), /nonce/);
  });

  it('makes a fresh 128-bit nonce from Web Crypto each time', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notEqual(a, b);
  });
});
