/**
 * A relay on the PostgreSQL store, between the LINE and Genesys emulators: a customer's message and
 * an agent's reply are each delivered once, a redelivery of either stays a duplicate, and the jobs
 * end done in the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redeliver, sendAgentMessage } from '../../src/sandbox/outbound-webhook.js';
import { openStore, type Store } from '../../src/store/index.js';
import { CHANNELS, USER, lineTemplate, startBed, until, type Bed } from '../helpers/bed.js';
import { freshSchema, testDatabaseUrl } from '../helpers/postgres.js';

const databaseUrl = await testDatabaseUrl();

let bed: Bed | undefined;
let store: Store | undefined;
let drop: (() => Promise<void>) | undefined;
beforeAll(async () => {
  if (!databaseUrl) return;
  const fresh = await freshSchema(databaseUrl);
  drop = fresh.drop;
  store = await openStore({ store: 'postgres', databaseUrl, storePath: '', storeSync: 'normal' }, { schema: fresh.schema });
  bed = await startBed({ existingStore: store });
});
afterAll(async () => {
  await bed?.close();
  await store?.close();
  await drop?.();
});

describe.runIf(databaseUrl)('a relay on PostgreSQL', () => {
  it('delivers an inbound message and an agent reply once each', async () => {
    const b = bed!;
    const body = lineTemplate('text');
    expect(await b.postLine(body)).toMatchObject({ status: 200, body: { accepted: 1, duplicates: 0 } });
    expect(await b.postLine(body)).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 1 } });
    await until(() => b.genesys.messages.length === 1, 'the message in Genesys');

    const sent = await sendAgentMessage(b.genesys, { integrationId: CHANNELS.th.integrationId, to: USER, text: 'once only' });
    expect(sent.status).toBe(200);
    expect((await redeliver(b.genesys, sent.messageId)).body).toEqual({ accepted: 0, duplicates: 1 });
    await until(() => b.line.pushes.length === 1, 'the push to LINE');
    await until(async () => (await store!.counts({ done: true })).done === 2, 'both jobs done');
    // Time for a second delivery of either, had one been made.
    await new Promise((r) => setTimeout(r, 300));
    expect(b.genesys.messages).toHaveLength(1);
    expect(b.genesys.messages[0]!.body.text).toBe((body.events[0] as { message: { text: string } }).message.text);
    expect(b.line.pushes).toHaveLength(1);
    expect(b.line.pushes[0]).toMatchObject({ to: USER, messages: [{ type: 'text', text: 'once only' }] });
    expect(await store!.counts({ done: true })).toMatchObject({ pending: 0, running: 0, dead: 0, done: 2 });
  });
});
