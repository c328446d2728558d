/**
 * Genesys down as a whole, then back: the circuit breaker holds its deliveries (one probe a second)
 * and releases them all when it answers again, instead of each waiting out its own backoff.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lineTemplate, startBed, until, type Bed } from '../helpers/bed.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const CUSTOMERS = 20;
const EACH = 5;
const customer = (c: number) => `U${String(c).padStart(2, '0')}${'c'.repeat(30)}`;

describe('Genesys outage and the circuit breaker', () => {
  it('20 customers × 5 messages held during a 503 outage are all delivered within seconds of recovery (not after a 30 s backoff), in order, once', async () => {
    // A backoff of 30-60 s for the first retry: only the breaker can release them sooner.
    bed = await startBed({ backoff: { baseMs: 60_000, maxMs: 300_000 } });
    const relay = bed.relay;
    bed.genesys.faults.add({ route: 'inbound-message', status: 503, times: Infinity });
    for (let m = 0; m < EACH; m++) {
      for (let c = 0; c < CUSTOMERS; c++) {
        const body = lineTemplate('text');
        body.events[0].source.userId = customer(c);
        body.events[0].message.text = `${c}:${m}`;
        expect((await bed.postLine(body)).status).toBe(200);
      }
    }
    await until(() => relay.worker.breakers().genesys === 'open', 'the Genesys breaker to open');
    const openedAt = Date.now();
    const metrics = await (await fetch(`${bed.url}/metrics`)).text();
    expect(metrics).toMatch(/^line_genesys_breaker_open\{upstream="genesys"\} 1$/m);
    expect(metrics).toMatch(/^line_genesys_breaker_open\{upstream="line"\} 0$/m);
    // Two probes at least, then Genesys is back. (Requests in flight when it opened land within 500 ms;
    // the first probe goes a second after the failure that opened it.)
    const refusedSince = () => bed!.genesys.requests.filter((r) => r.route === 'inbound-message' && r.at > openedAt + 500);
    await until(() => refusedSince().length >= 2, 'two probes', 5000);
    bed.genesys.faults.clear();

    await bed.genesys.waitFor((g) => g.messages.length === CUSTOMERS * EACH, 8000);
    expect(relay.worker.breakers().genesys).toBe('closed');
    // While open: one probe at a time, about a second apart (not every held job retrying).
    const probes = refusedSince().filter((r) => r.status === 503);
    for (let i = 1; i < probes.length; i++) expect(probes[i]!.at - probes[i - 1]!.at).toBeGreaterThanOrEqual(900);
    // Each customer's messages in the order sent, none twice.
    const texts = bed.genesys.messages.map((m) => m.body.text as string);
    expect(new Set(texts).size).toBe(CUSTOMERS * EACH);
    for (let c = 0; c < CUSTOMERS; c++) {
      expect(texts.filter((t) => t.startsWith(`${c}:`))).toEqual(Array.from({ length: EACH }, (_, m) => `${c}:${m}`));
    }
    expect((await relay.context.store.counts()).dead).toBe(0);
  });
});
