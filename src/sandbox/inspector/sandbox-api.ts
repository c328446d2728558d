/**
 * The page's side of the sandbox: the customer and agent panes post here, the sandbox plays LINE or
 * Genesys, and both sides of the conversation are added to the feed as chat entries.
 */
import type { Sandbox, CustomerMessage } from '../index.js';
import { watchChat, type ChatEntry } from './chat.js';
import type { EventFeed } from './feed.js';
import { PLACES, STICKERS } from './presets.js';
import { samplePng } from './sample-png.js';

/** A 400 for the page: the input it sent cannot be used. */
export class InputError extends Error {
  readonly status = 400;
}

const KINDS = ['text', 'sticker', 'location', 'image', 'postback'] as const;
const PREVIEW_MAX_BYTES = 512 * 1024;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function image(v: unknown): { bytes: Buffer; contentType: string } {
  if (v === undefined || v === 'sample') return { bytes: samplePng(), contentType: 'image/png' };
  const o = v as { base64?: unknown; contentType?: unknown };
  const contentType = str(o?.contentType);
  if (!str(o?.base64) || !contentType || !/^image\/(png|jpeg)$/.test(contentType)) {
    throw new InputError('image must be "sample" or {base64, contentType: image/png | image/jpeg}');
  }
  return { bytes: Buffer.from(o.base64 as string, 'base64'), contentType };
}

/** The JSON the page posts -> a CustomerMessage (unknown fields are dropped). */
export function customerMessage(b: Record<string, unknown>): CustomerMessage {
  const kind = b['kind'];
  if (!KINDS.includes(kind as (typeof KINDS)[number])) throw new InputError(`kind must be one of ${KINDS.join(', ')}`);
  const channelId = str(b['channelId']);
  if (!channelId) throw new InputError('channelId is required');
  const m: CustomerMessage = { channelId, kind: kind as CustomerMessage['kind'] };
  const fields = { userId: str(b['userId']), text: str(b['text']), packageId: str(b['packageId']), stickerId: str(b['stickerId']), title: str(b['title']), address: str(b['address']), data: str(b['data']), latitude: num(b['latitude']), longitude: num(b['longitude']) };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (m as unknown as Record<string, unknown>)[k] = v;
  if (Array.isArray(b['keywords'])) m.keywords = b['keywords'].filter((k): k is string => typeof k === 'string');
  if (m.kind === 'image') m.image = image(b['image']);
  return m;
}

export function createSandboxApi(sandbox: Sandbox, feed: EventFeed) {
  const addChat = (e: ChatEntry) => feed.add('chat', e);
  const stop = watchChat(sandbox, addChat);
  const attempt = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      // The sandbox refuses what the platform would not send (a message without text, an http image URL…).
      if (e instanceof Error && /^(sendCustomer|sendAgent|sandbox): /.test(e.message)) throw new InputError(e.message.replace(/^\w+: /, ''));
      throw e;
    }
  };

  return {
    info: () => ({
      customers: sandbox.customers,
      stickers: STICKERS,
      places: PLACES,
    }),
    samplePng,

    async customer(b: Record<string, unknown>) {
      const m = customerMessage(b);
      const sent = await attempt(() => sandbox.sendCustomer(m));
      const event = sent.event as { source: { userId: string }; message?: Record<string, unknown>; postback?: unknown };
      const shown = event.message ?? { type: 'postback', text: str(b['displayText']) ?? m.data };
      const preview = m.image && m.image.bytes.length <= PREVIEW_MAX_BYTES ? `data:${m.image.contentType};base64,${m.image.bytes.toString('base64')}` : undefined;
      addChat({ at: Date.now(), pane: 'customer', from: 'customer', channelId: m.channelId, userId: event.source.userId, line: [shown], answer: { status: sent.status, body: sent.body }, ...(preview ? { preview } : {}) });
      return sent;
    },

    async agent(b: Record<string, unknown>) {
      const channelId = str(b['channelId']);
      const to = str(b['to']);
      if (!channelId || !to) throw new InputError('channelId and to (the customer) are required');
      const quick = b['quickReplies'];
      const quickReplies = Array.isArray(quick) ? quick.filter((q): q is string => typeof q === 'string') : typeof quick === 'string' ? quick.split(',') : [];
      const text = str(b['text']);
      const imageUrl = str(b['imageUrl'])?.trim();
      const sent = await attempt(() => sandbox.sendAgent({ channelId, to, quickReplies, ...(text ? { text } : {}), ...(imageUrl ? { imageUrl } : {}) }));
      addChat({
        at: Date.now(), pane: 'agent', from: 'agent', channelId, userId: to, answer: { status: sent.status, body: sent.body },
        genesys: { ...(text ? { text } : {}), content: sent.content, messageId: sent.messageId, nickname: 'Agent' },
      });
      return sent;
    },

    close: stop,
  };
}
