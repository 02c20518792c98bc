/** One place that reports problems: each distinct message once per quiet period, logged and emitted. */
import type { Logger } from '../util/logger';

export class ProblemReporter {
  private readonly lastSeen = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly emit: (p: { message: string; vehicleId?: string }) => void,
    private readonly quietMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  report(message: string, vehicleId?: string): void {
    const key = `${vehicleId ?? ''}\u0000${message}`;
    const now = this.now();
    const last = this.lastSeen.get(key);
    if (last !== undefined && now - last < this.quietMs) return;
    if (this.lastSeen.size > 500) this.lastSeen.clear();
    this.lastSeen.set(key, now);
    this.logger.warn(vehicleId ? `${vehicleId}: ${message}` : message);
    try {
      this.emit(vehicleId ? { message, vehicleId } : { message });
    } catch {
      // a listener's failure is not ours to report
    }
  }
}
