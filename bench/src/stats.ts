// Timing helpers shared by the benchmark runners.

export function now(): number {
  return performance.now();
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

export function summarise(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    median: round(quantile(s, 0.5)),
    p95: round(quantile(s, 0.95)),
    min: round(s[0] ?? NaN),
    max: round(s[s.length - 1] ?? NaN),
    mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
  };
}

export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const p = 10 ** digits;
  return Math.round(x * p) / p;
}

export interface Samples {
  /** Wall-clock milliseconds per run (what a user waits). */
  readonly wall: number[];
  /** CPU milliseconds per run (user + system of this process; steadier than wall time on a busy machine). */
  readonly cpu: number[];
}

/**
 * Runs `fn` `warmup` times untimed, then `repeats` times timed (more while the
 * total stays under `budgetMs`, up to `maxRepeats`).
 */
export function measure(fn: () => void, opts: { warmup: number; repeats: number; budgetMs?: number; maxRepeats?: number }): Samples {
  for (let i = 0; i < opts.warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  let total = 0;
  const max = Math.max(opts.repeats, opts.maxRepeats ?? opts.repeats);
  while (wall.length < opts.repeats || (opts.budgetMs !== undefined && total < opts.budgetMs && wall.length < max)) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const dt = performance.now() - t0;
    const c = process.cpuUsage(c0);
    wall.push(dt);
    cpu.push((c.user + c.system) / 1000);
    total += dt;
  }
  return { wall, cpu };
}

/**
 * Time per run including its share of garbage collection: `fn` runs in
 * batches of at least `batchMs` each, a batch's time divided by its runs is
 * one sample. Medians of single runs leave out collections a small case
 * triggers only every few runs (a run of the sum of 32 terms allocates about
 * 4 MB, a scavenge comes every ~16 MB), but not those a large case triggers in
 * every run, so their ratio overstates how cost grows with size.
 */
export function measureBatches(fn: () => void, opts: { warmup: number; batches: number; batchMs: number }): Samples {
  for (let i = 0; i < opts.warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let b = 0; b < opts.batches; b++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let runs = 0;
    let dt = 0;
    do {
      fn();
      runs++;
      dt = performance.now() - t0;
    } while (dt < opts.batchMs);
    const c = process.cpuUsage(c0);
    wall.push(dt / runs);
    cpu.push((c.user + c.system) / 1000 / runs);
  }
  return { wall, cpu };
}

/** Wall-clock samples only. */
export function time(fn: () => void, opts: { warmup: number; repeats: number; budgetMs?: number; maxRepeats?: number }): number[] {
  return measure(fn, opts).wall;
}

/** A small seeded PRNG (mulberry32) so sampled positions are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes one JSON line for the orchestrator (bench/run.mjs) to collect. */
export function emit(record: unknown): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

export function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
