/**
 * The SQLite store's thread: owns the connection and runs each batch it is sent as one
 * transaction, so that commits (and the disk writes behind them) never block the relay's event
 * loop. Started by startStoreThread (threaded.ts); speaks the messages defined there.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runBatch } from './batched.js';
import { SqliteEngine, type SqliteStoreOptions } from './sqlite.js';
import type { ToThread, FromThread } from './threaded.js';

const port = parentPort!;
const say = (m: FromThread) => port.postMessage(m);

let engine: SqliteEngine;
try {
  engine = new SqliteEngine(workerData as SqliteStoreOptions);
  say({ type: 'ready' });
} catch (e) {
  say({ type: 'failed', name: (e as Error).name, message: (e as Error).message });
  process.exit(1);
}

port.on('message', (m: ToThread) => {
  if (m.type === 'batch') {
    try {
      say({ type: 'done', seq: m.seq, outcomes: runBatch(engine, m.ops) });
    } catch (e) {
      say({ type: 'batch-failed', seq: m.seq, name: (e as Error).name, message: (e as Error).message });
    }
  } else if (m.type === 'close') {
    engine.close();
    say({ type: 'closed' });
    port.close();
  }
});
