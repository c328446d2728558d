/**
 * The SQLite store's thread dies while the relay runs (in production: the thread out of memory,
 * say). No webhook may be answered 200 without its commit: from then on LINE gets 503 with a
 * Retry-After (and sends again), /readyz says 503 so a supervisor restarts the relay, and what
 * was accepted before is in the database for the next start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchedStore } from '../../src/store/batched.js';
import { openStore } from '../../src/store/index.js';
import { startStoreThread, threadBatches } from '../../src/store/threaded.js';
import { lineTemplate, outageAnswers, startBed, until, type Bed } from '../helpers/bed.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-store-thread-'));
let bed: Bed | undefined;
afterAll(async () => {
  await bed?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the store thread dies mid-run', () => {
  it('later webhooks get 503 with a Retry-After, /readyz 503, and every webhook answered 200 is in the database', async () => {
    const path = join(dir, 'relay.db');
    const thread = startStoreThread({ path, sync: 'normal' });
    const store = new BatchedStore('sqlite', await threadBatches(thread));
    bed = await startBed({ existingStore: store, env: { LINE_GENESYS_HEALTH_DETAIL: 'true' } });

    const accepted: string[] = [];
    for (let i = 0; i < 5; i++) {
      const body = lineTemplate('text');
      const r = await bed.postLine(body);
      expect(r.status).toBe(200);
      accepted.push(body.events[0].webhookEventId);
    }
    await until(() => bed!.genesys.messages.length === 5, 'the five messages in Genesys');
    expect((await fetch(`${bed.url}/readyz`)).status).toBe(200);

    await thread.terminate();

    const refusedBody = lineTemplate('text');
    expect(await outageAnswers(bed.url, refusedBody)).toMatchObject({
      webhook: { status: 503, retryAfter: '5', body: { message: expect.stringMatching(/could not store the request; it will be retried by the sender/) } },
      ready: { status: 503, body: { status: 'error', message: expect.stringMatching(/store unavailable: the SQLite store's thread stopped/) } },
      live: { status: 200, body: { status: 'ok' } },
    });

    // The next start: the accepted webhooks are there (delivered), the refused one is not.
    const reopened = await openStore({ store: 'sqlite', storePath: path, storeSync: 'normal' }, { thread: false });
    try {
      const counts = await reopened.counts();
      expect(counts.done + counts.running + counts.pending).toBe(5);
      const keys = (await reopened.list('done', 100)).concat(await reopened.list('running', 100)).map((j) => j.dedupeKey);
      for (const id of accepted) expect(keys).toContain(`line:th:${id}`);
      expect(keys.some((k) => k.endsWith(refusedBody.events[0].webhookEventId))).toBe(false);
    } finally {
      await reopened.close();
    }
  });
});
