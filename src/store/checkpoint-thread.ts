/**
 * The checkpoint thread, started by sqlite.ts for a database file: a connection of its own copies
 * the write-ahead log into the database every 200 ms with passive checkpoints, which never block
 * the connection that commits (whose own automatic checkpoint stays as a backstop).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const db = new Database((workerData as { path: string }).path);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or failing: the next tick tries again, and the backstop keeps the log bounded meanwhile.
  }
}, 200);

// Any message means stop.
parentPort!.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
