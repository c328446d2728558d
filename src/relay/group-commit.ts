/**
 * Group commit: the webhooks that arrive in one turn of the event loop are committed together, in
 * one transaction, and each is answered once that commit is done. Under load this turns hundreds of
 * commits a second into tens, without answering any webhook before its events are durable.
 */
import type { EnqueueResult, NewJob, Store } from '../store/store.js';

export type Enqueue = (jobs: NewJob[]) => Promise<EnqueueResult>;

export function createGroupCommit(store: Store): Enqueue {
  let waiting: Array<{ jobs: NewJob[]; resolve: (r: EnqueueResult) => void; reject: (e: unknown) => void }> = [];

  function flush(): void {
    const group = waiting;
    waiting = [];
    try {
      const results = store.batch(() => group.map((w) => store.enqueue(w.jobs)));
      group.forEach((w, i) => w.resolve(results[i]!));
    } catch (e) {
      for (const w of group) w.reject(e);
    }
  }

  return (jobs) =>
    new Promise((resolve, reject) => {
      if (waiting.push({ jobs, resolve, reject }) === 1) setImmediate(flush);
    });
}
