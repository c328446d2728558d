import type { RelayConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { BatchedStore, localBatches } from './batched.js';
import { FolderMediaBytes } from './media-folder.js';
import { MemoryStore } from './memory.js';
import { mediaFolderOf } from './sqlite-paths.js';
import type { Store } from './store.js';

export type { Store, StoreEngine, Job, JobKind, JobState, NewJob, QueueCounts, StoredMedia, EnqueueResult } from './store.js';
export { MemoryStore } from './memory.js';
export { StoreError, StoreUnavailableError } from './batched.js';

/**
 * What openStore needs from the relay's config. `postgres` (several replicas sharing one database)
 * needs `databaseUrl`; the pool size and the claim lease have defaults (4 connections, 30 s).
 */
export interface StoreSettings extends Pick<RelayConfig, 'storePath' | 'storeSync'> {
  store: RelayConfig['store'] | 'postgres';
  databaseUrl?: string;
  databasePoolSize?: number;
  leaseMs?: number;
}

export interface OpenStoreOptions {
  /**
   * SQLite in a thread of its own, so that commits never block the event loop; `false` runs it in
   * the caller's thread. Default: a thread with `storeSync: 'full'` only, where every commit waits
   * for an fsync. With `'normal'` (the default) a WAL commit writes to the OS's cache without
   * waiting for the disk, and checkpoints run in their own thread anyway, so a commit costs the
   * loop less than handing it to a thread: -15 % (pinned to one core) to -28 % (not) CPU per
   * webhook at a steady 1,000/s, +12 % intake with a slow Genesys (BENCHMARKS.md, issue 15).
   */
  thread?: boolean;
  /** PostgreSQL only: the schema the tables live in (tests give each run its own). */
  schema?: string;
}

/** Opens the store the config names. SQLite is imported only when used (it is a native module). */
export async function openStore(relay: StoreSettings, opts: OpenStoreOptions = {}): Promise<Store> {
  if (relay.store === 'memory') return new MemoryStore();
  if (relay.store === 'postgres') return openPostgres(relay, opts);
  const options = { path: relay.storePath, sync: relay.storeSync };
  // Media bytes go in a folder beside the database file (why: media.ts).
  const media = relay.storePath === ':memory:' ? undefined : new FolderMediaBytes(mediaFolderOf(relay.storePath));
  // Started outside the try: a build older than its sources (tests run them) is no storePath problem.
  const threaded = (opts.thread ?? relay.storeSync === 'full') ? await import('./threaded.js') : undefined;
  const thread = threaded?.startStoreThread(options);
  try {
    if (!threaded || !thread) {
      const { SqliteEngine } = await import('./sqlite.js');
      return new BatchedStore('sqlite', localBatches(new SqliteEngine(options)), media);
    }
    return new BatchedStore('sqlite', await threaded.threadBatches(thread), media);
  } catch (e) {
    // A directory that cannot be made or written, a file that is not a database: say which setting.
    throw new ConfigError('relay.storePath', `cannot open the SQLite store at ${relay.storePath}: ${(e as Error).message}`, {
      hint: 'Point LINE_GENESYS_STORE_PATH (or relay.storePath in the config file) at a file in a directory this user can write.',
      cause: e,
    });
  }
}

/** PostgreSQL is imported only when used. A server that cannot be reached is a ConfigError naming the setting. */
async function openPostgres(relay: StoreSettings, opts: OpenStoreOptions): Promise<Store> {
  if (!relay.databaseUrl) {
    throw new ConfigError('relay.databaseUrl', 'the postgres store needs a database URL', {
      hint: 'Set DATABASE_URL (or relay.databaseUrl in the config file), e.g. postgres://user@host:5432/db?sslmode=require.',
    });
  }
  const { openPostgresStore } = await import('./postgres.js');
  try {
    return await openPostgresStore({
      url: relay.databaseUrl,
      ...(relay.databasePoolSize !== undefined ? { poolSize: relay.databasePoolSize } : {}),
      ...(relay.leaseMs !== undefined ? { leaseMs: relay.leaseMs } : {}),
      ...(opts.schema !== undefined ? { schema: opts.schema } : {}),
    });
  } catch (e) {
    // The URL may hold a password: the message names the host only.
    throw new ConfigError('relay.databaseUrl', `cannot open the PostgreSQL store at ${hostOf(relay.databaseUrl)}: ${(e as Error).message}`, {
      hint: 'Check DATABASE_URL: host, port, database, user, and sslmode.',
      cause: e,
    });
  }
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
}
