/**
 * The floor of CPU per webhook: the least any relay must do for one LINE webhook. It is the bare
 * server (read, verify the signature, answer 200) plus one JSON.parse, one SQLite insert committed
 * before the answer (WAL, synchronous=NORMAL, as the relay's default store; the webhooks that
 * arrived in one event-loop turn share a commit, as the relay's batches do), and one Genesys POST
 * after it, over the relay's own upstream call (dist/upstream.js: undici dispatch, keep-alive).
 * No retry, no dedupe, no profile, no job state, no thread: what it costs on this machine ÷ the
 * bare server's is the floor the relay's ratio is held to (see BENCHMARKS.md).
 *   node bench/floor-process.js <genesys emulator url>
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyLine } from '../dist/index.js';
import { call } from '../dist/upstream.js';
import { CHANNELS } from './lib/env.js';
import { fetchToken, inboundBody, inboundPath } from './lib/genesys-inbound.js';
import { serveServer } from './lib/ipc.js';

const [genesysUrl] = process.argv.slice(2);
if (!genesysUrl) throw new Error('usage: floor-process.js <genesys url>');
const secret = CHANNELS.th.secret;
const OK = '{"accepted":1,"duplicates":0}';
const headers = { authorization: `Bearer ${await fetchToken(genesysUrl)}` };
const url = `${genesysUrl}${inboundPath()}`;

const dir = mkdtempSync(join(tmpdir(), 'lg-bench-floor-'));
const db = new Database(join(dir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE events (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO events (id, body) VALUES (?, ?)');
const commit = db.transaction((batch) => {
  for (const w of batch) insert.run(w.events[0].webhookEventId, w.text);
});

/** Webhooks verified in this event-loop turn: committed together, then answered, then delivered. */
let batch = [];
function flush() {
  const done = batch;
  batch = [];
  commit(done);
  for (const w of done) {
    w.res.writeHead(200, { 'content-type': 'application/json', 'content-length': OK.length });
    w.res.end(OK);
  }
  for (const w of done) for (const e of w.events) deliver(e).catch(() => {});
}

let inflight = 0;
async function deliver(event) {
  inflight++;
  try {
    await call({ upstream: 'genesys', operation: 'inbound', method: 'POST', url, headers, body: inboundBody(event) });
  } finally {
    inflight--;
  }
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    if (!verifyLine(body, secret, req.headers['x-line-signature'])) {
      res.writeHead(401, { 'content-length': 0 }).end();
      return;
    }
    const text = body.toString('utf8');
    if (batch.length === 0) setImmediate(flush);
    batch.push({ text, events: JSON.parse(text).events, res });
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

serveServer(server, {
  running: () => inflight,
  cleanup: () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  },
});
