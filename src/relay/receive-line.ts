/**
 * POST /webhook/line[/<channelId>]: find the channel, verify x-line-signature on the raw bytes,
 * then parse and check the body, and commit every event to the queue before answering 200.
 * Without a channel in the path, the channel is the one whose secret signed the bytes: nothing
 * unsigned is parsed. Nothing is delivered here.
 */
import type { ChannelConfig } from '../config.js';
import { RequestError } from '../errors.js';
import { parseJson } from '../http/parse-json.js';
import { verifyLine } from '../signature.js';
import type { NewJob } from '../store/store.js';
import { eventCustomerId, eventDedupeKey } from '../transform/to-genesys.js';
import { recordChatTokens } from './chat-tokens.js';
import { signersOf } from './signers.js';
import type { RelayContext } from './context.js';
import { encode, type PayloadOf } from './jobs.js';
import { answer, header, refuse, type WebhookRequest, type WebhookResponse } from './types.js';
import { validateLineWebhook, type LineWebhook } from './validate-line.js';

export function createLineReceiver(ctx: RelayContext): (req: WebhookRequest, pathChannelId?: string) => Promise<WebhookResponse> {
  const { config } = ctx;

  return async function receiveLine(req, pathChannelId) {
    const refused = (status: number, error: string, message: string, channel?: ChannelConfig) => {
      ctx.observe({ kind: 'refused', source: 'line', status, error, message, ...(channel ? { channel } : {}) });
      return refuse(status, error, message);
    };

    const signature = header(req, 'x-line-signature');
    if (!signature) return refused(401, 'signature_missing', 'x-line-signature header is missing');

    let signers: ChannelConfig[];
    if (pathChannelId !== undefined) {
      const channel = ctx.channel(pathChannelId);
      // An unknown id is answered as a known one with a wrong signature, after as much work, so that
      // ids cannot be probed; only the relay's own log says which it was.
      const verified = verifyLine(req.body, channel?.channelSecret ?? pathChannelId, signature);
      if (!channel) {
        ctx.observe({ kind: 'refused', source: 'line', status: 401, error: 'unknown_channel', message: `no LINE channel "${pathChannelId}" is configured` });
        return refuse(401, 'signature_invalid', `x-line-signature does not match channel "${pathChannelId}"`);
      }
      if (!verified) {
        return refused(401, 'signature_invalid', `x-line-signature does not match channel "${channel.id}"`, channel);
      }
      signers = [channel];
    } else {
      signers = signersOf('line', config.channels, (c) => c.channelSecret, req.body, signature);
      if (signers.length === 0) {
        const addressed = config.channels.find((c) => c.botUserId !== undefined && c.botUserId === destinationOf(req.body));
        const message = `x-line-signature does not match ${addressed ? `channel "${addressed.id}"` : 'any channel'}`;
        return refused(401, 'signature_invalid', message, addressed);
      }
    }

    let body: LineWebhook;
    try {
      body = validateLineWebhook(parseJson(req.body));
    } catch (e) {
      if (e instanceof RequestError) return refused(e.status, e.code.toLowerCase(), e.message, signers[0]);
      throw e;
    }
    const { destination, events } = body;
    // Without a path: the signer the body is addressed to (its bot user id), or one whose bot user id is not configured.
    const channel =
      pathChannelId !== undefined ? signers[0] : (signers.find((c) => c.botUserId !== undefined && c.botUserId === destination) ?? signers.find((c) => !c.botUserId));
    if (!channel) return refused(401, 'signature_invalid', `x-line-signature does not match any channel for ${destination ? `destination "${destination.slice(0, 64)}"` : 'a body with no destination'}`);
    if (events.length === 0) {
      ctx.observe({ kind: 'received', source: 'line', channel, payloads: [], ids: [] });
      return answer(200, { accepted: 0, duplicates: 0 });
    }

    const now = ctx.now();
    const payloads = events.map((event): PayloadOf<'inbound'> => ({ kind: 'inbound', ...(destination ? { destination } : {}), event }));
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
    // Bookkeeping for free replies and read marks, in the same commit; its failure never refuses the events.
    const tokens = recordChatTokens(ctx, channel.id, events).catch((e: unknown) => {
      ctx.log.warn("could not record the customer's reply and read tokens", { channel: channel.id, error: (e as Error).message });
    });
    // Now, not after the commit: the worker's claim then joins the batch that commits these jobs.
    ctx.kick();
    const [result] = await Promise.all([enqueued, tokens]);
    const accepted = jobs.length - result.duplicates;
    ctx.observe({ kind: 'received', source: 'line', channel, payloads, ids: result.ids });
    return answer(200, { accepted, duplicates: result.duplicates });
  };
}

/**
 * The `destination` near the start of unverified bytes, to say which channel's secret did not match:
 * a bounded look at the first bytes (LINE writes `destination` first), never a parse.
 */
function destinationOf(body: Buffer): string | undefined {
  return /"destination"\s*:\s*"([^"\\]{1,64})"/.exec(body.subarray(0, 512).toString('latin1'))?.[1];
}
