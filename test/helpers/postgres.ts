/**
 * The PostgreSQL the tests run against: LINE_GENESYS_TEST_DATABASE_URL (.ci/run sets it). Without it,
 * or when the server does not answer, the PostgreSQL tests skip with one line saying why; under
 * CI=true they fail instead, so CI never passes by skipping them.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_ENV = 'LINE_GENESYS_TEST_DATABASE_URL';

/** The URL of a reachable test database, or undefined (after saying why) when there is none. */
export async function testDatabaseUrl(): Promise<string | undefined> {
  const url = process.env[TEST_DATABASE_ENV];
  let why: string | undefined;
  if (!url) why = `${TEST_DATABASE_ENV} is not set`;
  else {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
    } catch (e) {
      why = `the server in ${TEST_DATABASE_ENV} cannot be reached (${(e as Error).message})`;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (!why) return url;
  if (process.env.CI === 'true') throw new Error(`PostgreSQL tests cannot run, and CI=true does not let them skip: ${why}`);
  console.log(`PostgreSQL store tests skipped: ${why}.`);
  return undefined;
}

/** A schema of its own for one test, so that parallel runs never share tables; `drop` removes it. */
export async function freshSchema(url: string): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `lg_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  return {
    schema,
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
