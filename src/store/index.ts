import type { RelayConfig } from '../config.js';
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
  if (opts.thread === false) {
    const { SqliteEngine } = await import('./sqlite.js');
    return new BatchedStore('sqlite', localBatches(new SqliteEngine(options)));
  }
  const { threadBatches } = await import('./threaded.js');
  return new BatchedStore('sqlite', await threadBatches(options));
}
