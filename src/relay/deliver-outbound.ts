/**
 * The worker's handler for an agent's message: choose the LINE channel, transform, push each batch
 * with a retry key derived from the Genesys message id (a 409 means it already went out), then tell
 * Genesys: a Delivered receipt, or a Failed one with a reason an agent can read.
 */
import type { ChannelConfig } from '../config.js';
import { UpstreamError } from '../errors.js';
import type { ConversationReasonCode, OpenInboundNormalizedReceipt, OpenOutboundNormalizedMessage } from '../genesys/types.js';
import { retryKeyFor } from '../line/retry-key.js';
import type { Job } from '../store/store.js';
import { genesysToLine } from '../transform/to-line.js';
import type { RelayContext } from './context.js';
import type { OutboundPayload } from './receive-genesys.js';
import { outboundLabel } from './receive-genesys.js';

interface OutboundProgress {
  /** Batches already accepted by LINE. */
  pushed: number;
  /** Set once the outcome is known; only the receipt is left to send. */
  receipt?: { status: 'Delivered' | 'Failed'; reason?: string; code?: ConversationReasonCode };
}

/**
 * The channel for an agent's reply: the only candidate (the integration that sent it, or the path),
 * else the candidate on which the customer last wrote in, else the first candidate.
 */
export async function chooseChannel(ctx: RelayContext, candidates: string[], userId: string): Promise<ChannelConfig | undefined> {
  const channels = candidates.map((id) => ctx.channel(id)).filter((c): c is ChannelConfig => c !== undefined);
  if (channels.length <= 1) return channels[0];
  const last = await ctx.store.lastChannel(userId);
  return channels.find((c) => c.id === last) ?? channels[0];
}

export function createOutboundHandler(ctx: RelayContext) {
  return async function deliverOutbound(job: Job): Promise<void> {
    const { candidates, message } = JSON.parse(job.payload) as OutboundPayload;
    const to = message.channel.to.id;
    const progress: OutboundProgress = job.progress ? JSON.parse(job.progress) : { pushed: 0 };
    const save = () => ctx.store.saveProgress(job.id, JSON.stringify(progress));
    const channel = await chooseChannel(ctx, candidates, to);
    const base = { direction: 'out' as const, stage: 'delivery' as const, type: outboundLabel(message), jobId: job.id, userId: to, source: message, ...(channel ? { channelId: channel.id, market: channel.market } : {}) };
    const integrationId = channel?.integrationId ?? message.channel.id ?? ctx.config.genesys.integrationId;

    if (!progress.receipt) {
      const outcome = await pushAll(ctx, job, message, channel, progress, save);
      if (outcome === 'nothing') {
        ctx.activity.report({ ...base, status: 'ignored', detail: 'nothing to send on LINE' });
        return;
      }
      if (outcome === 'typing') {
        ctx.activity.report({ ...base, status: 'delivered', latencyMs: ctx.now() - job.receivedAt });
        return;
      }
      progress.receipt = outcome;
      await save();
    }

    if (!integrationId) {
      ctx.log.warn('no Genesys integration to send the receipt to', { job: job.id });
      return;
    }
    const receipt = receiptFor(message, progress.receipt, ctx.now());
    await ctx.genesys.sendReceipt(integrationId, receipt);
    const ok = progress.receipt.status === 'Delivered';
    ctx.metrics.inc('line_genesys_deliveries_total', { direction: 'outbound', result: ok ? 'delivered' : 'failed' });
    ctx.activity.report({
      ...base,
      status: ok ? 'delivered' : 'failed',
      latencyMs: ctx.now() - job.receivedAt,
      produced: receipt,
      ...(progress.receipt.reason ? { detail: progress.receipt.reason } : {}),
    });
  };
}

type PushOutcome = 'nothing' | 'typing' | NonNullable<OutboundProgress['receipt']>;

async function pushAll(
  ctx: RelayContext,
  job: Job,
  message: OpenOutboundNormalizedMessage,
  channel: ChannelConfig | undefined,
  progress: OutboundProgress,
  save: () => Promise<void>,
): Promise<PushOutcome> {
  if (!channel) {
    return { status: 'Failed', code: 'GeneralError', reason: 'No LINE channel is configured for this Genesys integration, so the message was not sent.' };
  }
  const plan = genesysToLine(message, { publicUrl: ctx.publicUrl() });
  if (plan.action === 'ignore') {
    ctx.log.debug('Genesys message not sent to LINE', { job: job.id, reason: plan.reason });
    if (plan.undeliverable) return { status: 'Failed', code: 'GeneralError', reason: `Not sent: ${plan.reason}.` };
    return 'nothing';
  }
  if (plan.action === 'typing') {
    // A typing indicator is worth nothing late: one try, no retry.
    await ctx.line(channel.id).showLoading(plan.to, plan.loadingSeconds).catch((e: unknown) => {
      ctx.log.debug('loading animation not shown', { error: (e as Error).message });
    });
    return 'typing';
  }
  if (await ctx.store.isBlocked(channel.id, plan.to)) {
    return {
      status: 'Failed',
      code: 'GeneralError',
      reason: 'The customer has blocked this LINE account: LINE accepts the message but does not deliver it. It was not sent.',
    };
  }
  const client = ctx.line(channel.id);
  for (let i = progress.pushed; i < plan.batches.length; i++) {
    try {
      await client.push(plan.to, plan.batches[i]!, retryKeyFor(message.id, i));
    } catch (e) {
      if (e instanceof UpstreamError && !e.retriable) {
        // A permanent refusal: nothing more of this message goes out; the agent is told why.
        return { status: 'Failed', code: 'GeneralError', reason: readableLineFailure(e, i, plan.batches.length) };
      }
      throw e;
    }
    progress.pushed = i + 1;
    await save();
  }
  return { status: 'Delivered' };
}

function readableLineFailure(e: UpstreamError, index: number, total: number): string {
  const part = total > 1 ? ` (part ${index + 1} of ${total}; earlier parts were delivered)` : '';
  switch (e.upstreamStatus) {
    case 400:
      return `LINE refused the message as invalid${part}${e.detail ? `: ${e.detail}` : ''}`;
    case 401:
      return `LINE refused the channel access token${part}: the relay's administrator must renew it.`;
    case 403:
      return `LINE does not allow sending this message to the customer${part} (the account's plan or permissions).`;
    case 413:
      return `The message is too large for LINE${part}.`;
    case 429:
      return `The LINE account has used its monthly message quota${part}: the message was not sent.`;
    default:
      return `LINE did not accept the message${part}: ${e.message}`;
  }
}

export function receiptFor(
  message: OpenOutboundNormalizedMessage,
  outcome: NonNullable<OutboundProgress['receipt']>,
  now: number,
): OpenInboundNormalizedReceipt {
  return {
    id: message.id,
    channel: { to: { id: message.channel.to.id, idType: 'Opaque' }, time: new Date(now).toISOString() },
    status: outcome.status,
    direction: 'Outbound',
    isFinalReceipt: true,
    ...(outcome.status === 'Failed' ? { reasons: [{ code: outcome.code ?? 'GeneralError', message: outcome.reason ?? 'Not delivered.' }] } : {}),
  };
}
