/**
 * The sample events `simulate` can send, each a template of templates/ (shipped with the package)
 * with a one-line description, and the overrides it takes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Audience } from './build.js';

export type Override = 'text' | 'sticker' | 'location';

export interface Sample {
  name: string;
  description: string;
  /** 'line': a LINE webhook to /webhook/line; 'genesys': an agent reply to /webhook/genesys. */
  target: 'line' | 'genesys';
  /** Path under templates/, without .json. */
  template: string;
  /** LINE samples: who the event is from. */
  audience: Audience;
  /** Sent twice, the second time as LINE's redelivery. */
  redeliver?: boolean;
  accepts: Override[];
  /** What the sample changes in the relay's state for the sample customer (replies to a blocked customer fail). */
  changes?: 'blocks the customer' | 'unblocks the customer';
}

const line = (name: string, template: string, description: string, accepts: Override[] = [], extra: Partial<Sample> = {}): Sample => ({
  name,
  description,
  target: 'line',
  template: `line/${template}`,
  audience: 'user',
  accepts,
  ...extra,
});
const agent = (name: string, template: string, description: string, accepts: Override[] = []): Sample => ({
  name,
  description,
  target: 'genesys',
  template: `genesys/${template}`,
  audience: 'none',
  accepts,
});

export const SAMPLES: readonly Sample[] = [
  line('text', 'text', 'a text message from a customer (--text)', ['text']),
  line('sticker', 'sticker', 'a sticker; the agent reads [LINE STICKER: keywords] and sees its image (--package-id, --sticker-id)', ['sticker']),
  line('location', 'location', 'a shared location; the agent reads its title, address and a maps link (--lat, --lng)', ['location']),
  line('image', 'image', 'a photo; the relay fetches it from LINE and serves it to Genesys'),
  line('video', 'video', 'a video kept by LINE; fetched and served like a photo'),
  line('audio', 'audio', 'a voice message (m4a)'),
  line('file', 'file', 'a file (receipt.pdf)'),
  line('follow', 'follow', 'the customer adds the account as a friend: recorded, nothing sent to Genesys', [], { changes: 'unblocks the customer' }),
  line('unblock', 'follow-unblocked', 'the customer unblocks the account: recorded, replies work again', [], { changes: 'unblocks the customer' }),
  line('unfollow', 'unfollow', 'the customer blocks the account: recorded, replies to them then fail fast', [], { changes: 'blocks the customer' }),
  line('postback', 'postback', 'the customer taps a button (postback data)'),
  line('datetime', 'postback-datetime', 'the customer picks a date and time (postback with params)'),
  line('unsend', 'unsend-group', 'the customer unsends a message they sent earlier'),
  line('redelivered', 'text', 'one text event sent twice, the second as LINE redelivers it: the relay keeps one (--text)', ['text'], { redeliver: true }),
  line('verify', 'verify-empty', "an empty events list, as LINE's Verify button sends", [], { audience: 'none' }),
  line('group', 'text-group-mention-emoji', 'a message in a group chat: the relay ignores it (--text)', ['text'], { audience: 'group' }),
  agent('agent-reply', 'text', "an agent's text reply, as Genesys sends it: the relay pushes it to LINE (--text)", ['text']),
  agent('agent-quick-reply', 'quick-reply', "an agent's question with quick-reply buttons (--text)", ['text']),
  agent('agent-card', 'card', "an agent's card with an image and buttons"),
  agent('agent-image', 'image', "an agent's image attachment"),
];

export function findSample(name: string): Sample | undefined {
  return SAMPLES.find((s) => s.name === name);
}

/** The package's root folder (holding package.json and templates/), from src/ or dist/ alike. */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`line-genesys: templates/ not found above ${fileURLToPath(from)}`);
    dir = up;
  }
}

export function templatePath(sample: Sample): string {
  return join(packageRoot(), 'templates', `${sample.template}.json`);
}

/** The sample's template, parsed. */
export function readTemplate<T>(sample: Sample): T {
  return JSON.parse(readFileSync(templatePath(sample), 'utf8')) as T;
}
