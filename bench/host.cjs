// Extension-host blocking on a huge note (issue G: "a 5 MB markdown note with
// 10,000 blocks never blocks the extension host for more than 50 ms at a
// time"). Loads dist/extension.js (as built) with the fake `vscode` module,
// opens the note, and plays the editor's part: it asks for CodeLenses whenever
// the extension says they changed, types into the note (one character per
// edit, spread over the note), hovers at each edit, and waits for the
// diagnostics of every version (analysis, then claim checks).
//
// Every piece of work the host runs to completion (a timer callback of the
// extension, a CodeLens request, a hover, the edit event) is timed, garbage
// collection inside it included: the longest is how long VS Code's messages
// had to wait at a time. Prints one JSON line with the longest tasks per
// phase and the heap after each phase.
//   node --expose-gc bench/host.cjs --note=path.md [--bundle=dist/extension.js] [--edits=10]

'use strict';
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { createFakeVscode, fakeDocument, fakeExtensionContext, installFakeVscode } = require('./lib/fake-vscode.cjs');

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const bundle = resolve(arg('bundle') ?? resolve(__dirname, '../dist/extension.js'));
const notePath = arg('note');
if (!notePath) throw new Error('--note=path is required');
const edits = Number(arg('edits') ?? 10);
const uri = `file://${resolve(notePath)}`;
const original = readFileSync(notePath, 'utf8');

const documents = [fakeDocument(uri, 'markdown', original, 1)];
const published = [];
let onPublished = () => {};
const fake = createFakeVscode({
  documents,
  onDiagnostics: (_uri, diagnostics) => {
    published.push(diagnostics.length);
    onPublished();
  },
});
installFakeVscode(fake);

// ── what blocks the host ──
// Every callback the extension's timers run, every CodeLens request and every
// hover is a task: JavaScript that runs to completion while VS Code's
// messages wait (garbage collection inside it counts). The longest task is
// how long the host was blocked at a time.
let phase = 'load';
const phases = new Map();
const stats = (name) => {
  if (!phases.has(name)) phases.set(name, { name, tasks: [], lensCalls: 0, lenses: 0, hoverMs: null, heapMB: null, ms: 0 });
  return phases.get(name);
};
function task(kind, fn) {
  const t0 = performance.now();
  const before = published.length;
  try {
    return fn();
  } finally {
    // A timer callback that published diagnostics is told apart from the analysis slices.
    stats(phase).tasks.push({ kind: kind === 'analysis' && published.length > before ? 'publish' : kind, ms: performance.now() - t0 });
  }
}
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = (fn, ms, ...args) => realSetTimeout(() => task('analysis', () => fn(...args)), ms);

const heapMB = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};

const context = fakeExtensionContext(fake, resolve(__dirname, '..'));

const current = () => documents[0];

/**
 * VS Code asks for CodeLenses when a document opens or changes and after the
 * provider's change event (on a later turn of the loop), then resolves the
 * lenses on screen (about 30 around the cursor). A provider may answer later
 * (a promise): its continuation runs in microtasks after some other task,
 * which the event-loop delay below catches.
 */
function requestLenses(near = 0) {
  for (const provider of fake.providers.codeLens) {
    realSetTimeout(() => {
      const s = stats(phase);
      s.lensCalls++;
      const answer = task('codelens', () => provider.provideCodeLenses(current(), { isCancellationRequested: false }));
      Promise.resolve(answer).then((lenses) => {
        s.lenses = lenses?.length ?? 0;
        if (!lenses?.length || !provider.resolveCodeLens) return;
        realSetTimeout(() => {
          task('codelens', () => {
            const line = current().positionAt(near).line;
            const first = Math.max(0, lenses.findIndex((l) => l.range.start.line >= line) - 15);
            for (const lens of lenses.slice(first, first + 30)) provider.resolveCodeLens(lens, { isCancellationRequested: false });
          });
        }, 0);
      });
    }, 0);
  }
}

function watchLenses() {
  for (const provider of fake.providers.codeLens) provider.onDidChangeCodeLenses?.(() => requestLenses(lastEdit));
}
let lastEdit = 0;

