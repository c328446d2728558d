/**
 * Delivers queued jobs: claims due jobs (oldest first, one at a time per customer), runs the
 * handler of their kind, and then completes them, retries them later with exponential backoff and
 * jitter (at least as long as the upstream's Retry-After), or dead-letters them with the last error
 * once they have been failing for `deadLetterAfterMs`, or at once when the error cannot heal.
 * Refused credentials are retried while the job is younger than `authRetryWindowMs`: during a
 * secret rotation they heal once the relay runs with the new secret.
 * A 429 or 503 with Retry-After also holds every job bound for that upstream until then.
 *
 * Pacing, per platform (the upstream a kind's jobs are delivered to):
 * - how many of its jobs run at once adapts to its answers (adaptive-limit.ts), from `concurrency`
 *   up to `maxConcurrency`;
 * - while it is down as a whole (circuit-breaker.ts) its jobs wait, due at once, and one goes as a
 *   probe every second; the first answer releases them all. Waiting still counts toward the
 *   dead-letter deadline (it is the job's age), and each failed probe counts as an attempt of its job.
 */
import { isAuthFailure, isRetriable, LineGenesysError, UpstreamError, type Upstream } from '../errors.js';
import type { Logger } from '../log.js';
import { StoreUnavailableError } from '../store/batched.js';
import type { Job, JobKind, Store } from '../store/store.js';
import { AdaptiveLimit } from './adaptive-limit.js';
import { CircuitBreaker, type BreakerState } from './circuit-breaker.js';
import type { Gauges } from './metrics.js';

const SETTLE_RETRY_MS = 1000;

export type JobHandler = (job: Job) => Promise<void>;

/** Where each kind's jobs are delivered: an inbound message to Genesys, an agent's reply to LINE. */
const DELIVERED_TO: Record<JobKind, Upstream> = { inbound: 'genesys', outbound: 'line' };

export interface WorkerOptions {
  store: Store;
  handlers: Record<JobKind, JobHandler>;
  /** Which upstream a kind's jobs are delivered to, for pacing and holds on 429/503. Default: inbound to Genesys, outbound to LINE. */
  upstreamOf?: Record<JobKind, Upstream>;
  /** Deliveries to one platform that run at once to start with, and never fewer. Default 16. */
  concurrency?: number;
  /** The most deliveries to one platform that may run at once, as its answers allow. Default: `concurrency` (fixed). */
  maxConcurrency?: number;
  /** How many failures in a row saying a platform is down open its breaker (default 5), and how often a probe goes then (default 1 s, or backoff.baseMs when shorter). */
  breaker?: { threshold?: number; probeEveryMs?: number };
  deadLetterAfterMs?: number;
  /** How long after a job was received an authentication failure is still retried. Default 10 min. */
  authRetryWindowMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  log: Logger;
  now?: () => number;
  random?: () => number;
  /** Called after each outcome (for metrics and the activity feed). */
  onOutcome?: (job: Job, outcome: 'done' | 'retry' | 'dead', error?: unknown, delayMs?: number) => void;
  /** How often finished jobs and expired media are pruned. Default 10 min. */
  pruneEveryMs?: number;
  retentionMs?: number;
  /** How often the leases of the jobs this worker holds are renewed: a third of the store's lease. Default 10 s. */
  renewEveryMs?: number;
}

export class Worker {
  private running = 0;
  private pumpQueued = false;
  /** The pump in progress (it awaits the store); a kick meanwhile asks for another one after it. */
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  /**
   * Claimed ahead, waiting for a slot: a finished job's slot is filled at once, not after a store
   * round trip. Up to `concurrency` jobs that may run, plus those of a kind on hold, which wait
   * here for the hold to end.
   */
  private ready: Job[] = [];
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();
  private holds = new Map<Upstream, number>();
  /** Claimed and not yet finished (waiting in `ready` or running): their leases are renewed. */
  private held = new Set<number>();
  private renewTimer: NodeJS.Timeout | undefined;
  private lastPrune = 0;
  private readonly now: () => number;
  private readonly upstreamOf: Record<JobKind, Upstream>;
  private readonly platforms: Map<Upstream, Platform>;

  constructor(private readonly opts: WorkerOptions) {
    this.now = opts.now ?? Date.now;
    this.upstreamOf = opts.upstreamOf ?? DELIVERED_TO;
    const min = opts.concurrency ?? 16;
    const max = Math.max(min, opts.maxConcurrency ?? min);
    // A probe a second, or as often as a first retry would go when the backoff is shorter (tests).
    const probeEveryMs = Math.min(1000, opts.backoff?.baseMs ?? 1000);
    this.platforms = new Map(
      [...new Set(Object.values(this.upstreamOf))].map((u) => [
        u,
        { running: 0, limit: new AdaptiveLimit({ min, max, now: this.now }), breaker: new CircuitBreaker({ probeEveryMs, ...opts.breaker, now: this.now }) },
      ]),
    );
  }

