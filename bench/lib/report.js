/** The machine, the summary table, the targets and their PASS/FAIL lines. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

export function machine() {
  const [load1] = os.loadavg();
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    /* not Linux */
  }
  return {
    nproc: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    cpu,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: Math.round(load1 * 100) / 100,
  };
}

const MB = 1024 * 1024;
export const mb = (bytes) => (bytes === undefined ? undefined : Math.round((bytes / MB) * 10) / 10);
const f = (v, unit = '') => (v === undefined || v === null ? 'n/a' : `${v}${unit}`);

/** Rows of the summary table: one per target process and load shape. */
export function summaryTable(runs) {
  const head = ['run', 'load', 'webhooks/s', 'ratio', 'all-in/s', 't200 p50', 't200 p99', 'e2e p50', 'e2e p99', 'peak RSS', 'CPU/webhook'];
  const rows = [];
  const bare = runs.bare?.saturated?.webhooksPerSecond;
  for (const [name, r] of Object.entries(runs)) {
    for (const [shape, x] of [['flat out', r.saturated], [`${r.fixed?.overallRate ?? ''}/s bursts`, r.fixed], [`${r.paced?.overallRate ?? ''}/s paced`, r.paced]]) {
      if (!x) continue;
      rows.push([
        name,
        shape,
        String(x.webhooksPerSecond),
        shape === 'flat out' && bare ? `${(x.webhooksPerSecond / bare).toFixed(2)}x` : '',
        f(x.deliveredPerSecond),
        f(x.timeTo200.p50, ' ms'),
        f(x.timeTo200.p99, ' ms'),
        x.e2e ? f(x.e2e.p50, ' ms') : '-',
        x.e2e ? f(x.e2e.p99, ' ms') : '-',
        f(mb(x.rssPeak), ' MB'),
        f(x.cpu?.targetUsPerWebhook, ' µs'),
      ]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * The targets of the issue, checked against the durable (SQLite) relay, the default configuration
 * (the memory store's figures are in the table). The 1,000/s targets are checked on both load
 * shapes: autocannon's `overallRate` (each second's quota in a burst) and the paced run.
 */
export function checkTargets(results) {
  const { runs, startup } = results;
  const durable = runs['relay sqlite'];
  const bare = runs.bare?.saturated?.webhooksPerSecond;
  const checks = [];
  const add = (name, value, unit, pass, target) => checks.push({ name, value: value === undefined ? undefined : `${value}${unit}`, target, pass: value !== undefined && pass });
  if (durable && bare) {
    const ratio = Math.round((durable.saturated.webhooksPerSecond / bare) * 100) / 100;
    add('throughput with the durable store vs the bare server', ratio, 'x', ratio >= 0.5, '>= 0.5x');
  }
  if (durable) {
    // The bare server under the same load shape, for scale: a burst shape it cannot meet itself
    // says more about the load than about the relay.
    for (const [shape, run, yardstick] of [['autocannon overallRate', durable.fixed, runs.bare?.fixed], ['paced', durable.paced, runs.bare?.paced]]) {
      const p99 = run?.timeTo200.p99;
      const bareNote = yardstick ? `; the bare server: ${yardstick.timeTo200.p99} ms` : '';
      add(`p99 time-to-200 at ${run?.overallRate}/s (${shape})`, p99, ` ms${bareNote}`, p99 < 5, '< 5 ms');
    }
    for (const [shape, run] of [['autocannon overallRate', durable.fixed], ['paced', durable.paced]]) {
      const p50 = run?.e2e?.p50;
      add(`end-to-end LINE -> Genesys p50 at ${run?.overallRate}/s (${shape})`, p50, ' ms', p50 < 20, '< 20 ms');
    }
    const peak = mb(durable.rssPeak);
    add('peak RSS of the relay under load', peak, ' MB', peak < 120, '< 120 MB');
  }
  if (startup?.help) {
    const ms = startup.help.medianMs;
    add('`line-genesys --help` start-up (median)', ms, ' ms', ms < 150, '< 150 ms');
  }
  return checks;
}

/** Names of the runs the issue-15 targets read. */
export const RUN = { bare: 'bare', floor: 'floor', naive: 'naive (Express + middleware())', relay: 'relay sqlite', slow: (ms) => `relay sqlite, Genesys ${ms} ms` };

/**
 * The targets of issue 15 ("a fair bench") on one pass's runs (SQLite store, same run). A target
 * whose rows did not run is n/a (MISS). `slowMs`: Genesys's delay of the intake row.
 */
export function checkFairTargets(runs, startup, { slowMs = 100 } = {}) {
  const checks = [];
  const r2 = (v) => (Number.isFinite(v) ? Math.round(v * 100) / 100 : undefined);
  const add = (name, value, detail, pass, target) => checks.push({ name, value: value === undefined ? undefined : `${value}x${detail ? ` (${detail})` : ''}`, target, pass: value !== undefined && pass(value) });
  const bare = runs[RUN.bare]?.saturated;
  const relay = runs[RUN.relay];
  const slow = runs[RUN.slow(slowMs)]?.saturated;
  const naive = runs[RUN.naive]?.saturated;
  const floor = runs[RUN.floor]?.saturated;

  const intake = r2(slow?.webhooksPerSecond / bare?.webhooksPerSecond);
  add(`intake ÷ bare, Genesys answering in ${slowMs} ms`, intake, slow && `${slow.webhooksPerSecond} against ${bare.webhooksPerSecond}/s`, (v) => v >= 0.6, '>= 0.6x');
  const allIn = r2(relay?.saturated.deliveredPerSecond / bare?.webhooksPerSecond);
  add('all-in throughput ÷ bare, Genesys at once', allIn, relay && `${relay.saturated.deliveredPerSecond} delivered/s against ${bare.webhooksPerSecond}/s`, (v) => v >= 0.3, '>= 0.3x');
  const cpu = r2(relay?.saturated.cpu.targetUsPerWebhook / bare?.cpu.targetUsPerWebhook);
  const floorRatio = r2(floor?.cpu.targetUsPerWebhook / bare?.cpu.targetUsPerWebhook);
  add(
    'CPU per webhook all-in ÷ bare',
    floorRatio === undefined ? undefined : cpu,
    relay && `${relay.saturated.cpu.targetUsPerWebhook} against ${bare.cpu.targetUsPerWebhook} µs; floor ${floorRatio}x = ${floor?.cpu.targetUsPerWebhook} µs`,
    (v) => v <= 1.2 * floorRatio,
    `<= 1.2 × floor = ${floorRatio === undefined ? 'n/a (no floor row)' : `${r2(1.2 * floorRatio)}x`}`,
  );
  const p99 = r2(relay?.paced?.timeTo200.p99 / runs[RUN.bare]?.paced?.timeTo200.p99);
  add(`p99 time-to-200 at ${relay?.paced?.overallRate ?? 1000}/s paced, relay ÷ bare`, p99, relay?.paced && `${relay.paced.timeTo200.p99} against ${runs[RUN.bare].paced.timeTo200.p99} ms`, (v) => v <= 2, '<= 2x');
  const rss = r2(relay?.rssPeak / runs[RUN.bare]?.rssPeak);
  add('peak RSS under load, relay ÷ bare', rss, relay && `${mb(relay.rssPeak)} against ${mb(runs[RUN.bare].rssPeak)} MB`, (v) => v <= 2, '<= 2x');
  const vsNaive = r2(relay?.saturated.deliveredPerSecond / naive?.deliveredPerSecond);
  add('all-in throughput, relay ÷ naive middleware', vsNaive, naive && `${relay?.saturated.deliveredPerSecond} against ${naive.deliveredPerSecond} delivered/s`, (v) => v >= 5, '>= 5x');
  const help = r2(startup?.help?.medianMs / startup?.node?.medianMs);
  add('`--help` ÷ `node -e 0`', help, startup?.help?.ok && `${startup.help.medianMs} against ${startup.node.medianMs} ms`, (v) => v <= 1.3, '<= 1.3x');
  return checks;
}

export function formatChecks(checks) {
  return checks.map((c) => `${c.pass ? 'PASS' : 'MISS'}  ${c.name}: ${c.value ?? 'n/a'} (target ${c.target})`).join('\n');
}
