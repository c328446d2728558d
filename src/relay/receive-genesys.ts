/**
 * POST /webhook/genesys[/<channelId>]: verify X-Hub-Signature-256 on the raw bytes with the
 * integration's outbound secret, check the message's shape, commit it to the queue, answer 200.
 * Genesys waits 10 s and retries on a timeout or 5xx; a retry of a committed message is a duplicate.
 */
import type { ChannelConfig } from '../config.js';
import { RequestError } from '../errors.js';
import type { OpenOutboundNormalizedMessage } from '../genesys/types.js';
import { parseJson } from '../http/parse-json.js';
import { verifyGenesys } from '../signature.js';
import type { RelayContext } from './context.js';
import { encode, type JobPayload } from './jobs.js';
import { ageOverLimit } from './message-age.js';
import { signersOf } from './signers.js';
import { validateAgentMessage } from './validate-genesys.js';
import { answer, header, refuse, type WebhookRequest, type WebhookResponse } from './types.js';

const SIGNATURE_INVALID = 'X-Hub-Signature-256 does not match the outbound secret of any integration';

export function createGenesysReceiver(ctx: RelayContext): (req: WebhookRequest, pathChannelId?: string) => Promise<WebhookResponse> {
  return async function receiveGenesys(req, pathChannelId) {
    const refused = (status: number, error: string, message: string) => {
      ctx.observe({ kind: 'refused', source: 'genesys', status, error, message });
      return refuse(status, error, message);
    };

    const signature = header(req, 'x-hub-signature-256');
    if (!signature) return refused(401, 'signature_missing', 'X-Hub-Signature-256 header is missing');

    let scope: ChannelConfig[];
    if (pathChannelId !== undefined) {
      const c = ctx.channel(pathChannelId);
      if (!c) {
        // Answered as a known channel whose integration did not sign the bytes, after as much work, so
        // that ids cannot be probed; only the relay's own log says which it was.
        verifyGenesys(req.body, pathChannelId, signature);
        ctx.observe({ kind: 'refused', source: 'genesys', status: 401, error: 'unknown_channel', message: `no LINE channel "${pathChannelId}" is configured` });
        return refuse(401, 'signature_invalid', SIGNATURE_INVALID);
      }
      scope = [c];
    } else scope = ctx.config.channels;
    const withSecret = scope.filter((c) => c.outboundSecret);
    if (withSecret.length === 0) {
      return refused(401, 'no_outbound_secret', 'no Genesys outbound secret is configured: set GENESYS_OUTBOUND_SECRET (or GENESYS_<ID>_OUTBOUND_SECRET)');
    }
    // The channels whose integration signed the message are the candidates.
    const signers = signersOf('genesys', withSecret, (c) => c.outboundSecret, req.body, signature);
    if (signers.length === 0) return refused(401, 'signature_invalid', SIGNATURE_INVALID);

    let message: OpenOutboundNormalizedMessage;
    try {
      message = validateAgentMessage(parseJson(req.body));
    } catch (e) {
      if (e instanceof RequestError) return refused(e.status, e.code.toLowerCase(), e.message);
      throw e;
    }
    const age = ageOverLimit(message.channel.time, ctx.now(), ctx.config.relay.maxMessageAgeMs);
    if (age !== undefined) {
      return refused(400, 'message_too_old', `channel.time ${String(message.channel.time).slice(0, 40)} is ${Math.round(age / 60_000)} min old, over relay.maxMessageAge: a replay or a late retry, not delivered`);
    }
    const to = message.channel.to.id;

    // The integration id Genesys puts in channel.id narrows the candidates when it names one of ours.
    const byIntegration = signers.filter((c) => c.integrationId === message.channel.id);
    const candidates = (byIntegration.length ? byIntegration : signers).map((c) => c.id);
    const payload: JobPayload = { kind: 'outbound', candidates, message };
    const enqueued = ctx.enqueue([
      {
        ...encode(payload),
        dedupeKey: `genesys:${message.id}`,
        orderKey: `out:${to}`,
        channelId: candidates[0]!,
        receivedAt: ctx.now(),
      },
    ]);
    // Now, not after the commit: the worker's claim then joins the batch that commits the job.
    ctx.kick();
    const result = await enqueued;
    ctx.observe({ kind: 'received', source: 'genesys', channel: ctx.channel(candidates[0]!), payloads: [payload], ids: result.ids });
    const duplicate = result.duplicates > 0;
    return answer(200, { accepted: duplicate ? 0 : 1, duplicates: duplicate ? 1 : 0 });
  };
}
