/**
 * The relay under test, alone in its process: createRelay from dist/index.js configured through
 * loadConfig from environment variables (as a user would), listening on loopback.
 *   node bench/relay-process.js <memory|sqlite|postgres> <line emulator url> <genesys emulator url> [schema]
 * The SQLite file lives in a fresh temporary directory, removed at stop. PostgreSQL: the database
 * is DATABASE_URL (set by run.js), the tables in `schema`, which run.js creates and drops; several
 * of these processes on one schema are replicas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRelay, loadConfig, openStore } from '../dist/index.js';
import { relayEnv } from './lib/env.js';
import { ready, serveParent } from './lib/ipc.js';

const [store = 'sqlite', lineUrl, genesysUrl, schema] = process.argv.slice(2);
if (!lineUrl || !genesysUrl) throw new Error('usage: relay-process.js <memory|sqlite|postgres> <line url> <genesys url> [schema]');

const cwd = mkdtempSync(join(tmpdir(), 'lg-bench-'));
const config = loadConfig({
  cwd,
  dotenv: false,
  env: relayEnv(
    { line: lineUrl, genesys: genesysUrl },
    {
      LINE_GENESYS_STORE: store,
      LINE_GENESYS_STORE_PATH: join(cwd, 'relay.db'),
      ...(store === 'postgres' ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      // To try a setting: e.g. LINE_GENESYS_CONCURRENCY=4 npm run bench
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('LINE_GENESYS_') && k !== 'LINE_GENESYS_STORE' && k !== 'LINE_GENESYS_STORE_PATH')),
    },
  ),
});
// The schema is not a setting of the relay (a user's search_path decides): the bench opens the store itself.
const ownStore = store === 'postgres' ? await openStore(config.relay, { schema }) : undefined;
const relay = await createRelay({ config, ...(ownStore ? { store: ownStore } : {}) });
const url = await relay.listen(0, '127.0.0.1');

serveParent({
  /** The queue: pending + running is what the worker still has to deliver. */
  counts: () => relay.context.store.counts({ done: false }),
  stop: async () => {
    await relay.close();
    await ownStore?.close();
    rmSync(cwd, { recursive: true, force: true });
    setImmediate(() => process.exit(0));
    return true;
  },
});

ready({ url, store: relay.context.store.engine, storePath: store === 'sqlite' ? config.relay.storePath : undefined });
