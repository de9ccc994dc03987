// Play / pause for the Step slider: advances at a chosen number of steps per
// second on a timer, catching up by elapsed time (so a throttled or slow timer
// keeps the speed), and stops at the end.

/** Steps per second offered by the Speed control. */
export const SPEEDS: readonly number[] = [1, 2, 4, 8, 15, 30, 60, 240, 1000];
export const DEFAULT_SPEED = 4;

export interface Clock {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  now(): number;
}

export function windowClock(win: Window): Clock {
  return {
    setInterval: (fn, ms) => win.setInterval(fn, ms),
    clearInterval: (handle) => win.clearInterval(handle as number),
    now: () => win.performance?.now() ?? Date.now(),
  };
}

export class Player {
  private handle: unknown = null;
  private last = 0;
  private carry = 0;
  private speedValue = DEFAULT_SPEED;

  constructor(
    private readonly clock: Clock,
    /** Moves `n` steps forward; returns false when it reached the end. */
    private readonly advance: (n: number) => boolean,
    private readonly onChange: (playing: boolean) => void,
  ) {}

  get playing(): boolean {
    return this.handle !== null;
  }

  get speed(): number {
    return this.speedValue;
  }

  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) return;
    this.speedValue = speed;
    if (this.playing) {
      this.stopTimer();
      this.startTimer();
    }
  }

  play(): void {
    if (this.playing) return;
    this.startTimer();
    this.onChange(true);
  }

  pause(): void {
    if (!this.playing) return;
    this.stopTimer();
    this.onChange(false);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  private startTimer(): void {
    this.last = this.clock.now();
    this.carry = 0;
    this.handle = this.clock.setInterval(() => this.tick(), Math.max(16, Math.round(1000 / this.speedValue)));
  }

  private stopTimer(): void {
    if (this.handle !== null) this.clock.clearInterval(this.handle);
    this.handle = null;
  }

  /** One timer tick: as many steps as the elapsed time is worth at the speed (at least one). */
  tick(): void {
    if (!this.playing) return;
    const now = this.clock.now();
    const due = ((now - this.last) * this.speedValue) / 1000 + this.carry;
    this.last = now;
    const n = Math.max(1, Math.floor(due));
    this.carry = Math.max(0, Math.min(1, due - n));
    if (!this.advance(n)) this.pause();
  }
}
