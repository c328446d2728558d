/**
 * `npm run bench`: the relay between fake LINE and Genesys upstreams on loopback, driven by
 * autocannon with signed LINE webhooks, against a bare verify-and-200 server as the yardstick.
 * Three processes: this one (load generator), the target (relay or bare server), the upstreams.
 * It reports; it never fails on a missed target (exit 0), only when something crashed.
 *
 * Environment (durations in seconds):
 *   BENCH_SECONDS=10          each flat-out run         BENCH_RATE=1000         the fixed-rate run's webhooks/s
 *   BENCH_RATE_SECONDS=5      each 1,000/s run          BENCH_CONNECTIONS=32    connections, flat out and paced
 *   BENCH_WARMUP_SECONDS=2    warm-up before measuring  BENCH_RATE_CONNECTIONS=10 connections, fixed rate
 *   BENCH_DRAIN_SECONDS=20    max wait for the queue    BENCH_USERS=500         distinct customers
 *   BENCH_STARTUP_RUNS=10     CLI start-up samples      BENCH_ONLY=bare,memory,sqlite  which targets
 *   BENCH_PROFILE=1 (or --profile): node --cpu-prof the relay processes; profiles and a summary in bench/results/
 *   BENCH_RELAY_NODE_FLAGS="--max-semi-space-size=4"  node flags for the relay processes (to try one)
 *   LINE_GENESYS_*=…          relay settings to try (e.g. LINE_GENESYS_CONCURRENCY=4), passed to the relay process
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { relayEnv } from './lib/env.js';
import { startChild } from './lib/ipc.js';
import { drive } from './lib/load.js';
import { pace } from './lib/paced.js';
import { analyzeProfile, formatProfile } from './lib/cpuprofile.js';
import { checkTargets, formatChecks, machine, mb, summaryTable } from './lib/report.js';
import { timeCli, timeNode } from './lib/startup.js';
import { wallNow } from './lib/stats.js';
import { webhookFactory } from './lib/webhook.js';

const num = (name, dflt) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number, got ${process.env[name]}`);
  return v;
};
const opts = {
  seconds: num('BENCH_SECONDS', 10),
  rateSeconds: num('BENCH_RATE_SECONDS', 5),
  warmupSeconds: num('BENCH_WARMUP_SECONDS', 2),
  drainSeconds: num('BENCH_DRAIN_SECONDS', 20),
  connections: num('BENCH_CONNECTIONS', 32),
  rate: num('BENCH_RATE', 1000),
  rateConnections: num('BENCH_RATE_CONNECTIONS', 10),
  users: num('BENCH_USERS', 500),
  startupRuns: num('BENCH_STARTUP_RUNS', 10),
  only: (process.env.BENCH_ONLY ?? 'bare,memory,sqlite').split(',').map((s) => s.trim()),
  profile: process.argv.includes('--profile') || process.env.BENCH_PROFILE === '1',
  relayNodeFlags: (process.env.BENCH_RELAY_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
};
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const resultsDir = here('./results');
const profileDir = `${resultsDir}/profiles`;
const say = (s) => process.stderr.write(`${s}\n`);

const next = webhookFactory({ users: opts.users });
const startedAt = Date.now();
const upstream = await startChild(here('./upstream-process.js'));
const { line: lineUrl, genesys: genesysUrl } = upstream.info;
say(`bench: upstreams up (LINE ${lineUrl}, Genesys ${genesysUrl}); ${JSON.stringify(opts)}`);

const runs = {};
const results = { command: 'npm run bench', at: new Date().toISOString(), machine: machine(), options: opts, runs, startup: {}, simulate: undefined, profiles: [] };

/**
 * Waits until `expected` messages have reached the Genesys emulator since the last mark (bounded),
 * polling the upstream process, not the relay (a store count is not free); then until the relay's
 * queue is empty (at most 2 s more). Returns what is still queued.
 */
async function drain(target, expected) {
  const sleep = () => new Promise((r) => setTimeout(r, 50));
  const deadline = Date.now() + opts.drainSeconds * 1000;
  while (Date.now() < deadline && (await upstream.call('count')) < expected) await sleep();
  // The last jobs complete a moment after Genesys has them (once its answer is back).
  const settle = Math.min(deadline, Date.now() + 2000);
  for (;;) {
    const c = await target.call('counts');
    if (c.pending + c.running === 0 || Date.now() >= settle) return c.pending + c.running;
    await sleep();
  }
}

