/**
 * Builds the body of a simulated webhook from a sample (a template read from templates/) and the
 * user's overrides. Pure: the clock and the randomness come in through `Fresh`, so every build is a
 * new event (re-stamped by samples.ts) and tests can pin them.
 */
import type { OpenOutboundNormalizedMessage } from '../../../genesys/types.js';
import { restamp, type Fresh, type LineWebhookBody } from '../../../samples.js';

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

type Loose = Record<string, unknown>;
const rec = (v: unknown): Loose | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined);

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

/** One webhook body from a LINE template: re-stamped as a new event, addressed, overridden. */
export function buildLineBody(template: LineWebhookBody, audience: Audience, o: LineOverrides, fresh: Fresh): LineWebhookBody {
  if (audience === 'none') return { destination: o.destination ?? template.destination, events: [] };
  const body = restamp(template, fresh, o.destination);
  for (const event of body.events) {
    address(event, audience, o.user);
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
  const id = fresh.random(16).toString('hex');
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
