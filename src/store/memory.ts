/** The in-memory store: the Store contract without durability, for tests, demos and the sandbox. */
import { setBounded } from '../relay/bounded-map.js';
import { BatchedStore, localBatches } from './batched.js';
import type { EnqueueResult, Job, JobKind, JobState, NewJob, QueueCounts, StoreEngine, StoredButtonAnswer, StoredMedia } from './store.js';

/**
 * Finished jobs (done or dropped) kept at most, for their dedupe keys: `dev --sandbox` may stay up for
 * days, and a day of load would otherwise keep every key for the whole retention. About 1 KB each
 * (300,000 finished jobs held 270 MB of heap; capped at 50,000, 49 MB).
 */
export const MEMORY_MAX_FINISHED = 50_000;

export interface MemoryOptions {
  /** Finished jobs kept at most (and quotable texts); past it the one finished (written) longest ago goes first. */
  maxFinished?: number;
}

/** The asynchronous Store over a MemoryEngine (what the relay is given with `store: "memory"`). */
export class MemoryStore extends BatchedStore {
  constructor(opts: MemoryOptions = {}) {
    const engine = new MemoryEngine(opts);
    super(engine.engine, localBatches(engine));
  }
}

export class MemoryEngine implements StoreEngine {
  readonly engine = 'memory';
  private readonly maxFinished: number;
  private jobs = new Map<number, Job>();
  /** Finished jobs by id, in the order they finished (their updatedAt): pruning and the cap take from the front. */
  private finished = new Map<number, Job>();
  /** Pending and running jobs only, oldest first: what claim and nextDueAt walk. */
  private open = new Map<number, Job>();
  private dead = new Set<number>();
  private byKey = new Map<string, number>();
  private nextId = 1;
  private last = new Map<string, string>();
  private blocked = new Set<string>();
  private media = new Map<string, StoredMedia>();
  private quotes = new Map<string, { text: string; expiresAt: number }>();
  private answers = new Map<string, StoredButtonAnswer>();
  private replyTokens = new Map<string, { token: string; at: number }>();
  private readTokens = new Map<string, { token: string; at: number }>();

  constructor(opts: MemoryOptions = {}) {
    this.maxFinished = opts.maxFinished ?? MEMORY_MAX_FINISHED;
  }

  batch<T>(fn: () => T): T {
    return fn();
  }

  enqueue(jobs: NewJob[]): EnqueueResult {
    const ids: Array<number | null> = [];
    let duplicates = 0;
    for (const j of jobs) {
      if (this.byKey.has(j.dedupeKey)) {
        ids.push(null);
        duplicates++;
        continue;
      }
      const id = this.nextId++;
      const job: Job = { ...j, id, state: 'pending', attempts: 0, nextAt: j.receivedAt, updatedAt: j.receivedAt };
      this.jobs.set(id, job);
      this.open.set(id, job);
      this.byKey.set(j.dedupeKey, id);
      ids.push(id);
    }
    return { ids, duplicates };
  }

  claim(now: number, limit: number, kinds?: readonly JobKind[]): Job[] {
    const out: Job[] = [];
    const busy = new Set<string>();
    for (const job of this.open.values()) {
      if (out.length >= limit) break;
      if (busy.has(job.orderKey)) continue;
      busy.add(job.orderKey);
      if (job.state === 'pending' && job.nextAt <= now && (!kinds || kinds.includes(job.kind))) {
        job.state = 'running';
        job.updatedAt = now;
        out.push({ ...job });
      }
    }
    return out;
  }

  private update(id: number, patch: Partial<Job>): void {
    const job = this.jobs.get(id);
    if (!job) return;
    Object.assign(job, patch);
    if (job.state === 'dead') this.dead.add(id);
    else this.dead.delete(id);
    this.finished.delete(id);
    if (job.state === 'done' || job.state === 'dropped') {
      this.finished.set(id, job);
      if (this.finished.size > this.maxFinished) this.forget(this.finished.keys().next().value!);
    }
    if (job.state === 'pending' || job.state === 'running') {
      if (this.open.has(id)) return;
      this.open.set(id, job);
      // A dead letter retried comes back in its place by id, as in the SQLite store.
      if ([...this.open.keys()].some((k) => k > id)) this.open = new Map([...this.open].sort(([a], [b]) => a - b));
    } else this.open.delete(id);
  }

