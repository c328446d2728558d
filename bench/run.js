/**
 * `npm run bench`: the relay between fake LINE and Genesys upstreams on loopback, driven by
 * autocannon with signed LINE webhooks, against a bare verify-and-200 server as the yardstick.
 * Three processes: this one (load generator), the target (relay or bare server), the upstreams.
 * It reports; it never fails on a missed target (exit 0), only when something crashed.
 *
 * Two passes (issue 15). "pinned": the server under test on CPU 0 (`taskset`, all its threads),
 * this process and the emulators on CPU 1. "shared": no pinning, everything on both cores.
 * Without taskset, or on one CPU, the pinned pass is skipped with a printed line.
 * The targets: bare (verify + 200), floor (bare + one SQLite commit + one Genesys POST: the least a
 * relay must do), naive (Express + @line/bot-sdk middleware(), awaiting Genesys before the 200),
 * memory, sqlite (the relay), sqlite-slow (the relay's intake with a Genesys that answers 100 ms
 * late), postgres (the relay on PostgreSQL, 1 and 2 replicas, a fresh schema each; skipped with a
 * printed line when no database answers).
 *
 * Environment (durations in seconds):
 *   BENCH_SECONDS=5           each flat-out run         BENCH_RATE=1000         the fixed-rate run's webhooks/s
 *   BENCH_RATE_SECONDS=3      each 1,000/s run          BENCH_CONNECTIONS=32    connections, flat out and paced
 *   BENCH_WARMUP_SECONDS=1    warm-up before measuring  BENCH_RATE_CONNECTIONS=10 connections, fixed rate
 *   BENCH_DRAIN_SECONDS=20    max wait for the queue    BENCH_USERS=500         distinct customers
 *   BENCH_STARTUP_RUNS=10     CLI start-up samples      BENCH_SLOW_GENESYS_MS=100 Genesys's delay for sqlite-slow
 *   BENCH_PASSES=pinned,shared                           which passes
 *   BENCH_ONLY=bare,floor,naive,memory,sqlite,sqlite-slow,postgres   targets of the pinned pass
 *   BENCH_SHARED_ONLY=bare,floor,naive,sqlite,sqlite-slow             targets of the shared pass
 *   BENCH_DATABASE_URL (else LINE_GENESYS_TEST_DATABASE_URL)  the PostgreSQL for the postgres rows
 *   BENCH_PROFILE=1 (or --profile): node --cpu-prof the relay and floor processes; profiles and a summary in bench/results/
 *   BENCH_RELAY_NODE_FLAGS="--max-semi-space-size=4"  node flags for the relay processes (to try one)
 *   LINE_GENESYS_*=…          relay settings to try (e.g. LINE_GENESYS_CONCURRENCY=4), passed to the relay process
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { relayEnv } from './lib/env.js';
import { startChild } from './lib/ipc.js';
import { drive } from './lib/load.js';
import { pace } from './lib/paced.js';
import { analyzeProfile, formatProfile } from './lib/cpuprofile.js';
import { ALL_CPUS, pin, pinningUnavailable } from './lib/pin.js';
import { checkFairTargets, checkTargets, formatChecks, machine, mb, summaryTable } from './lib/report.js';
import { timeCli, timeNode } from './lib/startup.js';
import { wallNow } from './lib/stats.js';
import { webhookFactory } from './lib/webhook.js';

const num = (name, dflt) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number, got ${process.env[name]}`);
  return v;
};
const list = (name, dflt) => (process.env[name] ?? dflt).split(',').map((s) => s.trim()).filter(Boolean);
const opts = {
  seconds: num('BENCH_SECONDS', 5),
  rateSeconds: num('BENCH_RATE_SECONDS', 3),
  warmupSeconds: num('BENCH_WARMUP_SECONDS', 1),
  drainSeconds: num('BENCH_DRAIN_SECONDS', 20),
  connections: num('BENCH_CONNECTIONS', 32),
  rate: num('BENCH_RATE', 1000),
  rateConnections: num('BENCH_RATE_CONNECTIONS', 10),
  users: num('BENCH_USERS', 500),
  startupRuns: num('BENCH_STARTUP_RUNS', 10),
  slowGenesysMs: num('BENCH_SLOW_GENESYS_MS', 100),
  passes: list('BENCH_PASSES', 'pinned,shared'),
  only: list('BENCH_ONLY', 'bare,floor,naive,memory,sqlite,sqlite-slow,postgres'),
  sharedOnly: list('BENCH_SHARED_ONLY', 'bare,floor,naive,sqlite,sqlite-slow'),
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

const results = { command: 'npm run bench', at: new Date().toISOString(), machine: machine(), options: opts, passes: {}, startup: {}, simulate: undefined, profiles: [], skipped: [] };
let runs = {};
/** The CPUs of the current pass: the target's and the load generator's + emulators' (undefined: unpinned). */
let cpus;

