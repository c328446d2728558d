/**
 * The durable queue and the little state the relay keeps. Two layers:
 * - a `StoreEngine` (SQLite, memory) does the work, synchronously, as better-sqlite3 does;
 * - the `Store` the relay uses is the same set of calls made asynchronous: the calls made in one
 *   turn of the event loop run together as one engine batch (one transaction, one commit), in
 *   this thread or, for SQLite in the relay, in a thread of its own so that no disk write ever
 *   blocks the event loop. A call resolves once its batch is committed: a webhook is answered only
 *   after `enqueue` has resolved.
 */
import type { MediaStorage } from './media.js';

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

/** The row of a media item; its bytes are in the store's MediaStorage (media.ts). */
export interface StoredMedia {
  id: string;
  channelId: string;
  mime: string;
  filename?: string;
  /** In bytes. */
  size: number;
  sha256: string;
  expiresAt: number;
}

/** A customer's answer to a Genesys button, too long for LINE's postback data, kept under its reference. */
export interface StoredButtonAnswer {
  ref: string;
  /** JSON text of the answer (transform/button-answer.ts). */
  answer: string;
  expiresAt: number;
}

export interface StoreEngine {
  readonly engine: string;
  /** Runs `fn`'s calls on this store as one transaction: one commit for many writes. */
  batch<T>(fn: () => T): T;
  enqueue(jobs: NewJob[]): EnqueueResult;
  /** Marks up to `limit` due jobs running and returns them: per order key, only the oldest open job. */
  claim(now: number, limit: number, kinds?: readonly JobKind[]): Job[];
  complete(id: number, now: number): void;
  /** Back to pending for another attempt at `nextAt`. */
  reschedule(id: number, nextAt: number, error: string, now: number): void;
  /**
   * Pending jobs of `kind` put off at or after `since` (their backoff set while a platform was down)
   * are due at `now`: the platform is back. Returns how many.
   */
  hasten(kind: JobKind, since: number, now: number): number;
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
  /**
   * Extends the lease of running jobs this replica still holds (claimed ahead, or being delivered),
   * so that a shared store's other replicas do not take them over. Only a shared store leases.
   */
  renew(ids: readonly number[], now: number): void;
  /** After a crash: running jobs are pending again. Returns how many. */
  recoverRunning(): number;

  setLastChannel(userId: string, channelId: string, at: number): void;
  lastChannel(userId: string): string | undefined;
  setBlocked(channelId: string, userId: string, blocked: boolean, at: number): void;
  isBlocked(channelId: string, userId: string): boolean;
  /** The reply token of a customer's latest event on a channel (`at`: the event's time); an older event's token never replaces it. */
  setReplyToken(channelId: string, userId: string, token: string, at: number): void;
  /** Takes the customer's reply token, used or not: it is returned only when at most `maxAgeMs` old, and never twice. */
  takeReplyToken(channelId: string, userId: string, now: number, maxAgeMs: number): string | undefined;
  /** The markAsReadToken of a customer's latest message on a channel (`at`: the message's time); these tokens do not expire. */
  setReadToken(channelId: string, userId: string, token: string, at: number): void;
  /** Takes the customer's markAsReadToken: once marked read, the same messages need no second mark. */
  takeReadToken(channelId: string, userId: string): string | undefined;

  /** Media rows (the bytes go through `Store.media`, which writes these). */
  putMedia(media: StoredMedia): void;
  getMedia(id: string, now: number): StoredMedia | undefined;
  deleteMedia(id: string): void;
  /** The text of a LINE message a customer may quote (theirs or an agent's), by LINE message id, until `expiresAt` (as media). */
  putQuote(messageId: string, text: string, expiresAt: number): void;
  getQuote(messageId: string, now: number): string | undefined;

  /** Keeps button answers under their references (a reference given again is replaced: same answer, later expiry). */
  putButtonAnswers(answers: StoredButtonAnswer[]): void;
  /** The JSON text of the answer kept under `ref`, unless it has expired. */
  getButtonAnswer(ref: string, now: number): string | undefined;

  /**
   * Forgets finished jobs older than `retentionMs` (their dedupe keys with them), expired media,
   * quotes and button answers, and the reply and read tokens older than `retentionMs`. With `limit`,
   * at most that many finished jobs and as many quotes (the two that grow with every message), and
   * true when either reached it: the caller calls again, in another transaction, so that a day's
   * backlog is not one long stall.
   */
  prune(now: number, retentionMs: number, limit?: number): boolean | void;
  close(): void;
}

/** The engine calls that a `Store` forwards (all but `batch` and `close`). */
export type StoreCall = Exclude<{ [K in keyof StoreEngine]: StoreEngine[K] extends (...args: never[]) => unknown ? K : never }[keyof StoreEngine], 'batch' | 'close'>;

/** What the relay, the worker and the CLI use: each engine call, resolved once committed. */
export type Store = {
  readonly engine: string;
  /** Customer media, streamed in and out: rows in this store, bytes where the engine keeps them. */
  readonly media: MediaStorage;
  close(): Promise<void>;
  /** The engine's prune, whole: in as many transactions as the store sees fit (BatchedStore: chunks). */
  prune(now: number, retentionMs: number): Promise<void>;
} & {
  [K in Exclude<StoreCall, 'prune'>]: (...args: Parameters<StoreEngine[K]>) => Promise<ReturnType<StoreEngine[K]>>;
};
