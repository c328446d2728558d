/**
 * Customer media, streamed: its row (type, name, size, sha256, expiry) lives in the store with the
 * rest of the relay's state; its bytes live in a `MediaBytes` backend chosen with the store, and pass
 * through in chunks, so no item is ever held whole in memory.
 *
 * Why these backends (issue 13 §2, issue 18):
 * - SQLite: the bytes go in a folder beside the database file (`<storePath>-media/`), not in it. A
 *   150 MB BLOB can only be written and read whole through better-sqlite3 (and, in the relay, copied
 *   across to the store's thread), which is what took the relay to 2 GB; a file is streamed both ways
 *   by the OS. It is one machine's store, so a folder beside it needs no new service, and it goes
 *   where the database goes (same permissions, same backup).
 * - PostgreSQL: chunked BYTEA rows in the same database (`media_chunks`), so that any replica can serve
 *   any media with nothing to share but the database the replicas already share. An object store would
 *   scale further but is one more service and credential to run; the interface leaves room for one.
 * - memory: chunks in a Map, for tests and the sandbox.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { StoredMedia } from './store.js';

/** Where the bytes of media live. Every backend keeps an item whole or not at all. */
export interface MediaBytes {
  /** Streams `body` in under `id`. If `body` throws (too large, cut off), nothing of it is kept and the error is rethrown. */
  write(id: string, expiresAt: number, body: AsyncIterable<Uint8Array>): Promise<void>;
  /** A stream of the bytes, or undefined when there are none. */
  read(id: string): Promise<Readable | undefined>;
  delete(id: string): Promise<void>;
  /** Forgets the bytes of items expired at `now` (their rows are pruned by the store's own prune, on the same expiry). */
  prune(now: number): Promise<void>;
}

/** The store calls that keep media rows. */
export interface MediaRows {
  putMedia(media: StoredMedia): Promise<void>;
  getMedia(id: string, now: number): Promise<StoredMedia | undefined>;
  deleteMedia(id: string): Promise<void>;
}

export type NewMedia = Omit<StoredMedia, 'size' | 'sha256'>;

export interface OpenedMedia {
  media: StoredMedia;
  body: Readable;
}

/** Media as the relay uses it: write a stream, read a stream with its size and type, delete, prune. */
export class MediaStorage {
  constructor(
    private readonly rows: MediaRows,
    readonly bytes: MediaBytes,
  ) {}

  /** Streams `body` in; its size and sha256 are counted on the way. The row is written once the bytes are. */
  async put(item: NewMedia, body: AsyncIterable<Uint8Array>): Promise<StoredMedia> {
    const hash = createHash('sha256');
    let size = 0;
    async function* counted() {
      for await (const chunk of body) {
        hash.update(chunk);
        size += chunk.byteLength;
        yield chunk;
      }
    }
    await this.bytes.write(item.id, item.expiresAt, counted());
    const media: StoredMedia = { ...item, size, sha256: hash.digest('hex') };
    await this.rows.putMedia(media);
    return media;
  }

  /** The item if it is there and unexpired: its row and a stream of its bytes. */
  async open(id: string, now: number): Promise<OpenedMedia | undefined> {
    const media = await this.rows.getMedia(id, now);
    if (!media) return undefined;
    const body = await this.bytes.read(id);
    return body ? { media, body } : undefined;
  }

  async delete(id: string): Promise<void> {
    await this.rows.deleteMedia(id);
    await this.bytes.delete(id);
  }

  prune(now: number): Promise<void> {
    return this.bytes.prune(now);
  }
}
