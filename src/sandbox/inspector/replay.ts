/**
 * Replaying an event the relay saw, over the wire and signed as the platform would sign it:
 * a LINE event is sent again as a new event (new webhookEventId and message id), a Genesys message
 * is posted again with a new id. The relay's answer is returned as it was given.
 */
import { randomUUID } from 'node:crypto';
import type { ChannelConfig } from '../../config.js';
import type { Activity } from '../../relay/activity.js';
import type { Relay } from '../../relay/server.js';
import { signGenesys, signLine } from '../../signature.js';
import { newMessageId, newWebhookEventId, parseAnswer, type Answer } from '../index.js';

export class ReplayError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

type Json = Record<string, any>;

/** Whether an activity carries a payload that can be sent again. */
export function replayable(a: Activity): boolean {
  const s = a.source as Json | undefined;
  if (!s || typeof s !== 'object' || !a.channelId) return false;
  return a.direction === 'in' ? typeof s['type'] === 'string' : typeof s['id'] === 'string' && !!s['channel'];
}

/** The LINE event again, as a new event: new ids, now; `from`/`to` are the old and new message ids. */
export function freshLineEvent(source: Json, now = Date.now()): { event: Json; from?: string; to?: string } {
  const event: Json = structuredClone(source);
  event['webhookEventId'] = newWebhookEventId(now);
  event['timestamp'] = now;
  if (event['deliveryContext']) event['deliveryContext'] = { isRedelivery: false };
  const message = event['message'] as Json | undefined;
  if (message && typeof message['id'] === 'string') {
    const from = message['id'] as string;
    message['id'] = newMessageId(now);
    return { event, from, to: message['id'] as string };
  }
  return { event };
}

/** The Genesys message again, with a new id, as Genesys would send another one. */
export function freshGenesysMessage(source: Json, now = Date.now()): Json {
  const message: Json = structuredClone(source);
  const id = randomUUID().replace(/-/g, '');
  message['id'] = id;
  if (message['channel']) {
    message['channel']['messageId'] = id;
    message['channel']['time'] = new Date(now).toISOString();
  }
  return message;
}

/** POSTs to the relay: over HTTP when it listens, else through its route function. */
async function post(relay: Relay, path: string, raw: string, headers: Record<string, string>): Promise<Answer> {
  const all = { 'content-type': 'application/json', ...headers };
  const base = relay.url();
  if (base) {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: all, body: raw, signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: parseAnswer(await res.text()) };
  }
  const r = await relay.route({ method: 'POST', path, headers: all, body: Buffer.from(raw) });
  return { status: r.status, body: r.body };
}

export interface ReplayOptions {
  /** Copies LINE content to the new message id (the sandbox's LINE emulator), so a replayed image can be fetched. */
  copyContent?: (from: string, to: string) => void;
}

export async function replay(relay: Relay, a: Activity, opts: ReplayOptions = {}): Promise<Answer> {
  if (!replayable(a)) throw new ReplayError(409, 'this event carries no payload to send again');
  const channel: ChannelConfig | undefined = relay.context.channel(a.channelId!);
  if (!channel) throw new ReplayError(409, `channel "${a.channelId}" is not configured in this relay`);
  const path = (kind: string) => `/webhook/${kind}/${encodeURIComponent(channel.id)}`;
  if (a.direction === 'in') {
    const { event, from, to } = freshLineEvent(a.source as Json);
    if (from && to) opts.copyContent?.(from, to);
    const raw = JSON.stringify({ ...(channel.botUserId ? { destination: channel.botUserId } : {}), events: [event] });
    return post(relay, path('line'), raw, { 'x-line-signature': signLine(raw, channel.channelSecret) });
  }
  if (!channel.outboundSecret) throw new ReplayError(409, `channel "${channel.id}" has no Genesys outbound secret to sign with`);
  const raw = JSON.stringify(freshGenesysMessage(a.source as Json));
  return post(relay, path('genesys'), raw, { 'x-hub-signature-256': signGenesys(raw, channel.outboundSecret) });
}
