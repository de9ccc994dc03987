// The side panel's HTML document. Pure (no vscode import) so it can be tested
// without VS Code.
//
// Security invariants (VS Code webview guide):
// - A strict CSP: default-src 'none'; styles and fonts only from the webview's
//   own resource origin; scripts only with this load's nonce; no
//   'unsafe-inline', no 'unsafe-eval'.
// - No inline script bodies, no inline styles, no inline event handlers, no
//   remote content: the page is a shell that loads dist/webview.js.

export interface PanelHtmlOptions {
  /** `webview.cspSource` */
  readonly cspSource: string;
  /** A fresh random nonce per load (see `makeNonce`). */
  readonly nonce: string;
  /** `webview.asWebviewUri(dist/webview.js)` as a string */
  readonly scriptUri: string;
  /** Stylesheets in order (KaTeX's, then the panel's), as webview URIs. */
  readonly styleUris: readonly string[];
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Content-Security-Policy for the panel. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** 32 hex characters from the platform CSPRNG (Web Crypto; also available in Node ≥ 19 and web extension hosts). */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function panelHtml(options: PanelHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUris } = options;
  if (!/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(nonce)) throw new Error('panelHtml: the nonce must be at least 16 base64/hex characters');
  // cspSource is one or more source expressions (e.g. `'self' https://*.vscode-cdn.net`); never a directive separator.
  if (/[;,\r\n"<>]/.test(cspSource)) throw new Error('panelHtml: unexpected characters in cspSource');
  const styles = styleUris.map((href) => `  <link rel="stylesheet" href="${escapeAttr(href)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttr(panelCsp(cspSource, nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
  <title>Derivative</title>
</head>
<body>
  <main id="app" aria-label="Derivative"></main>
  <script nonce="${escapeAttr(nonce)}" src="${escapeAttr(scriptUri)}"></script>
</body>
</html>
`;
}
