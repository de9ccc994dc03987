// Typesetting of many small formulas (the entries table) when they come into
// view. A 16×16 derivative has 256 partials; typesetting them all with KaTeX
// when the panel updates took about 260 ms, and laying out their markup about
// 1 s more, while the table is usually below the fold. Each formula first
// shows its plain Unicode text (readable, and what a screen reader gets); an
// IntersectionObserver queues it once it is within a screen of the viewport,
// and the queue is typeset in animation frames of at most BUDGET_MS each, so
// scrolling a big table in never blocks the panel for long.
//
// Invariants: every formula handed over is typeset once it has been visible
// (unless the content was replaced first: `reset`); text is set with
// textContent only; nothing runs after `reset` for the replaced content.

import type { MathRenderer } from './math';

/** Longest typesetting per animation frame. */
export const BUDGET_MS = 8;

export class LazyTypesetter {
  private readonly observer: IntersectionObserver;
  /** Formulas handed over and not yet visible, by element. */
  private readonly waiting = new Map<Element, () => void>();
  private queue: (() => void)[] = [];
  private frame: number | null = null;

  constructor(private readonly win: Window & typeof globalThis) {
    this.observer = new win.IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          const job = this.waiting.get(entry.target);
          if (!job) continue;
          this.waiting.delete(entry.target);
          this.observer.unobserve(entry.target);
          this.queue.push(job);
        }
        this.schedule();
      },
      // A screen ahead, so cells are usually typeset before they scroll in.
      { rootMargin: '100% 0px' },
    );
  }

  /** A renderer that shows the text now and typesets when visible. */
  renderer(render: MathRenderer): MathRenderer {
    return (el, math, display) => {
      el.textContent = math.text;
      el.classList.add('typesetting');
      this.waiting.set(el, () => {
        el.classList.remove('typesetting');
        render(el, math, display);
      });
      this.observer.observe(el);
    };
  }

  /** Forgets every formula handed over (the content they were in is being replaced). */
  reset(): void {
    this.observer.disconnect();
    this.waiting.clear();
    this.queue = [];
    if (this.frame !== null) this.win.cancelAnimationFrame(this.frame);
    this.frame = null;
  }

  /** Formulas handed over and not typeset yet (tests and measurements). */
  get pending(): number {
    return this.waiting.size + this.queue.length;
  }

  private schedule(): void {
    if (this.frame !== null || this.queue.length === 0) return;
    this.frame = this.win.requestAnimationFrame(() => {
      this.frame = null;
      const end = this.win.performance.now() + BUDGET_MS;
      // At least one per frame, so a slow formula cannot stall the queue.
      do this.queue.shift()!();
      while (this.queue.length > 0 && this.win.performance.now() < end);
      this.schedule();
    });
  }
}
