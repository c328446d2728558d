/**
 * The memory store keeps finished jobs (their dedupe keys) in a capped, time-ordered record: past the
 * cap the job finished longest ago goes first, pruning walks from the oldest, and open jobs are never
 * dropped. The Store contract itself is in contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/store/memory.js';
import type { NewJob } from '../../../src/store/store.js';

const job = (key: string): NewJob => ({ kind: 'inbound', dedupeKey: key, orderKey: `u-${key}`, channelId: 'th', payload: '{}', receivedAt: 1 });

/** Enqueues the keys, then completes them in the order given, the n-th at time `at + n`. */
async function finish(s: MemoryStore, keys: string[], order = keys, at = 0): Promise<void> {
  await s.enqueue(keys.map(job));
  const claimed = await s.claim(1, keys.length);
  for (const [n, key] of order.entries()) await s.complete(claimed.find((j) => j.dedupeKey === key)!.id, at + n + 1);
}
/** Which of the keys the store still knows (a second enqueue is a duplicate). */
async function known(s: MemoryStore, keys: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const k of keys) if ((await s.enqueue([job(k)])).duplicates === 1) out.push(k);
  return out;
}

describe('memory store: finished jobs are capped and time-ordered', () => {
  it('keeps at most maxFinished finished jobs; the first finished go first', async () => {
    const s = new MemoryStore({ maxFinished: 3 });
    await finish(s, ['a', 'b', 'c', 'd', 'e']);
    expect(await s.counts()).toEqual({ pending: 0, running: 0, dead: 0, done: 3 });
    expect(await known(s, ['c', 'd', 'e'])).toEqual(['c', 'd', 'e']);
    expect(await known(s, ['a', 'b'])).toEqual([]);
  });

  it('the order is when a job finished, not when it arrived', async () => {
    const s = new MemoryStore({ maxFinished: 2 });
    await finish(s, ['a', 'b', 'c'], ['c', 'a', 'b']);
    expect(await known(s, ['a', 'b'])).toEqual(['a', 'b']);
    expect(await known(s, ['c'])).toEqual([]);
  });

  it('pending, running and dead jobs are never dropped by the cap', async () => {
    const s = new MemoryStore({ maxFinished: 1 });
    await s.enqueue(['p1', 'p2', 'r1', 'd1'].map(job));
    const [r1, d1] = (await s.claim(1, 4)).filter((j) => j.dedupeKey === 'r1' || j.dedupeKey === 'd1');
    await s.bury(d1!.id, 'broken', 2);
    await s.reschedule(r1!.id, 10, 'later', 2);
    await finish(s, ['f1', 'f2', 'f3'], undefined, 5);
    expect(await s.counts()).toMatchObject({ dead: 1, done: 1 });
    expect(await known(s, ['p1', 'p2', 'r1', 'd1', 'f3'])).toEqual(['p1', 'p2', 'r1', 'd1', 'f3']);
  });

  it('prune forgets what finished before the retention, oldest first, and keeps the rest', async () => {
    const s = new MemoryStore();
    await finish(s, ['early'], undefined, 9); // finished at 10
    await finish(s, ['late'], undefined, 499); // finished at 500
    await s.prune(1200, 1000);
    expect(await known(s, ['early', 'late'])).toEqual(['late']);
    await s.prune(1600, 1000);
    expect(await known(s, ['late'])).toEqual([]);
  });
});