  complete(id: number, now: number): void {
    // Only the dedupe key has to outlive a delivered job: let its payload go.
    this.update(id, { state: 'done', updatedAt: now, payload: '', progress: undefined });
  }
  reschedule(id: number, nextAt: number, error: string, now: number): void {
    const job = this.jobs.get(id);
    if (job) this.update(id, { state: 'pending', nextAt, lastError: error, attempts: job.attempts + 1, updatedAt: now });
  }
  hasten(kind: JobKind, since: number, now: number): number {
    let n = 0;
    for (const j of this.open.values()) {
      if (j.kind === kind && j.state === 'pending' && j.nextAt > now && j.updatedAt >= since) {
        this.update(j.id, { nextAt: now });
        n++;
      }
    }
    return n;
  }
  bury(id: number, error: string, now: number): void {
    const job = this.jobs.get(id);
    if (job) this.update(id, { state: 'dead', lastError: error, attempts: job.attempts + 1, updatedAt: now });
  }
  saveProgress(id: number, progress: string): void {
    this.update(id, { progress });
  }
  nextDueAt(): number | undefined {
    let min: number | undefined;
    const seen = new Set<string>();
    for (const j of this.open.values()) {
      if (seen.has(j.orderKey)) continue; // only the head of each customer's line can run next
      seen.add(j.orderKey);
      if (j.state === 'pending' && (min === undefined || j.nextAt < min)) min = j.nextAt;
    }
    return min;
  }
  counts(opts: { done?: boolean } = {}): QueueCounts {
    const c: QueueCounts = { pending: 0, running: 0, dead: 0, done: 0 };
    if (opts.done === false) {
      for (const j of this.open.values()) c[j.state as 'pending' | 'running']++;
      c.dead = this.dead.size;
      return c;
    }
    for (const j of this.jobs.values()) if (j.state in c) c[j.state as keyof QueueCounts]++;
    return c;
  }
  list(state: JobState, limit = 100): Job[] {
    return [...this.jobs.values()].filter((j) => j.state === state).slice(0, limit).map((j) => ({ ...j }));
  }
  get(id: number): Job | undefined {
    const j = this.jobs.get(id);
    return j ? { ...j } : undefined;
  }
  retry(id: number | 'all', now: number): number {
    let n = 0;
    for (const j of this.jobs.values()) {
      if (j.state === 'dead' && (id === 'all' || j.id === id)) {
        this.update(j.id, { state: 'pending', nextAt: now, receivedAt: now, updatedAt: now });
        n++;
      }
    }
    return n;
  }
  drop(id: number, now: number): boolean {
    const j = this.jobs.get(id);
    if (!j || (j.state !== 'dead' && j.state !== 'pending')) return false;
    this.update(id, { state: 'dropped', updatedAt: now });
    return true;
  }
  /** One process, no other replica to take a job over: a claim holds until it is finished. */
  renew(): void {}
  recoverRunning(): number {
    let n = 0;
    for (const j of this.open.values()) if (j.state === 'running') (j.state = 'pending'), n++;
    return n;
  }
  setLastChannel(userId: string, channelId: string): void {
    this.last.set(userId, channelId);
  }
  lastChannel(userId: string): string | undefined {
    return this.last.get(userId);
  }
  setBlocked(channelId: string, userId: string, blocked: boolean): void {
    const k = `${channelId}\u0000${userId}`;
    if (blocked) this.blocked.add(k);
    else this.blocked.delete(k);
  }
  isBlocked(channelId: string, userId: string): boolean {
    return this.blocked.has(`${channelId}\u0000${userId}`);
  }
  setReplyToken(channelId: string, userId: string, token: string, at: number): void {
    keepLatest(this.replyTokens, `${channelId}\u0000${userId}`, token, at);
  }
  takeReplyToken(channelId: string, userId: string, now: number, maxAgeMs: number): string | undefined {
    const k = `${channelId}\u0000${userId}`;
    const t = this.replyTokens.get(k);
    this.replyTokens.delete(k);
    return t && now - t.at <= maxAgeMs ? t.token : undefined;
  }
  setReadToken(channelId: string, userId: string, token: string, at: number): void {
    keepLatest(this.readTokens, `${channelId}\u0000${userId}`, token, at);
  }
  takeReadToken(channelId: string, userId: string): string | undefined {
    const k = `${channelId}\u0000${userId}`;
    const t = this.readTokens.get(k);
    this.readTokens.delete(k);
    return t?.token;
  }
  putMedia(media: StoredMedia): void {
    this.media.set(media.id, media);
  }
  getMedia(id: string, now: number): StoredMedia | undefined {
    const m = this.media.get(id);
    return m && m.expiresAt > now ? m : undefined;
  }
  deleteMedia(id: string): void {
    this.media.delete(id);
  }
  putQuote(messageId: string, text: string, expiresAt: number): void {
    setBounded(this.quotes, messageId, { text, expiresAt }, this.maxFinished);
  }
  getQuote(messageId: string, now: number): string | undefined {
    const q = this.quotes.get(messageId);
    return q && q.expiresAt > now ? q.text : undefined;
  }
  putButtonAnswers(answers: StoredButtonAnswer[]): void {
    for (const a of answers) setBounded(this.answers, a.ref, { ...a }, this.maxFinished);
  }
  getButtonAnswer(ref: string, now: number): string | undefined {
    const a = this.answers.get(ref);
    return a && a.expiresAt > now ? a.answer : undefined;
  }
  prune(now: number, retentionMs: number): void {
    // Oldest finished first: stop at the first one still within the retention.
    for (const [id, j] of this.finished) {
      if (j.updatedAt >= now - retentionMs) break;
      this.forget(id);
    }
    for (const [id, m] of this.media) if (m.expiresAt <= now) this.media.delete(id);
    for (const [id, q] of this.quotes) if (q.expiresAt <= now) this.quotes.delete(id);
    for (const [ref, a] of this.answers) if (a.expiresAt <= now) this.answers.delete(ref);
    // Tokens are taken when an agent answers; those of customers no agent answered go after the retention.
    for (const tokens of [this.replyTokens, this.readTokens]) for (const [k, t] of tokens) if (t.at < now - retentionMs) tokens.delete(k);
  }
  close(): void {}

  /** A finished job and its dedupe key go. */
  private forget(id: number): void {
    const j = this.finished.get(id);
    this.finished.delete(id);
    this.jobs.delete(id);
    if (j && this.byKey.get(j.dedupeKey) === id) this.byKey.delete(j.dedupeKey);
  }
}

function keepLatest(tokens: Map<string, { token: string; at: number }>, key: string, token: string, at: number): void {
  const prior = tokens.get(key);
  if (!prior || prior.at <= at) tokens.set(key, { token, at });
}
