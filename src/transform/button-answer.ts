/**
 * A customer's answer to a button Genesys sent (quick reply, card button), carried through LINE's postback
 * `data` and back, so the tap reaches Genesys as a structured response. Pure: no I/O, no clock.
 *
 * LINE gives back only the `data` of a postback (at most 300 characters), not the label: so `data` holds
 * everything Genesys needs, versioned so that data the relay did not write (a rich menu's, an older relay's)
 * is never mistaken for an answer:
 * - `lg1:` + JSON `[originatingMessageId, "Q" | "B", text, payload]` when that fits in 300 characters;
 * - else `lg1r:` + a reference (22 base64url characters, a hash of the answer): the relay keeps the answer
 *   in its store under that reference, as long as it keeps media, and looks it up when the tap comes back.
 */
import { createHash } from 'node:crypto';
import type { ButtonResponseType } from '../genesys/types.js';

/** What Genesys gets back for a tap: ContentButtonResponse plus the message that carried the button. */
export interface ButtonAnswer {
  /** The Genesys message that carried the button. */
  originatingMessageId: string;
  type: Extract<ButtonResponseType, 'QuickReply' | 'Button'>;
  /** The button's text, as the customer saw it (and as their chat shows it, `displayText`). */
  text: string;
  /** The Genesys payload of the button. */
  payload: string;
}

/** An answer too long for `data`, to keep in the store under `ref`. */
export interface AnswerReference {
  ref: string;
  answer: ButtonAnswer;
}

/** LINE's limit on postback `data` (messaging-api.yml, PostbackAction.data: maxLength 300). */
export const POSTBACK_DATA_MAX = 300;

const INLINE = 'lg1:';
const REFERENCE = 'lg1r:';
const REF = /^[A-Za-z0-9_-]{22}$/;
const TYPE_LETTER = { QuickReply: 'Q', Button: 'B' } as const;
const LETTER_TYPE: Record<string, ButtonAnswer['type']> = { Q: 'QuickReply', B: 'Button' };

/** The postback `data` for an answer, and the reference to keep when the answer does not fit in it. */
export function answerData(answer: ButtonAnswer): { data: string; keep?: AnswerReference } {
  const json = JSON.stringify([answer.originatingMessageId, TYPE_LETTER[answer.type], answer.text, answer.payload]);
  const inline = INLINE + json;
  if (inline.length <= POSTBACK_DATA_MAX) return { data: inline };
  // The same answer always gets the same reference: a retried push stores and sends the same thing.
  const ref = createHash('sha256').update(json).digest('base64url').slice(0, 22);
  return { data: REFERENCE + ref, keep: { ref, answer } };
}

/** What a postback's `data` says: an answer, a reference to look up, or undefined for data the relay did not write. */
export function readAnswerData(data: unknown): { answer: ButtonAnswer } | { ref: string } | undefined {
  if (typeof data !== 'string') return undefined;
  if (data.startsWith(REFERENCE)) {
    const ref = data.slice(REFERENCE.length);
    return REF.test(ref) ? { ref } : undefined;
  }
  if (!data.startsWith(INLINE)) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(data.slice(INLINE.length));
  } catch {
    return undefined;
  }
  return toAnswer(parts);
}

/** An answer as the store keeps it under its reference (JSON text); read back with parseStoredAnswer. */
export function storedAnswer(answer: ButtonAnswer): string {
  return JSON.stringify(answer);
}

/** The answer kept under a reference (its JSON text in the store), or undefined when it is not one. */
export function parseStoredAnswer(text: string | undefined): ButtonAnswer | undefined {
  if (text === undefined) return undefined;
  try {
    const a = JSON.parse(text) as Partial<ButtonAnswer> | null;
    return toAnswer([a?.originatingMessageId, a?.type === 'Button' ? 'B' : a?.type === 'QuickReply' ? 'Q' : undefined, a?.text, a?.payload])?.answer;
  } catch {
    return undefined;
  }
}

function toAnswer(parts: unknown): { answer: ButtonAnswer } | undefined {
  if (!Array.isArray(parts) || parts.length !== 4 || !parts.every((p) => typeof p === 'string')) return undefined;
  const [originatingMessageId, letter, text, payload] = parts as string[];
  const type = LETTER_TYPE[letter!];
  if (!type || !originatingMessageId || !text) return undefined;
  return { answer: { originatingMessageId, type, text, payload: payload! } };
}
