import type { RelayConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { BatchedStore, localBatches } from './batched.js';
import { MemoryStore } from './memory.js';
import type { Store } from './store.js';

export type { Store, StoreEngine, Job, JobKind, JobState, NewJob, QueueCounts, StoredMedia, EnqueueResult } from './store.js';
export { MemoryStore } from './memory.js';
export { StoreError } from './batched.js';

export interface OpenStoreOptions {
  /**
   * SQLite in a thread of its own (default): commits never block the event loop. `false` runs it
   * in the caller's thread, which suits a one-off command (no thread to start).
   */
  thread?: boolean;
}

/** Opens the store the config names. SQLite is imported only when used (it is a native module). */
export async function openStore(relay: Pick<RelayConfig, 'store' | 'storePath' | 'storeSync'>, opts: OpenStoreOptions = {}): Promise<Store> {
  if (relay.store === 'memory') return new MemoryStore();
  const options = { path: relay.storePath, sync: relay.storeSync };
  // Started outside the try: a build older than its sources (tests run them) is no storePath problem.
  const threaded = opts.thread === false ? undefined : await import('./threaded.js');
  const thread = threaded?.startStoreThread(options);
  try {
    if (!threaded || !thread) {
      const { SqliteEngine } = await import('./sqlite.js');
      return new BatchedStore('sqlite', localBatches(new SqliteEngine(options)));
    }
    return new BatchedStore('sqlite', await threaded.threadBatches(thread));
  } catch (e) {
    // A directory that cannot be made or written, a file that is not a database: say which setting.
    throw new ConfigError('relay.storePath', `cannot open the SQLite store at ${relay.storePath}: ${(e as Error).message}`, {
      hint: 'Point LINE_GENESYS_STORE_PATH (or relay.storePath in the config file) at a file in a directory this user can write.',
      cause: e,
    });
  }
}
