/**
 * Two fixed windows like the real gateway: -1 per second, -2 per day (real time, not scaled).
 * Every API response carries X-RateLimit-Limit-1/-2 and X-RateLimit-Remaining-1/-2.
 */
const DAY_MS = 86_400_000;

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** Seconds, when refused. */
  retryAfter?: number;
  window?: 'second' | 'day';
}

export class RateLimiter {
  private second = { start: 0, count: 0 };
  private day = { start: 0, count: 0 };

  constructor(
    public perSecond: number,
    public perDay: number,
  ) {}

  set(limit: { perSecond?: number; perDay?: number }): void {
    if (limit.perSecond !== undefined) this.perSecond = limit.perSecond;
    if (limit.perDay !== undefined) this.perDay = limit.perDay;
  }

  take(now = Date.now()): RateDecision {
    const secondStart = Math.floor(now / 1000) * 1000;
    const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
    if (this.second.start !== secondStart) this.second = { start: secondStart, count: 0 };
    if (this.day.start !== dayStart) this.day = { start: dayStart, count: 0 };
    let decision: Omit<RateDecision, 'headers'> = { allowed: true };
    if (this.day.count >= this.perDay) {
      decision = { allowed: false, window: 'day', retryAfter: Math.max(1, Math.ceil((dayStart + DAY_MS - now) / 1000)) };
    } else if (this.second.count >= this.perSecond) {
      decision = { allowed: false, window: 'second', retryAfter: 1 };
    } else {
      this.second.count++;
      this.day.count++;
    }
    return {
      ...decision,
      headers: {
        'X-RateLimit-Limit-1': String(this.perSecond),
        'X-RateLimit-Limit-2': String(this.perDay),
        'X-RateLimit-Remaining-1': String(Math.max(0, this.perSecond - this.second.count)),
        'X-RateLimit-Remaining-2': String(Math.max(0, this.perDay - this.day.count)),
      },
    };
  }
}
