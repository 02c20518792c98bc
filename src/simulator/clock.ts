/**
 * Every simulated delay goes through one Clock, so that `timeScale` applies everywhere and
 * `stop()` can clear every timer at once.
 */
export class Clock {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** Set by `setNow`: from then on the wall clock runs at the time scale from that point. */
  private anchor?: { sim: number; real: number };

  constructor(readonly timeScale: number) {}

  /**
   * The simulated wall clock (epoch ms), which only time triggers read: the real clock until
   * `setNow`, then the set time advancing at the simulator's time scale (1000x in tests).
   */
  now(): number {
    if (!this.anchor) return Date.now();
    return this.anchor.sim + (Date.now() - this.anchor.real) / Math.max(this.timeScale, 1e-6);
  }

  setNow(at: number): void {
    this.anchor = { sim: at, real: Date.now() };
  }

  /** Real milliseconds for a simulated duration. */
  real(simMs: number): number {
    return Math.max(0, Math.round(simMs * this.timeScale));
  }

  /** Runs `fn` after `simMs` simulated milliseconds; returns a cancel function. */
  after(simMs: number, fn: () => void): () => void {
    return this.afterReal(this.real(simMs), fn);
  }

  /** Runs `fn` after `ms` real milliseconds (not scaled). */
  afterReal(ms: number, fn: () => void): () => void {
    if (this.stopped) return () => undefined;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** A promise resolving after `simMs` simulated milliseconds (never resolves once stopped). */
  sleep(simMs: number): Promise<void> {
    return new Promise((resolve) => {
      this.after(simMs, resolve);
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  get pending(): number {
    return this.timers.size;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
