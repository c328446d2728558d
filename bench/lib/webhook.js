/**
 * Signed LINE webhooks for the load generator: templates/line/text.json addressed to the th bot,
 * each with a fresh webhookEventId and message id, a customer from a pool, and the send time in the
 * text ("bench <epoch ms>") so the Genesys side can measure LINE → Genesys latency.
 * The body is spliced from pre-serialized parts: building one costs a few string joins and an HMAC
 * (signed by dist/samples.js, as simulate and the tests sign).
 */
import { readFileSync } from 'node:fs';
import { signedHeaders } from '../../dist/samples.js';
import { CHANNELS } from './env.js';
import { wallNow } from './stats.js';

const MARK = { eid: '@@EID@@', mid: '@@MID@@', uid: '@@UID@@', text: '@@TEXT@@' };
const TEXT_PREFIX = 'bench ';

/** "bench 1732435200123.456 …" → 1732435200123.456 (undefined for other texts). */
export function sentAtOf(text) {
  if (typeof text !== 'string' || !text.startsWith(TEXT_PREFIX)) return undefined;
  const t = Number.parseFloat(text.slice(TEXT_PREFIX.length));
  return Number.isFinite(t) ? t : undefined;
}

/**
 * A factory of signed webhooks. `users` customers take turns (one customer's events are delivered
 * in order, one at a time, so a single customer would measure the ordering, not the relay).
 */
export function webhookFactory({ channel = CHANNELS.th, users = 500 } = {}) {
  const template = JSON.parse(readFileSync(new URL('../../templates/line/text.json', import.meta.url), 'utf8'));
  template.destination = channel.botUserId;
  const event = template.events[0];
  const greeting = event.message.text;
  event.webhookEventId = MARK.eid;
  event.message.id = MARK.mid;
  event.source.userId = MARK.uid;
  event.message.text = MARK.text;
  const parts = JSON.stringify(template).split(/(@@[A-Z]+@@)/);
  const pool = Array.from({ length: users }, (_, i) => `U${(0xbe0c000 + i).toString(16).padStart(32, '0')}`);
  const salt = String(Date.now() % 1e8).padStart(8, '0');
  let serial = 0;

  return function next() {
    serial++;
    const n = String(serial).padStart(11, '0');
    const values = {
      [MARK.eid]: `01BENCH${salt}${n}`,
      [MARK.mid]: `5${salt}${n.slice(2)}`,
      [MARK.uid]: pool[serial % users],
      [MARK.text]: `${TEXT_PREFIX}${wallNow().toFixed(3)} ${greeting}`,
    };
    let body = '';
    for (const p of parts) body += values[p] ?? p;
    return { body, headers: signedHeaders('line', body, channel.secret) };
  };
}
