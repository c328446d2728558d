/**
 * Start-up time of the CLI: wall time of whole `node bin/line-genesys.cjs …` processes
 * (spawnSync), median of N, with plain `node -e 0` measured the same way for reference.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';

const BIN = fileURLToPath(new URL('../../bin/line-genesys.cjs', import.meta.url));

function timeOnce(args, opts) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000, ...opts });
  return { ms: performance.now() - t0, status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

/** Median wall time of `node <args>` over `runs` (after one unmeasured run to warm the file cache). */
export function timeNode(args, { runs = 10, ...opts } = {}) {
  const first = timeOnce(args, opts);
  const times = [];
  let last = first;
  for (let i = 0; i < runs; i++) {
    last = timeOnce(args, opts);
    if (last.status !== 0) break;
    times.push(last.ms);
  }
  const ok = first.status === 0 && last.status === 0;
  return { ok, runs: times.length, medianMs: ok ? round(median(times)) : undefined, minMs: ok ? round(Math.min(...times)) : undefined, failure: ok ? undefined : describe(last.status === 0 ? first : last) };
}

export function timeCli(args, opts) {
  return timeNode([BIN, ...args], opts);
}

function describe(r) {
  if (r.error) return r.error.message;
  const text = (r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' | ');
  return `exit ${r.signal ?? r.status}: ${text || '(no output)'}`;
}

const round = (v) => Math.round(v * 10) / 10;
