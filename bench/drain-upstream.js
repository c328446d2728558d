/**
 * The fake upstreams of the drain bench, in their own process: the LINE and Genesys emulators from
 * dist/sandbox, with the Genesys faults set by the parent (a latency, a rate limit, an outage).
 * Counts what Genesys accepted and refused since the last mark; keeps no request lists.
 */
import { startGenesysEmulator } from '../dist/sandbox/genesys-api.js';
import { startLineEmulator } from '../dist/sandbox/line-api.js';
import { genesysEmulatorOptions, lineEmulatorOptions } from './lib/env.js';
import { ready, serveParent } from './lib/ipc.js';

let window = newWindow();
function newWindow() {
  return { delivered: 0, statuses: {}, firstAt: undefined, lastAt: undefined, perSecond: [] };
}

function clearLineLists() {
  line.requests.length = 0;
}
const line = await startLineEmulator(lineEmulatorOptions(clearLineLists));

function countGenesys(r) {
  if (r.route === 'inbound-message') {
    window.statuses[r.status] = (window.statuses[r.status] ?? 0) + 1;
    if (r.status === 200) {
      const now = Date.now();
      window.delivered++;
      window.firstAt ??= now;
      window.lastAt = now;
      const second = Math.floor((now - window.firstAt) / 1000);
      window.perSecond[second] = (window.perSecond[second] ?? 0) + 1;
    }
  }
  genesys.requests.length = 0;
  genesys.messages.length = 0;
  genesys.violations.length = 0;
}
const genesys = await startGenesysEmulator(genesysEmulatorOptions(countGenesys));

serveParent({
  /** Replaces the Genesys faults (validated by the emulator). */
  faults: (list) => {
    genesys.faults.clear();
    for (const f of list) genesys.faults.add({ ...f, times: f.times ?? Infinity });
    return true;
  },
  mark: () => {
    window = newWindow();
    return true;
  },
  counts: () => ({ ...window, perSecond: Array.from(window.perSecond, (n) => n ?? 0) }),
  stop: async () => {
    await Promise.all([line.close(), genesys.close()]);
    setImmediate(() => process.exit(0));
    return true;
  },
});

ready({ line: line.url, genesys: genesys.url });
