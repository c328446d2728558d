/**
 * POST /webhook/line[/<channelId>]: find the channel, verify x-line-signature on the raw bytes,
 * parse, and commit every event to the queue before answering 200. Nothing is delivered here.
 */
import type { webhook } from '@line/bot-sdk';
import type { ChannelConfig } from '../config.js';
import { verifyLine } from '../signature.js';
import { eventCustomerId, eventDedupeKey } from '../transform/to-genesys.js';
import type { NewJob } from '../store/store.js';
import type { RelayContext } from './context.js';
import { encode, type PayloadOf } from './jobs.js';
import { answer, header, refuse, type WebhookRequest, type WebhookResponse } from './types.js';

export function createLineReceiver(ctx: RelayContext): (req: WebhookRequest, pathChannelId?: string) => Promise<WebhookResponse> {
  const { config } = ctx;

  return async function receiveLine(req, pathChannelId) {
    const refused = (status: number, error: string, message: string, channel?: ChannelConfig) => {
      ctx.observe({ kind: 'refused', source: 'line', status, error, message, ...(channel ? { channel } : {}) });
      return refuse(status, error, message);
    };

    const signature = header(req, 'x-line-signature');
    if (!signature) return refused(401, 'signature_missing', 'x-line-signature header is missing');

    let channel: ChannelConfig | undefined;
    let body: unknown;
    let parsed = false;
    if (pathChannelId !== undefined) {
      channel = ctx.channel(pathChannelId);
      if (!channel) return refused(404, 'unknown_channel', `no LINE channel "${pathChannelId}" is configured`);
    } else {
      try {
        body = JSON.parse(req.body.toString('utf8'));
        parsed = true;
      } catch {
        // Unsigned garbage is a 401, signed garbage a 400: find out which.
        const signer = config.channels.find((c) => verifyLine(req.body, c.channelSecret, signature));
        return signer ? refused(400, 'malformed_json', 'body is not valid JSON', signer) : refused(401, 'signature_invalid', 'x-line-signature does not match');
      }
      const destination = (body as { destination?: unknown } | null)?.destination;
      channel = config.channels.find((c) => c.botUserId !== undefined && c.botUserId === destination);
      // A channel whose bot user id is not configured is found by its secret.
      channel ??= config.channels.find((c) => !c.botUserId && verifyLine(req.body, c.channelSecret, signature));
      if (!channel) return refused(401, 'signature_invalid', 'x-line-signature does not match any channel for this destination');
    }

    if (!verifyLine(req.body, channel.channelSecret, signature)) {
      return refused(401, 'signature_invalid', `x-line-signature does not match channel "${channel.id}"`, channel);
    }
    if (!parsed) {
      try {
        body = JSON.parse(req.body.toString('utf8'));
      } catch {
        return refused(400, 'malformed_json', 'body is not valid JSON', channel);
      }
    }
    const events = (body as { events?: unknown } | null)?.events;
    if (!body || typeof body !== 'object' || !Array.isArray(events)) {
      return refused(400, 'malformed_body', 'body must be an object with an "events" array', channel);
    }
    if (events.length === 0) {
      ctx.observe({ kind: 'received', source: 'line', channel, payloads: [], ids: [] });
      return answer(200, { accepted: 0, duplicates: 0 });
    }
    const bad = events.findIndex((e) => !e || typeof e !== 'object' || typeof (e as { type?: unknown }).type !== 'string');
    if (bad >= 0) return refused(400, 'malformed_event', `events[${bad}] is not an event object with a type`, channel);

    const destination = (body as { destination?: unknown }).destination;
    const now = ctx.now();
    const payloads = (events as webhook.Event[]).map((event): PayloadOf<'inbound'> => ({ kind: 'inbound', ...(typeof destination === 'string' && destination ? { destination } : {}), event }));
    const jobs: NewJob[] = payloads.map((payload) => {
      const key = eventDedupeKey(payload.event);
      const customer = eventCustomerId(payload.event);
      return {
        ...encode(payload),
        dedupeKey: `line:${channel.id}:${key}`,
        orderKey: customer ? `in:${channel.id}:${customer}` : `in:${channel.id}:event:${key}`,
        channelId: channel.id,
        receivedAt: now,
      };
    });
    const enqueued = ctx.enqueue(jobs);
    // Now, not after the commit: the worker's claim then joins the batch that commits these jobs.
    ctx.kick();
    const result = await enqueued;
    const accepted = jobs.length - result.duplicates;
    ctx.observe({ kind: 'received', source: 'line', channel, payloads, ids: result.ids });
    return answer(200, { accepted, duplicates: result.duplicates });
  };
}
