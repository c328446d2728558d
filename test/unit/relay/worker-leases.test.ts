/**
 * A worker claims up to twice its concurrency: a job claimed ahead can wait, and a delivery can
 * last, longer than the store's lease. The worker renews the leases of the jobs it holds, so that
 * another replica on the same PostgreSQL does not take them over and deliver them a second time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log.js';
import { Worker } from '../../../src/relay/worker.js';
import { openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/store.js';
import { freshSchema, testDatabaseUrl } from '../../helpers/postgres.js';

const databaseUrl = await testDatabaseUrl();
const LEASE_MS = 300;

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

describe.runIf(databaseUrl)('a worker on PostgreSQL', () => {
  it('keeps the jobs it holds past their first lease: another replica cannot claim them', async () => {
    const { schema, drop } = await freshSchema(databaseUrl!);
    cleanup.push(drop);
    const replica = async (): Promise<Store> => {
      const s = await openStore({ store: 'postgres', databaseUrl, leaseMs: LEASE_MS, storePath: '', storeSync: 'normal' }, { schema });
      cleanup.push(() => s.close());
      return s;
    };
    const [mine, other] = [await replica(), await replica()];

    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const delivered: string[] = [];
    const w = new Worker({
      store: mine,
      concurrency: 1,
      renewEveryMs: LEASE_MS / 3,
      log: silentLogger,
      handlers: {
        inbound: async (job) => {
          delivered.push(job.dedupeKey);
          await released;
        },
        outbound: async () => {},
      },
    });
    const now = Date.now();
    await mine.enqueue(['a', 'b'].map((k) => ({ kind: 'inbound' as const, dedupeKey: k, orderKey: k, channelId: 'th', payload: '{}', receivedAt: now })));
    await w.start();
    cleanup.push(() => w.stop());
    // One delivering, one claimed ahead and waiting for the slot.
    const deadline = Date.now() + 3000;
    while ((await mine.counts()).running < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(await mine.counts()).toMatchObject({ pending: 0, running: 2 });

    await new Promise((r) => setTimeout(r, 3 * LEASE_MS));
    expect(await other.claim(Date.now(), 10)).toEqual([]);

    release();
    while ((await mine.counts()).done < 2 && Date.now() < deadline + 3000) await new Promise((r) => setTimeout(r, 5));
    expect(delivered).toEqual(['a', 'b']);
    expect(await mine.counts()).toMatchObject({ pending: 0, running: 0, done: 2 });
  });
});
