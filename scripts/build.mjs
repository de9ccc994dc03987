// Builds every bundle with esbuild. esbuild does not type-check; `npm run typecheck`
// (tsc --noEmit) does that separately.
//
// Bundles:
//   dist/extension.js  extension host (Node, CommonJS, `vscode` external): the adapter
//   dist/core.js       the analysis core it loads on first use (src/core)
//   dist/web/extension.js  the same for web extension hosts (browser platform)
//   dist/webview.js    side-panel script (browser, IIFE; KaTeX lives only here)
//   dist/cli.js        `tensor-deriv` command-line tool (Node, CommonJS)
//   dist/katex/        KaTeX stylesheet and its woff2 fonts, for the webview
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

const common = {
  define: { __VERSION__: JSON.stringify(version) },
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  target: 'es2022',
};

/**
 * The Node host bundle leaves the analysis core out: src/extension/core.ts
 * requires it on first use, and here that `require` becomes one of
 * dist/core.js, built on its own below. (Activation then compiles a quarter of
 * the code; the web bundle keeps the core inline.)
 */
const coreAsOwnFile = {
  name: 'core-as-own-file',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/core\/index$/ }, (args) => (args.importer.endsWith(join('src', 'extension', 'core.ts')) ? { path: './core.js', external: true } : undefined));
  },
};

const builds = [
  {
    ...common,
    entryPoints: [join(root, 'src/extension/extension.ts')],
    outfile: join(root, 'dist/extension.js'),
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    plugins: [coreAsOwnFile],
  },
  {
    ...common,
    entryPoints: [join(root, 'src/core/index.ts')],
    outfile: join(root, 'dist/core.js'),
    platform: 'node',
    format: 'cjs',
  },
  {
    // The same extension for vscode.dev and code-server's web worker host: no Node APIs.
    ...common,
    entryPoints: [join(root, 'src/extension/extension.ts')],
    outfile: join(root, 'dist/web/extension.js'),
    platform: 'browser',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: [join(root, 'src/webview/main.ts')],
    outfile: join(root, 'dist/webview.js'),
    platform: 'browser',
    format: 'iife',
  },
  {
    ...common,
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: join(root, 'dist/cli.js'),
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
];

function copyKatexAssets() {
  const katexDir = dirname(require.resolve('katex/package.json'));
  const out = join(root, 'dist/katex');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'fonts'), { recursive: true });
  cpSync(join(katexDir, 'dist/katex.min.css'), join(out, 'katex.min.css'));
  for (const font of readdirSync(join(katexDir, 'dist/fonts'))) {
    if (font.endsWith('.woff2')) cpSync(join(katexDir, 'dist/fonts', font), join(out, 'fonts', font));
  }
  // The stylesheet lists woff, ttf and woff2 sources; keep only woff2 so nothing
  // points at a file we do not ship.
  const css = readFileSync(join(out, 'katex.min.css'), 'utf8').replace(
    /src:url\(([^)]+\.woff2)\) format\("woff2"\),url\([^)]+\.woff\) format\("woff"\),url\([^)]+\.ttf\) format\("truetype"\)/g,
    'src:url($1) format("woff2")',
  );
  // Show math in a fallback font at once rather than invisibly while the KaTeX
  // fonts load (the default "block" period leaves blank formulas for up to 3 s).
  writeFileSync(join(out, 'katex.min.css'), css.replace(/@font-face\{/g, '@font-face{font-display:swap;'));
}

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  copyKatexAssets();
  console.log('watching for changes…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  copyKatexAssets();
}
