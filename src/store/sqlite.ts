/**
 * The default store's engine: SQLite through better-sqlite3, in WAL mode. A committed enqueue
 * survives the process being killed; with `sync: 'full'` it also survives a power loss. It runs in
 * the caller's thread, or with `sync: 'full'` in a thread of its own (sqlite-thread.ts), so that
 * the fsync of every commit does not block the relay's event loop (openStore, index.ts).
 */
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker as Thread } from 'node:worker_threads';
import type { EnqueueResult, Job, JobKind, JobState, NewJob, QueueCounts, StoreEngine, StoredButtonAnswer, StoredMedia } from './store.js';
import { mediaFolderOf } from './sqlite-paths.js';
import { threadScript } from './thread-script.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  order_key TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_error TEXT,
  progress TEXT
);
CREATE INDEX IF NOT EXISTS jobs_open ON jobs(order_key, id) WHERE state IN ('pending', 'running');
CREATE INDEX IF NOT EXISTS jobs_due ON jobs(next_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS jobs_pending ON jobs(id, order_key, next_at, kind) WHERE state = 'pending';
DROP INDEX IF EXISTS jobs_state;
CREATE INDEX IF NOT EXISTS jobs_dead ON jobs(id) WHERE state = 'dead';
CREATE INDEX IF NOT EXISTS jobs_finished ON jobs(updated_at) WHERE state IN ('done', 'dropped');
CREATE TABLE IF NOT EXISTS last_channel (user_id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS blocked (channel_id TEXT NOT NULL, user_id TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (channel_id, user_id));
CREATE TABLE IF NOT EXISTS reply_tokens (channel_id TEXT NOT NULL, user_id TEXT NOT NULL, token TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (channel_id, user_id));
CREATE TABLE IF NOT EXISTS read_tokens (channel_id TEXT NOT NULL, user_id TEXT NOT NULL, token TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (channel_id, user_id));
CREATE TABLE IF NOT EXISTS media (
  id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, mime TEXT NOT NULL, filename TEXT,
  size INTEGER NOT NULL, sha256 TEXT NOT NULL, expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS quotes (message_id TEXT PRIMARY KEY, text TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS quotes_expiry ON quotes(expires_at);
CREATE TABLE IF NOT EXISTS button_answers (ref TEXT PRIMARY KEY, answer TEXT NOT NULL, expires_at INTEGER NOT NULL);
`;

interface Row {
  id: number;
  kind: JobKind;
  dedupe_key: string;
  order_key: string;
  channel_id: string;
  payload: string;
  received_at: number;
  state: JobState;
  attempts: number;
  next_at: number;
  updated_at: number;
  last_error: string | null;
  progress: string | null;
}

function toJob(r: Row): Job {
  return {
    id: r.id,
    kind: r.kind,
    dedupeKey: r.dedupe_key,
    orderKey: r.order_key,
    channelId: r.channel_id,
    payload: r.payload,
    receivedAt: r.received_at,
    state: r.state,
    attempts: r.attempts,
    nextAt: r.next_at,
    updatedAt: r.updated_at,
    ...(r.last_error !== null ? { lastError: r.last_error } : {}),
    ...(r.progress !== null ? { progress: r.progress } : {}),
  };
}

/**
 * A database from before media moved out of it (a `bytes` column): each item is written to the media
 * folder as FolderMediaBytes writes it (0600, its expiry as its mtime), then the table is rebuilt
 * without the column. Runs once, where the store runs, before the schema is applied.
 */
function moveMediaBlobsOut(db: Database.Database, folder: string): void {
  const columns = db.prepare(`SELECT name FROM pragma_table_info('media')`).all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'bytes')) return;
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const rows = db.prepare(`SELECT id, bytes, expires_at FROM media`).iterate() as Iterable<{ id: string; bytes: Buffer; expires_at: number }>;
  for (const r of rows) {
    const file = join(folder, r.id);
    writeFileSync(file, r.bytes, { mode: 0o600 });
    utimesSync(file, new Date(r.expires_at), new Date(r.expires_at));
  }
  db.exec(`ALTER TABLE media ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
    UPDATE media SET size = length(bytes);
    ALTER TABLE media DROP COLUMN bytes;`);
}

export interface SqliteStoreOptions {
  path: string;
  sync?: 'normal' | 'full';
  /** Copy the write-ahead log into the database from a thread of its own (default true for files). */
  backgroundCheckpoints?: boolean;
}

/**
 * A checkpoint copies the WAL into the database file and fsyncs it: work that would otherwise
 * stall a commit every few thousand pages. The checkpoint thread (checkpoint-thread.ts) does it
 * with a connection of its own; the committing connection's auto-checkpoint stays as a backstop.
 */
function startCheckpointer(path: string): Thread {
  // It allocates next to nothing: the smallest heap V8 allows keeps its RSS to the isolate's own.
  const thread = new Thread(threadScript('checkpoint-thread', import.meta.url), {
    workerData: { path },
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
  });
  thread.unref();
  // Should it ever fail, nothing is lost: the backstop takes over.
  thread.on('error', () => undefined);
  return thread;
}

/**
 * The store holds customers' messages: a missing folder is made 0700 and a missing database file
 * 0600 before SQLite opens it, whatever the umask. SQLite gives the -wal and -shm files it makes
 * the database file's own mode. A file that exists keeps the mode its owner gave it.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
}

export class SqliteEngine implements StoreEngine {
  readonly engine = 'sqlite';
  private db: Database.Database;
  private s;
  private insertJobs: (jobs: NewJob[]) => EnqueueResult;
  private claimHeads: (now: number, limit: number, kinds?: readonly JobKind[]) => Job[];
  private enqueueTx: (jobs: NewJob[]) => EnqueueResult;
  private claimTx: (now: number, limit: number, kinds?: readonly JobKind[]) => Job[];
  private checkpointer: Thread | undefined;

  constructor(opts: SqliteStoreOptions) {
    if (opts.path !== ':memory:') createPrivately(opts.path);
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    if (opts.path !== ':memory:') moveMediaBlobsOut(this.db, mediaFolderOf(opts.path));
    this.db.exec(SCHEMA);
    if (opts.path !== ':memory:' && opts.backgroundCheckpoints !== false) {
      this.db.pragma('wal_autocheckpoint = 4000');
      this.checkpointer = startCheckpointer(opts.path);
    }
    const db = this.db;
    this.s = {
      insert: db.prepare(
        `INSERT INTO jobs (kind, dedupe_key, order_key, channel_id, payload, received_at, next_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING`,
      ),
      // The heads of the customers' lines that are due, oldest first, from the covering index alone;
      // the rows themselves (with their payloads) are read only for the jobs claimed.
      due: db.prepare(
        `SELECT j.id, j.kind FROM jobs AS j INDEXED BY jobs_pending WHERE j.state = 'pending' AND j.next_at <= ?
           AND NOT EXISTS (SELECT 1 FROM jobs AS o WHERE o.order_key = j.order_key AND o.state IN ('pending', 'running') AND o.id < j.id)
         ORDER BY j.id LIMIT ?`,
      ),
      markRunning: db.prepare(`UPDATE jobs SET state = 'running', updated_at = ? WHERE id = ?`),
      complete: db.prepare(`UPDATE jobs SET state = 'done', updated_at = ? WHERE id = ?`),
      reschedule: db.prepare(
        `UPDATE jobs SET state = 'pending', next_at = ?, last_error = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?`,
      ),
      hasten: db.prepare(`UPDATE jobs SET next_at = ? WHERE state = 'pending' AND kind = ? AND next_at > ? AND updated_at >= ?`),
      bury: db.prepare(`UPDATE jobs SET state = 'dead', last_error = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?`),
      progress: db.prepare(`UPDATE jobs SET progress = ? WHERE id = ?`),
      // Only the head of each customer's line can run next: a later job waits for the one before it.
      // Walks the due index in time order and stops at the first head, however long the backlog.
      nextDue: db.prepare(
        `SELECT j.next_at AS t FROM jobs AS j INDEXED BY jobs_due WHERE j.state = 'pending'
           AND NOT EXISTS (SELECT 1 FROM jobs AS o WHERE o.order_key = j.order_key AND o.state IN ('pending', 'running') AND o.id < j.id)
         ORDER BY j.next_at LIMIT 1`,
      ),
      counts: db.prepare(`SELECT state, COUNT(*) AS n FROM jobs GROUP BY state`),
      openCounts: db.prepare(
        `SELECT (SELECT COUNT(*) FROM jobs INDEXED BY jobs_pending WHERE state = 'pending') AS pending,
                (SELECT COUNT(*) FROM jobs INDEXED BY jobs_open WHERE state IN ('pending', 'running') AND state = 'running') AS running,
                (SELECT COUNT(*) FROM jobs INDEXED BY jobs_dead WHERE state = 'dead') AS dead`,
      ),
      list: db.prepare(`SELECT * FROM jobs WHERE state = ? ORDER BY id LIMIT ?`),
      get: db.prepare(`SELECT * FROM jobs WHERE id = ?`),
      retryOne: db.prepare(`UPDATE jobs SET state = 'pending', next_at = ?, received_at = ?, updated_at = ? WHERE id = ? AND state = 'dead'`),
      retryAll: db.prepare(`UPDATE jobs SET state = 'pending', next_at = ?, received_at = ?, updated_at = ? WHERE state = 'dead'`),
      drop: db.prepare(`UPDATE jobs SET state = 'dropped', updated_at = ? WHERE id = ? AND state IN ('dead', 'pending')`),
      recover: db.prepare(`UPDATE jobs SET state = 'pending' WHERE state = 'running'`),
      setLast: db.prepare(
        `INSERT INTO last_channel (user_id, channel_id, at) VALUES (?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET channel_id = excluded.channel_id, at = excluded.at`,
      ),
      getLast: db.prepare(`SELECT channel_id FROM last_channel WHERE user_id = ?`),
      block: db.prepare(`INSERT OR REPLACE INTO blocked (channel_id, user_id, at) VALUES (?, ?, ?)`),
      unblock: db.prepare(`DELETE FROM blocked WHERE channel_id = ? AND user_id = ?`),
      isBlocked: db.prepare(`SELECT 1 FROM blocked WHERE channel_id = ? AND user_id = ?`),
      // An event's token replaces the stored one only when the event is not older (a redelivery is).
      setReplyToken: db.prepare(
        `INSERT INTO reply_tokens (channel_id, user_id, token, at) VALUES (?, ?, ?, ?)
         ON CONFLICT(channel_id, user_id) DO UPDATE SET token = excluded.token, at = excluded.at WHERE excluded.at >= reply_tokens.at`,
      ),
      takeReplyToken: db.prepare(`DELETE FROM reply_tokens WHERE channel_id = ? AND user_id = ? RETURNING token, at`),
      setReadToken: db.prepare(
        `INSERT INTO read_tokens (channel_id, user_id, token, at) VALUES (?, ?, ?, ?)
         ON CONFLICT(channel_id, user_id) DO UPDATE SET token = excluded.token, at = excluded.at WHERE excluded.at >= read_tokens.at`,
      ),
      takeReadToken: db.prepare(`DELETE FROM read_tokens WHERE channel_id = ? AND user_id = ? RETURNING token`),
      putMedia: db.prepare(
        `INSERT OR REPLACE INTO media (id, channel_id, mime, filename, size, sha256, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      getMedia: db.prepare(`SELECT * FROM media WHERE id = ? AND expires_at > ?`),
      pruneJobs: db.prepare(
        `DELETE FROM jobs WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_finished WHERE state IN ('done', 'dropped') AND updated_at < ? LIMIT ?)`,
      ),
      deleteMedia: db.prepare(`DELETE FROM media WHERE id = ?`),
      pruneMedia: db.prepare(`DELETE FROM media WHERE expires_at <= ?`),
      putQuote: db.prepare(`INSERT OR REPLACE INTO quotes (message_id, text, expires_at) VALUES (?, ?, ?)`),
      getQuote: db.prepare(`SELECT text FROM quotes WHERE message_id = ? AND expires_at > ?`),
      pruneQuotes: db.prepare(`DELETE FROM quotes WHERE rowid IN (SELECT rowid FROM quotes INDEXED BY quotes_expiry WHERE expires_at <= ? LIMIT ?)`),
      putButtonAnswer: db.prepare(`INSERT OR REPLACE INTO button_answers (ref, answer, expires_at) VALUES (?, ?, ?)`),
      getButtonAnswer: db.prepare(`SELECT answer FROM button_answers WHERE ref = ? AND expires_at > ?`),
      pruneButtonAnswers: db.prepare(`DELETE FROM button_answers WHERE expires_at <= ?`),
      // Tokens are taken when an agent answers; those of customers no agent answered go after the retention.
      pruneReplyTokens: db.prepare(`DELETE FROM reply_tokens WHERE at < ?`),
      pruneReadTokens: db.prepare(`DELETE FROM read_tokens WHERE at < ?`),
    };
    const s = this.s;
    this.insertJobs = (jobs: NewJob[]): EnqueueResult => {
      const ids: Array<number | null> = [];
      let duplicates = 0;
      for (const j of jobs) {
        const r = s.insert.run(j.kind, j.dedupeKey, j.orderKey, j.channelId, j.payload, j.receivedAt, j.receivedAt, j.receivedAt);
        if (r.changes === 0) {
          ids.push(null);
          duplicates++;
        } else ids.push(Number(r.lastInsertRowid));
      }
      return { ids, duplicates };
    };
    this.claimHeads = (now: number, limit: number, kinds?: readonly JobKind[]): Job[] => {
      // Fetch a little more than asked when filtering by kind, so a held kind does not starve the rest.
      const heads = s.due.all(now, kinds ? limit * 4 : limit) as Array<Pick<Row, 'id' | 'kind'>>;
      const out: Job[] = [];
      for (const h of heads) {
        if (out.length >= limit) break;
        if (kinds && !kinds.includes(h.kind)) continue;
        s.markRunning.run(now, h.id);
        out.push(toJob({ ...(s.get.get(h.id) as Row), state: 'running', updated_at: now }));
      }
      return out;
    };
    this.enqueueTx = db.transaction(this.insertJobs);
    this.claimTx = db.transaction(this.claimHeads);
  }

  batch<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn)();
  }
  // Inside a batch the statements join its transaction (a nested transaction would cost a savepoint).
  enqueue(jobs: NewJob[]): EnqueueResult {
    return this.db.inTransaction ? this.insertJobs(jobs) : this.enqueueTx(jobs);
  }
  claim(now: number, limit: number, kinds?: readonly JobKind[]): Job[] {
    return this.db.inTransaction ? this.claimHeads(now, limit, kinds) : this.claimTx(now, limit, kinds);
  }
  complete(id: number, now: number): void {
    this.s.complete.run(now, id);
  }
  reschedule(id: number, nextAt: number, error: string, now: number): void {
    this.s.reschedule.run(nextAt, error, now, id);
  }
  hasten(kind: JobKind, since: number, now: number): number {
    return this.s.hasten.run(now, kind, now, since).changes;
  }
  bury(id: number, error: string, now: number): void {
    this.s.bury.run(error, now, id);
  }
  saveProgress(id: number, progress: string): void {
    this.s.progress.run(progress, id);
  }
  nextDueAt(): number | undefined {
    return (this.s.nextDue.get() as { t: number } | undefined)?.t;
  }
  counts(opts: { done?: boolean } = {}): QueueCounts {
    if (opts.done === false) return { ...(this.s.openCounts.get() as Omit<QueueCounts, 'done'>), done: 0 };
    const c: QueueCounts = { pending: 0, running: 0, dead: 0, done: 0 };
    for (const r of this.s.counts.all() as Array<{ state: string; n: number }>) if (r.state in c) c[r.state as keyof QueueCounts] = r.n;
    return c;
  }
  list(state: JobState, limit = 100): Job[] {
    return (this.s.list.all(state, limit) as Row[]).map(toJob);
  }
  get(id: number): Job | undefined {
    const r = this.s.get.get(id) as Row | undefined;
    return r ? toJob(r) : undefined;
  }
  retry(id: number | 'all', now: number): number {
    return id === 'all' ? this.s.retryAll.run(now, now, now).changes : this.s.retryOne.run(now, now, now, id).changes;
  }
  drop(id: number, now: number): boolean {
    return this.s.drop.run(now, id).changes > 0;
  }
  /** One process, no other replica to take a job over: a claim holds until it is finished. */
  renew(): void {}
  recoverRunning(): number {
    return this.s.recover.run().changes;
  }
  setLastChannel(userId: string, channelId: string, at: number): void {
    // A read is far cheaper than a commit, and a returning customer's channel rarely changes.
    if (this.lastChannel(userId) === channelId) return;
    this.s.setLast.run(userId, channelId, at);
  }
  lastChannel(userId: string): string | undefined {
    return (this.s.getLast.get(userId) as { channel_id: string } | undefined)?.channel_id;
  }
  setBlocked(channelId: string, userId: string, blocked: boolean, at: number): void {
    if (blocked) this.s.block.run(channelId, userId, at);
    else this.s.unblock.run(channelId, userId);
  }
  isBlocked(channelId: string, userId: string): boolean {
    return this.s.isBlocked.get(channelId, userId) !== undefined;
  }
  setReplyToken(channelId: string, userId: string, token: string, at: number): void {
    this.s.setReplyToken.run(channelId, userId, token, at);
  }
  takeReplyToken(channelId: string, userId: string, now: number, maxAgeMs: number): string | undefined {
    const r = this.s.takeReplyToken.get(channelId, userId) as { token: string; at: number } | undefined;
    return r && now - r.at <= maxAgeMs ? r.token : undefined;
  }
  setReadToken(channelId: string, userId: string, token: string, at: number): void {
    this.s.setReadToken.run(channelId, userId, token, at);
  }
  takeReadToken(channelId: string, userId: string): string | undefined {
    return (this.s.takeReadToken.get(channelId, userId) as { token: string } | undefined)?.token;
  }
  putMedia(m: StoredMedia): void {
    this.s.putMedia.run(m.id, m.channelId, m.mime, m.filename ?? null, m.size, m.sha256, m.expiresAt);
  }
  getMedia(id: string, now: number): StoredMedia | undefined {
    const r = this.s.getMedia.get(id, now) as
      | { id: string; channel_id: string; mime: string; filename: string | null; size: number; sha256: string; expires_at: number }
      | undefined;
    if (!r) return undefined;
    return {
      id: r.id,
      channelId: r.channel_id,
      mime: r.mime,
      ...(r.filename !== null ? { filename: r.filename } : {}),
      size: r.size,
      sha256: r.sha256,
      expiresAt: r.expires_at,
    };
  }
  deleteMedia(id: string): void {
    this.s.deleteMedia.run(id);
  }
  putQuote(messageId: string, text: string, expiresAt: number): void {
    this.s.putQuote.run(messageId, text, expiresAt);
  }
  getQuote(messageId: string, now: number): string | undefined {
    return (this.s.getQuote.get(messageId, now) as { text: string } | undefined)?.text;
  }
  putButtonAnswers(answers: StoredButtonAnswer[]): void {
    for (const a of answers) this.s.putButtonAnswer.run(a.ref, a.answer, a.expiresAt);
  }
  getButtonAnswer(ref: string, now: number): string | undefined {
    return (this.s.getButtonAnswer.get(ref, now) as { answer: string } | undefined)?.answer;
  }
  prune(now: number, retentionMs: number, limit = -1): boolean {
    // LIMIT -1: no limit.
    const jobs = this.s.pruneJobs.run(now - retentionMs, limit).changes;
    const quotes = this.s.pruneQuotes.run(now, limit).changes;
    this.s.pruneMedia.run(now);
    this.s.pruneButtonAnswers.run(now);
    this.s.pruneReplyTokens.run(now - retentionMs);
    this.s.pruneReadTokens.run(now - retentionMs);
    return limit >= 0 && (jobs >= limit || quotes >= limit);
  }
  close(): void {
    this.checkpointer?.postMessage('stop');
    this.checkpointer = undefined;
    if (this.db.open) this.db.close();
  }
}
