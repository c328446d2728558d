/**
 * An agent's message as Genesys posts it, checked for the shape that `to-line`, the receipt and the
 * job's label rely on: an `id`, a `type`, `channel.to.id`, and, when present, `text` a string,
 * `content` a list of items each with a `contentType`, `events` a list of events each with an
 * `eventType`. Pure; the error names the first field that is wrong.
 */
import { BodyShapeError } from '../errors.js';
import type { OpenOutboundNormalizedMessage } from '../genesys/types.js';
import { isObject, isString, list, nonEmptyString, object, optional, type Obj } from './shape.js';

/** What each content item's payload must be when present: an object, with these fields strings. */
const ITEM_PARTS: Record<string, readonly string[]> = {
  attachment: ['mediaType', 'url', 'mime', 'text', 'filename'],
  location: ['url', 'address', 'text'],
  quickReply: ['text', 'payload', 'image'],
  quickReplyV2: ['title'],
  buttonResponse: ['text', 'payload'],
  card: ['title', 'description', 'image'],
  carousel: [],
};

export function validateAgentMessage(body: unknown): OpenOutboundNormalizedMessage {
  const m = object(body, 'the body');
  nonEmptyString(m.id, 'id');
  nonEmptyString(m.type, 'type');
  const channel = object(m.channel, 'channel');
  optional(channel.id, 'channel.id', isString, 'a string');
  nonEmptyString(object(channel.to, 'channel.to').id, 'channel.to.id');
  for (const f of ['text', 'direction', 'status'] as const) optional(m[f], f, isString, 'a string');
  if (m.content !== undefined) {
    list(m.content, 'content').forEach((raw, i) => contentItem(raw, `content[${i}]`));
  }
  if (m.events !== undefined) {
    list(m.events, 'events').forEach((raw, i) => nonEmptyString(object(raw, `events[${i}]`).eventType, `events[${i}].eventType`));
  }
  return m as unknown as OpenOutboundNormalizedMessage;
}

function contentItem(raw: unknown, at: string): void {
  const item = object(raw, at);
  nonEmptyString(item.contentType, `${at}.contentType`);
  for (const [part, strings] of Object.entries(ITEM_PARTS)) {
    if (item[part] === undefined) continue;
    const p = object(item[part], `${at}.${part}`);
    for (const f of strings) optional(p[f], `${at}.${part}.${f}`, isString, 'a string');
  }
  const v2 = item.quickReplyV2 as Obj | undefined;
  if (v2?.actions !== undefined) list(v2.actions, `${at}.quickReplyV2.actions`);
  const carousel = item.carousel as Obj | undefined;
  if (carousel?.cards !== undefined) list(carousel.cards, `${at}.carousel.cards`);
  // `text` is `{ body }` in the schema and a plain string in some bot payloads (to-line reads both).
  if (item.text !== undefined && !isString(item.text) && !(isObject(item.text) && isString(item.text.body))) {
    throw new BodyShapeError(`${at}.text`, 'a string or an object with a string "body"');
  }
}
