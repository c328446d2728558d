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
  const head = ['run', 'load', 'webhooks/s', 'ratio', 't200 p50', 't200 p99', 'e2e p50', 'e2e p99', 'peak RSS', 'CPU/webhook'];
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

export function formatChecks(checks) {
  return checks.map((c) => `${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.value ?? 'n/a'} (target ${c.target})`).join('\n');
}