  private platformOf(kind: JobKind): Platform {
    return this.platforms.get(this.upstreamOf[kind])!;
  }

  /** For /metrics: each platform's concurrency limit now, and whether its breaker is open (1) or closed (0). */
  gauges(): Gauges {
    const rows = [...this.platforms];
    return {
      line_genesys_delivery_concurrency: rows.map(([upstream, p]) => [{ upstream }, p.limit.current]),
      line_genesys_breaker_open: rows.map(([upstream, p]) => [{ upstream }, p.breaker.state === 'open' ? 1 : 0]),
    };
  }

  /** Each platform's breaker state. */
  breakers(): Record<Upstream, BreakerState> {
    return Object.fromEntries([...this.platforms].map(([u, p]) => [u, p.breaker.state])) as Record<Upstream, BreakerState>;
  }

  /** Starts delivering (after putting back the jobs a crash left running). */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    const recovered = await this.opts.store.recoverRunning();
    if (recovered) this.opts.log.info('resuming jobs that were running when the relay stopped', { jobs: recovered });
    this.renewTimer = setInterval(() => this.renewLeases(), this.opts.renewEveryMs ?? 10_000);
    this.renewTimer.unref?.();
    this.kick();
  }

  /** A job claimed ahead may wait, and a delivery may last, longer than a lease: keep them ours. */
  private renewLeases(): void {
    if (this.held.size === 0) return;
    this.opts.store.renew([...this.held], this.now()).catch((e: unknown) => this.opts.log.warn('renewing the leases of claimed jobs failed', { error: (e as Error).message }));
  }

  /** Stops claiming, waits for the jobs in flight to finish and records them. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.pumping;
    // The jobs claimed ahead are delivered too, rather than left marked running until the next start.
    for (const job of this.ready.splice(0)) this.run(job);
    await Promise.allSettled([...this.inFlight]);
    clearInterval(this.renewTimer);
  }

  /** There may be new work: look at the next turn of the event loop (one look serves every kick of this turn). */
  kick(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    setImmediate(() => {
      this.pumpQueued = false;
      this.startPump();
    });
  }

  get busy(): number {
    return this.running;
  }

  /** The kinds that may be claimed now (undefined: all): not on hold, breaker closed or a probe due. */
  private allowedKinds(now: number): JobKind[] | undefined {
    for (const [u, until] of this.holds) if (until <= now) this.holds.delete(u);
    const all = Object.keys(this.opts.handlers) as JobKind[];
    const kinds = all.filter((k) => !this.holds.has(this.upstreamOf[k]) && this.platformOf(k).breaker.canStart());
    return kinds.length === all.length ? undefined : kinds;
  }

  /** Slots to fill: every allowed platform's limit, and as many again claimed ahead. */
  private capacity(kinds: JobKind[] | undefined): number {
    const open = new Set((kinds ?? (Object.keys(this.opts.handlers) as JobKind[])).map((k) => this.upstreamOf[k]));
    let n = 0;
    for (const u of open) n += this.platforms.get(u)!.limit.current;
    return n;
  }

  private hasFreeSlot(): boolean {
    for (const p of this.platforms.values()) if (p.running < p.limit.current) return true;
    return false;
  }

  private startPump(): void {
    if (this.stopped || this.pumping) return;
    this.pumping = this.pump()
      .catch((e: unknown) => {
        // The store could not be read (a full disk, a failed thread): look again in a second.
        this.opts.log.error('the worker could not read the queue; retrying in 1 s', { error: (e as Error).message });
        this.wakeIn(1000);
      })
      .finally(() => {
        this.pumping = undefined;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.kick();
        }
      });
  }

  private async pump(): Promise<void> {
    const { store } = this.opts;
    const now = this.now();
    if (now - this.lastPrune > (this.opts.pruneEveryMs ?? 600_000)) {
      this.lastPrune = now;
      store.prune(now, this.opts.retentionMs ?? 48 * 3_600_000).catch((e: unknown) => this.opts.log.warn('pruning the store failed', { error: (e as Error).message }));
    }
    const kinds = this.allowedKinds(now);
    this.startReady(kinds);
    // Enough for every slot, and as many again ahead. Jobs waiting out a hold do not count: the
    // other kinds go on being claimed and delivered meanwhile.
    const runnable = kinds ? this.ready.filter((j) => kinds.includes(j.kind)).length : this.ready.length;
    const want = 2 * this.capacity(kinds) - this.running - runnable;
    if (want > 0 && !(kinds && kinds.length === 0)) {
      // Claimed even if stop() was called meanwhile: stop() delivers them after this pump.
      const claimed = await store.claim(now, want, kinds);
      for (const job of claimed) this.held.add(job.id);
      this.ready.push(...claimed);
      this.startReady(this.allowedKinds(this.now()));
    }
    // Every slot busy: the next job to finish kicks the worker. Otherwise wake when work is due
    // (not asked with a backlog: the memory engine's answer walks every open job).
    if (this.hasFreeSlot()) this.schedule(await store.nextDueAt());
  }

  /** Wake at the next due job (or hold end), at most a second from now (a retry from `queue retry`). */
  private schedule(nextDue: number | undefined): void {
    if (this.stopped || this.timer) return;
    const now = this.now();
    let at = nextDue ?? now + 1000;
    for (const until of this.holds.values()) at = Math.max(at, Math.min(until, now + 1000));
    for (const p of this.platforms.values()) {
      const probe = p.breaker.nextProbeAt;
      if (probe !== undefined) at = Math.max(at, Math.min(probe, now + 1000));
    }
    this.wakeIn(Math.min(1000, Math.max(5, at - now)));
  }

  private wakeIn(delay: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startPump();
    }, delay);
    this.timer.unref?.();
  }

  /** Starts claimed jobs while their platform has a free slot, skipping kinds whose upstream asked us to wait or is down. */
  private startReady(kinds: JobKind[] | undefined): void {
    if (this.stopped) return;
    for (let i = 0; i < this.ready.length; ) {
      const job = this.ready[i]!;
      const p = this.platformOf(job.kind);
      const turn = (!kinds || kinds.includes(job.kind)) && p.running < p.limit.current ? p.breaker.tryStart() : undefined;
      if (!turn) i++;
      else {
        this.ready.splice(i, 1);
        this.run(job, turn === 'probe');
      }
    }
  }

  /** Runs a job now, whatever the limits (`stop()` runs the jobs claimed ahead this way). */
  private run(job: Job, probe = false): void {
    const platform = this.platformOf(job.kind);
    this.running++;
    platform.running++;
    const startedAt = this.now();
    const p = this.opts.handlers[job.kind](job)
      .then(
        () => {
          this.paced(job, platform, startedAt);
          return this.settle(job);
        },
        (e: unknown) => this.fail(job, e, { probe, platform, startedAt }),
      )
      .catch((e: unknown) => this.opts.log.error('worker bookkeeping failed', { job: job.id, error: (e as Error).message }))
      .finally(() => {
        this.running--;
        platform.running--;
        this.held.delete(job.id);
        this.inFlight.delete(p);
        this.startReady(this.allowedKinds(this.now()));
        this.kick();
      });
    this.inFlight.add(p);
  }

  /**
   * Records a delivered job done. While the store is unreachable the worker keeps trying (and keeps
   * the job's lease): given up, the job would be delivered again once its lease ran out.
   */
  private async settle(job: Job): Promise<void> {
    await this.record(job, 'done', () => this.opts.store.complete(job.id, this.now()));
    this.opts.onOutcome?.(job, 'done');
  }

  /**
   * Writes what became of a job, waiting out a store outage: a job left running would hold its
   * customer's later messages until its lease ran out, and then be delivered again.
   */
  private async record(job: Job, what: string, write: () => Promise<void>): Promise<void> {
    for (;;) {
      try {
        await write();
        return;
      } catch (e) {
        if (!(e instanceof StoreUnavailableError) || this.stopped) throw e;
        this.opts.log.warn(`could not record a job ${what}; retrying in 1 s`, { job: job.id, error: e.message });
        await new Promise((r) => setTimeout(r, SETTLE_RETRY_MS));
      }
    }
  }

  /** A platform answered a job: its limit may grow, and its breaker closes (releasing every job it held). */
  private paced(job: Job, platform: Platform, startedAt: number): void {
    platform.limit.succeeded(this.now() - startedAt, platform.running);
    this.closed(this.upstreamOf[job.kind], platform.breaker.succeeded());
  }

  /**
   * After a platform's breaker closed (`since`: when it began failing), its held jobs go at once,
   * and so do those whose backoff was set before the breaker opened.
   */
  private closed(upstream: Upstream, since: number | undefined): void {
    if (since === undefined) return;
    const now = this.now();
    this.platforms.get(upstream)?.limit.restart();
    this.opts.log.info(`${nameOf(upstream)} answers again: the circuit breaker closed, releasing every held delivery`, { upstream, downForMs: now - since });
    const kinds = (Object.keys(this.upstreamOf) as JobKind[]).filter((k) => this.upstreamOf[k] === upstream);
    Promise.all(kinds.map((k) => this.opts.store.hasten(k, since, now)))
      .catch((e: unknown) => this.opts.log.warn('could not make the deliveries put off during the outage due now; they go at their own time', { error: (e as Error).message }))
      .finally(() => this.kick());
  }

  /**
   * Tells the platform a job failed on whether it is overloaded or down. Returns true when its
   * breaker is open: the job then waits, due at once, for the breaker to let it go.
   */
  private paceFailure(job: Job, e: unknown, run: Run): boolean {
    // Only an upstream's answer (or its silence) says how it is; our own errors say nothing of it.
    if (!(e instanceof UpstreamError)) return false;
    const { upstream, upstreamStatus: status } = e;
    const platform = this.platforms.get(upstream) ?? run.platform;
    if (status === 429) {
      platform.limit.rateLimited();
      this.closed(upstream, platform.breaker.succeeded());
      return false;
    }
    if (!e.retriable || (status !== undefined && status < 500)) {
      // An answer (a refusal, a bad request): the platform is up.
      if (platform === run.platform) this.paced(job, platform, run.startedAt);
      return false;
    }
    platform.limit.overloaded();
    if (platform.breaker.failed(run.probe && platform === run.platform)) {
      this.opts.log.warn(`${nameOf(upstream)} looks down: the circuit breaker opened; its deliveries wait, and one goes as a probe every second`, {
        upstream,
        error: describe(e),
      });
    }
    return platform.breaker.state === 'open' && platform === run.platform;
  }

  private async fail(job: Job, e: unknown, run: Run): Promise<void> {
    const held = this.paceFailure(job, e, run);
    const now = this.now();
    const message = describe(e);
    const age = now - job.receivedAt;
    const retriable = isTransient(e) || (isAuthFailure(e) && age < (this.opts.authRetryWindowMs ?? 600_000));
    if (!retriable || age >= (this.opts.deadLetterAfterMs ?? 24 * 3_600_000)) {
      await this.record(job, 'dead', () => this.opts.store.bury(job.id, message, now));
      this.opts.onOutcome?.(job, 'dead', e);
      return;
    }
    const delay = held ? 0 : this.delayFor(job.attempts, e);
    if (e instanceof UpstreamError && e.retryAfterMs !== undefined && (e.upstreamStatus === 429 || e.upstreamStatus === 503)) {
      const until = now + e.retryAfterMs;
      if ((this.holds.get(e.upstream) ?? 0) < until) this.holds.set(e.upstream, until);
    }
    await this.record(job, 'for a retry', () => this.opts.store.reschedule(job.id, now + delay, message, now));
    this.opts.onOutcome?.(job, 'retry', e, delay);
  }

  /** Exponential backoff with jitter ("equal jitter"), never shorter than the upstream asked for. */
  delayFor(attempts: number, e: unknown): number {
    const { baseMs, maxMs } = this.opts.backoff ?? { baseMs: 1000, maxMs: 300_000 };
    const exp = Math.min(maxMs, baseMs * 2 ** Math.min(attempts, 30));
    const jittered = exp / 2 + (this.opts.random ?? Math.random)() * (exp / 2);
    const asked = e instanceof UpstreamError ? e.retryAfterMs : undefined;
    return Math.round(asked !== undefined ? Math.max(asked, Math.min(jittered, asked + baseMs)) : jittered);
  }
}

/**
 * A failure that heals by itself: an upstream's (isRetriable), or the store out while the handler ran
 * (PostgreSQL restarting): no fault of the job, so it is retried, not dead-lettered.
 */
export function isTransient(e: unknown): boolean {
  return isRetriable(e) || e instanceof StoreUnavailableError;
}

interface Platform {
  running: number;
  limit: AdaptiveLimit;
  breaker: CircuitBreaker;
}

/** One run of a job: its platform, when it started, whether it is the breaker's probe. */
interface Run {
  platform: Platform;
  startedAt: number;
  probe: boolean;
}

function nameOf(u: Upstream): string {
  return u === 'line' ? 'LINE' : 'Genesys';
}

function describe(e: unknown): string {
  if (e instanceof LineGenesysError) return e.hint ? `${e.message} (${e.hint})` : e.message;
  return e instanceof Error ? e.message : String(e);
}
