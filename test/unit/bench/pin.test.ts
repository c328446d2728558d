import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: the bench is plain JavaScript
import { pin, pinningUnavailable } from '../../../bench/lib/pin.js';

const why: string | undefined = pinningUnavailable();
if (why) console.log(`bench pinning test skipped: ${why}.`);

/** Cpus_allowed_list of every thread of `pid`. */
function affinities(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))![1]!);
}

describe.skipIf(why !== undefined)('bench pin (taskset)', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill();
  });

  it('sets the affinity of every thread of a process, and can move it to another core', async () => {
    // A worker thread, so the process has a thread of its own beside node's (as the relay's store thread).
    child = spawn(process.execPath, ['-e', "new (require('node:worker_threads').Worker)('setInterval(() => {}, 1000)', { eval: true }); setInterval(() => {}, 1000); console.log('up')"], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child!.stdout!.once('data', resolve));
    const pid = child.pid!;
    expect(affinities(pid).length).toBeGreaterThan(1);

    pin(pid, '0');
    expect(new Set(affinities(pid))).toEqual(new Set(['0']));
    pin(pid, '1');
    expect(new Set(affinities(pid))).toEqual(new Set(['1']));
  });

  it('says which process it could not pin', () => {
    expect(() => pin(2 ** 22 + 12345, '0')).toThrow(/taskset -a -p -c 0 4206649 failed/);
  });
});
