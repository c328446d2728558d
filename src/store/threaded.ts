/**
 * A BatchRunner that sends each batch to the SQLite store's own thread (sqlite-thread.ts) and
 * resolves with its outcomes once that thread has committed it.
 */
import { Worker as Thread } from 'node:worker_threads';
import { StoreError, type BatchRunner, type OpOutcome, type StoreOp } from './batched.js';
import type { SqliteStoreOptions } from './sqlite.js';
import { threadScript } from './thread-script.js';

export type ToThread = { type: 'batch'; seq: number; ops: StoreOp[] } | { type: 'close' };
export type FromThread =
  | { type: 'ready' }
  | { type: 'failed'; name: string; message: string }
  | { type: 'done'; seq: number; outcomes: OpOutcome[] }
  | { type: 'batch-failed'; seq: number; name: string; message: string }
  | { type: 'closed' };

/** Starts the store's thread, which opens the database (sqlite-thread.ts). */
export function startStoreThread(opts: SqliteStoreOptions): Thread {
  return new Thread(threadScript('sqlite-thread', import.meta.url), {
    workerData: opts,
    // What this thread allocates (one batch's messages) dies young: V8's default young generation
    // would only add to the RSS, and a small one costs no CPU (BENCHMARKS.md).
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
}

/**
 * Runs batches on a store thread once it has opened the database; rejects with the engine's own
 * error if it cannot. If the thread dies, every call waiting and every later one fails.
 */
export async function threadBatches(thread: Thread): Promise<BatchRunner> {
  const waiting = new Map<number, { resolve: (o: OpOutcome[]) => void; reject: (e: unknown) => void }>();
  let seq = 0;
  let closing: (() => void) | undefined;
  let dead: Error | undefined;

  await new Promise<void>((resolve, reject) => {
    const early = (e: Error) => reject(e);
    thread.once('error', early);
    thread.once('message', (m: FromThread) => {
      thread.off('error', early);
      if (m.type === 'ready') resolve();
      else if (m.type === 'failed') reject(new StoreError(m.name, m.message));
    });
  });

  thread.unref();
  const failAll = (e: Error) => {
    dead = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  thread.on('message', (m: FromThread) => {
    if (m.type === 'done' || m.type === 'batch-failed') {
      const w = waiting.get(m.seq);
      waiting.delete(m.seq);
      if (waiting.size === 0) thread.unref();
      if (m.type === 'batch-failed') w?.reject(new StoreError(m.name, m.message));
      else w?.resolve(m.outcomes.map(revive));
    } else if (m.type === 'closed') closing?.();
  });
  thread.on('error', (e) => failAll(new StoreError('StoreError', `the SQLite store's thread failed: ${e.message}`)));
  thread.on('exit', (code) => {
    if (!closing) failAll(new StoreError('StoreError', `the SQLite store's thread stopped (exit code ${code})`));
    closing?.();
  });

  return {
    ownThread: true,
    run(ops) {
      if (dead) return Promise.reject(dead);
      return new Promise((resolve, reject) => {
        const n = ++seq;
        waiting.set(n, { resolve, reject });
        // An idle store does not keep the process alive; a batch in flight does.
        if (waiting.size === 1) thread.ref();
        thread.postMessage({ type: 'batch', seq: n, ops } satisfies ToThread);
      });
    },
    close() {
      if (dead) return Promise.resolve();
      return new Promise<void>((resolve) => {
        closing = resolve;
        thread.ref();
        thread.postMessage({ type: 'close' } satisfies ToThread);
      });
    },
  };
}

/** A Buffer crosses the thread as a plain Uint8Array (media bytes): make it a Buffer again. */
function revive(o: OpOutcome): OpOutcome {
  if (!o.ok || !o.value || typeof o.value !== 'object') return o;
  const bytes = (o.value as { bytes?: unknown }).bytes;
  if (bytes instanceof Uint8Array && !Buffer.isBuffer(bytes)) {
    return { ok: true, value: { ...o.value, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) } };
  }
  return o;
}