/** Several children as one target (replicas): URLs in a list, CPU summed, RSS of the largest, queue from the first (one database). */
function group(children) {
  const [first] = children;
  return {
    pid: children.map((c) => c.pid).join(','),
    info: { url: children.length === 1 ? first.info.url : children.map((c) => c.info.url) },
    async call(cmd, args) {
      if (cmd === 'counts') return first.call(cmd, args);
      const all = await Promise.all(children.map((c) => c.call(cmd, args)));
      if (cmd !== 'usage') return all[0];
      return { ...all[0], cpuMs: all.reduce((a, u) => a + u.cpuMs, 0), rssPeak: Math.max(...all.map((u) => u.rssPeak)), maxRss: Math.max(...all.map((u) => u.maxRss)) };
    },
    stop: () => Promise.all(children.map((c) => c.stop())),
  };
}

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

/** Starts `replicas` children of `file` (one after the other: each migrates its store at start), pinned to the pass's target CPU. */
async function startTarget(name, file, args, { replicas = 1, execArgv = [], env } = {}) {
  const children = [];
  try {
    for (let i = 0; i < replicas; i++) {
      const child = await startChild(here(file), args, { execArgv, ...(env ? { env } : {}) });
      children.push(child);
      if (cpus) pin(child.pid, cpus.target);
    }
  } catch (e) {
    await Promise.all(children.map((c) => c.stop()));
    throw e;
  }
  const target = group(children);
  say(`bench: ${name} at ${[target.info.url].flat().join(' + ')} (pid ${target.pid}${cpus ? `, CPU ${cpus.target}` : ''})`);
  return target;
}

/**
 * Warm-up, then the three load shapes (flat out, 1,000/s bursts, 1,000/s paced); `flatOnly` runs
 * the flat-out shape only. `delivers`: wait for the deliveries to reach Genesys (all-in figures).
 * `before` runs after the warm-up (e.g. slow Genesys down), `after` before the target stops.
 */
async function bench(name, file, args, { delivers, flatOnly, before, after, replicas, env } = {}) {
  // The floor too: its profile is the yardstick for the relay's (what a webhook costs at the least).
  const profiling = opts.profile && delivers && (file === './relay-process.js' || file === './floor-process.js');
  // One folder per run, with node's own file names: every thread (the store's too) writes its own
  // profile, and a fixed --cpu-prof-name would make them overwrite each other.
  const runProfileDir = `${profileDir}/${name.replace(/\W+/g, '-')}${cpus ? '-pinned' : ''}`;
  const execArgv = [...(file === './relay-process.js' ? opts.relayNodeFlags : []), ...(profiling ? ['--cpu-prof', `--cpu-prof-dir=${runProfileDir}`] : [])];
  if (profiling) {
    rmSync(runProfileDir, { recursive: true, force: true });
    mkdirSync(runProfileDir, { recursive: true });
  }
  const target = await startTarget(name, file, args, { replicas, execArgv, env });
  try {
    // Warm-up (not measured): both load generators, so the JIT of the target and of this process is warm.
    await upstream.call('mark');
    const warm = await drive({ url: target.info.url, seconds: opts.warmupSeconds, connections: opts.connections, next });
    const warmPaced = await pace({ url: target.info.url, seconds: 1, connections: opts.connections, rate: opts.rate, next });
    if (delivers || before) await drain(target, warm.ok + warmPaced.ok);
    await before?.();
    say(`bench: ${name}: flat out, ${opts.connections} connections, ${opts.seconds} s`);
    const saturated = await measure(target, { seconds: opts.seconds, connections: opts.connections, delivers });
    let fixed;
    let paced;
    if (!flatOnly) {
      say(`bench: ${name}: ${opts.rate}/s, ${opts.rateConnections} connections, ${opts.rateSeconds} s`);
      fixed = await measure(target, { seconds: opts.rateSeconds, connections: opts.rateConnections, overallRate: opts.rate, delivers });
      say(`bench: ${name}: ${opts.rate}/s paced (one every ${1000 / opts.rate} ms), ${opts.rateSeconds} s`);
      paced = await measure(target, { seconds: opts.rateSeconds, connections: opts.connections, overallRate: opts.rate, paced: true, delivers });
    }
    for (const [shape, r] of [['flat out', saturated], ['bursts', fixed], ['paced', paced]]) {
      if (r) say(`bench: ${name} ${shape}: ${r.webhooksPerSecond}/s; event-loop delay p99 ${r.eventLoopDelay.p99Ms} ms, max ${r.eventLoopDelay.maxMs} ms; GC ${r.gc.count} pauses, ${r.gc.totalMs} ms in all, longest ${r.gc.maxMs} ms; CPU ${r.cpu.targetUsPerWebhook} µs/webhook`);
    }
    const { maxRss } = await target.call('usage');
    runs[name] = { saturated, fixed, paced, rssPeak: Math.max(...[saturated, fixed, paced].filter(Boolean).map((r) => r.rssPeak)), maxRss, replicas: replicas ?? 1 };
    if (after) await after(target);
  } finally {
    await target.stop();
  }
  if (profiling) {
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: the main thread (id 0) first.
    const threadOf = (f) => Number(f.split('.').at(-3));
    for (const f of readdirSync(runProfileDir).filter((f) => f.endsWith('.cpuprofile')).sort((a, b) => threadOf(a) - threadOf(b))) {
      const analysis = analyzeProfile(`${runProfileDir}/${f}`, 20);
      results.profiles.push(analysis);
      say(`${threadOf(f) === 0 ? 'main thread' : `thread ${threadOf(f)}`}: ${formatProfile(analysis)}`);
    }
  }
}

