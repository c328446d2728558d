/** The Store contract, run against every engine: dedupe, per-customer order, retries, dead letters, recovery. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/store/memory.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import type { NewJob, Store } from '../../../src/store/store.js';

const engines: Array<[string, () => Store]> = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'lg-store-')), 'q.db') })],
];

const job = (key: string, order: string, at = 1): NewJob => ({ kind: 'inbound', dedupeKey: key, orderKey: order, channelId: 'th', payload: `{"k":"${key}"}`, receivedAt: at });

describe.each(engines)('%s store', (_name, make) => {
  it('dedupes on the key, reporting which were new', () => {
    const s = make();
    expect(s.enqueue([job('a', 'u1'), job('b', 'u1')]).duplicates).toBe(0);
    const again = s.enqueue([job('a', 'u1'), job('c', 'u2')]);
    expect(again.duplicates).toBe(1);
    expect(again.ids[0]).toBeNull();
    expect(typeof again.ids[1]).toBe('number');
    expect(s.counts().pending).toBe(3);
  });

  it('gives one job per customer at a time, oldest first', () => {
    const s = make();
    s.enqueue([job('a1', 'u1'), job('a2', 'u1'), job('b1', 'u2')]);
    const first = s.claim(10, 10);
    expect(first.map((j) => j.dedupeKey)).toEqual(['a1', 'b1']);
    expect(s.claim(10, 10)).toEqual([]);
    s.complete(first[0]!.id, 10);
    expect(s.claim(10, 10).map((j) => j.dedupeKey)).toEqual(['a2']);
  });

  it('a job waiting for a retry holds back the customer’s later jobs', () => {
    const s = make();
    s.enqueue([job('a1', 'u1'), job('a2', 'u1')]);
    const [a1] = s.claim(10, 10);
    s.reschedule(a1!.id, 1000, 'HTTP 503', 10);
    expect(s.claim(20, 10)).toEqual([]);
    expect(s.nextDueAt()).toBe(1000);
    const [again] = s.claim(1000, 10);
    expect(again).toMatchObject({ dedupeKey: 'a1', attempts: 1, lastError: 'HTTP 503' });
  });

  it('dead letters release the customer, can be retried or dropped, and stay duplicates', () => {
    const s = make();
    s.enqueue([job('a1', 'u1'), job('a2', 'u1')]);
    const [a1] = s.claim(10, 10);
    s.bury(a1!.id, 'HTTP 400', 10);
    expect(s.list('dead').map((j) => j.lastError)).toEqual(['HTTP 400']);
    expect(s.claim(11, 10).map((j) => j.dedupeKey)).toEqual(['a2']);
    expect(s.retry(a1!.id, 50)).toBe(1);
    expect(s.get(a1!.id)).toMatchObject({ state: 'pending', nextAt: 50, receivedAt: 50 });
    expect(s.drop(a1!.id, 60)).toBe(true);
    expect(s.enqueue([job('a1', 'u1')]).duplicates).toBe(1);
  });

  it('only the given kinds are claimed', () => {
    const s = make();
    s.enqueue([job('a', 'u1'), { ...job('b', 'out:u1'), kind: 'outbound' }]);
    expect(s.claim(10, 10, ['outbound']).map((j) => j.dedupeKey)).toEqual(['b']);
  });

  it('after a crash, running jobs are pending again', () => {
    const s = make();
    s.enqueue([job('a', 'u1')]);
    s.claim(10, 10);
    expect(s.recoverRunning()).toBe(1);
    expect(s.claim(10, 10)).toHaveLength(1);
  });

  it('keeps progress, customers’ last channel and blocked state, and media with an expiry', () => {
    const s = make();
    s.enqueue([job('a', 'u1')]);
    const [a] = s.claim(10, 10);
    s.saveProgress(a!.id, '{"pushed":1}');
    expect(s.get(a!.id)!.progress).toBe('{"pushed":1}');
    s.setLastChannel('U1', 'tw', 1);
    expect(s.lastChannel('U1')).toBe('tw');
    s.setBlocked('th', 'U1', true, 1);
    expect(s.isBlocked('th', 'U1')).toBe(true);
    expect(s.isBlocked('tw', 'U1')).toBe(false);
    s.putMedia({ id: 'm'.repeat(32), channelId: 'th', mime: 'image/png', bytes: Buffer.from([1, 2]), sha256: 'x', expiresAt: 100 });
    expect(s.getMedia('m'.repeat(32), 99)?.bytes).toEqual(Buffer.from([1, 2]));
    expect(s.getMedia('m'.repeat(32), 100)).toBeUndefined();
  });

  it('prunes finished jobs after the retention, freeing their keys', () => {
    const s = make();
    s.enqueue([job('a', 'u1')]);
    const [a] = s.claim(10, 10);
    s.complete(a!.id, 10);
    s.prune(100, 1000);
    expect(s.enqueue([job('a', 'u1')]).duplicates).toBe(1);
    s.prune(2000, 1000);
    expect(s.enqueue([job('a', 'u1')]).duplicates).toBe(0);
  });
});

describe('sqlite store', () => {
  it('survives reopening: committed jobs are still there', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lg-store-')), 'q.db');
    const s = new SqliteStore({ path });
    s.enqueue([job('a', 'u1'), job('b', 'u2')]);
    s.claim(10, 1);
    s.close();
    const t = new SqliteStore({ path });
    expect(t.recoverRunning()).toBe(1);
    expect(t.counts().pending).toBe(2);
    t.close();
  });
});

describe.each(engines)('%s store: a retried dead letter', (_name, make) => {
  it('goes before the same customer’s later jobs', () => {
    const s = make();
    s.enqueue([job('a1', 'u1')]);
    const [a1] = s.claim(10, 10);
    s.bury(a1!.id, 'HTTP 400', 10);
    s.enqueue([job('a2', 'u1', 11)]);
    s.retry(a1!.id, 12);
    expect(s.claim(20, 10).map((j) => j.dedupeKey)).toEqual(['a1']);
  });
});

describe.each(engines)('%s store: counts for health checks', (_name, make) => {
  it('counts open and dead jobs without walking the delivered ones', () => {
    const s = make();
    s.enqueue([job('a', 'u1'), job('b', 'u2'), job('c', 'u3')]);
    const [a, b] = s.claim(10, 2);
    s.complete(a!.id, 10);
    s.bury(b!.id, 'x', 10);
    expect(s.counts({ done: false })).toEqual({ pending: 1, running: 0, dead: 1, done: 0 });
    expect(s.counts()).toEqual({ pending: 1, running: 0, dead: 1, done: 1 });
  });
});
