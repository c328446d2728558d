/**
 * The worker's handler for an agent's message: choose the LINE channel, transform, push each batch
 * with a retry key derived from the Genesys message id (a 409 means it already went out), then tell
 * Genesys: a Delivered receipt, or a Failed one with a reason an agent can read.
 */
import type { ChannelConfig } from '../config.js';
import { isRetriable, LineGenesysError, UpstreamError } from '../errors.js';
import type { ConversationReasonCode, OpenInboundNormalizedReceipt, OpenOutboundNormalizedMessage } from '../genesys/types.js';
import { retryKeyFor } from '../line/retry-key.js';
import type { Job } from '../store/store.js';
import { storedAnswer } from '../transform/button-answer.js';
import { genesysToLine } from '../transform/to-line.js';
import type { RelayContext } from './context.js';
import { decode, JobPayloadError, outboundIdentity } from './jobs.js';
import { markReadOnAnswer } from './read-marks.js';
import { BLOCKED, lineRefusal, NO_CHANNEL, notPushed, partlySent } from './receipt-reasons.js';
import { replyFirst, type ReplyProgress } from './reply-first.js';

export interface OutboundProgress extends ReplyProgress {
  /** Batches already accepted by LINE (by reply or push). */
  pushed: number;
  /** LINE's HTTP status for the last batch: 200, or 409 when a retry key LINE had already accepted came again. */
  lineStatus?: number;
  /** Set once the outcome is known; only the receipt is left to send. */
  receipt?: { status: 'Delivered' | 'Failed'; reason?: string; code?: ConversationReasonCode };
}

