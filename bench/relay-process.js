/**
 * The relay under test, alone in its process: createRelay from dist/index.js configured through
 * loadConfig from environment variables (as a user would), listening on loopback.
 *   node bench/relay-process.js <memory|sqlite> <line emulator url> <genesys emulator url>
 * The SQLite file lives in a fresh temporary directory, removed at stop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRelay, loadConfig } from '../dist/index.js';
import { relayEnv } from './lib/env.js';
import { ready, serveParent } from './lib/ipc.js';

const [store = 'sqlite', lineUrl, genesysUrl] = process.argv.slice(2);
if (!lineUrl || !genesysUrl) throw new Error('usage: relay-process.js <memory|sqlite> <line url> <genesys url>');

const cwd = mkdtempSync(join(tmpdir(), 'lg-bench-'));
const config = loadConfig({
  cwd,
  dotenv: false,
  env: relayEnv(
    { line: lineUrl, genesys: genesysUrl },
    {
      LINE_GENESYS_STORE: store,
      LINE_GENESYS_STORE_PATH: join(cwd, 'relay.db'),
      // To try a setting: e.g. LINE_GENESYS_CONCURRENCY=4 npm run bench
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('LINE_GENESYS_') && k !== 'LINE_GENESYS_STORE' && k !== 'LINE_GENESYS_STORE_PATH')),
    },
  ),
});
const relay = await createRelay({ config });
const url = await relay.listen(0, '127.0.0.1');

serveParent({
  /** The queue: pending + running is what the worker still has to deliver. */
  counts: () => relay.context.store.counts({ done: false }),
  stop: async () => {
    await relay.close();
    rmSync(cwd, { recursive: true, force: true });
    setImmediate(() => process.exit(0));
    return true;
  },
});

ready({ url, store: relay.context.store.engine, storePath: store === 'sqlite' ? config.relay.storePath : undefined });
