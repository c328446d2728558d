/**
 * The PostgreSQL the tests run against: LINE_GENESYS_TEST_DATABASE_URL (.ci/run sets it). Without it,
 * or when the server does not answer, the PostgreSQL tests skip with one line saying why; under
 * CI=true they fail instead, so CI never passes by skipping them.
 */
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
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

export interface Forwarder {
  /** The database URL, through the forwarder. */
  url: string;
  /** Cuts every connection and refuses new ones: the database is gone. */
  stop(): Promise<void>;
  /** Accepts connections again, on the same port. */
  start(): Promise<void>;
}

/** A TCP forwarder to the database of `url`, on a port of its own, that a test cuts and restores (an outage). */
export async function startForwarder(url: string): Promise<Forwarder> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const stop = async () => {
    const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  await listen();
  const via = new URL(url);
  via.hostname = '127.0.0.1';
  via.port = String(port);
  return { url: via.toString(), stop, start: listen };
}
