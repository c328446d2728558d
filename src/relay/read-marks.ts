/**
 * Read marks (`relay.markAsRead`): with chat mode on, a customer's message shows as read only once the
 * account marks it. 'agent-reply' marks when an answer is delivered, 'delivered' when Genesys has
 * accepted the message, 'off' never. A mark that fails is logged: it never fails a delivery.
 */
import type { webhook } from '@line/bot-sdk';
import { markAsReadTokenOf } from './chat-tokens.js';
import type { RelayContext } from './context.js';

/** After an agent's or a bot's answer went out: marks read what the customer last sent (once). */
export async function markReadOnAnswer(ctx: RelayContext, channelId: string, userId: string): Promise<void> {
  if (ctx.config.relay.chat.markAsRead !== 'agent-reply') return;
  const token = await ctx.store.takeReadToken(channelId, userId).catch((e: unknown) => {
    ctx.log.warn('could not read the customer’s markAsReadToken', { channel: channelId, error: (e as Error).message });
    return undefined;
  });
  if (token) await markRead(ctx, channelId, token);
}

/** After Genesys accepted a customer's message: marks it read at once. */
export async function markReadOnDelivered(ctx: RelayContext, channelId: string, event: webhook.Event): Promise<void> {
  if (ctx.config.relay.chat.markAsRead !== 'delivered') return;
  const token = markAsReadTokenOf(event);
  if (token) await markRead(ctx, channelId, token);
}

async function markRead(ctx: RelayContext, channelId: string, token: string): Promise<void> {
  try {
    await ctx.line(channelId).markAsRead(token);
  } catch (e) {
    ctx.log.warn('could not mark the customer’s messages read on LINE', { channel: channelId, error: (e as Error).message });
  }
}
