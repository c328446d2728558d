/**
 * Fault injection for the emulators: make a route answer an error (or answer late) the next N times.
 * Shared by the LINE and Genesys emulators so tests speak one language for both.
 */
export interface Fault {
  /** Route name as the emulator documents it, e.g. 'push', 'inbound-message', 'token'. '*' matches all. */
  route: string;
  /** Status to answer with. Omit with delayMs to only slow the answer down. */
  status?: number;
  /** How many requests it applies to; Infinity until cleared. Default 1. */
  times?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (or before passing the request on, when no status is set). */
  delayMs?: number;
  /** Drop the connection without answering. */
  destroy?: boolean;
}

export class FaultPlan {
  private faults: Array<Fault & { left: number }> = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clear(route?: string): void {
    this.faults = route ? this.faults.filter((f) => f.route !== route) : [];
  }

  /** The fault that applies to this request, consuming one use of it. */
  take(route: string): Fault | undefined {
    const f = this.faults.find((x) => (x.route === route || x.route === '*') && x.left > 0);
    if (!f) return undefined;
    f.left -= 1;
    if (f.left <= 0) this.faults = this.faults.filter((x) => x !== f);
    return f;
  }
}
