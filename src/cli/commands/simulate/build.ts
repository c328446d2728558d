/**
 * Builds the body of a simulated webhook from a sample (a template read from templates/) and the
 * user's overrides. Pure: the clock and the randomness come in through `Fresh`, so every build is a
 * new event (new webhookEventId, message id, reply token, timestamp) and tests can pin them.
 */
import { randomBytes } from 'node:crypto';
import type { OpenOutboundNormalizedMessage } from '../../../genesys/types.js';

/** A LINE webhook body, loosely typed: samples carry fields the SDK types do not know yet. */
export interface LineWebhookBody {
  destination: string;
  events: Array<Record<string, unknown>>;
}

/** Where the time and the random bytes come from. */
export interface Fresh {
  now: number;
  random: (bytes: number) => Buffer;
}

export function freshNow(): Fresh {
  return { now: Date.now(), random: (n) => randomBytes(n) };
}

/** Who the event is from: a 1:1 customer, a customer in a group, or nobody (LINE's verify body). */
export type Audience = 'user' | 'group' | 'none';

export interface LineOverrides {
  /** The bot user id of the channel (LINE's `destination`). */
  destination?: string;
  /** The customer's LINE user id. */
  user: string;
  text?: string;
  packageId?: string;
  stickerId?: string;
  lat?: number;
  lng?: number;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID: 10 characters of millisecond time, then 16 of randomness (80 bits), Crockford base32. */
export function ulid(now: number, random: Buffer): string {
  if (!Number.isInteger(now) || now < 0 || now > 2 ** 48 - 1) throw new RangeError(`ulid: ${now} is not a 48-bit time`);
  if (random.length < 10) throw new RangeError('ulid: needs 10 random bytes');
  let time = '';
  for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32]! + time;
  let bits = 0n;
  for (const b of random.subarray(0, 10)) bits = (bits << 8n) | BigInt(b);
  let rand = '';
  for (let i = 0; i < 16; i++, bits >>= 5n) rand = CROCKFORD[Number(bits & 31n)]! + rand;
  return time + rand;
}

/** The time part of a ULID, in milliseconds. */
export function ulidTime(id: string): number {
  let t = 0;
  for (const c of id.slice(0, 10)) t = t * 32 + CROCKFORD.indexOf(c);
  return t;
}

export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** An 18-digit LINE message id (never starting with 0). */
export function messageId(random: Buffer): string {
  const digits = [...random.subarray(0, 18)].map((b) => String(b % 10)).join('').padEnd(18, '0');
  return (digits[0] === '0' ? '1' : digits[0]) + digits.slice(1);
}

function hex(random: Buffer, length: number): string {
  return random.toString('hex').slice(0, length);
}

type Loose = Record<string, unknown>;
const rec = (v: unknown): Loose | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined);

/** New ids and time for one event, as a new event from LINE would have. */
function freshen(event: Loose, fresh: Fresh): void {
  event['webhookEventId'] = ulid(fresh.now, fresh.random(10));
  event['timestamp'] = fresh.now;
  if (typeof event['replyToken'] === 'string') event['replyToken'] = hex(fresh.random(16), 32);
  const message = rec(event['message']);
  if (message) {
    message['id'] = messageId(fresh.random(18));
    if (typeof message['quoteToken'] === 'string') message['quoteToken'] = fresh.random(16).toString('base64url');
  }
  const unsend = rec(event['unsend']);
  if (unsend) unsend['messageId'] = messageId(fresh.random(18));
}

function address(event: Loose, audience: Audience, user: string): void {
  const source = rec(event['source']);
  if (audience === 'user') event['source'] = { type: 'user', userId: user };
  else if (audience === 'group') event['source'] = { type: 'group', groupId: String(source?.['groupId'] ?? `C${'0'.repeat(32)}`), userId: user };
}

function override(event: Loose, o: LineOverrides): void {
  const message = rec(event['message']);
  if (!message) return;
  if (o.text !== undefined && message['type'] === 'text') {
    message['text'] = o.text;
    // Emojis and mentions point at character ranges of the old text.
    delete message['emojis'];
    delete message['mention'];
  }
  if ((o.packageId !== undefined || o.stickerId !== undefined) && message['type'] === 'sticker') {
    if (o.packageId !== undefined) message['packageId'] = o.packageId;
    if (o.stickerId !== undefined) message['stickerId'] = o.stickerId;
    // The keywords (and a message sticker's text) describe the template's sticker, not this one.
    delete message['keywords'];
    delete message['text'];
    message['stickerResourceType'] = 'STATIC';
  }
  if ((o.lat !== undefined || o.lng !== undefined) && message['type'] === 'location') {
    if (o.lat !== undefined) message['latitude'] = o.lat;
    if (o.lng !== undefined) message['longitude'] = o.lng;
    // The title and address name the template's place.
    delete message['title'];
    delete message['address'];
  }
}

/** One webhook body from a LINE template: addressed, overridden, with fresh ids. */
export function buildLineBody(template: LineWebhookBody, audience: Audience, o: LineOverrides, fresh: Fresh): LineWebhookBody {
  const body = structuredClone(template);
  if (o.destination !== undefined) body.destination = o.destination;
  if (audience === 'none') {
    body.events = [];
    return body;
  }
  for (const event of body.events) {
    address(event, audience, o.user);
    freshen(event, fresh);
    override(event, o);
  }
  return body;
}

/** The same body as LINE redelivers it: same webhookEventId, message id and reply token; isRedelivery true. */
export function redelivery(body: LineWebhookBody): LineWebhookBody {
  const again = structuredClone(body);
  for (const event of again.events) event['deliveryContext'] = { ...rec(event['deliveryContext']), isRedelivery: true };
  return again;
}

export interface AgentOverrides {
  /** The customer's LINE user id (Genesys `channel.to.id`). */
  user: string;
  /** The Genesys integration the message comes from (`channel.id`, `channel.from.id`). */
  integrationId: string;
  text?: string;
}

/** An outbound message as Genesys sends it for an agent's reply, from a templates/genesys sample. */
export function buildAgentBody(template: OpenOutboundNormalizedMessage, o: AgentOverrides, fresh: Fresh): OpenOutboundNormalizedMessage {
  const m = structuredClone(template);
  const id = hex(fresh.random(16), 32);
  m.id = id;
  m.channel = {
    ...m.channel,
    id: o.integrationId,
    to: { ...m.channel.to, id: o.user },
    from: { ...m.channel.from, id: o.integrationId },
    time: new Date(fresh.now).toISOString(),
    messageId: id,
  };
  if (o.text !== undefined) m.text = o.text;
  return m;
}

/** The bytes sent and signed: single-line JSON. */
export function serialize(body: unknown): string {
  return JSON.stringify(body);
}
