/**
 * Media bytes in PostgreSQL, as rows of at most CHUNK_BYTES (why: media.ts). An item is written in
 * one transaction (all its chunks or none) on a connection of its own, and read back one chunk per
 * query, so neither way holds more than a chunk; any replica can serve what another one stored.
 * Each chunk carries its item's expiry, which is how prune finds it.
 */
import type pg from 'pg';
import { Readable } from 'node:stream';
import type { MediaBytes } from './media.js';

/** 512 KiB: a row big enough that a 200 MB video is 400 rows, small enough to be nothing in memory. */
export const CHUNK_BYTES = 512 * 1024;

export class PostgresMediaBytes implements MediaBytes {
  constructor(private readonly pool: pg.Pool) {}

  async write(id: string, expiresAt: number, body: AsyncIterable<Uint8Array>): Promise<void> {
    const c = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await c.query('BEGIN');
      await c.query('DELETE FROM media_chunks WHERE media_id = $1', [id]);
      let seq = 0;
      for await (const chunk of rechunk(body, CHUNK_BYTES)) {
        await c.query('INSERT INTO media_chunks (media_id, seq, bytes, expires_at) VALUES ($1, $2, $3, $4)', [id, seq++, chunk, expiresAt]);
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch((r: Error) => (broken = r));
      throw e;
    } finally {
      c.release(broken);
    }
  }

  async read(id: string): Promise<Readable | undefined> {
    const r = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM media_chunks WHERE media_id = $1', [id]);
    const count = r.rows[0]?.n ?? 0;
    if (count === 0) return undefined;
    const pool = this.pool;
    async function* chunks() {
      for (let seq = 0; seq < count; seq++) {
        const row = await pool.query<{ bytes: Buffer }>('SELECT bytes FROM media_chunks WHERE media_id = $1 AND seq = $2', [id, seq]);
        if (!row.rows[0]) throw new Error(`media ${id} lost chunk ${seq} while it was read (expired meanwhile?)`);
        yield row.rows[0].bytes;
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  async delete(id: string): Promise<void> {
    await this.pool.query('DELETE FROM media_chunks WHERE media_id = $1', [id]);
  }

  async prune(now: number): Promise<void> {
    await this.pool.query('DELETE FROM media_chunks WHERE expires_at <= $1', [now]);
  }
}

/** The stream as chunks of exactly `size` bytes (the last one shorter). */
async function* rechunk(body: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    length += chunk.byteLength;
    while (length >= size) {
      const all = Buffer.concat(pending, length);
      yield all.subarray(0, size);
      pending = [all.subarray(size)];
      length -= size;
    }
  }
  if (length > 0) yield Buffer.concat(pending, length);
}
