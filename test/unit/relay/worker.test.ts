import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/errors.js';
import { StoreUnavailableError } from '../../../src/store/index.js';
import { silentLogger } from '../../../src/log.js';
import { Worker } from '../../../src/relay/worker.js';
import { MemoryStore } from '../../../src/store/memory.js';

const noop = async () => {};
function worker(random = 0.5) {
  return new Worker({ store: new MemoryStore(), handlers: { inbound: noop, outbound: noop }, log: silentLogger, backoff: { baseMs: 1000, maxMs: 60_000 }, random: () => random });
}

describe('Worker backoff', () => {
  it('grows exponentially with jitter between half and all of the step, capped', () => {
    expect(worker(0).delayFor(0, new Error('x'))).toBe(500);
    expect(worker(1).delayFor(0, new Error('x'))).toBe(1000);
    expect(worker(0).delayFor(3, new Error('x'))).toBe(4000);
    expect(worker(1).delayFor(20, new Error('x'))).toBe(60_000);
  });

  it('never retries sooner than Retry-After', () => {
    const e = new UpstreamError({ upstream: 'genesys', operation: 'x', status: 429, retryAfterMs: 7000 });
    expect(worker(0).delayFor(0, e)).toBeGreaterThanOrEqual(7000);
    expect(worker(1).delayFor(10, e)).toBeGreaterThanOrEqual(7000);
  });
});