/** `line-genesys simulate sticker --to <relay>`: n/a when it fails. */
async function timeSimulate(target) {
  const env = { ...process.env, ...relayEnv({ line: lineUrl, genesys: genesysUrl }), NO_COLOR: '1' };
  const r = timeCli(['simulate', 'sticker', '--to', target.info.url], { runs: Math.min(5, opts.startupRuns), env, cwd: resultsDir });
  results.simulate = r;
  say(r.ok ? `bench: simulate sticker: ${r.medianMs} ms` : `bench: simulate sticker failed (n/a): ${r.failure}`);
}

/** The PostgreSQL for the postgres rows, or undefined after a printed line saying why not. */
async function benchDatabase() {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.LINE_GENESYS_TEST_DATABASE_URL;
  let why;
  if (!url) why = 'neither BENCH_DATABASE_URL nor LINE_GENESYS_TEST_DATABASE_URL is set';
  else {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
    } catch (e) {
      why = `the database does not answer (${e.message})`;
    } finally {
      await client.end().catch(() => {});
    }
  }
  if (!why) return url;
  say(`bench: PostgreSQL rows skipped: ${why}`);
  results.skipped.push(`postgres: ${why}`);
  return undefined;
}

/** Runs `fn(schema)` in a fresh schema of `url`, dropped afterwards. */
async function withSchema(url, fn) {
  const schema = `lg_bench_${randomBytes(5).toString('hex')}`;
  const sql = async (q) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await sql(`CREATE SCHEMA ${schema}`);
  try {
    return await fn(schema);
  } finally {
    await sql(`DROP SCHEMA ${schema} CASCADE`);
  }
}

async function pass(name, only) {
  runs = {};
  const relayArgs = (store, ...more) => [store, lineUrl, genesysUrl, ...more];
  // The yardstick: every pass has it (the ratios need it).
  await bench('bare', './bare-process.js', []);
  if (only.includes('floor')) await bench('floor', './floor-process.js', [genesysUrl], { delivers: true });
  if (only.includes('naive')) await bench('naive (Express + middleware())', './naive-process.js', [genesysUrl], { delivers: true });
  if (only.includes('memory')) await bench('relay memory', './relay-process.js', relayArgs('memory'), { delivers: true });
  if (only.includes('sqlite')) await bench('relay sqlite', './relay-process.js', relayArgs('sqlite'), { delivers: true, after: name === 'pinned' ? timeSimulate : undefined });
  if (only.includes('sqlite-slow')) {
    // Intake only: at 100 ms a delivery the queue drains far slower than it fills; the target stops with it queued.
    await bench(`relay sqlite, Genesys ${opts.slowGenesysMs} ms`, './relay-process.js', relayArgs('sqlite'), {
      flatOnly: true,
      before: () => upstream.call('slowGenesys', opts.slowGenesysMs),
      after: () => upstream.call('slowGenesys', 0),
    });
    await upstream.call('slowGenesys', 0);
  }
  if (only.includes('postgres')) {
    const url = await benchDatabase();
    for (const replicas of url ? [1, 2] : []) {
      await withSchema(url, (schema) =>
        bench(`relay postgres ×${replicas}`, './relay-process.js', relayArgs('postgres', schema), { delivers: true, replicas, env: { ...process.env, DATABASE_URL: url } }),
      );
    }
  }
  results.passes[name] = { cpus, runs, targets: checkFairTargets(runs, results.startup) };
}

