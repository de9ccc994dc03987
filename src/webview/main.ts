// Side-panel script (runs in the webview, a browser context). Renders what the
// extension sends; KaTeX lives only here.
export {};
