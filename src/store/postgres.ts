/**
 * The store shared by several relays: PostgreSQL through `pg` (node-postgres). `pg` rather than
 * `postgres` (porsager): it is the long-standing client with a built-in pool whose size we set,
 * per-pool error events (a dropped connection is evicted, the next batch reconnects), plain
 * parameterised queries with no tagged-template layer, first-party TypeScript types, and it runs
 * on Node 20 with no native code.
 *
 * Same promises as SQLite, across replicas: the calls of one event-loop turn run as one transaction
 * (BatchedStore), so a webhook is acked after its commit; `dedupe_key` is unique and kept as long as
 * SQLite keeps it; claims take the head of each customer's line `FOR UPDATE SKIP LOCKED` and hold it
 * for a lease: a running job whose lease has run out (its replica died) is claimable again.
 */
import pg from 'pg';
import type { PoolClient } from 'pg';
import type { BatchRunner, OpOutcome, StoreOp } from './batched.js';
import { BatchedStore } from './batched.js';
import { PostgresMediaBytes } from './media-postgres.js';
import { migrate } from './postgres-migrations.js';
import type { EnqueueResult, Job, JobKind, JobState, NewJob, QueueCounts, StoreCall, StoredButtonAnswer, StoredMedia } from './store.js';

export interface PostgresStoreOptions {
  /** A standard connection URL, `sslmode` included: postgres://user:pass@host:5432/db?sslmode=require */
  url: string;
  /** Connections in the pool (default 4). */
  poolSize?: number;
  /** How long a claimed job stays another replica's before it can be claimed again, in ms (default 30 s). */
  leaseMs?: number;
  /** The schema the tables live in (default: the connection's search_path, normally `public`). */
  schema?: string;
}

export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_POOL_SIZE = 4;
const CONNECT_TIMEOUT_MS = 5_000;

/** A job row as the `Job` it is: BIGINT columns (strings in `pg`) read as numbers, which ids and ms times fit. */
const jobColumns = (t: string): string =>
  `${t}.id::float8 AS id, ${t}.kind, ${t}.dedupe_key AS "dedupeKey", ${t}.order_key AS "orderKey", ${t}.channel_id AS "channelId",
   ${t}.payload, ${t}.received_at::float8 AS "receivedAt", ${t}.state, ${t}.attempts, ${t}.next_at::float8 AS "nextAt",
   ${t}.updated_at::float8 AS "updatedAt", ${t}.last_error AS "lastError", ${t}.progress`;
type Row = Omit<Job, 'lastError' | 'progress'> & { lastError: string | null; progress: string | null };

/** Optional fields that are NULL are left out, as the other engines leave them out. */
function toJob({ lastError, progress, ...job }: Row): Job {
  return { ...job, ...(lastError !== null ? { lastError } : {}), ...(progress !== null ? { progress } : {}) };
}

/** No older open job of the same customer: `j` is the head of its line. */
const IS_HEAD = `NOT EXISTS (SELECT 1 FROM jobs AS o WHERE o.order_key = j.order_key AND o.state IN ('pending', 'running') AND o.id < j.id)`;

type Calls = { [K in StoreCall]: (c: PoolClient, ...args: never[]) => Promise<unknown> };

