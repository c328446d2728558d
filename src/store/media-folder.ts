/**
 * Media bytes as files in a folder beside the SQLite database (why: media.ts). The folder is 0700
 * and each file 0600, like the database. A file is written under a temporary name and renamed when
 * complete, so a reader never sees half of one; its modification time is set to its expiry, which
 * is how prune finds it (the row goes on the same expiry, in the store's own prune).
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MediaBytes } from './media.js';

const PART = '.part-';
/** A temporary file older than this was left by a crash mid-download. */
const STALE_PART_MS = 3_600_000;

export class FolderMediaBytes implements MediaBytes {
  private made: Promise<unknown> | undefined;

  constructor(readonly dir: string) {}

  private file(id: string): string {
    return join(this.dir, id);
  }

  async write(id: string, expiresAt: number, body: AsyncIterable<Uint8Array>): Promise<void> {
    this.made ??= mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.made;
    const part = `${this.file(id)}${PART}${randomBytes(6).toString('hex')}`;
    try {
      // Opened before the copy starts: a write stream opening its own file could create it after a
      // failed body's cleanup had run, leaving a temporary file behind.
      const file = await open(part, 'wx', 0o600);
      await pipeline(Readable.from(body), file.createWriteStream());
      const at = new Date(expiresAt);
      await utimes(part, at, at);
      await rename(part, this.file(id));
    } catch (e) {
      await unlink(part).catch(() => undefined);
      throw e;
    }
  }

  async read(id: string): Promise<Readable | undefined> {
    // Opened before it is returned, so that a missing file is an answer (undefined), not an error mid-response.
    const stream = createReadStream(this.file(id));
    return new Promise((resolve, reject) => {
      stream.once('ready', () => resolve(stream));
      stream.once('error', (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? resolve(undefined) : reject(e)));
    });
  }

  async delete(id: string): Promise<void> {
    await unlink(this.file(id)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  async prune(now: number): Promise<void> {
    const names = await readdir(this.dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
    for (const name of names) {
      const path = join(this.dir, name);
      const s = await stat(path).catch(() => undefined);
      if (!s) continue;
      const expired = name.includes(PART) ? s.mtimeMs < now - STALE_PART_MS : s.mtimeMs <= now;
      if (expired) await unlink(path).catch(() => undefined);
    }
  }
}