// The longest the event loop was blocked, microtasks and garbage collection included (sampled
// every millisecond): tasks above time only what the extension's callbacks run synchronously.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const loopDelayMaxMs = () => {
  const ms = loopDelay.max / 1e6;
  loopDelay.reset();
  return ms;
};

/** Resolves after `count` more diagnostics publications (or the time limit). */
function publications(count, limitMs = 120_000) {
  const target = published.length + count;
  return new Promise((done) => {
    const timer = realSetTimeout(done, limitMs);
    onPublished = () => {
      if (published.length >= target) {
        clearTimeout(timer);
        // Let the CodeLens request that follows a publication run inside this phase.
        realSetTimeout(done, 20);
      }
    };
  });
}

const wait = (ms) => new Promise((r) => realSetTimeout(r, ms));

async function main() {
  const extension = require(bundle);
  phase = 'open';
  const t0 = performance.now();
  loopDelayMaxMs();
  task('activate', () => extension.activate(context));
  watchLenses();
  requestLenses();
  await publications(2);
  stats('open').ms = performance.now() - t0;
  stats('open').loopDelayMaxMs = loopDelayMaxMs();
  stats('open').heapMB = heapMB();
  loopDelay.reset(); // the forced collection above is the harness's, not the extension's

  const hover = fake.providers.hover[0];
  for (let k = 0; k < edits; k++) {
    phase = `edit ${k + 1}`;
    const s = stats(phase);
    const before = current().getText();
    // One character typed into a definition, spread over the note (the k-th of `edits` parts).
    const around = Math.floor(((k + 0.5) / edits) * before.length);
    const at = before.indexOf(' = ', around) + 3;
    const text = `${before.slice(0, at)}2 ${before.slice(at)}`;
    documents[0] = fakeDocument(uri, 'markdown', text, k + 2);
    // Building the fake document (joining and splitting 5 MB) is the harness's work, not the
    // extension's: let its delay be sampled, then start the phase's loop-delay histogram afresh.
    await wait(5);
    loopDelay.reset();
    const t1 = performance.now();
    lastEdit = at;
    task('edit event', () => fake.fire('onDidChangeTextDocument', { document: current(), contentChanges: [{ rangeOffset: at, rangeLength: 0, text: '2 ' }] }));
    requestLenses(at);
    await wait(30);
    const h0 = performance.now();
    task('hover', () => hover.provideHover(current(), current().positionAt(at), { isCancellationRequested: false }));
    s.hoverMs = performance.now() - h0;
    await publications(2);
    s.ms = performance.now() - t1;
    s.loopDelayMaxMs = loopDelayMaxMs();
    s.heapMB = heapMB();
    loopDelay.reset();
  }

  const summary = [...phases.values()]
    .filter((s) => s.name !== 'load')
    .map((s) => {
      const sorted = [...s.tasks].sort((a, b) => b.ms - a.ms);
      const longest = (kind) => Math.max(0, ...s.tasks.filter((t) => t.kind === kind).map((t) => t.ms));
      return {
        phase: s.name,
        ms: s.ms,
        tasks: s.tasks.length,
        longestMs: sorted[0]?.ms ?? 0,
        longestKind: sorted[0]?.kind ?? null,
        top: sorted.slice(0, 5).map((t) => `${t.kind} ${t.ms.toFixed(1)}`),
        over50: sorted.filter((t) => t.ms > 50).length,
        analysisMs: longest('analysis'),
        publishMs: longest('publish'),
        loopDelayMaxMs: s.loopDelayMaxMs ?? null,
        lensMs: longest('codelens'),
        lensCalls: s.lensCalls,
        lenses: s.lenses,
        hoverMs: s.hoverMs,
        heapMB: s.heapMB,
      };
    });
  process.stdout.write(`${JSON.stringify({ type: 'host', chars: original.length, publications: published.length, diagnostics: published.at(-1), phases: summary, unstubbed: [...fake.unstubbed] })}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
