/** The Store contract, run against every engine: dedupe, per-customer order, retries, dead letters, recovery. */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';
import { SqliteEngine } from '../../../src/store/sqlite.js';
import type { NewJob, Store } from '../../../src/store/store.js';

const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
const tempDb = () => join(mkdtempSync(join(tmpdir(), 'lg-store-')), 'q.db');
/** Opens a store and closes it after the test. */
async function open(store: 'memory' | 'sqlite', thread = true, storePath = tempDb()): Promise<Store> {
  const s = await openStore({ store, storePath, storeSync: 'normal' }, { thread });
  opened.push(s);
  return s;
}

const engines: Array<[string, () => Promise<Store>]> = [
  ['memory', () => open('memory')],
  ['sqlite (in its own thread)', () => open('sqlite')],
  ['sqlite (in the caller’s thread)', () => open('sqlite', false)],
];

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
    await s.putMedia({ id: 'm'.repeat(32), channelId: 'th', mime: 'image/png', bytes: Buffer.from([1, 2]), sha256: 'x', expiresAt: 100 });
    const media = await s.getMedia('m'.repeat(32), 99);
    expect(Buffer.isBuffer(media?.bytes)).toBe(true);
    expect(media?.bytes).toEqual(Buffer.from([1, 2]));
    expect(await s.getMedia('m'.repeat(32), 100)).toBeUndefined();
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

describe('sqlite checkpoint thread', () => {
  it('copies committed pages from the write-ahead log into the database file, well before the 4,000-page backstop', async () => {
    const path = tempDb();
    const engine = new SqliteEngine({ path, sync: 'normal' });
    try {
      const before = statSync(path).size;
      // About 100 pages of 4 KiB: far below the backstop, so only the checkpoint thread can move them.
      engine.enqueue(Array.from({ length: 100 }, (_, i) => ({ ...job(`big-${i}`, `u${i}`), payload: 'x'.repeat(4000) })));
      const deadline = Date.now() + 5000;
      while (statSync(path).size < before + 400_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(statSync(path).size).toBeGreaterThanOrEqual(before + 400_000);
    } finally {
      engine.close();
    }
  });
});

describe.each([true, false])('sqlite store (own thread: %s)', (thread) => {
  it('survives reopening: committed jobs are still there', async () => {
    const path = tempDb();
    const s = await open('sqlite', thread, path);
    await s.enqueue([job('a', 'u1'), job('b', 'u2')]);
    await s.claim(10, 1);
    await s.close();
    const t = await open('sqlite', thread, path);
    expect(await t.recoverRunning()).toBe(1);
    expect((await t.counts()).pending).toBe(2);
  });

  it('cannot be opened where no file can be written, or on a file that is not a database: a ConfigError naming the setting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-store-'));
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    const where = join(dir, 'not-a-dir', 'q.db');
    await expect(open('sqlite', thread, where)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      setting: 'relay.storePath',
      message: expect.stringContaining(`cannot open the SQLite store at ${where}: EEXIST`),
    });
    writeFileSync(join(dir, 'text.db'), 'this is not a database, and it is long enough to have a header of its own '.repeat(20));
    await expect(open('sqlite', thread, join(dir, 'text.db'))).rejects.toThrow(/relay.storePath: cannot open the SQLite store at .*text\.db: file is not a database/);
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
});

describe('sqlite store: chat tokens', () => {
  it('survive reopening, and a database from before them gains their tables', async () => {
    const path = tempDb();
    const old = new Database(path);
    old.exec(`CREATE TABLE jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, dedupe_key TEXT NOT NULL UNIQUE, order_key TEXT NOT NULL,
      channel_id TEXT NOT NULL, payload TEXT NOT NULL, received_at INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'pending',
      attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, last_error TEXT, progress TEXT)`);
    old.close();
    const first = await open('sqlite', false, path);
    await first.setReplyToken('th', 'U1', 'r-1', 10);
    await first.setReadToken('th', 'U1', 'm-1', 10);
    await first.close();
    const again = await open('sqlite', false, path);
    expect(await again.takeReplyToken('th', 'U1', 20, 50_000)).toBe('r-1');
    expect(await again.takeReadToken('th', 'U1')).toBe('m-1');
  });
});
