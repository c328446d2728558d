/**
 * Media the customer sent: fetched from LINE's content API at once (LINE keeps it only a while),
 * kept in the store under an unguessable id with an expiry, and served at GET /media/<id> so
 * Genesys can download it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { UpstreamError } from '../errors.js';
import type { ResolvedMedia } from '../transform/to-genesys.js';
import type { RelayContext } from './context.js';
import type { WebhookResponse } from './types.js';

const MIME_BY_KIND = { image: 'image/jpeg', video: 'video/mp4', audio: 'audio/mp4', file: 'application/octet-stream' } as const;
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

/**
 * Fetches a message's content and stores it. Returns undefined when LINE no longer has it
 * (404, or 410 after the customer unsent it); throws a retriable error while LINE is still preparing it.
 */
export async function fetchAndStoreMedia(
  ctx: RelayContext,
  channelId: string,
  messageId: string,
  kind: keyof typeof MIME_BY_KIND,
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
  const mime = content.contentType.split(';')[0]!.trim() || MIME_BY_KIND[kind];
  const sha256 = createHash('sha256').update(content.body).digest('hex');
  const filename = fileName ?? `${kind}-${messageId}.${EXT_BY_MIME[mime] ?? 'bin'}`;
  await ctx.store.putMedia({ id: mediaId, channelId, mime, filename, bytes: content.body, sha256, expiresAt: ctx.now() + ctx.config.relay.mediaTtlMs });
  return resolved(ctx, mediaId, mime, sha256, filename);
}

function resolved(ctx: RelayContext, id: string, mime: string, sha256: string, filename?: string): ResolvedMedia {
  return { url: `${ctx.publicUrl()}/media/${id}`, mime, sha256, ...(filename ? { filename } : {}) };
}

/**
 * Served inline, as what they are: media Genesys shows an agent. Anything else LINE labelled (text/html,
 * image/svg+xml, …) could run script on the relay's origin, so it is served as a download of bytes.
 */
const INLINE = /^(?:image\/(?:jpeg|png|gif|webp)|video\/(?:mp4|quicktime|webm)|audio\/(?:mp4|x-m4a|m4a|aac|mpeg|ogg|wav)|application\/pdf)$/;

/** GET /media/<id> */
export async function serveMedia(ctx: RelayContext, id: string): Promise<WebhookResponse> {
  const m = MEDIA_ID.test(id) ? await ctx.store.getMedia(id, ctx.now()) : undefined;
  if (!m) return { status: 404, body: { error: 'not_found', message: 'no such media, or it has expired' } };
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
    },
    body: m.bytes,
  };
}
