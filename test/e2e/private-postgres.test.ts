/**
 * The private PostgreSQL helper cleans up after a test run killed before its own cleanup: the next
 * run stops the server whose test process is gone, and removes its files; a live one's is kept.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { privatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';

// Without a server this machine cannot run the test: privatePostgres prints why (CI=true throws).
const abandoned = await privatePostgres();
const kept = abandoned && (await privatePostgres());
const made: PrivatePostgres[] = [abandoned, kept].filter((s): s is PrivatePostgres => s !== undefined);
afterAll(async () => {
  await Promise.all(made.map((s) => s.destroy()));
});

const answers = async (url: string) => {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    return (await c.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one === 1;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
};

describe.skipIf(!abandoned || !kept)('private PostgreSQL servers left behind', () => {
  it("are stopped and removed by the next run once their test process is gone; a live process's stays", async () => {
    const [old, live] = [abandoned!, kept!];
    expect(await answers(old.url)).toBe(true);
    expect(old.dir.startsWith(tmpdir())).toBe(true);
    // A test process that has exited: its pid is free (reused only after the whole pid space).
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(old.dir, 'owner.pid'), String(gone));

    const next = await privatePostgres();
    made.push(next!);
    expect(existsSync(old.dir)).toBe(false);
    expect(await answers(old.url)).toBe(false);
    expect(existsSync(live.dir)).toBe(true);
    expect(await answers(live.url)).toBe(true);
  }, 60_000);
});
