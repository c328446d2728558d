/**
 * Fault injection for the emulators: make a route answer an error (or answer late) the next N times,
 * or refuse the requests above a rate, as a platform's rate limit does.
 * Shared by the LINE and Genesys emulators so tests speak one language for both.
 */
export interface Fault {
  /** Route name as the emulator documents it, e.g. 'push', 'inbound-message', 'token'. '*' matches all. */
  route: string;
  /** Status to answer with. Omit with delayMs to only slow the answer down. With ratePerSecond: the answer above the rate (default 429). */
  status?: number;
  /** How many requests it applies to (with ratePerSecond: how many it refuses); Infinity until cleared. Default 1, or Infinity with ratePerSecond. */
  times?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (or before passing the request on, when no status is set). */
  delayMs?: number;
  /** Drop the connection without answering. */
  destroy?: boolean;
  /**
   * A rate limit: the requests beyond this many in any second are answered `status` (429) with
   * Retry-After; those within it pass on (to the other faults, then the route).
   */
  ratePerSecond?: number;
  /** The Retry-After of a refusal above the rate, in seconds. Default 1. */
  retryAfterSeconds?: number;
}

interface Planned extends Fault {
  left: number;
  /** Rate limit: when each request let through in the last second arrived, oldest first. */
  passed?: number[];
}

export class FaultPlan {
  private faults: Planned[] = [];

  /** `now`: the clock of rate limits (tests give their own). */
  constructor(private readonly now: () => number = Date.now) {}

  /** Adds a fault; throws a RangeError naming the field when it cannot mean anything. */
  add(fault: Fault): void {
    validateFault(fault);
    const rate = fault.ratePerSecond !== undefined;
    this.faults.push({ ...fault, left: fault.times ?? (rate ? Infinity : 1), ...(rate ? { passed: [] } : {}) });
  }

  clear(route?: string): void {
    this.faults = route ? this.faults.filter((f) => f.route !== route) : [];
  }

  /** The fault that applies to this request, consuming one use of it. */
  take(route: string): Fault | undefined {
    for (const f of this.faults) {
      if ((f.route !== route && f.route !== '*') || f.left <= 0) continue;
      if (f.passed && this.withinRate(f)) continue;
      f.left -= 1;
      if (f.left <= 0) this.faults = this.faults.filter((x) => x !== f);
      return f.passed ? refusal(f) : f;
    }
    return undefined;
  }

  /** Whether one more request fits in the last second's rate; if it does, it is counted. */
  private withinRate(f: Planned): boolean {
    const now = this.now();
    const passed = f.passed!;
    while (passed.length && passed[0]! <= now - 1000) passed.shift();
    if (passed.length >= f.ratePerSecond!) return false;
    passed.push(now);
    return true;
  }
}

function refusal(f: Planned): Fault {
  return {
    route: f.route,
    status: f.status ?? 429,
    headers: { 'Retry-After': String(f.retryAfterSeconds ?? 1), ...f.headers },
    ...(f.body !== undefined ? { body: f.body } : {}),
  };
}

function validateFault(f: Fault): void {
  const bad = (field: string, why: string) => new RangeError(`fault ${field} ${why} (got ${JSON.stringify((f as unknown as Record<string, unknown>)[field])})`);
  if (typeof f.route !== 'string' || !f.route) throw bad('route', "must name a route, or '*'");
  if (f.status !== undefined && !(Number.isInteger(f.status) && f.status >= 100 && f.status <= 599)) throw bad('status', 'must be an HTTP status from 100 to 599');
  if (f.times !== undefined && !(f.times === Infinity || (Number.isInteger(f.times) && f.times >= 1))) throw bad('times', 'must be a whole number from 1, or Infinity');
  if (f.delayMs !== undefined && !(Number.isFinite(f.delayMs) && f.delayMs >= 0)) throw bad('delayMs', 'must be a number of milliseconds from 0');
  if (f.ratePerSecond !== undefined) {
    if (!(Number.isFinite(f.ratePerSecond) && f.ratePerSecond > 0)) throw bad('ratePerSecond', 'must be a number above 0');
    if (f.destroy || f.delayMs !== undefined) throw bad('ratePerSecond', 'cannot be combined with destroy or delayMs: add those as faults of their own');
  }
  if (f.retryAfterSeconds !== undefined) {
    if (f.ratePerSecond === undefined) throw bad('retryAfterSeconds', 'applies only with ratePerSecond: give a Retry-After header otherwise');
    if (!(Number.isInteger(f.retryAfterSeconds) && f.retryAfterSeconds >= 0)) throw bad('retryAfterSeconds', 'must be a whole number of seconds from 0');
  }
}
