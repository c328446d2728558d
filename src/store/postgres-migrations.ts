/**
 * The PostgreSQL store's schema, as numbered migrations. Each runs once, in its own transaction,
 * recorded in `schema_migrations`; replicas starting at once take turns under an advisory lock
 * (one per schema), so exactly one of them applies a given migration. Append, never edit.
 */
import type { PoolClient } from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'jobs, last channel, blocked users, media',
    sql: `
CREATE TABLE jobs (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  order_key TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  lease_until BIGINT,
  last_error TEXT,
  progress TEXT
);
CREATE INDEX jobs_open ON jobs (order_key, id) WHERE state IN ('pending', 'running');
CREATE INDEX jobs_due ON jobs (next_at) WHERE state = 'pending';
CREATE INDEX jobs_leased ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_dead ON jobs (id) WHERE state = 'dead';
CREATE INDEX jobs_finished ON jobs (updated_at) WHERE state IN ('done', 'dropped');
CREATE TABLE last_channel (user_id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, at BIGINT NOT NULL);
CREATE TABLE blocked (channel_id TEXT NOT NULL, user_id TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (channel_id, user_id));
CREATE TABLE media (
  id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, mime TEXT NOT NULL, filename TEXT,
  bytes BYTEA NOT NULL, sha256 TEXT NOT NULL, expires_at BIGINT NOT NULL
);
CREATE INDEX media_expiry ON media (expires_at);`,
  },
  {
    version: 2,
    name: 'customers\' latest reply and markAsRead tokens',
    sql: `
CREATE TABLE reply_tokens (channel_id TEXT NOT NULL, user_id TEXT NOT NULL, token TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (channel_id, user_id));
CREATE TABLE read_tokens (channel_id TEXT NOT NULL, user_id TEXT NOT NULL, token TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (channel_id, user_id));`,
  },
  {
    version: 3,
    name: 'media bytes streamed in chunks (media_chunks), the media row keeps the size',
    sql: `
CREATE TABLE media_chunks (
  media_id TEXT NOT NULL, seq INTEGER NOT NULL, bytes BYTEA NOT NULL, expires_at BIGINT NOT NULL,
  PRIMARY KEY (media_id, seq)
);
CREATE INDEX media_chunks_expiry ON media_chunks (expires_at);
INSERT INTO media_chunks (media_id, seq, bytes, expires_at) SELECT id, 0, bytes, expires_at FROM media;
ALTER TABLE media ADD COLUMN size BIGINT NOT NULL DEFAULT 0;
UPDATE media SET size = octet_length(bytes);
ALTER TABLE media DROP COLUMN bytes;`,
  },
  {
    version: 4,
    name: 'quotable message texts, kept as long as media',
    sql: `
CREATE TABLE quotes (message_id TEXT PRIMARY KEY, text TEXT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX quotes_expiry ON quotes (expires_at);`,
  },
  {
    version: 5,
    name: 'button answers too long for LINE postback data',
    sql: `
CREATE TABLE button_answers (ref TEXT PRIMARY KEY, answer TEXT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX button_answers_expiry ON button_answers (expires_at);`,
  },
];

/** Applies the migrations not yet recorded; returns the versions this call applied. */
export async function migrate(client: PoolClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  // Session-level lock, keyed by the schema the tables go in: other schemas (parallel tests) don't wait.
  await client.query(`SELECT pg_advisory_lock(hashtext('line-genesys migrations ' || current_schema()))`);
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
      applied.push(m.version);
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('line-genesys migrations ' || current_schema()))`);
  }
  return applied;
}
