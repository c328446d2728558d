/**
 * The texts a customer may quote (`quotedMessageId`): the customer's own earlier texts and the
 * agents' texts, by LINE message id (LINE gives an agent's message its id in `sentMessages`).
 * In memory, bounded (least recently used first out) and kept no longer than media: a restart
 * forgets them, and a quote of a forgotten message reaches the agent without the quoted text.
 */
import type { messagingApi, webhook } from '@line/bot-sdk';
import { setBounded } from './bounded-map.js';

export class QuoteCache {
  private readonly texts = new Map<string, { text: string; at: number }>();

  constructor(private readonly o: { max: number; ttlMs: number; now(): number }) {}

  remember(messageId: string, text: string): void {
    setBounded(this.texts, messageId, { text, at: this.o.now() }, this.o.max);
  }

  /** An agent's messages as LINE took them: each text under the id LINE gave it. */
  rememberSent(messages: messagingApi.Message[], sent: messagingApi.SentMessage[]): void {
    messages.forEach((m, i) => {
      const id = sent[i]?.id;
      if (id && m.type === 'text') this.remember(id, m.text);
    });
  }

  /** A customer's text message, under its own id. */
  rememberCustomer(event: webhook.Event): void {
    if (event.type === 'message' && event.message.type === 'text') this.remember(event.message.id, event.message.text);
  }

  get(messageId: string): string | undefined {
    const hit = this.texts.get(messageId);
    if (!hit) return undefined;
    if (this.o.now() - hit.at > this.o.ttlMs) {
      this.texts.delete(messageId);
      return undefined;
    }
    this.texts.delete(messageId);
    this.texts.set(messageId, hit);
    return hit.text;
  }
}
