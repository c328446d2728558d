/**
 * The durable queue and the little state the relay keeps, behind one interface so that another
 * engine is one more file. Every method is synchronous: better-sqlite3 is, and a webhook is answered
 * only after `enqueue` has returned (its events committed).
 */
export type JobKind = 'inbound' | 'outbound';
export type JobState = 'pending' | 'running' | 'done' | 'dead' | 'dropped';

export interface NewJob {
  kind: JobKind;
  /** Unique per event: `line:<webhookEventId>` or `genesys:<message id>`. A repeat is a duplicate. */
  dedupeKey: string;
  /** Jobs with the same key are delivered one at a time, in the order received (one customer). */
  orderKey: string;
  channelId: string;
  /** JSON text of what the worker needs. */
  payload: string;
  receivedAt: number;
}

export interface Job extends NewJob {
  id: number;
  state: JobState;
  attempts: number;
  nextAt: number;
  updatedAt: number;
  lastError?: string;
  /** JSON text a handler saves between attempts (which pushes went out, which media was fetched). */
  progress?: string;
}

export interface EnqueueResult {
  /** One entry per job given: its id, or null when it was a duplicate. */
  ids: Array<number | null>;
  duplicates: number;
}

export interface QueueCounts {
  pending: number;
  running: number;
  dead: number;
  done: number;
}

export interface StoredMedia {
  id: string;
  channelId: string;
  mime: string;
  filename?: string;
  bytes: Buffer;
  sha256: string;
  expiresAt: number;
}

export interface Store {
  readonly engine: string;
  /** Runs `fn`'s calls on this store as one transaction: one commit for many writes. */
  batch<T>(fn: () => T): T;
  enqueue(jobs: NewJob[]): EnqueueResult;
  /** Marks up to `limit` due jobs running and returns them: per order key, only the oldest open job. */
  claim(now: number, limit: number, kinds?: readonly JobKind[]): Job[];
  complete(id: number, now: number): void;
  /** Back to pending for another attempt at `nextAt`. */
  reschedule(id: number, nextAt: number, error: string, now: number): void;
  /** To the dead-letter list, with the last error. */
  bury(id: number, error: string, now: number): void;
  saveProgress(id: number, progress: string): void;
  /** When the next job can be claimed: the earliest `nextAt` among the jobs at the head of their customer's line. */
  nextDueAt(): number | undefined;
  /**
   * How many jobs are in each state. Finished jobs are kept 48 h and counting them walks them all:
   * `{ done: false }` (health checks, metrics) counts only open and dead jobs and reports done as 0.
   */
  counts(opts?: { done?: boolean }): QueueCounts;
  list(state: JobState, limit?: number): Job[];
  get(id: number): Job | undefined;
  /** Dead-lettered job(s) back to pending, due now, with a fresh dead-letter clock. Returns how many. */
  retry(id: number | 'all', now: number): number;
  /** A dead (or pending) job is dropped: kept as a tombstone so a redelivery stays a duplicate. */
  drop(id: number, now: number): boolean;
  /** After a crash: running jobs are pending again. Returns how many. */
  recoverRunning(): number;

  setLastChannel(userId: string, channelId: string, at: number): void;
  lastChannel(userId: string): string | undefined;
  setBlocked(channelId: string, userId: string, blocked: boolean, at: number): void;
  isBlocked(channelId: string, userId: string): boolean;

  putMedia(media: StoredMedia): void;
  getMedia(id: string, now: number): StoredMedia | undefined;

  /** Forgets finished jobs older than `retentionMs` (their dedupe keys with them) and expired media. */
  prune(now: number, retentionMs: number): void;
  close(): void;
}
