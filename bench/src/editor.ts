// Editor latency on a generated 10,000-line note (bench/src/note.ts), using
// the same pure functions the extension's hover provider calls:
// analyzeDocument (cached per document version by the extension), hoverAt,
// derivativeInfo (memoised per request) and hoverMarkdown.
//
//   full analysis  analyzeDocument with and without claim checking
//   warm hover     cached analysis; hoverAt + derivativeInfo + hoverMarkdown at
//                  random positions — requests hovered for the first time
//                  (derivative, print and numeric check run) and again (memo hit)
//   after an edit  one character inserted in a random block's definition, then
//                  what the extension does: a new incremental run over the
//                  edited text (regions found, unchanged regions reused), the
//                  regions up to the hovered one analysed, and the hover; then
//                  the background rest of the run (analysis, then claims)

import { writeFileSync } from 'node:fs';
import { analyzeDocument, documentRequests, hoverAt, type DocumentAnalysis } from '../../src/documents/document-analysis';
import { DocumentAnalyzer, type RegionPart } from '../../src/documents/incremental';
import { derivativeInfo } from '../../src/documents/derivative-info';
import { hoverMarkdown } from '../../src/extension/hover-content';
import { generateNote } from './note';
import { emit, flag, option, rng, summarise } from './stats';

const quick = flag('quick');
const note = generateNote(Number(option('blocks') ?? 1000));
const out = option('note-out');
if (out) writeFileSync(out, note.text);
if (flag('note-only')) process.exit(0);

const LAYOUT = 'numerator' as const;

function hover(doc: { readonly parts: readonly RegionPart[] }, offset: number): { kind: string; markdown: string | null } {
  const target = hoverAt(doc, offset);
  if (!target) return { kind: 'none', markdown: null };
  const info = target.request ? derivativeInfo(target.analysis, target.request, { check: true }) : undefined;
  return { kind: target.request ? 'derivative' : 'shape', markdown: hoverMarkdown(target, LAYOUT, info, target.request ? '[Show derivative](command:x)' : undefined) };
}

function timed<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, value };
}

emit({ type: 'note', lines: note.lines, blocks: note.blocks, chars: note.text.length });

// ── full-document analysis ──
const fullReps = quick ? 2 : 5;
for (const claims of [false, true]) {
  const samples: number[] = [];
  const cpu: number[] = [];
  let doc: DocumentAnalysis | null = null;
  for (let r = 0; r < fullReps + 1; r++) {
    const t = timed(() => analyzeDocument(note.text, 'markdown', LAYOUT, { claims }));
    if (r > 0) samples.push(t.ms);
    if (r > 0) cpu.push(t.cpuMs);
    doc = t.value;
  }
  emit({
    type: 'analysis',
    claims,
    ms: summarise(samples),
    cpuMs: summarise(cpu),
    regions: doc!.regions.length,
    requests: documentRequests(doc!).length,
    diagnostics: doc!.diagnostics.length,
    statements: doc!.parts.reduce((n, p) => n + p.entry.analysis.program.statements.length, 0),
  });
}

// ── warm hover on a cached analysis ──
{
  const doc = analyzeDocument(note.text, 'markdown', LAYOUT);
  const random = rng(42);
  const first: number[] = [];
  const firstCpu: number[] = [];
  const again: number[] = [];
  const shape: number[] = [];
  const nFirst = quick ? 100 : 400;
  // Requests in random order, each hovered for the first time.
  const order = note.requests.map((o, k) => ({ o, k, r: random() })).sort((a, b) => a.r - b.r).slice(0, nFirst);
  let kinds = new Map<string, number>();
  for (const { o } of order) {
    const t = timed(() => hover(doc, o));
    if (t.value.kind !== 'derivative') throw new Error(`expected a derivative hover at ${o}, got ${t.value.kind}`);
    first.push(t.ms);
    firstCpu.push(t.cpuMs);
  }
  // The same requests again: the memo answers.
  for (const { o } of order) again.push(timed(() => hover(doc, o)).ms);
  // Names and sub-expressions anywhere in the definitions.
  for (let s = 0; s < (quick ? 300 : 2000); s++) {
    const block = Math.floor(random() * note.blocks);
    const start = note.definitions[block]!;
    const offset = start + Math.floor(random() * 30);
    const t = timed(() => hover(doc, offset));
    kinds.set(t.value.kind, (kinds.get(t.value.kind) ?? 0) + 1);
    shape.push(t.ms);
  }
  const sample = hover(doc, note.requests[1]!).markdown;
  emit({ type: 'hover', firstOnRequest: summarise(first), firstOnRequestCpu: summarise(firstCpu), againOnRequest: summarise(again), onExpression: summarise(shape), kinds: Object.fromEntries(kinds), sample });
}

// ── first hover after an edit ──
{
  const random = rng(7);
  const edits = quick ? 4 : 12;
  const total: number[] = [];
  const analysisMs: number[] = [];
  const hoverMs: number[] = [];
  const background: number[] = [];
  const totalCpu: number[] = [];
  const analysed: number[] = [];
  // The extension keeps one analyzer per document across versions.
  const analyzer = new DocumentAnalyzer();
  analyzer.start(note.text, 'markdown', LAYOUT).finish().checkClaimsStep(Infinity, () => 0);
  for (let e = 0; e < edits + 1; e++) {
    const block = Math.floor(random() * note.blocks);
    // Insert a space after "=" in the block's definition: a new document version.
    const at = note.definitions[block]! + note.text.slice(note.definitions[block]!).indexOf('=') + 1;
    const text = `${note.text.slice(0, at)} ${note.text.slice(at)}`;
    const requestOffset = note.requests[block]! + 1;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const run = analyzer.start(text, 'markdown', LAYOUT);
    run.through(requestOffset);
    const t1 = performance.now();
    const h = hover(run, requestOffset);
    const t2 = performance.now();
    const c = process.cpuUsage(c0);
    if (h.kind !== 'derivative') throw new Error(`expected a derivative hover after the edit, got ${h.kind}`);
    const n0 = performance.now();
    run.finish().checkClaimsStep(Infinity, () => 0);
    const n1 = performance.now();
    if (e === 0) continue; // warm-up
    analysisMs.push(t1 - t0);
    hoverMs.push(t2 - t1);
    total.push(t2 - t0);
    totalCpu.push((c.user + c.system) / 1000);
    background.push(n1 - n0);
    analysed.push(run.stats.analysed);
  }
  emit({ type: 'afterEdit', total: summarise(total), totalCpu: summarise(totalCpu), analysis: summarise(analysisMs), hover: summarise(hoverMs), background: summarise(background), regionsAnalysed: summarise(analysed) });
}
