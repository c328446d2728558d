/**
 * The texts a customer may quote (`quotedMessageId`): the customer's own earlier texts and the
 * agents' texts, by LINE message id (LINE gives an agent's message its id in `sentMessages`).
 * Kept in the store for as long as media (`relay.mediaTtl`), so a restart or another replica still
 * knows them; pruned with media. A quote of a forgotten message reaches the agent without the text.
 */
import type { messagingApi, webhook } from '@line/bot-sdk';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';

export class Quotes {
  constructor(private readonly o: { store: Store; ttlMs: number; now(): number; log: Logger }) {}

  /** An agent's messages as LINE took them: each text under the id LINE gave it. */
  rememberSent(messages: messagingApi.Message[], sent: messagingApi.SentMessage[]): Promise<void> {
    return this.remember(messages.flatMap((m, i) => (sent[i]?.id && m.type === 'text' ? [[sent[i]!.id, m.text] as const] : [])));
  }

  /** A customer's text message, under its own id. */
  rememberCustomer(event: webhook.Event): Promise<void> {
    return this.remember(event.type === 'message' && event.message.type === 'text' ? [[event.message.id, event.message.text]] : []);
  }

  get(messageId: string): Promise<string | undefined> {
    return this.o.store.getQuote(messageId, this.o.now());
  }

  /** Bookkeeping after a delivery: its failure costs a future quote its text, never a second delivery. */
  private async remember(texts: ReadonlyArray<readonly [string, string]>): Promise<void> {
    const expiresAt = this.o.now() + this.o.ttlMs;
    try {
      await Promise.all(texts.map(([id, text]) => this.o.store.putQuote(id, text, expiresAt)));
    } catch (e) {
      this.o.log.warn('could not keep a text customers may quote', { error: (e as Error).message });
    }
  }
}
