/**
 * The two-pane chat of the sandbox, as entries for the page: what the customer's LINE app shows (the
 * customer's own messages and the pushes LINE accepted) and what the agent's Genesys desktop shows
 * (the inbound messages and button answers Genesys accepted, the agent's own replies and their delivery receipts).
 * The emulators record what they accept; they are polled, so nothing here changes how they answer.
 */
import type { ConversationMessageContent, OpenInboundMessageContent } from '../../genesys/types.js';
import type { Sandbox } from '../index.js';

export interface ChatEntry {
  at: number;
  /** The pane it shows in, and who wrote it. */
  pane: 'customer' | 'agent';
  from: 'customer' | 'agent' | 'system';
  channelId: string;
  /** The customer of the conversation (LINE user id). */
  userId: string;
  /** LINE message objects: a push's or reply's messages, or the customer's own message (webhook shape). */
  line?: unknown[];
  /** How LINE got an agent's message: by the reply API (free) or by push (counted against the quota). */
  api?: 'reply' | 'push';
  /** A Genesys message: inbound (the customer's, as the agent sees it) or the agent's reply. */
  genesys?: { text?: string; content?: Array<ConversationMessageContent | OpenInboundMessageContent>; nickname?: string; messageId?: string };
  /** A delivery receipt of an agent's reply. */
  receipt?: { messageId: string; status: string; reason?: string };
  /** A data: URL of an image the customer sent (small images only). */
  preview?: string;
  /** What the relay answered the webhook that carried this message. */
  answer?: { status: number; body: unknown };
}

const POLL_MS = 100;

/** Calls `add` for every push, inbound message and receipt the emulators accept; returns a stop function. */
export function watchChat(sandbox: Sandbox, add: (e: ChatEntry) => void): () => void {
  const channelByBot = (bot: string) => sandbox.channels.find((c) => c.botUserId === bot)?.id ?? '?';
  const channelByIntegration = (id: string) => sandbox.channels.find((c) => c.integrationId === id)?.id ?? '?';
  const seen = { pushes: 0, replies: 0, messages: 0, answers: 0, receipts: 0 };

  /** New items of a recorded list (a reset empties it: start over). */
  function fresh<T>(list: T[], key: keyof typeof seen): T[] {
    if (list.length < seen[key]) seen[key] = 0;
    const items = list.slice(seen[key]);
    seen[key] = list.length;
    return items;
  }

  function poll(): void {
    for (const p of fresh(sandbox.line.pushes, 'pushes')) {
      add({ at: p.at, pane: 'customer', from: 'agent', channelId: channelByBot(p.channelBotUserId), userId: p.to, line: p.messages, api: 'push' });
    }
    for (const r of fresh(sandbox.line.replies, 'replies')) {
      add({ at: r.at, pane: 'customer', from: 'agent', channelId: channelByBot(r.channelBotUserId), userId: r.to, line: r.messages, api: 'reply' });
    }
    for (const m of fresh(sandbox.genesys.messages, 'messages')) {
      const { text, content, channel } = m.body;
      add({
        at: m.at, pane: 'agent', from: 'customer', channelId: channelByIntegration(m.integrationId), userId: channel.from.id,
        genesys: { ...(text !== undefined ? { text } : {}), ...(content ? { content } : {}), ...(channel.from.nickname ? { nickname: channel.from.nickname } : {}) },
      });
    }
    // A tap on a button the agent sent: the agent sees the button's text, as Genesys shows a ButtonResponse.
    for (const a of fresh(sandbox.genesys.structuredResponses, 'answers')) {
      const { buttonResponse, originatingMessageId, channel } = a.body;
      add({
        at: a.at, pane: 'agent', from: 'customer', channelId: channelByIntegration(a.integrationId), userId: channel.from.id,
        genesys: {
          text: buttonResponse.text,
          content: [{ contentType: 'ButtonResponse', buttonResponse: { ...buttonResponse, originatingMessageId } }],
          ...(channel.from.nickname ? { nickname: channel.from.nickname } : {}),
        },
      });
    }
    for (const r of fresh(sandbox.genesys.receipts, 'receipts')) {
      const reason = r.body.reasons?.[0]?.message;
      add({
        at: r.at, pane: 'agent', from: 'system', channelId: channelByIntegration(r.integrationId), userId: r.body.channel.to.id,
        receipt: { messageId: r.body.id, status: r.body.status, ...(reason ? { reason } : {}) },
      });
    }
  }

  const timer = setInterval(poll, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
