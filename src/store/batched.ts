/**
 * The asynchronous Store over a synchronous engine. Calls made in one turn of the event loop are
 * sent together as one batch: the engine runs them in order, in one transaction (group commit),
 * and each call resolves with its own result, or rejects with its own error, once that
 * transaction is committed. At most one batch is in flight: what arrives meanwhile waits and goes
 * in the next one, so batches grow with the load and commits do not.
 */
import { LineGenesysError } from '../errors.js';
import { MediaStorage, type MediaBytes } from './media.js';
import { MemoryMediaBytes } from './media-memory.js';
import type { Store, StoreCall, StoreEngine } from './store.js';

export interface StoreOp {
  method: StoreCall;
  args: unknown[];
}
export type OpOutcome = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

/** Runs a batch of calls. Rejects only when the batch as a whole failed (its commit, the thread). */
export interface BatchRunner {
  run(ops: StoreOp[]): Promise<OpOutcome[]>;
  close(): Promise<void>;
  /** The engine runs in a thread of its own (the SQLite store with `storeSync: 'full'`). */
  readonly ownThread?: boolean;
}

/** An engine error crosses a thread as its name and message: this is what the caller gets back. */
export class StoreError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name === 'Error' ? 'StoreError' : name;
  }
}

/**
 * The store could not commit at all (PostgreSQL down or unreachable, the SQLite thread dead, the
 * store closed): a webhook is answered 503 with a Retry-After, so its sender delivers it again.
 */
export class StoreUnavailableError extends LineGenesysError {
  /** How long a sender is asked to wait before delivering again. */
  static readonly RETRY_AFTER_SECONDS = 5;
  constructor(message: string, cause?: unknown) {
    super('STORE_UNAVAILABLE', message, { status: 503, cause });
  }
}

function unavailable(e: unknown): StoreUnavailableError {
  return e instanceof StoreUnavailableError ? e : new StoreUnavailableError(e instanceof Error ? e.message : String(e), e);
}

/** Runs `ops` on `engine` in one transaction; one call's error is that call's outcome only. */
export function runBatch(engine: StoreEngine, ops: readonly StoreOp[]): OpOutcome[] {
  return engine.batch(() =>
    ops.map((op): OpOutcome => {
      try {
        return { ok: true, value: (engine[op.method] as (...a: unknown[]) => unknown)(...op.args) };
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        return { ok: false, error: { name: err.name, message: err.message } };
      }
    }),
  );
}

/** Batches run on the engine in this thread (the memory store; SQLite for one-off CLI commands). */
export function localBatches(engine: StoreEngine): BatchRunner {
  return {
    run: async (ops) => runBatch(engine, ops),
    close: async () => engine.close(),
  };
}

/** Finished jobs (and expired quotes) forgotten per batch by prune: about 4 ms of SQLite work here (median; 35 ms at most). */
export const PRUNE_CHUNK = 2_000;

