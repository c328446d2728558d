/**
 * Whether a relay running on this machine has seen its credentials refused: its /metrics counts each
 * refusal in `line_genesys_auth_failures_total{upstream}` (read as `quota` reads it). No relay there
 * is not a failure: doctor says it did not look.
 */
import type { Config } from '../../../config.js';
import { parseAuthFailures, readRelayMetrics } from '../../shared/relay-metrics.js';
import type { Check } from './local-checks.js';

const FIX = {
  genesys: 'Genesys refuses the OAuth client the relay runs with: set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET to a Client Credentials client of this region (Admin > Integrations > OAuth), then restart the relay. Deliveries are retried for relay.authRetryWindow, then dead-lettered.',
  line: 'LINE refuses a channel access token the relay runs with: issue a new long-lived token (LINE Developers console > Messaging API), set LINE_<ID>_ACCESS_TOKEN, then restart the relay.',
} as const;

export async function relayAuthCheck(config: Config): Promise<Check> {
  const name = 'relay credentials';
  const url = `http://localhost:${config.relay.port}`;
  const text = await readRelayMetrics(url);
  if (text === undefined) return { name, ok: true, detail: `not checked: no relay answered at ${url}/metrics` };
  const failures = parseAuthFailures(text);
  const refused = (['genesys', 'line'] as const).filter((u) => (failures.get(u) ?? 0) > 0);
  if (!refused.length) return { name, ok: true, detail: `the relay at ${url} counted no refused credentials` };
  const counts = refused.map((u) => `${u === 'genesys' ? 'Genesys' : 'LINE'} refused its credentials ${failures.get(u)} time(s)`).join('; ');
  return { name, ok: false, detail: `the relay at ${url}: ${counts} since it started`, fix: refused.map((u) => FIX[u]).join(' ') };
}
