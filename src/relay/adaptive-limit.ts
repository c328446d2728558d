/**
 * How many deliveries to one platform may run at once, found by watching its answers (AIMD):
 * - it starts at `min` and doubles every round trip (one more slot per success) while the slots are
 *   used and latency holds, then, after the first sign of strain, grows by √limit slots per round
 *   trip (doubling again after an outage: `restart`);
 * - a 429, a 5xx or no answer halves it; a latency well above the platform's usual one takes a tenth
 *   off. Either cut happens at most once per round trip: the answers to requests sent before a cut
 *   say nothing about the new limit;
 * - after a 429 (a rate limit), for a while (`ceilingMs`), it grows back only to 0.9 × the limit that
 *   met the 429: under a rate limit each overshoot costs a Retry-After during which
 *   nothing goes, so the limit settles just under the rate instead of growing into it again and again;
 * - it never goes below `min` nor above `max`.
 * "Latency holds" while the answers take, smoothed (a moving average: one slow answer is jitter, of
 * the platform or of our own event loop), at most `tolerance` × the fastest answer of the last
 * window plus `slackMs`.
 * Pure: the clock is given.
 */
export interface AdaptiveLimitOptions {
  /** Where it starts, and the floor. */
  min: number;
  /** The cap. */
  max: number;
  now: () => number;
  /** Default 2. */
  tolerance?: number;
  /** Default 50 ms. */
  slackMs?: number;
  /** How long the fastest answer stays the baseline before the window's own fastest replaces it. Default 10 s. */
  windowMs?: number;
  /** How long after a 429 growth stops at 0.9 × the limit that met it. Default 30 s. */
  ceilingMs?: number;
}

/** Under a rate limit, growth stops at this share of the limit that met the last 429. */
const CEILING_SHARE = 0.9;

/** A cut is not repeated within this long, nor within two of the platform's round trips. */
const MIN_COOLDOWN_MS = 100;
/** The weight of the latest answer in the smoothed latency. */
const SMOOTHING = 0.2;

export class AdaptiveLimit {
  private value: number;
  private slowStart = true;
  private lastCutAt = Number.NEGATIVE_INFINITY;
  private baseline: number | undefined;
  private smoothed: number | undefined;
  private windowMin: number | undefined;
  private windowStart: number;
  private readonly tolerance: number;
  private readonly slackMs: number;
  private readonly windowMs: number;
  private readonly ceilingMs: number;
  /** After a 429: how far the limit may grow again, and until when. */
  private ceiling: { value: number; until: number } | undefined;

  constructor(private readonly opts: AdaptiveLimitOptions) {
    if (!(opts.min >= 1) || !(opts.max >= opts.min)) throw new RangeError(`an adaptive limit needs 1 <= min <= max (min ${opts.min}, max ${opts.max})`);
    this.value = opts.min;
    this.tolerance = opts.tolerance ?? 2;
    this.slackMs = opts.slackMs ?? 50;
    this.windowMs = opts.windowMs ?? 10_000;
    this.ceilingMs = opts.ceilingMs ?? 30_000;
    this.windowStart = opts.now();
  }

  /** Deliveries that may run at once now. */
  get current(): number {
    return Math.floor(this.value);
  }

  /** The platform answered (any answer that is not a 429 or 5xx) in `latencyMs`, with `inFlight` deliveries running at the time. */
  succeeded(latencyMs: number, inFlight: number): void {
    const now = this.opts.now();
    this.noteLatency(latencyMs, now);
    if (this.smoothed! > this.baseline! * this.tolerance + this.slackMs) {
      this.cut(0.9, now);
      return;
    }
    // Slots left unused say nothing about whether more would be welcome.
    if (inFlight < this.current / 2) return;
    if (this.ceiling && now >= this.ceiling.until) this.ceiling = undefined;
    const cap = Math.min(this.opts.max, this.ceiling?.value ?? Infinity);
    if (this.value >= cap) return;
    this.value = Math.min(cap, this.value + (this.slowStart ? 1 : 1 / Math.sqrt(this.value)));
  }

  /**
   * The platform is back after an outage: its 5xx said it was down, not that it was loaded. Grow
   * again by doubling, as at the start, from wherever the outage left the limit.
   */
  restart(): void {
    this.slowStart = true;
  }

  /** The platform said it is overloaded (5xx) or did not answer. */
  overloaded(): void {
    this.cut(0.5, this.opts.now());
  }

  /** The platform answered 429: it limits our rate. Halves, and caps the growth back (CEILING_SHARE). */
  rateLimited(): void {
    const now = this.opts.now();
    const before = this.value;
    if (this.cut(0.5, now)) this.ceiling = { value: Math.max(this.opts.min, before * CEILING_SHARE), until: now + this.ceilingMs };
  }

  /** Returns whether it cut (not within the cooldown of the last cut). */
  private cut(factor: number, now: number): boolean {
    this.slowStart = false;
    if (now - this.lastCutAt < Math.max(MIN_COOLDOWN_MS, 2 * (this.baseline ?? 0))) return false;
    this.lastCutAt = now;
    this.value = Math.max(this.opts.min, this.value * factor);
    return true;
  }

  private noteLatency(latencyMs: number, now: number): void {
    if (now - this.windowStart >= this.windowMs) {
      if (this.windowMin !== undefined) this.baseline = this.windowMin;
      this.windowMin = undefined;
      this.windowStart = now;
    }
    this.windowMin = Math.min(this.windowMin ?? latencyMs, latencyMs);
    this.baseline = Math.min(this.baseline ?? latencyMs, latencyMs);
    this.smoothed = this.smoothed === undefined ? latencyMs : this.smoothed + SMOOTHING * (latencyMs - this.smoothed);
  }
}
