// Engine timings (bundled by bench/run.mjs, run with node):
//   --part=compare --ids=… : the corpus (bench/corpus.mjs), one JSON line per case
//   --part=scaling --ids=… : MLP depth and sum-of-k-terms scaling cases
//   --part=pairs --ids=…   : the scaling goals' size pairs, measured in alternating batches
// Each case: analyze(src) + deriveRequest + present for every request (what the
// CLI, hover and panel do), warm-up runs, then the median of timed runs.

import { CORPUS, MLP_DEPTHS, SUM_SIZES, mlpSource, sumSource } from '../corpus.mjs';
import { analyze, type Analysis } from '../../src/engine/analyze';
import { deriveRequest, type Derived } from '../../src/engine/derive/derive';
import { present, type Presentation } from '../../src/engine/derive/present';
import { nodeCount, type Node } from '../../src/engine/ir/ir';
import { differentiate } from '../../src/engine/ir/diff';
import { emit, flag, measure, measureBatches, option, summarise } from './stats';
import { allocatedBytesPerRun } from './allocation';

const quick = flag('quick');
const SETTINGS = quick ? { warmup: 2, repeats: 5, budgetMs: 100, maxRepeats: 20 } : { warmup: 5, repeats: 15, budgetMs: 1000, maxRepeats: 200 };
/** Scaling series: time per run with its share of garbage collection (see measureBatches). */
const BATCHES = quick ? { warmup: 2, batches: 5, batchMs: 40 } : { warmup: 5, batches: 11, batchMs: 100 };

interface Outcome {
  analysis: Analysis;
  derived: Derived[];
  presentations: Presentation[];
  problems: string[];
}

function pipeline(src: string): Outcome {
  const analysis = analyze(src, { layout: 'numerator' });
  const derived: Derived[] = [];
  const presentations: Presentation[] = [];
  const problems: string[] = analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  for (const request of analysis.elaboration.derivatives) {
    const outcome = deriveRequest(analysis, request);
    if (!outcome.ok) {
      problems.push(outcome.diagnostic.message);
      continue;
    }
    derived.push(outcome.derived);
    presentations.push(present(analysis, outcome.derived));
  }
  return { analysis, derived, presentations, problems };
}

/** Median time of each phase separately (analyze; derive; present). */
function phases(src: string): { analyze: number; derive: number; present: number } {
  const a: number[] = [];
  const d: number[] = [];
  const p: number[] = [];
  const reps = Math.max(3, Math.min(SETTINGS.repeats, 9));
  for (let r = 0; r < reps + 1; r++) {
    const t0 = performance.now();
    const analysis = analyze(src, { layout: 'numerator' });
    const t1 = performance.now();
    const outs = analysis.elaboration.derivatives.map((req) => deriveRequest(analysis, req));
    const t2 = performance.now();
    for (const o of outs) if (o.ok) present(analysis, o.derived);
    const t3 = performance.now();
    if (r === 0) continue; // warm-up
    a.push(t1 - t0);
    d.push(t2 - t1);
    p.push(t3 - t2);
  }
  return { analyze: summarise(a).median, derive: summarise(d).median, present: summarise(p).median };
}

/** Nodes with sharing expanded (the size of the expression as a tree). */
function treeSize(root: Node): number {
  const memo = new Map<Node, number>();
  const go = (n: Node): number => {
    const hit = memo.get(n);
    if (hit !== undefined) return hit;
    let s = 1;
    if (n.k === 'mul') for (const f of n.factors) s += go(f);
    else if (n.k === 'add') for (const t of n.terms) s += go(t);
    else if (n.k === 'fn' || n.k === 'matfn') s += go(n.arg);
    else if (n.k === 'pow') s += go(n.base);
    memo.set(n, s);
    return s;
  };
  return go(root);
}

function nodeStats(out: Outcome) {
  return out.derived.map((d) => {
    const raw = d.request.node.order === 1 ? differentiate(d.inner.node, d.lastWrt.name, d.lastWrt.idx.map((i) => d.space.like(i)), d.space) : null;
    return {
      fNodes: d.request.node.order === 1 ? nodeCount(d.inner.node) : null,
      rawDerivativeNodes: raw ? nodeCount(raw) : null,
      derivativeNodes: nodeCount(d.node),
      derivativeTreeSize: treeSize(d.node),
    };
  });
}

