/**
 * What each template must become, written down by hand: one row per file in templates/line and
 * templates/genesys. It is the oracle of the contract, transform and end-to-end tests, so none of them
 * computes its expectation with the code it tests. A template without a row fails those tests.
 */
import { readdirSync } from 'node:fs';

export type InboundAction = 'send' | 'answer' | 'record' | 'ignore';

/**
 * templates/line/<name>.json: the decision for each of its events, in order. 1:1 messages and
 * postbacks are sent, a tap on a button the relay put in LINE answers (a structured response); follow and
 * unfollow recorded; group events and types an agent cannot act on ignored.
 */
export const LINE_OUTCOMES: Record<string, InboundAction[]> = {
  'account-link': ['ignore'],
  audio: ['send'],
  beacon: ['ignore'],
  file: ['send'],
  'follow-unblocked': ['record'],
  follow: ['record'],
  'image-set-1-of-2': ['send'],
  'image-set-2-of-2': ['send'],
  image: ['send'],
  'join-group': ['ignore'],
  'leave-group': ['ignore'],
  location: ['send'],
  'member-joined-group': ['ignore'],
  'member-left-group': ['ignore'],
  membership: ['ignore'],
  'message-edited-group': ['ignore'],
  'multi-event-text-follow-unfollow': ['send', 'record', 'record'],
  'postback-button-answer': ['answer'],
  'postback-datetime': ['send'],
  'postback-richmenu-switch': ['send'],
  postback: ['send'],
  'sticker-animation': ['send'],
  'sticker-message-sticker-group': ['ignore'],
  sticker: ['send'],
  'text-group-mention-emoji': ['ignore'],
  'text-redelivered': ['send'],
  text: ['send'],
  unfollow: ['record'],
  'unsend-group': ['ignore'],
  'verify-empty': [],
  'video-external': ['send'],
  'video-play-complete': ['ignore'],
  video: ['send'],
};

export type OutboundOutcome = { action: 'push'; batches: string[][] } | { action: 'typing'; loadingSeconds: number };

/**
 * templates/genesys/<name>.json sent to a relay with an https public URL: the LINE message types of
 * each push, in order (at most 5 a push), or the loading animation.
 */
export const GENESYS_OUTCOMES: Record<string, OutboundOutcome> = {
  audio: { action: 'push', batches: [['audio']] },
  card: { action: 'push', batches: [['flex']] },
  carousel: { action: 'push', batches: [['flex']] },
  file: { action: 'push', batches: [['text', 'text']] },
  image: { action: 'push', batches: [['image', 'text']] },
  'long-text': { action: 'push', batches: [['text']] },
  'many-attachments': { action: 'push', batches: [['text', 'image', 'image', 'image', 'image'], ['image', 'image']] },
  'quick-reply': { action: 'push', batches: [['text']] },
  sticker: { action: 'push', batches: [['sticker']] },
  text: { action: 'push', batches: [['text']] },
  typing: { action: 'typing', loadingSeconds: 5 },
  video: { action: 'push', batches: [['video']] },
};

/** The names (without .json) of the files in templates/<kind>, sorted. */
export function templateNames(kind: 'line' | 'genesys'): string[] {
  return readdirSync(new URL(`../../templates/${kind}/`, import.meta.url))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** The row for a template; throws, naming the file, when the table has none. */
export function lineOutcome(name: string): InboundAction[] {
  const row = LINE_OUTCOMES[name];
  if (!row) throw new Error(`templates/line/${name}.json has no row in test/contract/template-outcomes.ts: write down what it must become`);
  return row;
}

export function genesysOutcome(name: string): OutboundOutcome {
  const row = GENESYS_OUTCOMES[name];
  if (!row) throw new Error(`templates/genesys/${name}.json has no row in test/contract/template-outcomes.ts: write down what it must become`);
  return row;
}

/** How many Genesys inbound messages a LINE template must produce. */
export const sendsOf = (name: string): number => lineOutcome(name).filter((a) => a === 'send').length;

/** A plan (or the pushes LINE received) reduced to the shape the table writes down. */
export function outboundShape(plan: { action: string; batches?: Array<Array<{ type: string }>>; loadingSeconds?: number }): unknown {
  if (plan.action === 'push') return { action: 'push', batches: plan.batches?.map((b) => b.map((m) => m.type)) };
  if (plan.action === 'typing') return { action: 'typing', loadingSeconds: plan.loadingSeconds };
  return plan;
}
