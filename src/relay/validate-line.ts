/**
 * A LINE webhook body checked for the shape the receiver and `to-genesys` rely on: `events` a list of
 * objects each with a string `type`; `destination`, and each event's `source` and `message`, of the
 * right kind when present. Pure; the error names the first field that is wrong.
 */
import type { webhook } from '@line/bot-sdk';
import { isString, list, nonEmptyString, object, optional, isObject } from './shape.js';

export interface LineWebhook {
  destination?: string;
  events: webhook.Event[];
}

export function validateLineWebhook(body: unknown): LineWebhook {
  const b = object(body, 'the body');
  optional(b.destination, 'destination', isString, 'a string');
  const events = list(b.events, 'events');
  events.forEach((raw, i) => {
    const e = object(raw, `events[${i}]`);
    nonEmptyString(e.type, `events[${i}].type`);
    optional(e.webhookEventId, `events[${i}].webhookEventId`, isString, 'a string');
    optional(e.source, `events[${i}].source`, isObject, 'an object');
    if (e.message !== undefined) nonEmptyString(object(e.message, `events[${i}].message`).type, `events[${i}].message.type`);
  });
  return { ...(isString(b.destination) && b.destination ? { destination: b.destination } : {}), events: events as webhook.Event[] };
}
