/**
 * CPU pinning with util-linux `taskset`: the server under test on one core, the load generator and
 * the emulators on the other, so the figures measure the server, not a contest for the cores.
 * `taskset -a -p` sets every thread of a process (the relay's store thread included); threads
 * started later inherit their creator's affinity.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Why pinning cannot be done here, or undefined when it can. */
export function pinningUnavailable() {
  if (process.platform !== 'linux') return `${process.platform} has no taskset`;
  if (availableParallelism() < 2) return `only ${availableParallelism()} CPU`;
  const r = spawnSync('taskset', ['-V'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `taskset (util-linux) is not installed: ${r.error?.message ?? r.stderr.trim()}`;
  return undefined;
}

/** Every CPU of the machine as a taskset list ("0-1"): undoes a pin. */
export const ALL_CPUS = `0-${availableParallelism() - 1}`;

/**
 * Sets the affinity of every thread of `pid` to `cpus` (a taskset list: "0", "1", "0-1"). Throws
 * when taskset fails, or when it set nothing: `taskset -a` exits 0 for a process that is gone.
 */
export function pin(pid, cpus) {
  const r = spawnSync('taskset', ['-a', '-p', '-c', String(cpus), String(pid)], { encoding: 'utf8' });
  const failure = r.error?.message ?? (r.status !== 0 ? r.stderr.trim() : !/new affinity list/.test(r.stdout) ? 'no thread of it was found' : undefined);
  if (failure) throw new Error(`taskset -a -p -c ${cpus} ${pid} failed: ${failure}`);
}
