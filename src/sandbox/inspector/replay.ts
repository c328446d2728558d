/**
 * Replaying an event the relay saw, over the wire and signed as the platform would sign it:
 * a LINE event is sent again as a new event (new webhookEventId and message id), a Genesys message
 * is posted again with a new id. The relay's answer is returned as it was given.
 */
import { randomUUID } from 'node:crypto';
import type { ChannelConfig } from '../../config.js';
import type { Activity } from '../../relay/activity.js';
import type { Relay } from '../../relay/server.js';
import { freshNow, postWebhook, restampEvent, signedRequest, type Fresh, type Platform } from '../../samples.js';
import type { Answer } from '../index.js';

export class ReplayError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** What replaying an agent message would send to a real customer, said before it is sent. */
export interface RealSend {
  channelId: string;
  /** The LINE user id of the customer. */
  to: string;
  /** The message as a person would read it: its text, else its type and attachments. */
  what: string;
  message: string;
}

/**
 * A replay that asks first: with real accounts an agent message sent again is a second LINE
 * message pushed to a real customer (a new Genesys id gives a new X-Line-Retry-Key, so LINE
 * delivers it), counted against the channel's monthly quota. Answered 428 with what and where.
 */
export class ConfirmReplay extends ReplayError {
  constructor(readonly send: RealSend) {
    super(428, send.message);
  }
}

type Json = Record<string, any>;

/** Whether an activity carries a payload that can be sent again. */
export function replayable(a: Activity): boolean {
  const s = a.source as Json | undefined;
  if (!s || typeof s !== 'object' || !a.channelId) return false;
  return a.direction === 'in' ? typeof s['type'] === 'string' : typeof s['id'] === 'string' && !!s['channel'];
}

/** The LINE event again, as a new event (samples.ts); `from`/`to` are the old and new message ids. */
export function freshLineEvent(source: Json, fresh: Fresh = freshNow()): { event: Json; from?: string; to?: string } {
  const event: Json = restampEvent(source, fresh);
  const from = source['message']?.['id'];
  return typeof from === 'string' ? { event, from, to: event['message']['id'] } : { event };
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

/** POSTs to the relay, signed as `platform` signs: over HTTP when it listens, else through its route function. */
async function post(relay: Relay, platform: Platform, path: string, raw: string, secret: string): Promise<Answer> {
  const base = relay.url();
  const req = signedRequest(platform, `${base ?? ''}${path}`, raw, secret);
  if (base) {
    const { status, body } = await postWebhook(req);
    return { status, body };
  }
  const r = await relay.route({ method: 'POST', path, headers: req.headers, body: Buffer.from(raw) });
  return { status: r.status, body: r.body };
}

/** What replaying this agent message would push, to whom (pure; `a` must be an agent message). */
export function realSend(a: Activity, channelId: string): RealSend {
  const s = (a.source ?? {}) as Json;
  const to = String(s['channel']?.['to']?.['id'] ?? a.userId ?? 'an unknown customer');
  const attachments = Array.isArray(s['content']) ? s['content'].length : 0;
  const text = typeof s['text'] === 'string' && s['text'] ? `"${s['text'].length > 80 ? `${s['text'].slice(0, 79)}…` : s['text']}"` : `a ${String(s['type'] ?? 'message')} message`;
  const what = attachments ? `${text} with ${attachments} attachment(s)` : text;
  return {
    channelId,
    to,
    what,
    message: `Replaying sends ${what} again to the real LINE customer ${to} through channel ${channelId}: a second message they will see, counted against the channel's monthly message quota. Confirm to send it.`,
  };
}

export interface ReplayOptions {
  /**
   * The relay talks to real LINE accounts (not the sandbox): replaying an agent message needs
   * `confirmed`, else it throws ConfirmReplay saying what would be sent where.
   */
  real?: boolean;
  confirmed?: boolean;
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
    return post(relay, 'line', path('line'), raw, channel.channelSecret);
  }
  if (!channel.outboundSecret) throw new ReplayError(409, `channel "${channel.id}" has no Genesys outbound secret to sign with`);
  if (opts.real && !opts.confirmed) throw new ConfirmReplay(realSend(a, channel.id));
  const raw = JSON.stringify(freshGenesysMessage(a.source as Json));
  return post(relay, 'genesys', path('genesys'), raw, channel.outboundSecret);
}
