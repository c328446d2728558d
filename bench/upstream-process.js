/**
 * The fake upstreams, in their own process: the LINE and Genesys emulators from dist/sandbox.
 * Every inbound message the Genesys emulator accepts is timed here: arrival minus the send time
 * the load generator wrote into the text is the LINE → Genesys (end-to-end) latency.
 * The emulators' recorded lists are trimmed as they grow, so a long run does not fill memory.
 */
import { startGenesysEmulator } from '../dist/sandbox/genesys-api.js';
import { startLineEmulator } from '../dist/sandbox/line-api.js';
import { genesysEmulatorOptions, lineEmulatorOptions } from './lib/env.js';
import { ready, serveParent } from './lib/ipc.js';
import { summarize, wallNow } from './lib/stats.js';
import { sentAtOf } from './lib/webhook.js';

const KEEP = 1000;

let window = newWindow();
const totals = { inbound: 0, violations: 0, failed: 0 };

function newWindow() {
  return { latencies: [], firstAt: undefined, lastAt: undefined, failed: 0, violations: [] };
}

function noteViolations(who, r) {
  totals.violations += r.violations.length;
  if (window.violations.length < 20) window.violations.push(...r.violations.map((v) => `${who} ${r.route}: ${v}`));
}

// The hooks run for requests, which only come once both emulators are up (and assigned).
function onLineRequest(r) {
  if (line.requests.length > KEEP) line.requests.length = 0;
  noteViolations('LINE', r);
}
const line = await startLineEmulator(lineEmulatorOptions(onLineRequest));

function onGenesysRequest(r) {
  const arrived = wallNow();
  noteViolations('Genesys', r);
  if (r.route === 'inbound-message') {
    if (r.status !== 200) {
      window.failed++;
      totals.failed++;
    } else {
      const sentAt = sentAtOf(r.body?.text);
      if (sentAt !== undefined) {
        window.latencies.push(arrived - sentAt);
        window.firstAt ??= arrived;
        window.lastAt = arrived;
        totals.inbound++;
      }
    }
  }
  if (genesys.requests.length > KEEP) {
    genesys.requests.length = 0;
    genesys.messages.length = 0;
    genesys.violations.length = 0;
  }
}
const genesys = await startGenesysEmulator(genesysEmulatorOptions(onGenesysRequest));

serveParent({
  /** Starts a new measuring window: later stats cover only what arrives from now on. */
  mark: () => {
    window = newWindow();
    return true;
  },
  /** How many bench messages arrived since the last mark (cheap: polled while the relay drains). */
  count: () => window.latencies.length,
  /** End-to-end latency of the inbound messages that arrived since the last mark. */
  stats: () => ({
    e2e: summarize(window.latencies),
    firstAt: window.firstAt,
    lastAt: window.lastAt,
    failed: window.failed,
    violations: window.violations.slice(0, 20),
  }),
  totals: () => totals,
  /** Genesys answers every inbound message `ms` late from now on (0: at once again). */
  slowGenesys: (ms) => {
    genesys.faults.clear('inbound-message');
    if (ms > 0) genesys.faults.add({ route: 'inbound-message', delayMs: ms, times: Infinity });
    return true;
  },
  stop: async () => {
    await Promise.all([line.close(), genesys.close()]);
    setImmediate(() => process.exit(0));
    return true;
  },
});

ready({ line: line.url, genesys: genesys.url });
