/** The SQLite store's own promises: durable across reopening, its checkpoint thread, and a clear error where it cannot open. */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PRUNE_CHUNK, type BatchedStore } from '../../../src/store/batched.js';
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

const job = (key: string, order: string, at = 1): NewJob => ({ kind: 'inbound', dedupeKey: key, orderKey: order, channelId: 'th', payload: `{"k":"${key}"}`, receivedAt: at });

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

describe('where the SQLite store runs', () => {
  // A WAL commit with synchronous=NORMAL does not wait for the disk: handing it to a thread costs
  // more than it saves. With FULL every commit waits for an fsync, which must not block the loop.
  it.each([
    ['normal', undefined, false],
    ['full', undefined, true],
    ['normal', true, true],
    ['full', false, false],
  ] as const)('storeSync %s, thread option %s: own thread %s', async (storeSync, thread, expected) => {
    const s = await openStore({ store: 'sqlite', storePath: tempDb(), storeSync }, thread === undefined ? {} : { thread });
    opened.push(s);
    expect((s as BatchedStore).ownThread).toBe(expected);
    await s.enqueue([job('a', 'u1')]);
    expect((await s.counts()).pending).toBe(1);
  });
});

describe('sqlite prune in chunks', () => {
  it('forgets at most `limit` finished jobs and expired quotes a call, and says when to call again', () => {
    const engine = new SqliteEngine({ path: ':memory:' });
    try {
      engine.enqueue(Array.from({ length: 5 }, (_, i) => job(`j${i}`, `u${i}`, 1)));
      for (const j of engine.claim(10, 10)) engine.complete(j.id, 10);
      for (let i = 0; i < 3; i++) engine.putQuote(`m${i}`, `text ${i}`, 50);
      expect(engine.prune(2_000, 1_000, 2)).toBe(true);
      expect(engine.counts().done).toBe(3);
      expect(engine.prune(2_000, 1_000, 2)).toBe(true);
      expect(engine.counts().done).toBe(1);
      // One job and no quote left: under the limit, done.
      expect(engine.prune(2_000, 1_000, 2)).toBe(false);
      expect(engine.counts().done).toBe(0);
      expect(engine.getQuote('m2', 0)).toBeUndefined();
    } finally {
      engine.close();
    }
  });

  it.each([true, false])('the store prunes a backlog larger than one chunk whole (own thread: %s)', async (thread) => {
    const s = await open('sqlite', thread);
    const n = PRUNE_CHUNK + 500;
    await s.enqueue(Array.from({ length: n }, (_, i) => job(`k${i}`, `u${i}`, 1)));
    for (const j of await s.claim(10, n)) await s.complete(j.id, 10);
    for (let i = 0; i < n; i++) void s.putQuote(`m${i}`, 'hello', 50);
    expect((await s.counts()).done).toBe(n);
    await s.prune(2_000, 1_000);
    expect((await s.counts()).done).toBe(0);
    expect(await s.getQuote(`m${n - 1}`, 0)).toBeUndefined();
    // Their keys are free again.
    expect((await s.enqueue([job('k0', 'u0', 3_000)])).duplicates).toBe(0);
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
