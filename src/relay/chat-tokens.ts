/**
 * The tokens a customer's LINE event carries for answering it: its reply token (a free reply, once,
 * about a minute) and its message's markAsReadToken (read marks, no expiry). The relay keeps the
 * latest of each per channel and customer, recorded in the same commit as the event itself.
 */
import type { webhook } from '@line/bot-sdk';
import { eventCustomerId } from '../transform/to-genesys.js';
import type { ChatSettings } from './chat-settings.js';
import type { RelayContext } from './context.js';

export interface ChatTokens {
  userId: string;
  /** The event's time (ms), from LINE: freshness is measured from it. */
  at: number;
  replyToken?: string;
  markAsReadToken?: string;
}

/** The tokens of a 1:1 chat event, as far as the settings use them; undefined when there are none. */
export function chatTokensOf(event: webhook.Event, settings: ChatSettings): ChatTokens | undefined {
  const userId = eventCustomerId(event);
  if (!userId || typeof event.timestamp !== 'number') return undefined;
  const replyToken = settings.reply === 'first' ? stringField(event, 'replyToken') : undefined;
  const markAsReadToken = settings.markAsRead === 'agent-reply' ? markAsReadTokenOf(event) : undefined;
  if (!replyToken && !markAsReadToken) return undefined;
  return { userId, at: event.timestamp, ...(replyToken ? { replyToken } : {}), ...(markAsReadToken ? { markAsReadToken } : {}) };
}

/** The markAsReadToken of a message event (LINE puts it on the message). */
export function markAsReadTokenOf(event: webhook.Event): string | undefined {
  return event.type === 'message' ? stringField((event as webhook.MessageEvent).message, 'markAsReadToken') : undefined;
}

/** The store calls that record the events' tokens: made in the caller's turn, they join its commit. */
export function recordChatTokens(ctx: RelayContext, channelId: string, events: readonly webhook.Event[]): Promise<unknown> {
  const calls: Array<Promise<void>> = [];
  for (const event of events) {
    const t = chatTokensOf(event, ctx.config.relay.chat);
    if (t?.replyToken) calls.push(ctx.store.setReplyToken(channelId, t.userId, t.replyToken, t.at));
    if (t?.markAsReadToken) calls.push(ctx.store.setReadToken(channelId, t.userId, t.markAsReadToken, t.at));
  }
  return Promise.all(calls);
}

function stringField(o: object, key: string): string | undefined {
  const v = (o as Record<string, unknown>)[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
