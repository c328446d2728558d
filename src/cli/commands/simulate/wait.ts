/**
 * `simulate --wait`: follows an accepted event to its delivery through the relay's
 * GET /deliveries/<id>, until it is delivered, ignored or failed, or the time is up.
 */
import { LineGenesysError } from '../../../errors.js';

export interface Delivery {
  state: 'accepted' | 'retrying' | 'delivered' | 'failed' | 'ignored' | 'dead';
  detail?: string;
  httpStatus?: number;
}

export const WAIT_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

/** Where the event stands once it is no longer on its way, or (time up) where it last stood. */
export async function followDelivery(base: string, id: string, signal?: AbortSignal, timeoutMs = WAIT_TIMEOUT_MS): Promise<Delivery & { settled: boolean }> {
  const deadline = Date.now() + timeoutMs;
  let last: Delivery = { state: 'accepted' };
  for (;;) {
    const res = await fetch(`${base}/deliveries/${encodeURIComponent(id)}`, { ...(signal ? { signal } : {}) });
    const body = (await res.json().catch(() => undefined)) as (Delivery & { error?: string }) | undefined;
    if (res.status !== 200 || !body?.state) {
      throw new LineGenesysError('WAIT_UNSUPPORTED', `the relay answered ${res.status} to GET /deliveries/${id}${body?.error ? ` ${body.error}` : ''}`, {
        hint: 'This relay cannot say where a delivery stands: update it, or drop --wait and watch its logs.',
      });
    }
    last = { state: body.state, ...(body.detail ? { detail: body.detail } : {}), ...(body.httpStatus !== undefined ? { httpStatus: body.httpStatus } : {}) };
    if (last.state !== 'accepted' && last.state !== 'retrying') return { ...last, settled: true };
    if (Date.now() >= deadline) return { ...last, settled: false };
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The error for a delivery that failed, or that had not settled in time. */
export function deliveryError(d: Delivery & { settled: boolean }, timeoutMs = WAIT_TIMEOUT_MS): LineGenesysError | undefined {
  if (!d.settled) {
    return new LineGenesysError('DELIVERY_PENDING', `not delivered after ${timeoutMs / 1000} s: still ${d.state}${d.detail ? ` (${d.detail})` : ''}`, {
      hint: 'The relay keeps retrying: its logs and `line-genesys queue list` say why.',
    });
  }
  if (d.state === 'failed' || d.state === 'dead') {
    return new LineGenesysError('DELIVERY_FAILED', `delivery ${d.state}${d.detail ? `: ${d.detail}` : ''}`, {
      hint:
        d.state === 'dead'
          ? '`line-genesys queue list` shows the dead letters; `line-genesys queue retry <id>` sends one again.'
          : /blocked/i.test(d.detail ?? '')
            ? 'The agent is told this reason. `line-genesys simulate follow` lifts the block of the sample customer.'
            : 'The agent is told this reason.',
    });
  }
  return undefined;
}
