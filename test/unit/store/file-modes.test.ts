/**
 * The SQLite store holds customers' messages: its files (the database, its write-ahead log and
 * shared-memory index) are readable by their owner only, and a folder the relay makes for them too.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.js';

/** The permission bits in octal, as `ls` and chmod write them: '600'. */
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe.each([true, false])('sqlite store file modes (own thread: %s)', (thread) => {
  it('creates the database, its -wal and -shm files 0600, in a folder it creates 0700', async () => {
    // The usual umask (022) would leave files 0644 and folders 0755: the store must not rely on it.
    const previous = process.umask(0o022);
    try {
      const dir = join(mkdtempSync(join(tmpdir(), 'lg-modes-')), 'made-by-the-relay');
      const path = join(dir, 'q.db');
      const store = await openStore({ store: 'sqlite', storePath: path, storeSync: 'normal' }, { thread });
      try {
        await store.enqueue([{ kind: 'inbound', dedupeKey: 'k', orderKey: 'u', channelId: 'c', payload: '{"text":"private"}', receivedAt: 1 }]);
        expect(existsSync(`${path}-wal`)).toBe(true);
        expect(existsSync(`${path}-shm`)).toBe(true);
        expect({ dir: modeOf(dir), db: modeOf(path), wal: modeOf(`${path}-wal`), shm: modeOf(`${path}-shm`) }).toEqual({
          dir: '700',
          db: '600',
          wal: '600',
          shm: '600',
        });
      } finally {
        await store.close();
      }
    } finally {
      process.umask(previous);
    }
  });
});
