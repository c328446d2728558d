/**
 * An answer's first request goes by LINE's reply API, free of the monthly quota, while the customer's
 * latest reply token is unused and fresh (`relay.reply: "first"`, within `relay.replyFreshness` of
 * the customer's event); otherwise, and when LINE calls the token invalid, by push with its retry key.
 *
 * The reply API takes no retry key: when its answer never comes (a timeout, a cut connection, a 5xx),
 * whether the customer got the message is unknown. The relay then does not push it again: a possible
 * loss, never a duplicate. `relay.reply: "never"` pushes everything: no such risk, every answer counted.
 */
import type { messagingApi } from '@line/bot-sdk';
import { UpstreamError } from '../errors.js';
import type { RelayContext } from './context.js';

/**
 * Where the reply attempt of a message stands, saved with the job's progress: 'trying' before the
 * request goes out, so that an attempt cut short by a crash is known as one.
 */
export type ReplyFate = 'trying' | 'replied' | 'unknown' | 'refused';

export interface ReplyProgress {
  reply?: ReplyFate;
}

/** Sends `messages` by reply when it can: 'reply' when sent (or possibly sent) so, 'push' when the caller must push them. */
export async function replyFirst(
  ctx: RelayContext,
  channelId: string,
  to: string,
  messages: messagingApi.Message[],
  progress: ReplyProgress,
  save: () => Promise<void>,
): Promise<'reply' | 'push'> {
  const { reply, replyFreshnessMs } = ctx.config.relay.chat;
  if (progress.reply === 'replied' || progress.reply === 'unknown') return 'reply';
  if (reply !== 'first' || progress.reply === 'refused') return 'push';
  if (progress.reply === 'trying') return unknown(ctx, channelId, progress, save, 'the relay stopped before LINE answered');
  const token = await ctx.store.takeReplyToken(channelId, to, ctx.now(), replyFreshnessMs);
  if (!token) return 'push';
  progress.reply = 'trying';
  await save();
  try {
    const r = await ctx.line(channelId).reply(token, messages);
    progress.reply = r.replied ? 'replied' : 'refused';
    if (r.replied) await ctx.quotes.rememberSent(messages, r.sentMessages);
  } catch (e) {
    // A status below 500: LINE answered and sent nothing, so the push says the same or goes out.
    if (e instanceof UpstreamError && e.upstreamStatus !== undefined && e.upstreamStatus < 500) progress.reply = 'refused';
    else return unknown(ctx, channelId, progress, save, (e as Error).message);
  }
  await save();
  return progress.reply === 'replied' ? 'reply' : 'push';
}

async function unknown(ctx: RelayContext, channelId: string, progress: ReplyProgress, save: () => Promise<void>, why: string): Promise<'reply'> {
  progress.reply = 'unknown';
  ctx.log.warn('LINE reply sent without an answer: not pushed again (possibly lost, never doubled)', { channel: channelId, error: why });
  await save();
  return 'reply';
}