interface Pending {
  op: StoreOp;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class BatchedStore implements Store {
  private waiting: Pending[] = [];
  private scheduled = false;
  private inFlight: Promise<void> | undefined;
  private closed = false;

  readonly media: MediaStorage;

  /** `mediaBytes`: where this store keeps media bytes (default: in memory). */
  constructor(
    readonly engine: string,
    private readonly runner: BatchRunner,
    mediaBytes: MediaBytes = new MemoryMediaBytes(),
  ) {
    this.media = new MediaStorage(this, mediaBytes);
  }

  /** Whether the engine runs in a thread of its own, or in this one (openStore says when). */
  get ownThread(): boolean {
    return this.runner.ownThread === true;
  }

  private call<T>(method: StoreCall, args: unknown[]): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError(`the ${this.engine} store is closed`));
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ op: { method, args }, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled && !this.inFlight) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private flush = (): void => {
    this.scheduled = false;
    if (this.waiting.length === 0 || this.inFlight) return;
    const batch = this.waiting;
    this.waiting = [];
    this.inFlight = this.runner.run(batch.map((p) => p.op)).then(
      (outcomes) => {
        batch.forEach((p, i) => {
          const o = outcomes[i]!;
          if (o.ok) p.resolve(o.value);
          else p.reject(new StoreError(o.error.name, o.error.message));
        });
      },
      (e: unknown) => {
        const error = unavailable(e);
        for (const p of batch) p.reject(error);
      },
    );
    void this.inFlight.finally(() => {
      this.inFlight = undefined;
      // What arrived while this batch ran goes now, as one batch.
      if (this.waiting.length) this.flush();
    });
  };

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.inFlight || this.waiting.length) {
      if (!this.inFlight) this.flush();
      await this.inFlight;
    }
    await this.runner.close();
  }

  enqueue: Store['enqueue'] = (...a) => this.call('enqueue', a);
  claim: Store['claim'] = (...a) => this.call('claim', a);
  complete: Store['complete'] = (...a) => this.call('complete', a);
  reschedule: Store['reschedule'] = (...a) => this.call('reschedule', a);
  hasten: Store['hasten'] = (...a) => this.call('hasten', a);
  bury: Store['bury'] = (...a) => this.call('bury', a);
  saveProgress: Store['saveProgress'] = (...a) => this.call('saveProgress', a);
  nextDueAt: Store['nextDueAt'] = (...a) => this.call('nextDueAt', a);
  counts: Store['counts'] = (...a) => this.call('counts', a);
  list: Store['list'] = (...a) => this.call('list', a);
  get: Store['get'] = (...a) => this.call('get', a);
  retry: Store['retry'] = (...a) => this.call('retry', a);
  drop: Store['drop'] = (...a) => this.call('drop', a);
  renew: Store['renew'] = (...a) => this.call('renew', a);
  recoverRunning: Store['recoverRunning'] = (...a) => this.call('recoverRunning', a);
  setLastChannel: Store['setLastChannel'] = (...a) => this.call('setLastChannel', a);
  lastChannel: Store['lastChannel'] = (...a) => this.call('lastChannel', a);
  setBlocked: Store['setBlocked'] = (...a) => this.call('setBlocked', a);
  isBlocked: Store['isBlocked'] = (...a) => this.call('isBlocked', a);
  setReplyToken: Store['setReplyToken'] = (...a) => this.call('setReplyToken', a);
  takeReplyToken: Store['takeReplyToken'] = (...a) => this.call('takeReplyToken', a);
  setReadToken: Store['setReadToken'] = (...a) => this.call('setReadToken', a);
  takeReadToken: Store['takeReadToken'] = (...a) => this.call('takeReadToken', a);
  putMedia: Store['putMedia'] = (...a) => this.call('putMedia', a);
  getMedia: Store['getMedia'] = (...a) => this.call('getMedia', a);
  deleteMedia: Store['deleteMedia'] = (...a) => this.call('deleteMedia', a);
  putQuote: Store['putQuote'] = (...a) => this.call('putQuote', a);
  getQuote: Store['getQuote'] = (...a) => this.call('getQuote', a);
  putButtonAnswers: Store['putButtonAnswers'] = (...a) => this.call('putButtonAnswers', a);
  getButtonAnswer: Store['getButtonAnswer'] = (...a) => this.call('getButtonAnswer', a);
  /**
   * Jobs, media rows, quotes, button answers and tokens in the engine, then the bytes of the media
   * that expired. At most PRUNE_CHUNK finished jobs and quotes a batch: at 1,000 messages a second,
   * each 10-minute prune forgets 600,000 of each, which in one transaction would hold every commit
   * (and, with SQLite in the event loop's thread, the loop) for seconds. Webhooks' calls go between.
   */
  prune: Store['prune'] = async (now, retentionMs) => {
    while ((await this.call<boolean | void>('prune', [now, retentionMs, PRUNE_CHUNK])) === true);
    await this.media.prune(now);
  };
}