/** What earlier attempts of an agent's message got done, as saved with its job. */
export function outboundProgressOf(job: Pick<Job, 'progress'>): OutboundProgress {
  return job.progress ? (JSON.parse(job.progress) as OutboundProgress) : { pushed: 0 };
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

/** Where the receipt goes: the chosen channel's integration, else the one that sent the message, else the configured one. */
export function integrationFor(ctx: RelayContext, channel: ChannelConfig | undefined, message: OpenOutboundNormalizedMessage): string | undefined {
  return channel?.integrationId ?? message.channel.id ?? ctx.config.genesys.integrationId;
}

export function createOutboundHandler(ctx: RelayContext) {
  return async function deliverOutbound(job: Job): Promise<void> {
    try {
      await deliver(ctx, job);
    } catch (e) {
      // What the worker will not retry and no answer told the agent about: a message the relay cannot
      // read, or a bug that would fail the same way every time.
      if (e instanceof JobPayloadError) await tellAgentUndeliverable(ctx, job, `The relay could not read this message: ${e.message}.`);
      else if (!(e instanceof LineGenesysError) && !isRetriable(e)) {
        await tellAgentUndeliverable(ctx, job, `The relay failed on this message and will not retry it: ${(e as Error)?.message ?? String(e)}.`);
      }
      throw e;
    }
  };
}

async function deliver(ctx: RelayContext, job: Job): Promise<void> {
  const payload = decode(job, 'outbound');
  const { candidates, message } = payload;
  const progress = outboundProgressOf(job);
  const save = () => ctx.store.saveProgress(job.id, JSON.stringify(progress));
  const channel = await chooseChannel(ctx, candidates, message.channel.to.id);
  const delivery = { job, payload, channel };
  const integrationId = integrationFor(ctx, channel, message);

  if (!progress.receipt) {
    const outcome = await pushAll(ctx, message, channel, progress, save);
    if (outcome === 'typing') return ctx.observe({ kind: 'typing', ...delivery });
    if ('ignored' in outcome) return ctx.observe({ kind: 'ignored', ...delivery, reason: outcome.ignored });
    progress.receipt = outcome;
    await save();
  }

  let produced: OpenInboundNormalizedReceipt | undefined;
  if (integrationId) {
    produced = receiptFor(message, progress.receipt, ctx.now());
    try {
      await ctx.genesys.sendReceipt(integrationId, produced);
    } catch (e) {
      if (!(produced.status === 'Delivered' && produced.reasons && e instanceof UpstreamError && e.upstreamStatus === 400)) throw e;
      // An organisation that refuses reasons on a Delivered receipt: the agent still learns it was delivered.
      ctx.log.warn('Genesys refused the note on a Delivered receipt; sent without it', { job: job.id, note: produced.reasons[0]?.message });
      const { reasons: _left, ...bare } = produced;
      produced = bare;
      await ctx.genesys.sendReceipt(integrationId, produced);
    }
  } else ctx.log.warn('no Genesys integration to send the receipt to', { job: job.id });
  ctx.observe(
    progress.receipt.status === 'Delivered'
      ? {
          kind: 'delivered',
          ...delivery,
          api: progress.reply === 'replied' || progress.reply === 'unknown' ? 'reply' : 'push',
          ...(progress.lineStatus !== undefined ? { httpStatus: progress.lineStatus } : {}),
          ...(produced ? { produced } : {}),
        }
      : { kind: 'failed', ...delivery, reason: progress.receipt.reason ?? 'Not delivered.', ...(produced ? { produced } : {}) },
  );
}

type Receipt = NonNullable<OutboundProgress['receipt']>;
/** Nothing to push (and why), a typing indicator shown, or the receipt the agent gets. */
type PushOutcome = { ignored: string } | 'typing' | Receipt;

async function pushAll(
  ctx: RelayContext,
  message: OpenOutboundNormalizedMessage,
  channel: ChannelConfig | undefined,
  progress: OutboundProgress,
  save: () => Promise<void>,
): Promise<PushOutcome> {
  if (!channel) {
    return { status: 'Failed', ...NO_CHANNEL };
  }
  const plan = genesysToLine(message, { publicUrl: ctx.publicUrl() });
  if (plan.action === 'ignore') {
    if (plan.undeliverable) return { status: 'Failed', ...notPushed(plan) };
    return { ignored: plan.reason };
  }
  if (plan.action === 'typing') {
    // A typing indicator is worth nothing late: one try, no retry.
    await ctx.line(channel.id).showLoading(plan.to, plan.loadingSeconds).catch((e: unknown) => {
      ctx.log.debug('loading animation not shown', { error: (e as Error).message });
    });
    return 'typing';
  }
  if (await ctx.store.isBlocked(channel.id, plan.to)) {
    return { status: 'Failed', ...BLOCKED };
  }
  if (plan.keep) {
    // The answers too long for postback data, kept before any button goes out, as long as media is kept.
    const expiresAt = ctx.now() + ctx.config.relay.mediaTtlMs;
    await ctx.store.putButtonAnswers(plan.keep.map(({ ref, answer }) => ({ ref, answer: storedAnswer(answer), expiresAt })));
  }
  const client = ctx.line(channel.id);
  for (let i = progress.pushed; i < plan.batches.length; i++) {
    try {
      // Only the first request of a message can go by reply: a token works once.
      const api = i === 0 ? await replyFirst(ctx, channel.id, plan.to, plan.batches[0]!, progress, save) : 'push';
      if (api === 'push') {
        const pushed = await client.push(plan.to, plan.batches[i]!, retryKeyFor(message.id, i));
        await ctx.quotes.rememberSent(plan.batches[i]!, pushed.sentMessages);
        progress.lineStatus = pushed.firstTime ? 200 : 409;
      } else progress.lineStatus = 200;
      ctx.observe({ kind: 'line-request', api, channel });
    } catch (e) {
      if (e instanceof UpstreamError && !e.retriable) {
        // A permanent refusal: nothing more of this message goes out; the agent is told why.
        return { status: 'Failed', ...lineRefusal(e, plan.batches[i]!, i, plan.batches.length) };
      }
      throw e;
    }
    progress.pushed = i + 1;
    await save();
  }
  await markReadOnAnswer(ctx, channel.id, plan.to);
  return { status: 'Delivered', ...(plan.notSent ? partlySent(plan.notSent) : {}) };
}

export function receiptFor(
  message: { id: string; channel: { to: { id: string } } },
  outcome: Receipt,
  now: number,
): OpenInboundNormalizedReceipt {
  return {
    id: message.id,
    channel: { to: { id: message.channel.to.id, idType: 'Opaque' }, time: new Date(now).toISOString() },
    status: outcome.status,
    direction: 'Outbound',
    isFinalReceipt: true,
    ...(outcome.status === 'Failed' ? { reasons: [{ code: outcome.code ?? 'GeneralError', message: outcome.reason ?? 'Not delivered.' }] } : {}),
    // Delivered, with what was left out (partlySent).
    ...(outcome.status === 'Delivered' && outcome.code && outcome.reason ? { reasons: [{ code: outcome.code, message: outcome.reason }] } : {}),
  };
}

/**
 * A stored message the relay cannot understand (it passed no door check: an older relay, a hand-edited
 * store) goes to the dead letters; the agent is told with a Failed receipt when the message names itself
 * and its customer. The receipt is best effort: the job is buried either way.
 */
async function tellAgentUndeliverable(ctx: RelayContext, job: Job, reason: string): Promise<void> {
  const named = outboundIdentity(job);
  if (!named) return;
  const integrationId = (named.channelId ? ctx.channel(named.channelId)?.integrationId : undefined) ?? ctx.config.genesys.integrationId;
  if (!integrationId) return;
  const receipt = receiptFor({ id: named.messageId, channel: { to: { id: named.to } } }, { status: 'Failed', code: 'InvalidMessageStructure', reason }, ctx.now());
  await ctx.genesys.sendReceipt(integrationId, receipt).catch((err: unknown) => {
    ctx.log.warn('could not send the Failed receipt of an unreadable message', { job: job.id, error: (err as Error).message });
  });
}
