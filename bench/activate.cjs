// Extension activation time: loads dist/extension.js (as built) with the fake
// `vscode` module (bench/lib/fake-vscode.cjs) injected through Module._load,
// then calls activate(). Run in a fresh process per measurement by
// bench/run.mjs. Prints one JSON line.
//   node bench/activate.cjs [--bundle=dist/extension.js] [--note=path.md]

'use strict';
const t0 = performance.now();
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { createFakeVscode, fakeDocument, fakeExtensionContext, installFakeVscode } = require('./lib/fake-vscode.cjs');

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const bundle = resolve(arg('bundle') ?? resolve(__dirname, '../dist/extension.js'));
const notePath = arg('note');
const documents = notePath ? [fakeDocument(`file://${resolve(notePath)}`, 'markdown', readFileSync(notePath, 'utf8'))] : [];
const fake = createFakeVscode({ documents });

installFakeVscode(fake);

const context = fakeExtensionContext(fake, resolve(__dirname, '..'));

const r0 = performance.now();
const extension = require(bundle);
const r1 = performance.now();
extension.activate(context);
const r2 = performance.now();
// What the first analysis (a timer after activation) pays to load the analysis core, when the bundle keeps it
// in a file of its own (dist/core.js); require() caches modules, so this is the core's first load.
const corePath = resolve(bundle, '..', 'core.js');
let coreMs = null;
if (require('node:fs').existsSync(corePath)) {
  const c0 = performance.now();
  require(corePath);
  coreMs = performance.now() - c0;
}
const diagnostics = fake.collections.reduce((n, c) => n + [...c.entries.values()].reduce((a, d) => a + d.length, 0), 0);
process.stdout.write(
  `${JSON.stringify({
    type: 'activate',
    withNote: Boolean(notePath),
    requireMs: r1 - r0,
    activateMs: r2 - r1,
    totalMs: r2 - r0,
    coreMs,
    processMs: r2 - t0,
    sinceProcessStartMs: r2, // performance.now() counts from process start
    subscriptions: context.subscriptions.length,
    diagnostics,
    unstubbed: [...fake.unstubbed],
    calls: fake.calls.length,
  })}\n`,
);
