import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../../src/relay/group-commit.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import type { NewJob } from '../../../src/store/store.js';

const job = (key: string): NewJob => ({ kind: 'inbound', dedupeKey: key, orderKey: key, channelId: 'th', payload: '{}', receivedAt: 1 });

describe('group commit', () => {
  it('commits the webhooks of one event-loop turn in one transaction, each with its own result', async () => {
    const store = new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'lg-gc-')), 'q.db'), backgroundCheckpoints: false });
    let transactions = 0;
    const batch = store.batch.bind(store);
    store.batch = (fn) => {
      transactions++;
      return batch(fn);
    };
    const enqueue = createGroupCommit(store);
    const results = await Promise.all([enqueue([job('a')]), enqueue([job('b'), job('a')]), enqueue([job('c')])]);
    expect(transactions).toBe(1);
    expect(results.map((r) => r.duplicates)).toEqual([0, 1, 0]);
    expect(store.counts().pending).toBe(3);
    await enqueue([job('d')]);
    expect(transactions).toBe(2);
    store.close();
  });

  it('a failed commit fails every webhook of the group (each is answered 500 and redelivered)', async () => {
    const store = new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'lg-gc-')), 'q.db'), backgroundCheckpoints: false });
    store.batch = () => {
      throw new Error('disk full');
    };
    const enqueue = createGroupCommit(store);
    const settled = await Promise.allSettled([enqueue([job('a')]), enqueue([job('b')])]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    store.close();
  });
});