/** Each store call as SQL on the batch's connection, inside the batch's transaction. */
function calls(leaseMs: number) {
  return {
    async enqueue(c: PoolClient, jobs: NewJob[]): Promise<EnqueueResult> {
      const ids: Array<number | null> = [];
      let duplicates = 0;
      for (const j of jobs) {
        const r = await c.query<{ id: string }>(
          `INSERT INTO jobs (kind, dedupe_key, order_key, channel_id, payload, received_at, next_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6, $6) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
          [j.kind, j.dedupeKey, j.orderKey, j.channelId, j.payload, j.receivedAt],
        );
        if (r.rows[0]) ids.push(Number(r.rows[0].id));
        else {
          ids.push(null);
          duplicates++;
        }
      }
      return { ids, duplicates };
    },
    async claim(c: PoolClient, now: number, limit: number, kinds?: readonly JobKind[]): Promise<Job[]> {
      // A head is due when pending and its time has come, or running on a lease that ran out.
      // SKIP LOCKED: another replica claiming at this moment keeps its rows, we take others; a row it
      // has just claimed and committed is rechecked against the WHERE clause and no longer matches.
      const r = await c.query<Row>(
        `WITH heads AS (
           SELECT j.id FROM jobs AS j
           WHERE ((j.state = 'pending' AND j.next_at <= $1) OR (j.state = 'running' AND j.lease_until <= $1))
             AND ($3::text[] IS NULL OR j.kind = ANY($3::text[])) AND ${IS_HEAD}
           ORDER BY j.id LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE jobs SET state = 'running', updated_at = $1, lease_until = $1::bigint + $4::bigint
         FROM heads WHERE jobs.id = heads.id RETURNING ${jobColumns('jobs')}`,
        [now, limit, kinds ? [...kinds] : null, leaseMs],
      );
      return r.rows.map(toJob).sort((a, b) => a.id - b.id);
    },
    async complete(c: PoolClient, id: number, now: number): Promise<void> {
      // Only the dedupe key has to outlive a delivered job: let its payload go.
      await c.query(`UPDATE jobs SET state = 'done', updated_at = $1, lease_until = NULL, payload = '', progress = NULL WHERE id = $2`, [now, id]);
    },
    async reschedule(c: PoolClient, id: number, nextAt: number, error: string, now: number): Promise<void> {
      await c.query(
        `UPDATE jobs SET state = 'pending', next_at = $1, last_error = $2, attempts = attempts + 1, updated_at = $3, lease_until = NULL WHERE id = $4`,
        [nextAt, error, now, id],
      );
    },
    async hasten(c: PoolClient, kind: JobKind, since: number, now: number): Promise<number> {
      const r = await c.query(`UPDATE jobs SET next_at = $1 WHERE state = 'pending' AND kind = $2 AND next_at > $1 AND updated_at >= $3`, [now, kind, since]);
      return r.rowCount ?? 0;
    },
    async bury(c: PoolClient, id: number, error: string, now: number): Promise<void> {
      await c.query(`UPDATE jobs SET state = 'dead', last_error = $1, attempts = attempts + 1, updated_at = $2, lease_until = NULL WHERE id = $3`, [error, now, id]);
    },
    async saveProgress(c: PoolClient, id: number, progress: string): Promise<void> {
      await c.query(`UPDATE jobs SET progress = $1 WHERE id = $2`, [progress, id]);
    },
    async nextDueAt(c: PoolClient): Promise<number | undefined> {
      // The earliest time a head can be claimed: a pending one's next attempt, a running one's lease end.
      const r = await c.query<{ t: string | null }>(
        `SELECT MIN(CASE WHEN j.state = 'pending' THEN j.next_at ELSE j.lease_until END) AS t
         FROM jobs AS j WHERE j.state IN ('pending', 'running') AND ${IS_HEAD}`,
      );
      const t = r.rows[0]?.t;
      return t === null || t === undefined ? undefined : Number(t);
    },
    async counts(c: PoolClient, opts: { done?: boolean } = {}): Promise<QueueCounts> {
      const where = opts.done === false ? `WHERE state IN ('pending', 'running', 'dead')` : '';
      const r = await c.query<{ state: string; n: string }>(`SELECT state, COUNT(*) AS n FROM jobs ${where} GROUP BY state`);
      const out: QueueCounts = { pending: 0, running: 0, dead: 0, done: 0 };
      for (const row of r.rows) if (row.state in out) out[row.state as keyof QueueCounts] = Number(row.n);
      return out;
    },
    async list(c: PoolClient, state: JobState, limit = 100): Promise<Job[]> {
      return (await c.query<Row>(`SELECT ${jobColumns('jobs')} FROM jobs WHERE state = $1 ORDER BY id LIMIT $2`, [state, limit])).rows.map(toJob);
    },
    async get(c: PoolClient, id: number): Promise<Job | undefined> {
      const r = (await c.query<Row>(`SELECT ${jobColumns('jobs')} FROM jobs WHERE id = $1`, [id])).rows[0];
      return r ? toJob(r) : undefined;
    },
    async retry(c: PoolClient, id: number | 'all', now: number): Promise<number> {
      const r = await c.query(
        `UPDATE jobs SET state = 'pending', next_at = $1, received_at = $1, updated_at = $1 WHERE state = 'dead' AND ($2::bigint IS NULL OR id = $2)`,
        [now, id === 'all' ? null : id],
      );
      return r.rowCount ?? 0;
    },
    async drop(c: PoolClient, id: number, now: number): Promise<boolean> {
      const r = await c.query(`UPDATE jobs SET state = 'dropped', updated_at = $1 WHERE id = $2 AND state IN ('dead', 'pending')`, [now, id]);
      return (r.rowCount ?? 0) > 0;
    },
    async renew(c: PoolClient, ids: readonly number[], now: number): Promise<void> {
      await c.query(`UPDATE jobs SET lease_until = $1::bigint + $2::bigint WHERE id = ANY($3::bigint[]) AND state = 'running'`, [now, leaseMs, [...ids]]);
    },
    async recoverRunning(c: PoolClient): Promise<number> {
      // Other replicas' running jobs are theirs while their lease lasts: only lapsed leases go back.
      const r = await c.query(`UPDATE jobs SET state = 'pending', lease_until = NULL WHERE state = 'running' AND lease_until <= $1`, [Date.now()]);
      return r.rowCount ?? 0;
    },
    async setLastChannel(c: PoolClient, userId: string, channelId: string, at: number): Promise<void> {
      await c.query(
        `INSERT INTO last_channel (user_id, channel_id, at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET channel_id = excluded.channel_id, at = excluded.at
         WHERE last_channel.channel_id <> excluded.channel_id`,
        [userId, channelId, at],
      );
    },
    async lastChannel(c: PoolClient, userId: string): Promise<string | undefined> {
      return (await c.query<{ channel_id: string }>(`SELECT channel_id FROM last_channel WHERE user_id = $1`, [userId])).rows[0]?.channel_id;
    },
    async setBlocked(c: PoolClient, channelId: string, userId: string, blocked: boolean, at: number): Promise<void> {
      if (blocked) {
        await c.query(`INSERT INTO blocked (channel_id, user_id, at) VALUES ($1, $2, $3) ON CONFLICT (channel_id, user_id) DO UPDATE SET at = excluded.at`, [
          channelId,
          userId,
          at,
        ]);
      } else await c.query(`DELETE FROM blocked WHERE channel_id = $1 AND user_id = $2`, [channelId, userId]);
    },
    async isBlocked(c: PoolClient, channelId: string, userId: string): Promise<boolean> {
      return (await c.query(`SELECT 1 FROM blocked WHERE channel_id = $1 AND user_id = $2`, [channelId, userId])).rows.length > 0;
    },
    // An event's token replaces the stored one only when the event is not older (a redelivery is).
    async setReplyToken(c: PoolClient, channelId: string, userId: string, token: string, at: number): Promise<void> {
      await c.query(
        `INSERT INTO reply_tokens (channel_id, user_id, token, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel_id, user_id) DO UPDATE SET token = excluded.token, at = excluded.at WHERE excluded.at >= reply_tokens.at`,
        [channelId, userId, token, at],
      );
    },
    async takeReplyToken(c: PoolClient, channelId: string, userId: string, now: number, maxAgeMs: number): Promise<string | undefined> {
      const r = await c.query<{ token: string; at: number }>(
        `DELETE FROM reply_tokens WHERE channel_id = $1 AND user_id = $2 RETURNING token, at::float8 AS at`,
        [channelId, userId],
      );
      const t = r.rows[0];
      return t && now - t.at <= maxAgeMs ? t.token : undefined;
    },
    async setReadToken(c: PoolClient, channelId: string, userId: string, token: string, at: number): Promise<void> {
      await c.query(
        `INSERT INTO read_tokens (channel_id, user_id, token, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel_id, user_id) DO UPDATE SET token = excluded.token, at = excluded.at WHERE excluded.at >= read_tokens.at`,
        [channelId, userId, token, at],
      );
    },
    async takeReadToken(c: PoolClient, channelId: string, userId: string): Promise<string | undefined> {
      return (await c.query<{ token: string }>(`DELETE FROM read_tokens WHERE channel_id = $1 AND user_id = $2 RETURNING token`, [channelId, userId])).rows[0]?.token;
    },
    async putMedia(c: PoolClient, m: StoredMedia): Promise<void> {
      await c.query(
        `INSERT INTO media (id, channel_id, mime, filename, size, sha256, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET channel_id = excluded.channel_id, mime = excluded.mime, filename = excluded.filename,
           size = excluded.size, sha256 = excluded.sha256, expires_at = excluded.expires_at`,
        [m.id, m.channelId, m.mime, m.filename ?? null, m.size, m.sha256, m.expiresAt],
      );
    },
    async deleteMedia(c: PoolClient, id: string): Promise<void> {
      await c.query(`DELETE FROM media WHERE id = $1`, [id]);
    },
    async getMedia(c: PoolClient, id: string, now: number): Promise<StoredMedia | undefined> {
      const r = await c.query<Omit<StoredMedia, 'filename'> & { filename: string | null }>(
        `SELECT id, channel_id AS "channelId", mime, filename, size::float8 AS size, sha256, expires_at::float8 AS "expiresAt"
         FROM media WHERE id = $1 AND expires_at > $2`,
        [id, now],
      );
      if (!r.rows[0]) return undefined;
      const { filename, ...media } = r.rows[0];
      return { ...media, ...(filename !== null ? { filename } : {}) };
    },
    async putQuote(c: PoolClient, messageId: string, text: string, expiresAt: number): Promise<void> {
      await c.query(
        `INSERT INTO quotes (message_id, text, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (message_id) DO UPDATE SET text = excluded.text, expires_at = excluded.expires_at`,
        [messageId, text, expiresAt],
      );
    },
    async getQuote(c: PoolClient, messageId: string, now: number): Promise<string | undefined> {
      return (await c.query<{ text: string }>(`SELECT text FROM quotes WHERE message_id = $1 AND expires_at > $2`, [messageId, now])).rows[0]?.text;
    },
    async putButtonAnswers(c: PoolClient, answers: StoredButtonAnswer[]): Promise<void> {
      for (const a of answers) {
        await c.query(
          `INSERT INTO button_answers (ref, answer, expires_at) VALUES ($1, $2, $3)
           ON CONFLICT (ref) DO UPDATE SET answer = excluded.answer, expires_at = excluded.expires_at`,
          [a.ref, a.answer, a.expiresAt],
        );
      }
    },
    async getButtonAnswer(c: PoolClient, ref: string, now: number): Promise<string | undefined> {
      return (await c.query<{ answer: string }>(`SELECT answer FROM button_answers WHERE ref = $1 AND expires_at > $2`, [ref, now])).rows[0]?.answer;
    },
    async prune(c: PoolClient, now: number, retentionMs: number): Promise<void> {
      await c.query(`DELETE FROM jobs WHERE state IN ('done', 'dropped') AND updated_at < $1`, [now - retentionMs]);
      await c.query(`DELETE FROM media WHERE expires_at <= $1`, [now]);
      await c.query(`DELETE FROM quotes WHERE expires_at <= $1`, [now]);
      await c.query(`DELETE FROM button_answers WHERE expires_at <= $1`, [now]);
      // A customer's tokens are taken when an agent answers; a customer no agent answered keeps one
      // row per channel until the retention has passed.
      await c.query(`DELETE FROM reply_tokens WHERE at < $1`, [now - retentionMs]);
      await c.query(`DELETE FROM read_tokens WHERE at < $1`, [now - retentionMs]);
    },
  } satisfies Calls;
}

function outcomeOf(e: unknown): OpOutcome {
  const err = e instanceof Error ? e : new Error(String(e));
  return { ok: false, error: { name: err.name, message: err.message } };
}

/**
 * Runs each batch in one transaction on one pooled connection. An error in one call must be that
 * call's outcome only, but PostgreSQL aborts the whole transaction on an error: so a batch first runs
 * plainly and, only if a call failed, is rolled back and run again with a savepoint around each call.
 * A lost connection rejects the batch (nothing in it was committed); the pool replaces the connection.
 */
export function postgresBatches(pool: pg.Pool, leaseMs: number): BatchRunner {
  const sql = calls(leaseMs) as unknown as Record<StoreCall, (c: PoolClient, ...args: unknown[]) => Promise<unknown>>;
  async function attempt(c: PoolClient, ops: readonly StoreOp[], savepoints: boolean): Promise<OpOutcome[] | undefined> {
    await c.query('BEGIN');
    const out: OpOutcome[] = [];
    for (const op of ops) {
      if (savepoints) await c.query('SAVEPOINT op');
      try {
        out.push({ ok: true, value: await sql[op.method](c, ...op.args) });
      } catch (e) {
        if (!savepoints) {
          await c.query('ROLLBACK');
          return undefined;
        }
        await c.query('ROLLBACK TO SAVEPOINT op');
        out.push(outcomeOf(e));
      }
    }
    await c.query('COMMIT');
    return out;
  }
  return {
    async run(ops) {
      const c = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client whose connection drops also emits 'error' (the pool listens only to idle
      // ones): unheard, it would end the process. The batch's own query fails with it.
      const lost = (e: Error) => (broken = e);
      c.on('error', lost);
      try {
        return (await attempt(c, ops, false)) ?? (await attempt(c, ops, true))!;
      } catch (e) {
        broken = e instanceof Error ? e : new Error(String(e));
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        // A connection that failed outside a call (BEGIN, COMMIT, the socket) is not given back.
        c.off('error', lost);
        c.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/** Opens the pool, applies the migrations (under the advisory lock) and returns the Store. */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<BatchedStore> {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? DEFAULT_POOL_SIZE,
    // During an outage a batch fails within this time (the webhook gets a 503) rather than waiting on.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle connection dropped by the server (a restart, a failover) is evicted from the pool; the
  // next batch opens a new one. Without this listener the error would end the process.
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    try {
      await migrate(c);
    } finally {
      c.release();
    }
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  return new BatchedStore('postgres', postgresBatches(pool, opts.leaseMs ?? DEFAULT_LEASE_MS), new PostgresMediaBytes(pool));
}
