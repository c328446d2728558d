/**
 * PostgreSQL goes away under a running relay, and comes back. The relay's store reaches the server
 * through a TCP forwarder (test/helpers/postgres.ts), which the test stops (every connection cut, new ones
 * refused) and starts again. Meanwhile webhooks get 503 with a Retry-After, so LINE redelivers,
 * and /readyz 503 (/healthz, liveness, stays 200); afterwards the relay has reconnected by itself, and every webhook answered 200
 * was delivered once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { lineTemplate, outageAnswers, startBed, until, type Bed } from '../helpers/bed.js';
import { freshSchema, startForwarder, testDatabaseUrl, type Forwarder } from '../helpers/postgres.js';

const databaseUrl = await testDatabaseUrl();

let bed: Bed | undefined;
let store: Store | undefined;
let forwarder: Forwarder | undefined;
let drop: (() => Promise<void>) | undefined;
beforeAll(async () => {
  if (!databaseUrl) return;
  const fresh = await freshSchema(databaseUrl);
  drop = fresh.drop;
  forwarder = await startForwarder(databaseUrl);
  store = await openStore({ store: 'postgres', databaseUrl: forwarder.url, storePath: '', storeSync: 'normal' }, { schema: fresh.schema });
  bed = await startBed({ existingStore: store });
});
afterAll(async () => {
  await bed?.close();
  await store?.close();
  await forwarder?.stop().catch(() => undefined);
  await drop?.();
});

describe.runIf(databaseUrl)('PostgreSQL goes away and comes back', () => {
  it('webhooks get 503 with Retry-After meanwhile, /readyz 503, then 200 again; nothing answered 200 is lost', async () => {
    const b = bed!;
    const texts = (body: { events: Array<{ message: { text: string } }> }) => body.events[0]!.message.text;
    const accepted: string[] = [];
    for (let i = 0; i < 3; i++) {
      const body = lineTemplate('text');
      expect((await b.postLine(body)).status).toBe(200);
      accepted.push(texts(body));
    }
    await until(() => b.genesys.messages.length === 3, 'the first three messages in Genesys');
    // Recorded done too: a completion cut off by the outage would hold the customer's line until its lease ran out.
    await until(async () => (await store!.counts({ done: true })).done === 3, 'the first three jobs done');

    await forwarder!.stop();
    const refusedBody = lineTemplate('text');
    expect(await outageAnswers(b.url, refusedBody)).toMatchObject({
      webhook: { status: 503, retryAfter: '5', body: { message: expect.stringMatching(/could not store the request; it will be retried by the sender/) } },
      // Without relay.healthDetail the reason (it may name the database host) stays in the relay's log.
      ready: { status: 503, body: { status: 'error', message: 'store unavailable' } },
      live: { status: 200, body: { status: 'ok' } },
    });

    await forwarder!.start();
    // LINE redelivers the refused webhook; the relay has reconnected by itself.
    await until(async () => (await fetch(`${b.url}/readyz`)).status === 200, '/readyz ready again', 10_000);
    expect((await b.postLine(refusedBody)).status).toBe(200);
    accepted.push(texts(refusedBody));
    const after = lineTemplate('text');
    expect((await b.postLine(after)).status).toBe(200);
    accepted.push(texts(after));

    await until(() => b.genesys.messages.length >= 5, 'all five messages in Genesys', 10_000);
    await until(async () => (await store!.counts({ done: true })).done === 5, 'five jobs done', 10_000);
    expect(b.genesys.messages.map((m) => m.body.text).sort()).toEqual([...accepted].sort());
  }, 30_000);
});
