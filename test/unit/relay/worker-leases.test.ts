/**
 * A worker on PostgreSQL holds the jobs it claimed until they are recorded: it renews their leases
 * (a job claimed ahead can wait, and a delivery last, longer than a lease), and it records a
 * delivery done once the database is back from an outage. Otherwise another replica, or this one,
 * would deliver them a second time when the lease ran out.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log.js';
import { Worker } from '../../../src/relay/worker.js';
import { openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/store.js';
import { freshSchema, startForwarder, testDatabaseUrl } from '../../helpers/postgres.js';

const databaseUrl = await testDatabaseUrl();
const LEASE_MS = 300;

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

/** A store on a schema of its own, closed and dropped after the tests. */
async function replicas(leaseMs: number): Promise<(url: string) => Promise<Store>> {
  const { schema, drop } = await freshSchema(databaseUrl!);
  cleanup.push(drop);
  return async (url) => {
    const s = await openStore({ store: 'postgres', databaseUrl: url, leaseMs, storePath: '', storeSync: 'normal' }, { schema });
    cleanup.push(() => s.close());
    return s;
  };
}

const enqueue = (store: Store, keys: string[]) =>
  store.enqueue(keys.map((k) => ({ kind: 'inbound' as const, dedupeKey: k, orderKey: k, channelId: 'th', payload: '{}', receivedAt: Date.now() })));

describe.runIf(databaseUrl)('a worker on PostgreSQL', () => {
  it('keeps the jobs it holds past their first lease: another replica cannot claim them', async () => {
    const replica = await replicas(LEASE_MS);
    const [mine, other] = [await replica(databaseUrl!), await replica(databaseUrl!)];

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
    await enqueue(mine, ['a', 'b']);
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

  it('records a job delivered while the database was away done once it is back, and delivers it once', async () => {
    // A lease far longer than the wait below: the job cannot be done by being taken over and delivered again.
    const replica = await replicas(60_000);
    const forwarder = await startForwarder(databaseUrl!);
    cleanup.push(() => forwarder.stop());
    const [mine, watcher] = [await replica(forwarder.url), await replica(databaseUrl!)];
    const delivered: string[] = [];
    const w = new Worker({
      store: mine,
      log: silentLogger,
      handlers: {
        inbound: async (job) => {
          delivered.push(job.dedupeKey);
          // The database goes away as the delivery ends, before it is recorded, for 700 ms.
          await forwarder.stop();
          setTimeout(() => void forwarder.start(), 700);
        },
        outbound: async () => {},
      },
    });
    await enqueue(mine, ['a']);
    await w.start();
    cleanup.push(() => w.stop());
    const deadline = Date.now() + 5000;
    while ((await watcher.counts()).done < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await watcher.counts()).toMatchObject({ pending: 0, running: 0, done: 1 });
    expect(delivered).toEqual(['a']);
  });
});
