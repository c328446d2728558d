/** How long and how much the relay's door gives a client, and how often it logs a repeated refusal. */
export interface RelayLimits {
  /** Time to receive a request's headers (node:http `headersTimeout`); then 408. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, headers and body (node:http `requestTimeout`); then 408. */
  requestTimeoutMs: number;
  /** Longest silence in the middle of a body; then 408 and the connection is closed. */
  bodyIdleTimeoutMs: number;
  /** Connections open at once (node:http `maxConnections`); more are closed on arrival. */
  maxConnections: number;
  /** A refusal repeated for the same reason is logged once per interval, with its count. 0 logs each. */
  refusalLogIntervalMs: number;
}

export const DEFAULT_LIMITS: RelayLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  bodyIdleTimeoutMs: 5_000,
  maxConnections: 1_000,
  refusalLogIntervalMs: 10_000,
};

export function resolveLimits(given: Partial<RelayLimits> = {}): RelayLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const k of Object.keys(DEFAULT_LIMITS) as Array<keyof RelayLimits>) {
    const v = given[k];
    if (v !== undefined) {
      if (!Number.isFinite(v) || v < 0) throw new RangeError(`relay limit ${k} must be a number of 0 or more, not ${String(v)}`);
      limits[k] = v;
    }
  }
  return limits;
}
