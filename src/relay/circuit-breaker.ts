/**
 * Whether a platform is down as a whole. After `threshold` failures in a row that say "down" (a 5xx,
 * no answer, a timeout) the breaker opens: its jobs wait instead of each backing off on its own,
 * and one of them goes as a probe every `probeEveryMs`. Any answer that is not "down" closes it,
 * and every waiting job may go at once.
 * Pure: the clock is given; the worker asks before starting a job and reports each ending.
 */
export type BreakerState = 'closed' | 'open';

export interface CircuitBreakerOptions {
  /** Default 5. */
  threshold?: number;
  /** Default 1 s. */
  probeEveryMs?: number;
  now: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  /** When the current run of failures began. */
  private failingSince = 0;
  private opened = false;
  private probing = false;
  private nextProbe = 0;
  private readonly threshold: number;
  private readonly probeEveryMs: number;

  constructor(private readonly opts: CircuitBreakerOptions) {
    this.threshold = opts.threshold ?? 5;
    this.probeEveryMs = opts.probeEveryMs ?? 1000;
  }

  get state(): BreakerState {
    return this.opened ? 'open' : 'closed';
  }

  /** When the next probe may go (while open). */
  get nextProbeAt(): number | undefined {
    return this.opened ? this.nextProbe : undefined;
  }

  /** Whether a job could start now (without taking the probe's turn). */
  canStart(): boolean {
    return !this.opened || (!this.probing && this.opts.now() >= this.nextProbe);
  }

  /** Whether a job may start: 'go', or 'probe' while open (one at a time), or undefined: wait. */
  tryStart(): 'go' | 'probe' | undefined {
    if (!this.canStart()) return undefined;
    if (!this.opened) return 'go';
    this.probing = true;
    return 'probe';
  }

  /**
   * The platform answered. When this closed the breaker, returns since when the platform had been
   * failing (the jobs put off since then were put off by the outage); otherwise undefined.
   */
  succeeded(): number | undefined {
    this.failures = 0;
    this.probing = false;
    if (!this.opened) return undefined;
    this.opened = false;
    return this.failingSince;
  }

  /** The platform is down for this job (`probe`: the job was the probe). Returns true when this opened the breaker. */
  failed(probe = false): boolean {
    const now = this.opts.now();
    if (this.failures++ === 0) this.failingSince = now;
    if (this.opened) {
      if (probe) {
        this.probing = false;
        this.nextProbe = now + this.probeEveryMs;
      }
      return false;
    }
    if (this.failures < this.threshold) return false;
    this.opened = true;
    this.nextProbe = now + this.probeEveryMs;
    return true;
  }
}
