/**
 * The media contract, the same cases against every store's media storage: memory, SQLite (bytes in a
 * folder beside the database; the store in its own thread and in the caller's) and PostgreSQL (chunked
 * rows). Then what each backend promises of its own: file modes and no half files; any replica serves.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { storesUnderTest } from '../../helpers/stores.js';

const { databaseUrl, tempDb, open, newSchema, openPg, engines } = await storesUnderTest('lg-media-');

const ID = 'M'.repeat(32);
const item = (expiresAt = 1000, id = ID) => ({ id, channelId: 'th', mime: 'video/mp4', filename: 'v.mp4', expiresAt });
/** 1.3 MB of varied bytes in 64 KiB pieces: several PostgreSQL rows, and more than one read of a file. */
const BYTES = Buffer.from(Array.from({ length: 1_300_000 }, (_, i) => (i * 7 + (i >> 11)) & 0xff));
async function* pieces(buf: Buffer, size = 65_536): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
/** A body of the given text, as the stores take it: an async iterable of bytes. */
async function* body(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}
async function* cutOffAfter(bytes: number): AsyncGenerator<Buffer> {
  yield BYTES.subarray(0, bytes);
  throw new Error('the connection was reset');
}
const readAll = async (s: Store, id = ID, now = 1) => {
  const o = await s.media.open(id, now);
  return o && { media: o.media, bytes: Buffer.concat(await o.body.toArray()) };
};

describe.each(engines)('%s media storage', (_name, make) => {
  it('streams an item in and back out whole, with its size, sha256 and type', async () => {
    const s = await make();
    const stored = await s.media.put(item(), pieces(BYTES));
    const expected = { ...item(), size: 1_300_000, sha256: createHash('sha256').update(BYTES).digest('hex') };
    expect(stored).toEqual(expected);
    const back = await readAll(s);
    expect(back?.media).toEqual(expected);
    expect(back?.bytes.equals(BYTES)).toBe(true);
  });

  it('keeps nothing of a body that fails part way', async () => {
    const s = await make();
    await expect(s.media.put(item(), cutOffAfter(700_000))).rejects.toThrow(/reset/);
    expect(await s.media.open(ID, 1)).toBeUndefined();
    expect(await s.media.bytes.read(ID)).toBeUndefined();
  });

  it('deletes an item, and prunes the expired ones with their bytes', async () => {
    const s = await make();
    const [a, b, c] = ['A', 'B', 'C'].map((x) => x.repeat(32)) as [string, string, string];
    await s.media.put(item(1000, a), body('a'));
    await s.media.put(item(2000, b), body('b'));
    await s.media.put(item(2000, c), body('c'));
    await s.media.delete(c);
    expect(await s.media.open(c, 1)).toBeUndefined();
    expect(await s.media.bytes.read(c)).toBeUndefined();
    expect(await s.media.open(a, 1000)).toBeUndefined();
    await s.prune(1000, 0);
    expect(await s.media.bytes.read(a)).toBeUndefined();
    expect((await readAll(s, b, 1000))?.bytes.toString()).toBe('b');
  });
});

describe.each([true, false])('sqlite media folder (store in its own thread: %s)', (thread) => {
  it('is beside the database: a 0700 folder of 0600 files, no temporary file left, whatever the umask', async () => {
    const previous = process.umask(0o022);
    try {
      const path = tempDb();
      const s = await open('sqlite', thread, path);
      await s.media.put(item(), pieces(BYTES));
      await expect(s.media.put(item(1000, 'B'.repeat(32)), cutOffAfter(100_000))).rejects.toThrow();
      const folder = `${path}-media`;
      expect(readdirSync(folder)).toEqual([ID]);
      expect((statSync(folder).mode & 0o777).toString(8)).toBe('700');
      expect((statSync(join(folder, ID)).mode & 0o777).toString(8)).toBe('600');
    } finally {
      process.umask(previous);
    }
  });

  it('prune removes the file of an expired item', async () => {
    const path = tempDb();
    const s = await open('sqlite', thread, path);
    await s.media.put(item(1000), body('x'));
    await s.prune(1000, 0);
    expect(existsSync(join(`${path}-media`, ID))).toBe(false);
  });
});

describe.skipIf(!databaseUrl)('postgres media storage', () => {
  it('any replica serves what another stored, and the chunks are at most 512 KiB', async () => {
    const schema = await newSchema();
    const [a, b] = [await openPg(schema), await openPg(schema)];
    await a.media.put(item(), pieces(BYTES));
    expect((await readAll(b))?.bytes.equals(BYTES)).toBe(true);
    const client = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      const rows = (await client.query<{ n: number }>('SELECT octet_length(bytes) AS n FROM media_chunks ORDER BY seq')).rows.map((r) => r.n);
      expect(rows).toEqual([524_288, 524_288, 1_300_000 - 2 * 524_288]);
    } finally {
      await client.end();
    }
  });
});

describe('media kept by an older version is moved out on upgrade', () => {
  const OLD = { id: 'O'.repeat(32), channelId: 'th', mime: 'image/png', filename: 'old.png', bytes: Buffer.from('old bytes'), sha256: 'abc', expiresAt: 5000 };

  it('sqlite: a media table with a bytes column becomes rows and files', async () => {
    const path = tempDb();
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path);
    db.exec(`CREATE TABLE media (id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, mime TEXT NOT NULL, filename TEXT, bytes BLOB NOT NULL, sha256 TEXT NOT NULL, expires_at INTEGER NOT NULL)`);
    db.prepare(`INSERT INTO media VALUES (?, ?, ?, ?, ?, ?, ?)`).run(OLD.id, OLD.channelId, OLD.mime, OLD.filename, OLD.bytes, OLD.sha256, OLD.expiresAt);
    db.close();
    const s = await open('sqlite', true, path);
    const back = await readAll(s, OLD.id);
    expect(back?.media).toEqual({ id: OLD.id, channelId: 'th', mime: 'image/png', filename: 'old.png', size: 9, sha256: 'abc', expiresAt: 5000 });
    expect(back?.bytes.toString()).toBe('old bytes');
    expect((statSync(join(`${path}-media`, OLD.id)).mode & 0o777).toString(8)).toBe('600');
  });

  it.skipIf(!databaseUrl)('postgres: migration 3 moves the bytes into media_chunks', async () => {
    const schema = await newSchema();
    const client = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      const { migrate, MIGRATIONS } = await import('../../../src/store/postgres-migrations.js');
      const pooled = Object.assign(client, { release: () => undefined }) as unknown as pg.PoolClient;
      await migrate(pooled, MIGRATIONS.filter((m) => m.version < 3));
      await client.query(`INSERT INTO media VALUES ($1, $2, $3, $4, $5, $6, $7)`, [OLD.id, OLD.channelId, OLD.mime, OLD.filename, OLD.bytes, OLD.sha256, OLD.expiresAt]);
    } finally {
      await client.end();
    }
    const s = await openPg(schema);
    const back = await readAll(s, OLD.id);
    expect(back?.media).toEqual({ id: OLD.id, channelId: 'th', mime: 'image/png', filename: 'old.png', size: 9, sha256: 'abc', expiresAt: 5000 });
    expect(back?.bytes.toString()).toBe('old bytes');
  });
});