function runCase(id: string, src: string, extra: Record<string, unknown> = {}): void {
  const first = performance.now();
  const out = pipeline(src);
  const firstMs = performance.now() - first;
  const samples = measure(() => pipeline(src), SETTINGS);
  const batches = extra.series ? measureBatches(() => pipeline(src), BATCHES) : null;
  const batchMs = batches ? summarise(batches.wall) : null;
  // About 200 ms of runs (thousands of samples), after the timing so the profiler cannot slow it.
  const allocatedKB = batchMs ? allocatedBytesPerRun(() => pipeline(src), Math.min(2000, Math.max(3, Math.ceil(200 / batchMs.median)))) / 1024 : null;
  const p = out.presentations[0];
  emit({
    type: 'case',
    id,
    ...extra,
    ms: summarise(samples.wall),
    cpuMs: summarise(samples.cpu),
    ...(batches ? { batchMs, batchCpuMs: summarise(batches.cpu) } : {}),
    firstMs,
    ...(allocatedKB !== null ? { allocatedKB } : {}),
    phases: phases(src),
    requests: out.analysis.elaboration.derivatives.length,
    lines: src.split('\n').length,
    problems: out.problems,
    nodes: nodeStats(out),
    result: p ? { matrix: p.matrix?.text.slice(0, 300) ?? null, index: p.index.text.slice(0, 300) } : null,
  });
}

/**
 * Garbage-collection pauses from a PerformanceObserver, by time: entries arrive
 * asynchronously (after a timer, not before the next setImmediate), so
 * `pausedBetween` is asked once measuring is over and `settle` has waited.
 */
class GcPauses {
  private readonly entries: { start: number; end: number }[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) this.entries.push({ start: e.startTime, end: e.startTime + e.duration });
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Milliseconds of pauses that started in [from, to]. */
  pausedBetween(from: number, to: number): number {
    let total = 0;
    for (const e of this.entries) if (e.start >= from && e.start <= to) total += e.end - e.start;
    return total;
  }

  stop(): void {
    this.observer.disconnect();
  }
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 50));

/**
 * The scaling goals' ratios, measured as pairs: batches of the small and the
 * large case alternate (in alternating order), so both see the same machine.
 * Measured one after the other, the two sizes of a series can meet a shared
 * machine in different moods (the same case's best batch moved 1.6× between
 * runs minutes apart), which the ratio of their times then reports as scaling.
 * Each round gives one ratio; the goal reads their median. Garbage-collection
 * pauses are measured per batch too, to tell the engine's own growth from the
 * collector's (the young generation's cost grows with the live data a run
 * holds as well as with what it allocates).
 */
async function runPair(id: string, small: { x: number; src: string }, large: { x: number; src: string }): Promise<void> {
  const rounds = quick ? 5 : 15;
  const batchMs = quick ? 40 : 100;
  const sides = [small, large].map((side) => ({ ...side, ms: [] as number[], gcMs: [] as number[], windows: [] as { from: number; to: number; runs: number }[] }));
  for (const side of sides) for (let i = 0; i < 5; i++) pipeline(side.src);
  const gc = new GcPauses();
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const t0 = performance.now();
      let runs = 0;
      let dt = 0;
      do {
        pipeline(side.src);
        runs++;
        dt = performance.now() - t0;
      } while (dt < batchMs);
      side.ms.push(dt / runs);
      side.windows.push({ from: t0, to: t0 + dt, runs });
    }
  }
  await settle();
  gc.stop();
  for (const side of sides) side.gcMs.push(...side.windows.map((w) => gc.pausedBetween(w.from, w.to) / w.runs));
  const [s, l] = sides as [(typeof sides)[0], (typeof sides)[0]];
  const ratios = l.ms.map((ms, round) => ms / s.ms[round]!);
  const ratiosWithoutGc = l.ms.map((ms, round) => (ms - l.gcMs[round]!) / (s.ms[round]! - s.gcMs[round]!));
  emit({
    type: 'case',
    id,
    small: { x: s.x, ms: summarise(s.ms), gcMs: summarise(s.gcMs) },
    large: { x: l.x, ms: summarise(l.ms), gcMs: summarise(l.gcMs) },
    ratio: summarise(ratios),
    ratioWithoutGc: summarise(ratiosWithoutGc),
    bestRatio: Math.min(...l.ms) / Math.min(...s.ms),
  });
}

const part = option('part') ?? 'compare';
const ids = option('ids')?.split('\u0001');

if (part === 'compare') {
  for (const c of CORPUS) if (!ids || ids.includes(c.id)) runCase(c.id, c.src);
} else if (part === 'scaling') {
  for (const L of MLP_DEPTHS) {
    const id = `mlp:${L}`;
    if (!ids || ids.includes(id)) runCase(id, mlpSource(L), { series: 'mlp', x: L });
  }
  for (const k of SUM_SIZES) {
    const id = `sum:${k}`;
    if (!ids || ids.includes(id)) runCase(id, sumSource(k), { series: 'sum', x: k });
  }
} else if (part === 'pairs') {
  // (The bundle is CommonJS: no top-level await.)
  void (async () => {
    if (!ids || ids.includes('pair:mlp')) await runPair('pair:mlp', { x: 8, src: mlpSource(8) }, { x: 64, src: mlpSource(64) });
    if (!ids || ids.includes('pair:sum')) await runPair('pair:sum', { x: 32, src: sumSource(32) }, { x: 256, src: sumSource(256) });
  })();
}
