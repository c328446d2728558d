import type { RelayConfig } from '../config.js';
import { MemoryStore } from './memory.js';
import type { Store } from './store.js';

export type { Store, Job, JobKind, JobState, NewJob, QueueCounts, StoredMedia, EnqueueResult } from './store.js';
export { MemoryStore } from './memory.js';

/** Opens the store the config names. SQLite is imported only when used (it is a native module). */
export async function openStore(relay: Pick<RelayConfig, 'store' | 'storePath' | 'storeSync'>): Promise<Store> {
  if (relay.store === 'memory') return new MemoryStore();
  const { SqliteStore } = await import('./sqlite.js');
  return new SqliteStore({ path: relay.storePath, sync: relay.storeSync });
}
