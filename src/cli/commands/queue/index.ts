/**
 * `line-genesys queue list|show|retry|drop`: look into the durable queue and replay dead letters.
 * Works on the store file directly (SQLite is safe to open beside a running relay, which picks
 * retried jobs up at its next poll).
 */
import { existsSync } from 'node:fs';
import { ConfigError, LineGenesysError, UsageError } from '../../../errors.js';
import { decode, JobPayloadError, label, type JobPayload } from '../../../relay/jobs.js';
import { openStore } from '../../../store/index.js';
import type { Job, JobState, Store } from '../../../store/store.js';
import type { CommandContext } from '../../context.js';
import { shortPath } from '../../shared/short-path.js';

const STATES: JobState[] = ['dead', 'pending', 'running', 'done', 'dropped'];

async function withStore<T>(ctx: CommandContext, fn: (store: Store) => Promise<T>): Promise<T> {
  const config = ctx.config('partial');
  if (config.relay.store === 'memory') {
    throw new ConfigError('relay.store', 'the memory store lives inside the relay process and cannot be inspected', { hint: 'Use the sqlite store (the default) or postgres for a queue you can inspect.' });
  }
  // Reading or replaying needs a store the relay made: no SQLite file is created here (an empty one,
  // in the wrong folder, would hide the real one). PostgreSQL's is the database every replica shares.
  if (config.relay.store === 'sqlite' && !existsSync(config.relay.storePath)) {
    throw new LineGenesysError('NO_STORE', `no store yet at ${shortPath(ctx.io.cwd, config.relay.storePath)}`, {
      hint: 'The relay creates it when it first runs (`line-genesys start` or `dev`). Run this command in the relay\'s folder, or set relay.storePath (LINE_GENESYS_STORE_PATH).',
    });
  }
  // A one-off command: SQLite in this thread (no store thread to start).
  const store = await openStore(config.relay, { thread: false });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function jobId(raw: string | undefined): number {
  const id = Number(raw);
  if (!raw || !Number.isInteger(id) || id <= 0) throw new UsageError(`"${raw ?? ''}" is not a job id`, { hint: 'Job ids are the numbers `line-genesys queue list` shows.' });
  return id;
}

/** A payload that does not decode is still shown (as its text): it is what `queue show` is for. */
function payloadOf(job: Job): JobPayload | undefined {
  try {
    return decode(job);
  } catch (e) {
    if (e instanceof JobPayloadError) return undefined;
    throw e;
  }
}

function summary(job: Job): Record<string, unknown> {
  const payload = payloadOf(job);
  return {
    id: job.id,
    kind: job.kind,
    type: payload ? label(payload) : job.kind,
    channel: job.channelId,
    state: job.state,
    attempts: job.attempts,
    receivedAt: new Date(job.receivedAt).toISOString(),
    ...(job.lastError ? { lastError: job.lastError } : {}),
  };
}

export async function list(o: { state?: string; limit?: string }, ctx: CommandContext): Promise<unknown> {
  const state = (o.state ?? 'dead') as JobState;
  if (!STATES.includes(state)) throw new UsageError(`--state must be one of ${STATES.join(', ')}`);
  const limit = Number(o.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
  const { jobs, counts } = await withStore(ctx, async (s) => ({ jobs: (await s.list(state, limit)).map(summary), counts: await s.counts() }));
  const result = { ok: true, state, counts, jobs };
  ctx.out.result(result, () =>
    jobs.length === 0
      ? `no ${state} jobs (pending ${counts.pending}, running ${counts.running}, dead ${counts.dead}, done ${counts.done})`
      : jobs.map((j) => `${String(j.id).padStart(6)}  ${String(j.kind).padEnd(8)} ${String(j.type).padEnd(18)} ${String(j.channel).padEnd(4)} ${j.attempts} tries  ${j.lastError ?? ''}`).join('\n'),
  );
  return result;
}

export async function show(o: { args?: string[] }, ctx: CommandContext): Promise<unknown> {
  const id = jobId(o.args?.[0]);
  const job = await withStore(ctx, (s) => s.get(id));
  if (!job) throw new LineGenesysError('NOT_FOUND', `no job ${id}`, { hint: 'Finished jobs are forgotten after 48 hours.' });
  const result = { ok: true, job: { ...summary(job), payload: payloadOf(job) ?? job.payload, ...(job.progress ? { progress: JSON.parse(job.progress) } : {}) } };
  ctx.out.result(result, JSON.stringify(result.job, null, 2));
  return result;
}

export async function retry(o: { args?: string[]; all?: boolean }, ctx: CommandContext): Promise<unknown> {
  if (!o.all && !o.args?.[0]) throw new UsageError('give a job id or --all');
  if (o.all && o.args?.[0]) throw new UsageError('give a job id or --all, not both');
  const target = o.all ? 'all' : jobId(o.args?.[0]);
  const n = await withStore(ctx, (s) => s.retry(target, Date.now()));
  if (n === 0 && target !== 'all') throw new LineGenesysError('NOT_FOUND', `job ${target} is not a dead letter`, { hint: 'Only dead letters can be retried: `line-genesys queue list` shows them.' });
  const result = { ok: true, retried: n };
  ctx.out.result(result, `${n} job${n === 1 ? '' : 's'} back in the queue; a running relay delivers ${n === 1 ? 'it' : 'them'} shortly`);
  return result;
}

export async function drop(o: { args?: string[] }, ctx: CommandContext): Promise<unknown> {
  const id = jobId(o.args?.[0]);
  const dropped = await withStore(ctx, (s) => s.drop(id, Date.now()));
  if (!dropped) throw new LineGenesysError('NOT_FOUND', `job ${id} is not a dead or pending job`);
  const result = { ok: true, dropped: id };
  ctx.out.result(result, `job ${id} dropped`);
  return result;
}
