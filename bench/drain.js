/**
 * How fast the relay drains a burst, paced by Genesys's answers (npm run bench:drain):
 *   - a burst of DRAIN_BURST (10,000) webhooks from DRAIN_CUSTOMERS (2,000) customers, with a
 *     Genesys that answers in 100 ms, then in 300 ms: drain time and deliveries per second;
 *   - the same with Genesys answering 429 (Retry-After: 1) above DRAIN_RATE_LIMIT (500) per second:
 *     where the relay settles;
 *   - Genesys answering 503 for DRAIN_OUTAGE_SECONDS (60) with DRAIN_OUTAGE_BURST (1,000) webhooks
 *     queued meanwhile: how long after recovery the queue is empty.
 * The relay (SQLite store, the default) and the emulators run in processes of their own. Settings
 * pass through: LINE_GENESYS_MAX_CONCURRENCY=16 npm run bench:drain is the relay before adaptive
 * concurrency. Prints a table; writes bench/results/drain.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import { Agent } from 'undici';
import { startChild } from './lib/ipc.js';
import { machine } from './lib/report.js';
import { webhookFactory } from './lib/webhook.js';

const env = (name, dflt) => Number(process.env[name] ?? dflt);
const BURST = env('DRAIN_BURST', 10_000);
const CUSTOMERS = env('DRAIN_CUSTOMERS', 2_000);
const RATE_LIMIT = env('DRAIN_RATE_LIMIT', 500);
const OUTAGE_S = env('DRAIN_OUTAGE_SECONDS', 60);
const OUTAGE_BURST = env('DRAIN_OUTAGE_BURST', 1_000);
const SHAPES = (process.env.DRAIN_SHAPES ?? 'latency100,latency300,ratelimit,outage').split(',');
const DRAIN_TIMEOUT_MS = env('DRAIN_TIMEOUT_SECONDS', 300) * 1000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const load = () => Math.round(os.loadavg()[0] * 100) / 100;
const dispatcher = new Agent({ connections: 4 });

/** Posts `n` signed webhooks (autocannon, 32 connections); resolves when all were answered 200. */
async function burst(url, n) {
  const next = webhookFactory({ users: CUSTOMERS });
  const statuses = {};
  const instance = autocannon({
    url: `${url}/webhook/line`,
    method: 'POST',
    connections: 32,
    amount: n,
    timeout: 30,
    requests: [{ setupRequest: (req) => ({ ...req, ...next(), method: 'POST' }) }],
  });
  instance.on('response', (_client, status) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  await instance;
  if (statuses[200] !== n) throw new Error(`the relay did not accept every webhook: ${JSON.stringify(statuses)}`);
}

/** The relay's Genesys concurrency limit and breaker, from /metrics. */
async function gauges(url) {
  const text = await (await fetch(`${url}/metrics`, { dispatcher })).text();
  const value = (name) => Number(new RegExp(`^${name}\\{upstream="genesys"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { limit: value('line_genesys_delivery_concurrency'), breakerOpen: value('line_genesys_breaker_open') };
}

/** Polls until Genesys has accepted `n` messages since the mark; samples the relay's limit meanwhile. */
async function drained(upstream, relayUrl, n) {
  const limits = [];
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const c = await upstream.call('counts');
    limits.push((await gauges(relayUrl)).limit);
    if (c.delivered >= n) return { counts: c, limits };
    if (Date.now() > deadline) throw new Error(`not drained after ${DRAIN_TIMEOUT_MS / 1000} s: ${c.delivered} of ${n} delivered (${JSON.stringify(c.statuses)})`);
    await sleep(100);
  }
}

async function withRelay(fn) {
  const upstream = await startChild(new URL('./drain-upstream.js', import.meta.url).pathname);
  const relay = await startChild(new URL('./relay-process.js', import.meta.url).pathname, ['sqlite', upstream.info.line, upstream.info.genesys]);
  try {
    return await fn(upstream, relay.info.url);
  } finally {
    await relay.stop();
    await upstream.stop();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A burst queued while Genesys answers 503 (on this loaded machine the webhooks arrive slower than
 * the relay delivers them: queued first, the drain measures delivery alone), then drained by a
 * Genesys answering after `latencyMs`, with optional extra faults first (a rate limit).
 */
async function drainShape(name, latencyMs, extraFaults = []) {
  return withRelay(async (upstream, url) => {
    await upstream.call('faults', [{ route: 'inbound-message', status: 503 }]);
    const loadAtStart = load();
    const t0 = Date.now();
    await burst(url, BURST);
    const acceptedMs = Date.now() - t0;
    await upstream.call('mark');
    await upstream.call('faults', [...extraFaults, { route: 'inbound-message', delayMs: latencyMs }]);
    const releasedAt = Date.now();
    const { counts, limits } = await drained(upstream, url, BURST);
    const drainMs = counts.lastAt - releasedAt;
    const steady = counts.perSecond.slice(1, -1);
    return {
      shape: name,
      genesysLatencyMs: latencyMs,
      webhooks: BURST,
      customers: CUSTOMERS,
      acceptedMs,
      drainMs,
      deliveriesPerSecond: Math.round((BURST / (counts.lastAt - counts.firstAt)) * 1000),
      steadyDeliveriesPerSecond: steady.length ? median(steady) : undefined,
      genesysStatuses: counts.statuses,
      concurrency: { peak: Math.max(...limits), median: median(limits), last: limits.at(-1) },
      loadAverage: { atStart: loadAtStart, atEnd: load() },
    };
  });
}

async function outageShape() {
  return withRelay(async (upstream, url) => {
    await upstream.call('faults', [{ route: 'inbound-message', status: 503 }, { route: 'inbound-message', delayMs: 100 }]);
    await upstream.call('mark');
    const loadAtStart = load();
    const t0 = Date.now();
    await burst(url, OUTAGE_BURST);
    const breakerOpened = (await gauges(url)).breakerOpen === 1;
    await sleep(Math.max(0, OUTAGE_S * 1000 - (Date.now() - t0)));
    const outage = await upstream.call('counts');
    await upstream.call('faults', [{ route: 'inbound-message', delayMs: 100 }]);
    const recoveredAt = Date.now();
    const { counts, limits } = await drained(upstream, url, OUTAGE_BURST);
    return {
      shape: 'outage',
      outageSeconds: OUTAGE_S,
      webhooks: OUTAGE_BURST,
      genesysLatencyMs: 100,
      breakerOpenDuringOutage: breakerOpened,
      refusedDuringOutage: outage.statuses[503] ?? 0,
      drainAfterRecoveryMs: counts.lastAt - recoveredAt,
      firstDeliveryAfterRecoveryMs: counts.firstAt - recoveredAt,
      deliveriesEachSecondAfterTheFirst: counts.perSecond,
      concurrencyEach100ms: limits,
      loadAverage: { atStart: loadAtStart, atEnd: load() },
    };
  });
}

const results = { machine: machine(), settings: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('LINE_GENESYS_') || k.startsWith('DRAIN_'))), runs: [] };
for (const shape of SHAPES) {
  process.stderr.write(`drain bench: ${shape}…\n`);
  if (shape === 'latency100') results.runs.push(await drainShape('latency 100 ms', 100));
  else if (shape === 'latency300') results.runs.push(await drainShape('latency 300 ms', 300));
  else if (shape === 'ratelimit') results.runs.push(await drainShape(`429 above ${RATE_LIMIT}/s`, 100, [{ route: 'inbound-message', ratePerSecond: RATE_LIMIT, retryAfterSeconds: 1 }]));
  else if (shape === 'outage') results.runs.push(await outageShape());
  else throw new Error(`unknown shape ${shape}: use latency100, latency300, ratelimit, outage`);
}
await dispatcher.close();

const s = (ms) => (ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`);
const rows = [['shape', 'webhooks', 'accepted in', 'drained in', 'deliveries/s', 'steady/s', 'limit peak/median', 'Genesys answers', 'load avg']];
for (const r of results.runs) {
  if (r.shape === 'outage') {
    rows.push([`503 for ${r.outageSeconds} s`, String(r.webhooks), '', `${s(r.drainAfterRecoveryMs)} after recovery`, '', '', '', `${r.refusedDuringOutage}×503 (breaker ${r.breakerOpenDuringOutage ? 'open' : 'closed'})`, `${r.loadAverage.atStart}→${r.loadAverage.atEnd}`]);
  } else {
    rows.push([r.shape, String(r.webhooks), s(r.acceptedMs), s(r.drainMs), String(r.deliveriesPerSecond), String(r.steadyDeliveriesPerSecond ?? ''), `${r.concurrency.peak}/${r.concurrency.median}`, Object.entries(r.genesysStatuses).map(([k, v]) => `${v}×${k}`).join(' '), `${r.loadAverage.atStart}→${r.loadAverage.atEnd}`]);
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
console.log(rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n'));
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/drain.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
console.log('\nwritten: bench/results/drain.json');
