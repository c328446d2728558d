/**
 * How the relay answers a customer on LINE: by the free reply API while the customer's reply token is
 * fresh, and when it marks the customer's messages read.
 */
import { ConfigError } from '../errors.js';

export interface ChatSettings {
  /** 'first': the first request of an answer goes by reply while the token is fresh; 'never': always push. */
  reply: 'first' | 'never';
  /** How old (from the customer's event) a reply token may be and still be used. */
  replyFreshnessMs: number;
  /** 'agent-reply': when an answer is delivered; 'delivered': when Genesys accepts the customer's message. */
  markAsRead: 'agent-reply' | 'delivered' | 'off';
}

export function chatSettings(raw: { reply: string; replyFreshnessMs: number; markAsRead: string }): ChatSettings {
  return {
    reply: oneOf('relay.reply', raw.reply, ['first', 'never'] as const),
    replyFreshnessMs: raw.replyFreshnessMs,
    markAsRead: oneOf('relay.markAsRead', raw.markAsRead, ['agent-reply', 'delivered', 'off'] as const),
  };
}

function oneOf<T extends string>(path: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(path, `"${value}" must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`);
}
