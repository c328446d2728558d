/**
 * The Store contract, the same cases against every engine: memory, SQLite (in its own thread and in
 * the caller's) and PostgreSQL. Then what only a shared database has to promise: replicas starting
 * at once, claiming at once, and taking over the jobs of one that died.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { MIGRATIONS } from '../../../src/store/postgres-migrations.js';
import type { NewJob, Store } from '../../../src/store/store.js';
import { storesUnderTest } from '../../helpers/stores.js';

const { databaseUrl, open, newSchema, openPg, engines } = await storesUnderTest('lg-store-');

const job = (key: string, order: string, at = 1): NewJob => ({ kind: 'inbound', dedupeKey: key, orderKey: order, channelId: 'th', payload: `{"k":"${key}"}`, receivedAt: at });

describe.each(engines)('%s store', (_name, make) => {
  it('dedupes on the key, reporting which were new', async () => {
    const s = await make();
    expect((await s.enqueue([job('a', 'u1'), job('b', 'u1')])).duplicates).toBe(0);
    const again = await s.enqueue([job('a', 'u1'), job('c', 'u2')]);
    expect(again.duplicates).toBe(1);
    expect(again.ids[0]).toBeNull();
    expect(typeof again.ids[1]).toBe('number');
    expect((await s.counts()).pending).toBe(3);
  });

  it('gives one job per customer at a time, oldest first', async () => {
    const s = await make();
    await s.enqueue([job('a1', 'u1'), job('a2', 'u1'), job('b1', 'u2')]);
    const first = await s.claim(10, 10);
    expect(first.map((j) => j.dedupeKey)).toEqual(['a1', 'b1']);
    expect(await s.claim(10, 10)).toEqual([]);
    await s.complete(first[0]!.id, 10);
    expect((await s.claim(10, 10)).map((j) => j.dedupeKey)).toEqual(['a2']);
  });

  it('a job waiting for a retry holds back the customer’s later jobs', async () => {
    const s = await make();
    await s.enqueue([job('a1', 'u1'), job('a2', 'u1')]);
    const [a1] = await s.claim(10, 10);
    await s.reschedule(a1!.id, 1000, 'HTTP 503', 10);
    expect(await s.claim(20, 10)).toEqual([]);
    expect(await s.nextDueAt()).toBe(1000);
    const [again] = await s.claim(1000, 10);
    expect(again).toMatchObject({ dedupeKey: 'a1', attempts: 1, lastError: 'HTTP 503' });
  });

  it('dead letters release the customer, can be retried or dropped, and stay duplicates', async () => {
    const s = await make();
    await s.enqueue([job('a1', 'u1'), job('a2', 'u1')]);
    const [a1] = await s.claim(10, 10);
    await s.bury(a1!.id, 'HTTP 400', 10);
    expect((await s.list('dead')).map((j) => j.lastError)).toEqual(['HTTP 400']);
    expect((await s.claim(11, 10)).map((j) => j.dedupeKey)).toEqual(['a2']);
    expect(await s.retry(a1!.id, 50)).toBe(1);
    expect(await s.get(a1!.id)).toMatchObject({ state: 'pending', nextAt: 50, receivedAt: 50 });
    expect(await s.drop(a1!.id, 60)).toBe(true);
    expect((await s.enqueue([job('a1', 'u1')])).duplicates).toBe(1);
  });

  it('only the given kinds are claimed', async () => {
    const s = await make();
    await s.enqueue([job('a', 'u1'), { ...job('b', 'out:u1'), kind: 'outbound' }]);
    expect((await s.claim(10, 10, ['outbound'])).map((j) => j.dedupeKey)).toEqual(['b']);
  });

  it('hasten: pending jobs of a kind put off since a time are due now; older, due and other kinds untouched', async () => {
    const s = await make();
    await s.enqueue([job('before', 'u1'), job('during', 'u2'), job('due', 'u3'), { ...job('line', 'out:u4'), kind: 'outbound' }]);
    const claimed = await s.claim(10, 10);
    const id = (k: string) => claimed.find((j) => j.dedupeKey === k)!.id;
    await s.reschedule(id('before'), 90_000, 'x', 100);
    await s.reschedule(id('during'), 90_000, 'x', 2000);
    await s.reschedule(id('due'), 2500, 'x', 2000);
    await s.reschedule(id('line'), 90_000, 'x', 2000);
    expect(await s.hasten('inbound', 1000, 3000)).toBe(1);
    const byKey = async (k: string) => (await s.get(id(k)))!.nextAt;
    expect([await byKey('before'), await byKey('during'), await byKey('due'), await byKey('line')]).toEqual([90_000, 3000, 2500, 90_000]);
    expect((await s.claim(3000, 10)).map((j) => j.dedupeKey)).toEqual(['during', 'due']);
  });

  it('after a crash, running jobs are pending again', async () => {
    const s = await make();
    await s.enqueue([job('a', 'u1')]);
    await s.claim(10, 10);
    expect(await s.recoverRunning()).toBe(1);
    expect(await s.claim(10, 10)).toHaveLength(1);
  });

  it('keeps progress, customers’ last channel and blocked state, and media with an expiry', async () => {
    const s = await make();
    await s.enqueue([job('a', 'u1')]);
    const [a] = await s.claim(10, 10);
    await s.saveProgress(a!.id, '{"pushed":1}');
    expect((await s.get(a!.id))!.progress).toBe('{"pushed":1}');
    await s.setLastChannel('U1', 'tw', 1);
    expect(await s.lastChannel('U1')).toBe('tw');
    await s.setBlocked('th', 'U1', true, 1);
    expect(await s.isBlocked('th', 'U1')).toBe(true);
    expect(await s.isBlocked('tw', 'U1')).toBe(false);
    await s.putMedia({ id: 'm'.repeat(32), channelId: 'th', mime: 'image/png', size: 2, sha256: 'x', expiresAt: 100 });
    expect(await s.getMedia('m'.repeat(32), 99)).toEqual({ id: 'm'.repeat(32), channelId: 'th', mime: 'image/png', size: 2, sha256: 'x', expiresAt: 100 });
    expect(await s.getMedia('m'.repeat(32), 100)).toBeUndefined();
  });

  it('keeps quotable texts until they expire, pruned with media', async () => {
    const s = await make();
    await s.putQuote('468789577898262530', 'สวัสดีครับ', 100);
    await s.putQuote('468789577898262531', 'later', 300);
    expect(await s.getQuote('468789577898262530', 99)).toBe('สวัสดีครับ');
    expect(await s.getQuote('468789577898262530', 100)).toBeUndefined();
    expect(await s.getQuote('468789577898262599', 0)).toBeUndefined();
    await s.putQuote('468789577898262530', 'edited', 200);
    expect(await s.getQuote('468789577898262530', 150)).toBe('edited');
    await s.prune(250, 1000);
    // Pruned: gone even for a reader whose clock is behind.
    expect(await s.getQuote('468789577898262530', 0)).toBeUndefined();
    expect(await s.getQuote('468789577898262531', 0)).toBe('later');
  });

  it('keeps button answers under their references until they expire, and prunes them then', async () => {
    const s = await make();
    await s.putButtonAnswers([
      { ref: 'r'.repeat(22), answer: '{"a":1}', expiresAt: 100 },
      { ref: 's'.repeat(22), answer: '{"b":2}', expiresAt: 300 },
    ]);
    expect(await s.getButtonAnswer('r'.repeat(22), 99)).toBe('{"a":1}');
    expect(await s.getButtonAnswer('r'.repeat(22), 100)).toBeUndefined();
    expect(await s.getButtonAnswer('t'.repeat(22), 0)).toBeUndefined();
    // The same reference again (a retried push): the later expiry holds.
    await s.putButtonAnswers([{ ref: 'r'.repeat(22), answer: '{"a":1}', expiresAt: 200 }]);
    expect(await s.getButtonAnswer('r'.repeat(22), 150)).toBe('{"a":1}');
    // Pruning at 200 forgets the first (expired), not the second: asked about an earlier time, only the second is left.
    await s.prune(200, 1000);
    expect(await s.getButtonAnswer('r'.repeat(22), 150)).toBeUndefined();
    expect(await s.getButtonAnswer('s'.repeat(22), 150)).toBe('{"b":2}');
  });

  it('prunes finished jobs after the retention, freeing their keys', async () => {
    const s = await make();
    await s.enqueue([job('a', 'u1')]);
    const [a] = await s.claim(10, 10);
    await s.complete(a!.id, 10);
    await s.prune(100, 1000);
    expect((await s.enqueue([job('a', 'u1')])).duplicates).toBe(1);
    await s.prune(2000, 1000);
    expect((await s.enqueue([job('a', 'u1')])).duplicates).toBe(0);
  });
});

describe.each(engines)('%s store: one batch per turn', (name, make) => {
  it('runs the calls of one turn in order, each with its own result or error', async () => {
    const s = await make();
    const [first, second, claimed, missing, bad] = await Promise.allSettled([
      s.enqueue([job('a', 'u1')]),
      s.enqueue([job('a', 'u1'), job('b', 'u2')]),
      s.claim(10, 10),
      s.get(12345),
      // No payload: SQLite's NOT NULL refuses this one call, not the batch (the memory engine does not check).
      s.enqueue([{ ...job('c', 'u3'), payload: undefined as unknown as string }]),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { duplicates: 0 } });
    expect(second).toMatchObject({ status: 'fulfilled', value: { duplicates: 1 } });
    expect(claimed.status === 'fulfilled' && claimed.value.map((j) => j.dedupeKey)).toEqual(['a', 'b']);
    expect(missing).toEqual({ status: 'fulfilled', value: undefined });
    expect(bad.status).toBe(name === 'memory' ? 'fulfilled' : 'rejected');
    expect((await s.counts()).running).toBe(2);
  });

  it('refuses calls once closed, after finishing the ones already made', async () => {
    const s = await make();
    const enq = s.enqueue([job('a', 'u1')]);
    await s.close();
    await expect(enq).resolves.toMatchObject({ duplicates: 0 });
    await expect(s.counts()).rejects.toThrow(/closed/);
  });
});

describe.each(engines)('%s store: a retried dead letter', (_name, make) => {
  it('goes before the same customer’s later jobs', async () => {
    const s = await make();
    await s.enqueue([job('a1', 'u1')]);
    const [a1] = await s.claim(10, 10);
    await s.bury(a1!.id, 'HTTP 400', 10);
    await s.enqueue([job('a2', 'u1', 11)]);
    await s.retry(a1!.id, 12);
    expect((await s.claim(20, 10)).map((j) => j.dedupeKey)).toEqual(['a1']);
  });
});

describe.each(engines)('%s store: counts for health checks', (_name, make) => {
  it('counts open and dead jobs without walking the delivered ones', async () => {
    const s = await make();
    await s.enqueue([job('a', 'u1'), job('b', 'u2'), job('c', 'u3')]);
    const [a, b] = await s.claim(10, 2);
    await s.complete(a!.id, 10);
    await s.bury(b!.id, 'x', 10);
    expect(await s.counts({ done: false })).toEqual({ pending: 1, running: 0, dead: 1, done: 0 });
    expect(await s.counts()).toEqual({ pending: 1, running: 0, dead: 1, done: 1 });
  });
});

describe.each(engines)('%s store: chat tokens', (_name, make) => {
  it('gives a reply token once, only while fresh, and keeps the latest event’s per channel and customer', async () => {
    const s = await make();
    await s.setReplyToken('th', 'U1', 'r-old', 1_000);
    await s.setReplyToken('th', 'U1', 'r-new', 2_000);
    await s.setReplyToken('th', 'U1', 'r-redelivered', 1_500);
    await s.setReplyToken('tw', 'U1', 'r-tw', 2_000);
    expect(await s.takeReplyToken('th', 'U1', 52_000, 50_000)).toBe('r-new');
    expect(await s.takeReplyToken('th', 'U1', 52_000, 50_000)).toBeUndefined();
    expect(await s.takeReplyToken('tw', 'U1', 52_001, 50_000)).toBeUndefined();
    // A stale token is taken all the same: it will not be offered again.
    await s.setReplyToken('tw', 'U1', 'r-tw-2', 100_000);
    expect(await s.takeReplyToken('tw', 'U2', 100_000, 50_000)).toBeUndefined();
    expect(await s.takeReplyToken('tw', 'U1', 100_000, 50_000)).toBe('r-tw-2');
  });

  it('gives the latest markAsReadToken once, however old', async () => {
    const s = await make();
    await s.setReadToken('th', 'U1', 'm-1', 1_000);
    await s.setReadToken('th', 'U1', 'm-2', 2_000);
    await s.setReadToken('th', 'U1', 'm-0', 500);
    expect(await s.takeReadToken('tw', 'U1')).toBeUndefined();
    expect(await s.takeReadToken('th', 'U1')).toBe('m-2');
    expect(await s.takeReadToken('th', 'U1')).toBeUndefined();
  });

  it('prunes the tokens of customers no agent answered once the retention has passed', async () => {
    const s = await make();
    await s.setReplyToken('th', 'U1', 'r-old', 1_000);
    await s.setReadToken('th', 'U1', 'm-old', 1_000);
    await s.setReplyToken('th', 'U2', 'r-kept', 5_000);
    await s.setReadToken('th', 'U2', 'm-kept', 5_000);
    await s.prune(10_000, 6_000);
    expect(await s.takeReplyToken('th', 'U1', 10_000, 1e9)).toBeUndefined();
    expect(await s.takeReadToken('th', 'U1')).toBeUndefined();
    expect(await s.takeReplyToken('th', 'U2', 10_000, 1e9)).toBe('r-kept');
    expect(await s.takeReadToken('th', 'U2')).toBe('m-kept');
  });
});

describe.skipIf(!databaseUrl)('postgres store: several replicas on one database', () => {
  it('two replicas starting at once apply each migration once, under the advisory lock', async () => {
    const schema = await newSchema();
    const [a, b] = await Promise.all([openPg(schema), openPg(schema)]);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const rows = (await client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`)).rows;
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await client.end();
    }
    await a.enqueue([job('a', 'u1')]);
    expect((await b.enqueue([job('a', 'u1')])).duplicates).toBe(1);
  });

  it('two replicas claiming at once never run two jobs of one customer, and keep each customer’s order', async () => {
    const schema = await newSchema();
    const replicas = [await openPg(schema), await openPg(schema)];
    const customers = 12;
    const perCustomer = 8;
    const jobs: NewJob[] = [];
    for (let n = 0; n < perCustomer; n++) for (let c = 0; c < customers; c++) jobs.push(job(`u${c}-${n}`, `u${c}`));
    await replicas[0]!.enqueue(jobs);

    const held = new Map<string, number>(); // order key -> the replica running its job
    const clashes: string[] = [];
    const delivered = new Map<string, string[]>();
    let done = 0;
    const work = async (store: Store, who: number): Promise<void> => {
      while (done < jobs.length) {
        const claimed = await store.claim(10, 3);
        for (const j of claimed) {
          if (held.has(j.orderKey)) clashes.push(`${j.dedupeKey} claimed by ${who} while ${held.get(j.orderKey)} ran ${j.orderKey}`);
          held.set(j.orderKey, who);
        }
        await new Promise((r) => setTimeout(r, 1));
        await Promise.all(
          claimed.map(async (j) => {
            delivered.set(j.orderKey, [...(delivered.get(j.orderKey) ?? []), j.dedupeKey]);
            held.delete(j.orderKey);
            await store.complete(j.id, 10);
            done++;
          }),
        );
      }
    };
    await Promise.all(replicas.map((s, i) => work(s, i)));
    expect(clashes).toEqual([]);
    for (let c = 0; c < customers; c++) expect(delivered.get(`u${c}`)).toEqual(Array.from({ length: perCustomer }, (_, n) => `u${c}-${n}`));
  });

  it('a job claimed by a replica that died is claimable by another once its lease has run out', async () => {
    const schema = await newSchema();
    const dying = await openPg(schema, 1000);
    const survivor = await openPg(schema, 1000);
    await dying.enqueue([job('a1', 'u1'), job('a2', 'u1')]);
    const [a1] = await dying.claim(10, 10);
    expect(a1?.dedupeKey).toBe('a1');
    expect(await survivor.claim(1009, 10)).toEqual([]);
    expect(await survivor.nextDueAt()).toBe(1010);
    const taken = await survivor.claim(1010, 10);
    expect(taken.map((j) => [j.id, j.dedupeKey])).toEqual([[a1!.id, 'a1']]);
    // Taken over, it is the survivor's for a lease of its own; the next job still waits for it.
    expect(await dying.claim(1500, 10)).toEqual([]);
  });

  it('a claimed job whose lease was renewed stays its replica’s past the first lease, and no longer', async () => {
    const schema = await newSchema();
    const holder = await openPg(schema, 1000);
    const other = await openPg(schema, 1000);
    await holder.enqueue([job('a1', 'u1'), job('b1', 'u2')]);
    const claimed = await holder.claim(10, 10);
    expect(claimed.map((j) => j.dedupeKey)).toEqual(['a1', 'b1']);
    // Held until 1010; renewed at 800 for a1 only: a1 is held until 1800, b1's lease runs out at 1010.
    await holder.renew([claimed[0]!.id], 800);
    expect((await other.claim(1010, 10)).map((j) => j.dedupeKey)).toEqual(['b1']);
    expect(await other.claim(1799, 10)).toEqual([]);
    expect((await other.claim(1800, 10)).map((j) => j.dedupeKey)).toEqual(['a1']);
  });
});

describe('postgres store: settings', () => {
  it('without a database URL, or on a server that does not answer: a ConfigError naming the setting, never the password', async () => {
    const settings = { store: 'postgres' as const, storePath: '', storeSync: 'normal' as const };
    await expect(openStore(settings)).rejects.toMatchObject({ code: 'CONFIG_INVALID', setting: 'relay.databaseUrl' });
    const refused = openStore({ ...settings, databaseUrl: 'postgres://relay:s3cret-pw@127.0.0.1:1/queue' });
    await expect(refused).rejects.toMatchObject({
      setting: 'relay.databaseUrl',
      message: expect.stringContaining('cannot open the PostgreSQL store at 127.0.0.1:1/queue: connect ECONNREFUSED'),
    });
    await expect(refused).rejects.not.toThrow(/s3cret-pw/);
  });
});