let crashed;
try {
  mkdirSync(resultsDir, { recursive: true });
  say('bench: start-up');
  results.startup.node = timeNode(['-e', '0'], { runs: opts.startupRuns });
  results.startup.help = timeCli(['--help'], { runs: opts.startupRuns });
  const noPin = pinningUnavailable();
  for (const p of opts.passes) {
    if (p === 'pinned') {
      if (noPin) {
        say(`bench: pinned pass skipped, running unpinned only: ${noPin}`);
        results.skipped.push(`pinned: ${noPin}`);
        continue;
      }
      cpus = { target: '0', loadAndEmulators: '1' };
      pin(process.pid, cpus.loadAndEmulators);
      pin(upstream.pid, cpus.loadAndEmulators);
      say('bench: pinned pass: the server under test on CPU 0, the load generator and the emulators on CPU 1');
      await pass('pinned', opts.only);
    } else if (p === 'shared') {
      cpus = undefined;
      if (!noPin) {
        pin(process.pid, ALL_CPUS);
        pin(upstream.pid, ALL_CPUS);
      }
      say('bench: shared pass: no pinning, every process on every core');
      await pass('shared', opts.sharedOnly);
    } else throw new Error(`BENCH_PASSES: unknown pass ${p} (pinned, shared)`);
  }
} catch (e) {
  crashed = e;
} finally {
  await upstream.stop();
}
if (crashed) {
  say(`bench: crashed: ${crashed.stack ?? crashed}`);
  process.exit(1);
}

const main = results.passes.pinned ?? results.passes.shared;
results.targets = main?.targets ?? [];
results.earlierTargets = main ? checkTargets({ runs: main.runs, startup: results.startup }) : [];
results.machine.loadAverageAtEnd = Math.round(loadavg()[0] * 100) / 100;
results.durationSeconds = Math.round((Date.now() - startedAt) / 1000);
writeFileSync(`${resultsDir}/latest.json`, `${JSON.stringify(results, null, 2)}\n`);

const m = results.machine;
const s = results.startup;
const lines = [
  '',
  `line-genesys bench: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB, node ${m.node}; load average ${m.loadAverageAtStart} at start, ${m.loadAverageAtEnd} at end`,
  `flat out: ${opts.connections} connections × ${opts.seconds} s; ${opts.rate}/s bursts: autocannon overallRate on ${opts.rateConnections} connections × ${opts.rateSeconds} s; ${opts.rate}/s paced: one every ${1000 / opts.rate} ms × ${opts.rateSeconds} s`,
  ...(Math.max(m.loadAverageAtStart, m.loadAverageAtEnd) > 1
    ? [`note: the machine was busy (load average ${m.loadAverageAtStart} at start, ${m.loadAverageAtEnd} at end, ${m.nproc} CPUs): these figures are pessimistic and noisy`]
    : []),
  ...results.skipped.map((x) => `skipped: ${x}`),
];
for (const [name, p] of Object.entries(results.passes)) {
  lines.push('', p.cpus ? `${name}: the server under test on CPU ${p.cpus.target}, load generator and emulators on CPU ${p.cpus.loadAndEmulators}` : `${name}: no pinning`, summaryTable(p.runs), '', formatChecks(p.targets));
}
lines.push(
  '',
  `start-up: node -e 0 ${s.node?.medianMs ?? 'n/a'} ms; line-genesys --help ${s.help?.ok ? `${s.help.medianMs} ms` : `n/a (${s.help?.failure})`}; simulate sticker ${results.simulate?.ok ? `${results.simulate.medianMs} ms` : `n/a${results.simulate ? ` (${results.simulate.failure})` : ''}`}`,
  '',
  'earlier targets, on the first pass:',
  formatChecks(results.earlierTargets),
  '',
  `results: bench/results/latest.json (${results.durationSeconds} s)`,
);
process.stdout.write(`${lines.join('\n')}\n`);