/**
 * One load run against a target: time-to-200 from autocannon, end-to-end from the upstream process,
 * RSS and CPU time from each process (CPU counted until the queue has drained: all the work).
 */
async function measure(target, { seconds, connections, overallRate, paced, delivers }) {
  await Promise.all([upstream.call('mark'), upstream.call('markUsage'), target.call('markUsage')]);
  const cpuGen = process.cpuUsage();
  const loadStart = wallNow();
  const load = paced ? await pace({ url: target.info.url, seconds, connections, rate: overallRate, next }) : await drive({ url: target.info.url, seconds, connections, overallRate, next });
  const afterLoad = await target.call('usage');
  const gen = process.cpuUsage(cpuGen);
  const genMs = Math.round((gen.user + gen.system) / 1000);
  const backlog = delivers ? await drain(target, load.ok) : 0;
  const [afterDrain, up, upUsage] = await Promise.all([target.call('usage'), delivers ? upstream.call('stats') : undefined, upstream.call('usage')]);
  const deliveredPerSecond = up?.lastAt ? Math.round(up.e2e.count / ((up.lastAt - loadStart) / 1000)) : undefined;
  if (up?.violations.length) say(`bench: upstream saw violations: ${up.violations.join(' | ')}`);
  if (load.ok < load.requests) say(`bench: not every webhook was answered 200: ${JSON.stringify(load.statuses)}, ${load.errors} errors, ${load.timeouts} timeouts`);
  const perWebhook = (ms) => (load.ok ? Math.round((ms * 1000) / load.ok) : undefined);
  return {
    ...load,
    rssPeak: afterLoad.rssPeak,
    // Measured in the target over the load window: its event loop's stalls and its GC pauses.
    eventLoopDelay: afterLoad.eventLoopDelay,
    gc: afterLoad.gc,
    heapSpacesMb: afterLoad.heapSpacesMb,
    memory: afterLoad.memory,
    cpu: { targetMs: afterDrain.cpuMs, upstreamMs: upUsage.cpuMs, loadGeneratorMs: genMs, targetUsPerWebhook: perWebhook(afterDrain.cpuMs), upstreamUsPerWebhook: perWebhook(upUsage.cpuMs), loadGeneratorUsPerWebhook: perWebhook(genMs) },
    ...(delivers ? { e2e: up.e2e, deliveredPerSecond, backlogAfterDrain: backlog, upstreamFailures: up.failed } : {}),
  };
}

