import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the bench is plain JavaScript
import { analyzeProfile } from '../../../bench/lib/cpuprofile.js';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0, columnNumber: 0, scriptId: '0' });

/**
 * A profile of one relay webhook's stages, by hand: a SQLite statement under receiveLine (store, not
 * relay logic: the first stage whose rule a frame meets wins), an undici write under the worker, a
 * response written by node:http, relay logic alone, GC, and idle time (never counted).
 */
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 8, 9, 10, 11] },
    { id: 2, callFrame: frame('receiveLine', 'file:///app/dist/relay/receive-line.js'), children: [3] },
    { id: 3, callFrame: frame('flush', 'file:///app/dist/store/batched.js'), children: [4] },
    { id: 4, callFrame: frame('run', 'file:///app/node_modules/better-sqlite3/lib/methods/transaction.js') },
    { id: 5, callFrame: frame('pump', 'file:///app/dist/relay/worker.js'), children: [6] },
    { id: 6, callFrame: frame('dispatch', 'file:///app/node_modules/undici/lib/dispatcher/client.js'), children: [7] },
    { id: 7, callFrame: frame('writev') },
    { id: 8, callFrame: frame('end', 'node:_http_outgoing') },
    { id: 9, callFrame: frame('(garbage collector)') },
    { id: 10, callFrame: frame('(idle)') },
    { id: 11, callFrame: frame('encode', 'file:///app/dist/relay/jobs.js') },
  ],
  // Each sample's time is the next delta: 4 ms store, 3 ms Genesys POST, 2 ms HTTP server, 1 ms GC,
  // 5 ms idle, 1 ms relay logic.
  samples: [4, 7, 8, 9, 10, 11],
  timeDeltas: [0, 4000, 3000, 2000, 1000, 5000, 1000],
};

describe('bench profile summary', () => {
  it('splits the busy time by stage of a webhook, idle left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-cpuprofile-'));
    const path = join(dir, 'relay.cpuprofile');
    writeFileSync(path, JSON.stringify(profile));
    const a = analyzeProfile(path, 10);
    expect(a.busyMs).toBe(11);
    expect(a.stages).toEqual([
      { name: 'store (SQLite, batching)', ms: 4, pctOfBusy: 36.4 },
      { name: 'Genesys POST (client, undici)', ms: 3, pctOfBusy: 27.3 },
      { name: 'HTTP server (request in, answer out)', ms: 2, pctOfBusy: 18.2 },
      { name: 'GC', ms: 1, pctOfBusy: 9.1 },
      { name: 'relay logic (jobs, transform, worker, observe)', ms: 1, pctOfBusy: 9.1 },
    ]);
  });
});
