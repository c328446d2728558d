/**
 * The fake upstreams of the drain bench, in their own process: the LINE and Genesys emulators from
 * dist/sandbox, with the Genesys faults set by the parent (a latency, a rate limit, an outage).
 * Counts what Genesys accepted and refused since the last mark; keeps no request lists.
 */
import { startGenesysEmulator } from '../dist/sandbox/genesys-api.js';
import { startLineEmulator } from '../dist/sandbox/line-api.js';
import { CHANNELS, GENESYS_CLIENT } from './lib/env.js';
import { ready, serveParent } from './lib/ipc.js';

let window = newWindow();
function newWindow() {
  return { delivered: 0, statuses: {}, firstAt: undefined, lastAt: undefined, perSecond: [] };
}

const line = await startLineEmulator({
  channels: Object.values(CHANNELS).map((c) => ({ accessToken: c.token, botUserId: c.botUserId, displayName: `Acme ${c.market}` })),
  defaultProfiles: true,
  onRequest: () => {
    line.requests.length = 0;
  },
});
const genesys = await startGenesysEmulator({
  clientId: GENESYS_CLIENT.id,
  clientSecret: GENESYS_CLIENT.secret,
  allowHttpWebhooks: true,
  integrations: Object.values(CHANNELS).map((c) => ({
    id: c.integrationId,
    name: `LINE ${c.market}`,
    outboundNotificationWebhookUrl: 'http://127.0.0.1:9/webhook/genesys',
    outboundNotificationWebhookSignatureSecretToken: c.outboundSecret,
  })),
  onRequest: (r) => {
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
  },
});

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