async function bench(name, file, args, { delivers, after } = {}) {
  const profiling = opts.profile && delivers;
  const execArgv = [...(delivers ? opts.relayNodeFlags : []), ...(profiling ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name.replace(/\W+/g, '-')}.cpuprofile`] : [])];
  if (profiling) mkdirSync(profileDir, { recursive: true });
  const target = await startChild(here(file), args, { execArgv });
  say(`bench: ${name} at ${target.info.url} (pid ${target.pid})`);
  try {
    // Warm-up (not measured): both load generators, so the JIT of the target and of this process is warm.
    await upstream.call('mark');
    const warm = await drive({ url: target.info.url, seconds: opts.warmupSeconds, connections: opts.connections, next });
    const warmPaced = await pace({ url: target.info.url, seconds: 1, connections: opts.connections, rate: opts.rate, next });
    if (delivers) await drain(target, warm.ok + warmPaced.ok);
    say(`bench: ${name}: flat out, ${opts.connections} connections, ${opts.seconds} s`);
    const saturated = await measure(target, { seconds: opts.seconds, connections: opts.connections, delivers });
    say(`bench: ${name}: ${opts.rate}/s, ${opts.rateConnections} connections, ${opts.rateSeconds} s`);
    const fixed = await measure(target, { seconds: opts.rateSeconds, connections: opts.rateConnections, overallRate: opts.rate, delivers });
    say(`bench: ${name}: ${opts.rate}/s paced (one every ${1000 / opts.rate} ms), ${opts.rateSeconds} s`);
    const paced = await measure(target, { seconds: opts.rateSeconds, connections: opts.connections, overallRate: opts.rate, paced: true, delivers });
    for (const [shape, r] of [['flat out', saturated], ['bursts', fixed], ['paced', paced]]) {
      say(`bench: ${name} ${shape}: event-loop delay p99 ${r.eventLoopDelay.p99Ms} ms, max ${r.eventLoopDelay.maxMs} ms; GC ${r.gc.count} pauses, ${r.gc.totalMs} ms in all, longest ${r.gc.maxMs} ms`);
    }
    const { maxRss } = await target.call('usage');
    runs[name] = { saturated, fixed, paced, rssPeak: Math.max(saturated.rssPeak, fixed.rssPeak, paced.rssPeak), maxRss };
    if (after) await after(target);
  } finally {
    await target.stop();
  }
  if (profiling) {
    const analysis = analyzeProfile(`${profileDir}/${name.replace(/\W+/g, '-')}.cpuprofile`, 20);
    results.profiles.push(analysis);
    say(formatProfile(analysis));
  }
}

/** `line-genesys simulate sticker --to <relay>`: being written by another engineer; n/a when it fails. */
async function timeSimulate(target) {
  const env = { ...process.env, ...relayEnv({ line: lineUrl, genesys: genesysUrl }), NO_COLOR: '1' };
  const r = timeCli(['simulate', 'sticker', '--to', target.info.url], { runs: Math.min(5, opts.startupRuns), env, cwd: resultsDir });
  results.simulate = r;
  say(r.ok ? `bench: simulate sticker: ${r.medianMs} ms` : `bench: simulate sticker failed (n/a): ${r.failure}`);
}

let crashed;
try {
  mkdirSync(resultsDir, { recursive: true });
  const relayArgs = (store) => [store, lineUrl, genesysUrl];
  if (opts.only.includes('bare')) await bench('bare', './bare-process.js', []);
  if (opts.only.includes('memory')) await bench('relay memory', './relay-process.js', relayArgs('memory'), { delivers: true });
  if (opts.only.includes('sqlite')) await bench('relay sqlite', './relay-process.js', relayArgs('sqlite'), { delivers: true, after: timeSimulate });

  say('bench: start-up');
  results.startup.node = timeNode(['-e', '0'], { runs: opts.startupRuns });
  results.startup.help = timeCli(['--help'], { runs: opts.startupRuns });
} catch (e) {
  crashed = e;
} finally {
  await upstream.stop();
}
if (crashed) {
  say(`bench: crashed: ${crashed.stack ?? crashed}`);
  process.exit(1);
}

results.targets = checkTargets(results);
results.machine.loadAverageAtEnd = Math.round(loadavg()[0] * 100) / 100;
results.durationSeconds = Math.round((Date.now() - startedAt) / 1000);
writeFileSync(`${resultsDir}/latest.json`, `${JSON.stringify(results, null, 2)}\n`);

const m = results.machine;
const s = results.startup;
const sat = (n) => runs[n]?.saturated;
const cpuRatio = (n) => (sat(n).cpu.targetUsPerWebhook / sat('bare').cpu.targetUsPerWebhook).toFixed(1);
const lines = [
  '',
  `line-genesys bench: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB, node ${m.node}`,
  `flat out: ${opts.connections} connections × ${opts.seconds} s; ${opts.rate}/s bursts: autocannon overallRate on ${opts.rateConnections} connections × ${opts.rateSeconds} s; ${opts.rate}/s paced: one every ${1000 / opts.rate} ms × ${opts.rateSeconds} s`,
  ...(Math.max(m.loadAverageAtStart, m.loadAverageAtEnd) > 1
    ? [`note: the machine was busy (load average ${m.loadAverageAtStart} at start, ${m.loadAverageAtEnd} at end, ${m.nproc} CPUs): these figures are pessimistic and noisy`]
    : []),
  '',
  summaryTable(runs),
  '',
  ...['relay memory', 'relay sqlite'].filter((n) => sat(n)).map((n) => `${n}: delivered ${sat(n).deliveredPerSecond ?? 'n/a'}/s to Genesys while flat out (still queued after the drain wait: ${sat(n).backlogAfterDrain}); CPU per webhook ${sat(n).cpu.targetUsPerWebhook} µs${sat('bare') ? ` (${cpuRatio(n)}× the bare server's)` : ''}; process max RSS ${mb(runs[n].maxRss)} MB`),
  `start-up: node -e 0 ${s.node?.medianMs ?? 'n/a'} ms; line-genesys --help ${s.help?.ok ? `${s.help.medianMs} ms` : `n/a (${s.help?.failure})`}; simulate sticker ${results.simulate?.ok ? `${results.simulate.medianMs} ms` : `n/a${results.simulate ? ` (${results.simulate.failure})` : ''}`}`,
  '',
  formatChecks(results.targets),
  '',
  `results: bench/results/latest.json (${results.durationSeconds} s)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