describe('Worker outcomes', () => {
  it('completes, retries a retriable failure, and dead-letters a permanent one', async () => {
    const store = new MemoryStore();
    let calls = 0;
    const w = new Worker({
      store,
      log: silentLogger,
      backoff: { baseMs: 5, maxMs: 10 },
      handlers: {
        inbound: async (job) => {
          calls++;
          if (job.dedupeKey === 'flaky' && job.attempts === 0) throw new UpstreamError({ upstream: 'genesys', operation: 'x', status: 503 });
          if (job.dedupeKey === 'bad') throw new UpstreamError({ upstream: 'genesys', operation: 'x', status: 400 });
        },
        outbound: noop,
      },
    });
    await store.enqueue(['ok', 'flaky', 'bad'].map((k) => ({ kind: 'inbound' as const, dedupeKey: k, orderKey: k, channelId: 'th', payload: '{}', receivedAt: Date.now() })));
    await w.start();
    const deadline = Date.now() + 3000;
    while ((await store.counts()).done < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await w.stop();
    expect(await store.counts()).toMatchObject({ done: 2, dead: 1, pending: 0 });
    expect((await store.list('dead'))[0]!.lastError).toMatch(/HTTP 400/);
    expect(calls).toBe(4);
  });
});

describe('Worker and unexpected errors', () => {
  /** One customer: a job whose handler throws `error` on its first attempt, then the customer's next message. */
  async function firstThenNext(error: Error, waitMs: number) {
    const store = new MemoryStore();
    const ran: string[] = [];
    const w = new Worker({
      store,
      log: silentLogger,
      backoff: { baseMs: 60_000, maxMs: 60_000 },
      handlers: {
        inbound: noop,
        outbound: async (job) => {
          ran.push(`${job.dedupeKey}#${job.attempts}`);
          if (job.dedupeKey === 'first') throw error;
        },
      },
    });
    const at = Date.now();
    await store.enqueue(['first', 'next'].map((k, i) => ({ kind: 'outbound' as const, dedupeKey: k, orderKey: 'out:U1', channelId: 'th', payload: '{}', receivedAt: at + i })));
    await w.start();
    const deadline = Date.now() + waitMs;
    while (!ran.includes('next#0') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await w.stop();
    return { store, ran };
  }

  it("a bug (TypeError) is permanent: the job goes to the dead letters at once and the customer's next message goes out", async () => {
    const { store, ran } = await firstThenNext(new TypeError("Cannot read properties of null (reading 'contentType')"), 2000);
    expect(ran).toEqual(['first#0', 'next#0']);
    expect(await store.counts()).toMatchObject({ done: 1, dead: 1, pending: 0 });
    expect((await store.list('dead'))[0]!.lastError).toContain("reading 'contentType'");
  });

  it('a system error (ECONNRESET) is retried: the customer waits, in order', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { store, ran } = await firstThenNext(reset, 300);
    expect(ran).toEqual(['first#0']);
    expect(await store.counts()).toMatchObject({ dead: 0, pending: 2 });
  });

  it('the store out while the handler runs (a PostgreSQL restart) is retried, not dead-lettered: the customer waits, in order', async () => {
    const { store, ran } = await firstThenNext(new StoreUnavailableError('the database system is shutting down'), 300);
    expect(ran).toEqual(['first#0']);
    expect(await store.counts()).toMatchObject({ dead: 0, pending: 2 });
    expect((await store.get(1))!.lastError).toBe('the database system is shutting down');
  });
});

describe('Worker slots', () => {
  /** Customers a, b, c with two messages each; a handler that records what runs at once. */
  async function setUp() {
    const store = new MemoryStore();
    const seen = { atOnce: 0, max: 0, started: [] as string[] };
    const w = new Worker({
      store,
      log: silentLogger,
      concurrency: 2,
      handlers: {
        inbound: async (job) => {
          seen.started.push(job.dedupeKey);
          seen.max = Math.max(seen.max, ++seen.atOnce);
          await new Promise((r) => setTimeout(r, 5));
          seen.atOnce--;
        },
        outbound: noop,
      },
    });
    const keys = ['a1', 'b1', 'c1', 'a2', 'b2', 'c2'];
    await store.enqueue(keys.map((k, i) => ({ kind: 'inbound' as const, dedupeKey: k, orderKey: k[0]!, channelId: 'th', payload: '{}', receivedAt: i })));
    return { store, w, seen };
  }

  it('claims ahead (three customers ready) but runs no more than `concurrency` at once, each customer in order', async () => {
    const { store, w, seen } = await setUp();
    await w.start();
    const deadline = Date.now() + 3000;
    while ((await store.counts()).done < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    await w.stop();
    expect(seen.max).toBe(2);
    for (const c of 'abc') expect(seen.started.filter((k) => k[0] === c)).toEqual([`${c}1`, `${c}2`]);
    expect(await store.counts()).toMatchObject({ done: 6, running: 0, pending: 0 });
  });

  it('stopping delivers the jobs claimed ahead instead of leaving them marked running', async () => {
    const { store, w, seen } = await setUp();
    await w.start();
    while (seen.started.length === 0) await new Promise((r) => setImmediate(r));
    await w.stop();
    expect(seen.started.sort()).toEqual(['a1', 'b1', 'c1']);
    expect(await store.counts()).toMatchObject({ done: 3, running: 0, pending: 3 });
  });
});

describe('Worker and a store outage while recording a failure', () => {
  /** A memory store whose reschedule and bury answer as a store in an outage does, the first `times` calls. */
  class FlakyStore extends MemoryStore {
    failures = 0;
    constructor(times: number) {
      super();
      // BatchedStore's calls are instance fields: wrap them here, not as methods.
      const outage = () => {
        if (this.failures < times) {
          this.failures++;
          throw new StoreUnavailableError('the store cannot commit: connection refused');
        }
      };
      const { reschedule, bury } = this;
      this.reschedule = async (...a) => (outage(), reschedule(...a));
      this.bury = async (...a) => (outage(), bury(...a));
    }
  }

  async function run(store: FlakyStore, error: Error) {
    const w = new Worker({ store, log: silentLogger, backoff: { baseMs: 60_000, maxMs: 60_000 }, handlers: { inbound: async () => { throw error; }, outbound: noop } });
    await store.enqueue([{ kind: 'inbound', dedupeKey: 'a', orderKey: 'u1', channelId: 'th', payload: '{}', receivedAt: Date.now() }]);
    await w.start();
    // Recorded: rescheduled (an attempt counted) or buried; each try of the outage waits 1 s.
    const recorded = async () => {
      const job = await store.get(1);
      return job?.state === 'dead' || (job?.state === 'pending' && job.attempts > 0);
    };
    const deadline = Date.now() + 5000;
    while (!(await recorded()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
  }

  it('a retry is recorded once the store answers again, not left running', async () => {
    const store = new FlakyStore(2);
    await run(store, new UpstreamError({ upstream: 'genesys', operation: 'x', status: 503 }));
    expect(store.failures).toBe(2);
    expect(await store.counts()).toMatchObject({ running: 0, pending: 1, dead: 0 });
  });

  it('a dead letter is recorded once the store answers again', async () => {
    const store = new FlakyStore(1);
    await run(store, new UpstreamError({ upstream: 'genesys', operation: 'x', status: 400 }));
    expect(store.failures).toBe(1);
    expect(await store.counts()).toMatchObject({ running: 0, pending: 0, dead: 1 });
  });
});
