// A tiny record of how long each step took to render, kept on the loop
// section as data attributes (data-step-ms, data-step-ms-max, data-steps-timed)
// so the e2e suite and the scale checks (issue F) can read them from the page.
// Pure: no timers, no assertions; the caller measures.

export class StepTimings {
  private readonly recent: number[] = [];
  private total = 0;
  private maxMs = 0;
  private n = 0;

  constructor(private readonly keep = 120) {}

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.recent.push(ms);
    if (this.recent.length > this.keep) this.recent.shift();
    this.total += ms;
    this.maxMs = Math.max(this.maxMs, ms);
    this.n++;
  }

  get count(): number {
    return this.n;
  }

  get last(): number {
    return this.recent.at(-1) ?? 0;
  }

  get max(): number {
    return this.maxMs;
  }

  get mean(): number {
    return this.n === 0 ? 0 : this.total / this.n;
  }

  /** The p-th percentile (0..100) of the recent steps. */
  percentile(p: number): number {
    if (this.recent.length === 0) return 0;
    const sorted = [...this.recent].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  }

  /** Writes the summary onto `el` as data attributes (milliseconds, one decimal). */
  publish(el: HTMLElement): void {
    el.dataset.stepMs = this.last.toFixed(1);
    el.dataset.stepMsMax = this.max.toFixed(1);
    el.dataset.stepMsP95 = this.percentile(95).toFixed(1);
    el.dataset.stepsTimed = String(this.n);
  }
}
