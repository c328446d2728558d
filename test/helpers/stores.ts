/**
 * The stores a store test runs its cases against: memory, SQLite (in its own thread and in the
 * caller's) and, when a test database answers, PostgreSQL on a schema of its own. Everything opened
 * is closed, and every schema dropped, after each test. Call at the top of a test file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { freshSchema, testDatabaseUrl } from './postgres.js';

export async function storesUnderTest(tempPrefix: string) {
  const databaseUrl = await testDatabaseUrl();
  const opened: Store[] = [];
  const schemas: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await Promise.all(schemas.splice(0).map((drop) => drop()));
  });
  /** A database file in a folder of its own. */
  const tempDb = () => join(mkdtempSync(join(tmpdir(), tempPrefix)), 'q.db');
  /** Opens a memory or SQLite store, closed after the test. */
  async function open(store: 'memory' | 'sqlite', thread = true, storePath = tempDb()): Promise<Store> {
    const s = await openStore({ store, storePath, storeSync: 'normal' }, { thread });
    opened.push(s);
    return s;
  }
  /** A schema of its own, dropped after the test. */
  async function newSchema(): Promise<string> {
    const { schema, drop } = await freshSchema(databaseUrl!);
    schemas.push(drop);
    return schema;
  }
  /** A PostgreSQL store (a replica) on `schema`, closed after the test. */
  async function openPg(schema: string, leaseMs?: number): Promise<Store> {
    const s = await openStore(
      { store: 'postgres', storePath: '', storeSync: 'normal', databaseUrl, ...(leaseMs !== undefined ? { leaseMs } : {}) },
      { schema },
    );
    opened.push(s);
    return s;
  }
  const engines: Array<[string, () => Promise<Store>]> = [
    ['memory', () => open('memory')],
    ['sqlite (in its own thread)', () => open('sqlite')],
    ['sqlite (in the caller’s thread)', () => open('sqlite', false)],
    ...(databaseUrl ? [['postgres', async () => openPg(await newSchema())] as [string, () => Promise<Store>]] : []),
  ];
  return { databaseUrl, tempDb, open, newSchema, openPg, engines };
}
