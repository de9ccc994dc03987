// Side-panel script (runs in the webview, a browser context). Renders what the
// extension sends; KaTeX lives only here (see ./math.ts).

import { startPanel, type VsCodeApi } from './app';

declare function acquireVsCodeApi(): VsCodeApi;

startPanel(window, acquireVsCodeApi());
