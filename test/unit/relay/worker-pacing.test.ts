/**
 * The worker's pacing: the concurrency limit grows while deliveries go well and halves on a 429
 * (whose Retry-After still holds every job of that platform); a platform's breaker keeps its held
 * jobs due so that a probe can always go, and releases them at once on recovery.
 */
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/log.js';
import { Worker } from '../../../src/relay/worker.js';
import { MemoryStore } from '../../../src/store/memory.js';
import type { Job } from '../../../src/store/store.js';
import { until } from '../../helpers/bed.js';

const noop = async () => {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const limitOf = (w: Worker, upstream: string) => w.gauges().line_genesys_delivery_concurrency!.find(([l]) => l.upstream === upstream)![1];

async function enqueue(store: MemoryStore, customers: number, each = 1) {
  const at = Date.now();
  const jobs = [];
  for (let m = 0; m < each; m++) for (let c = 0; c < customers; c++) jobs.push({ kind: 'inbound' as const, dedupeKey: `${c}:${m}`, orderKey: `u${c}`, channelId: 'th', payload: '{}', receivedAt: at });
  await store.enqueue(jobs);
}

describe('Worker concurrency limit', () => {
  it('grows past its start while deliveries go well, never past the cap, one job per customer at a time', async () => {
    const store = new MemoryStore();
    let running = 0;
    let most = 0;
    const busyCustomers = new Set<string>();
    const inbound = async (job: Job) => {
      expect(busyCustomers.has(job.orderKey)).toBe(false);
      busyCustomers.add(job.orderKey);
      most = Math.max(most, ++running);
      await sleep(20);
      running--;
      busyCustomers.delete(job.orderKey);
    };
    const w = new Worker({ store, log: silentLogger, concurrency: 4, maxConcurrency: 24, handlers: { inbound, outbound: noop } });
    await enqueue(store, 100, 4);
    await w.start();
    await until(async () => (await store.counts()).done === 400, 'every job delivered', 20_000);
    await w.stop();
    expect(most).toBeGreaterThan(4);
    expect(most).toBeLessThanOrEqual(24);
    expect(limitOf(w, 'genesys')).toBeGreaterThan(4);
    expect(limitOf(w, 'line')).toBe(4);
  });

  it('a 429 with Retry-After halves the grown limit and still holds every Genesys job until Retry-After has passed', async () => {
    const store = new MemoryStore();
    const starts: number[] = [];
    let refusedAt: number | undefined;
    let delivered = 0;
    let limitBefore = 0;
    let w: Worker | undefined;
    const inbound = async () => {
      starts.push(Date.now());
      await sleep(5);
      if (delivered === 60 && refusedAt === undefined) {
        limitBefore = limitOf(w!, 'genesys');
        refusedAt = Date.now();
        throw new UpstreamError({ upstream: 'genesys', operation: 'x', status: 429, retryAfterMs: 1000 });
      }
      delivered++;
    };
    w = new Worker({ store, log: silentLogger, concurrency: 2, maxConcurrency: 64, backoff: { baseMs: 10, maxMs: 100 }, handlers: { inbound, outbound: noop } });
    await enqueue(store, 400);
    await w.start();
    await until(() => refusedAt !== undefined, 'the 429', 20_000);
    const limitAfter = limitOf(w, 'genesys');
    await until(async () => (await store.counts()).done === 400, 'every job delivered', 20_000);
    await w.stop();
    expect(limitBefore).toBeGreaterThan(2);
    // Halved, then grown a little by the jobs that finished since.
    expect(limitAfter).toBeLessThan(limitBefore * 0.75);
    // Jobs already running when the 429 came back may start within a few ms of it; none starts later within Retry-After.
    const during = starts.filter((t) => t > refusedAt! + 50 && t < refusedAt! + 990);
    expect(during).toEqual([]);
    expect(starts.filter((t) => t >= refusedAt! + 990).length).toBeGreaterThan(0);
  });
});

describe('Worker circuit breaker', () => {
  it('keeps its held jobs due while open, so a probe can always go: once Genesys is back, all go at once (not after their 60 s backoff)', async () => {
    const store = new MemoryStore();
    let down = true;
    const delivered: string[] = [];
    let refused = 0;
    const inbound = async (job: Job) => {
      if (down && ++refused) throw new UpstreamError({ upstream: 'genesys', operation: 'x', status: 503 });
      delivered.push(job.dedupeKey);
    };
    // Few claimed ahead (2 × (1 + 1)), and more probes in the outage than jobs: had a failed probe
    // backed off for 60 s, the worker would run out of jobs to probe with.
    const w = new Worker({ store, log: silentLogger, concurrency: 1, breaker: { threshold: 2, probeEveryMs: 50 }, backoff: { baseMs: 60_000, maxMs: 60_000 }, handlers: { inbound, outbound: noop } });
    await enqueue(store, 10);
    await w.start();
    await until(() => w.breakers().genesys === 'open', 'the breaker to open');
    await until(() => refused >= 20, 'more probes than jobs', 5000);
    expect(delivered).toEqual([]);
    down = false;
    await until(() => delivered.length === 10, 'every held job delivered after recovery', 5000);
    await w.stop();
    expect(w.breakers().genesys).toBe('closed');
    expect(new Set(delivered).size).toBe(10);
  });
});
