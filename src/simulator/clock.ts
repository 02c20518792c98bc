/**
 * Every simulated delay goes through one Clock, so that `timeScale` applies everywhere and
 * `stop()` can clear every timer at once.
 */
export class Clock {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(readonly timeScale: number) {}

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
