import type { Logger } from './logger.js';

/**
 * A warning that anyone on the internet can trigger (a rejected token) must not let them flood the
 * log: at most `perMinute` lines a minute; the next line after a quiet spell says how many were dropped.
 */
export class RateLimitedWarning {
  private windowStart = Number.NEGATIVE_INFINITY;
  private inWindow = 0;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly options: { perMinute: number; now: () => number },
  ) {}

  warn(fields: Record<string, unknown>): void {
    const now = this.options.now();
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow >= this.options.perMinute) {
      this.suppressed += 1;
      return;
    }
    this.inWindow += 1;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    this.logger.warn(suppressed > 0 ? { ...fields, suppressed } : fields, this.message);
  }
}
