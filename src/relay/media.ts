/**
 * Media the customer sent: fetched from LINE's content API at once (LINE keeps it only a while),
 * streamed into the store's media storage under an unguessable id with an expiry, and streamed out
 * at GET /media/<id> so Genesys can download it. Neither way holds an item whole in memory; content
 * over `relay.mediaMaxSize` is not kept, and the customer's message reaches the agent as the
 * placeholder text, as content LINE no longer has does.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { UpstreamError } from '../errors.js';
import type { ContentKind } from '../line/content-limits.js';
import type { ResolvedMedia } from '../transform/to-genesys.js';
import type { RelayContext } from './context.js';
import type { WebhookResponse } from './types.js';

const MIME_BY_KIND: Record<ContentKind, string> = { image: 'image/jpeg', video: 'video/mp4', audio: 'audio/mp4', file: 'application/octet-stream' };
const EXT_BY_MIME: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/mpeg': 'mp3',
  'application/pdf': 'pdf',
};

export const MEDIA_ID = /^[A-Za-z0-9_-]{32}$/;

export function newMediaId(): string {
  return randomBytes(24).toString('base64url');
}

/** Content larger than `relay.mediaMaxSize` allows for its kind: it is not kept. */
class TooLarge extends Error {}

/**
 * Fetches a message's content and streams it into storage. Returns undefined when LINE no longer has
 * it (404, or 410 after the customer unsent it) or when it is over the size cap (then nothing is kept);
 * throws a retriable error while LINE is still preparing it.
 */
export async function fetchAndStoreMedia(
  ctx: RelayContext,
  channelId: string,
  messageId: string,
  kind: ContentKind,
  mediaId: string,
  fileName?: string,
): Promise<ResolvedMedia | undefined> {
  const existing = await ctx.store.getMedia(mediaId, ctx.now());
  if (existing) return resolved(ctx, existing.id, existing.mime, existing.sha256, existing.filename);
  const content = await ctx.line(channelId).getContent(messageId);
  if (content.status === 'gone') return undefined;
  if (content.status === 'preparing') {
    throw new UpstreamError({ upstream: 'line', operation: 'content', status: 202, retriable: true, retryAfterMs: 5000, message: 'LINE is still preparing the content' });
  }
  const cap = ctx.config.relay.mediaMaxBytes[kind];
  const overCap = (size: string) => {
    ctx.log.warn('media over relay.mediaMaxSize not kept: the agent gets the placeholder text', { channel: channelId, kind, size, cap });
    return undefined;
  };
  if (content.length !== undefined && content.length > cap) {
    content.body.destroy();
    return overCap(String(content.length));
  }
  const mime = content.contentType.split(';')[0]!.trim() || MIME_BY_KIND[kind];
  const filename = fileName ?? `${kind}-${messageId}.${EXT_BY_MIME[mime] ?? 'bin'}`;
  try {
    const stored = await ctx.store.media.put({ id: mediaId, channelId, mime, filename, expiresAt: ctx.now() + ctx.config.relay.mediaTtlMs }, capped(content.body, cap));
    return resolved(ctx, mediaId, mime, stored.sha256, filename);
  } catch (e) {
    if (e instanceof TooLarge) return overCap(`over ${cap}`);
    // Cut off mid-download (a timeout, a reset): nothing was kept; another attempt fetches it again.
    throw e instanceof UpstreamError ? e : new UpstreamError({ upstream: 'line', operation: 'content', retriable: true, message: (e as Error).message, cause: e });
  }
}

/** The body's chunks, up to `cap` bytes: past it the download is stopped and TooLarge thrown (storage keeps nothing). */
async function* capped(body: Readable, cap: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > cap) throw new TooLarge();
      yield chunk;
    }
  } finally {
    body.destroy();
  }
}

function resolved(ctx: RelayContext, id: string, mime: string, sha256: string, filename?: string): ResolvedMedia {
  return { url: `${ctx.publicUrl()}/media/${id}`, mime, sha256, ...(filename ? { filename } : {}) };
}

/**
 * Served inline, as what they are: media Genesys shows an agent. Anything else LINE labelled (text/html,
 * image/svg+xml, …) could run script on the relay's origin, so it is served as a download of bytes.
 */
const INLINE = /^(?:image\/(?:jpeg|png|gif|webp)|video\/(?:mp4|quicktime|webm)|audio\/(?:mp4|x-m4a|m4a|aac|mpeg|ogg|wav)|application\/pdf)$/;

/** GET /media/<id>: streamed from storage. */
export async function serveMedia(ctx: RelayContext, id: string): Promise<WebhookResponse> {
  const opened = MEDIA_ID.test(id) ? await ctx.store.media.open(id, ctx.now()) : undefined;
  if (!opened) return { status: 404, body: { error: 'not_found', message: 'no such media, or it has expired' } };
  const m = opened.media;
  const inline = INLINE.test(m.mime.toLowerCase());
  const filename = m.filename ? `; filename="${m.filename.replace(/[^\w.-]/g, '_')}"` : '';
  return {
    status: 200,
    headers: {
      'content-type': inline ? m.mime : 'application/octet-stream',
      'content-disposition': `${inline ? 'inline' : 'attachment'}${filename}`,
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
      'content-length': String(m.size),
    },
    body: opened.body,
  };
}
