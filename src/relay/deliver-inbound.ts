/**
 * The worker's handler for a LINE event: look up the profile (cached), fetch LINE-hosted media,
 * transform the event, post it to Genesys; or record a follow/unfollow; or say why it is ignored.
 */
import { UpstreamError } from '../errors.js';
import type { Job } from '../store/store.js';
import { parseStoredAnswer } from '../transform/button-answer.js';
import { inboundNeeds, lineEventToGenesys, type LineProfileInfo, type ResolvedMedia } from '../transform/to-genesys.js';
import type { RelayContext } from './context.js';
import { decode } from './jobs.js';
import { fetchAndStoreMedia, newMediaId } from './media.js';
import type { ProfileCache } from './profile-cache.js';
import { markReadOnDelivered } from './read-marks.js';
import { setBounded } from './bounded-map.js';

interface InboundProgress {
  mediaId?: string;
}

export function createInboundHandler(ctx: RelayContext, profiles: ProfileCache) {
  /** Each customer's last channel as this process last wrote it: a returning customer costs no store write. */
  const lastSeen = new Map<string, string>();
  return async function deliverInbound(job: Job): Promise<void> {
    const payload = decode(job, 'inbound');
    const { event } = payload;
    const channel = ctx.channel(job.channelId);
    if (!channel) throw new UpstreamError({ upstream: 'genesys', operation: 'inbound', retriable: false, message: `channel "${job.channelId}" is no longer configured` });
    const needs = inboundNeeds(event);

    const profile = needs.userId ? await lookupProfile(ctx, profiles, channel.id, needs.userId) : undefined;

    let media: ResolvedMedia | undefined;
    if (needs.contentMessageId && needs.mediaKind) {
      const progress: InboundProgress = job.progress ? JSON.parse(job.progress) : {};
      if (!progress.mediaId) {
        progress.mediaId = newMediaId();
        await ctx.store.saveProgress(job.id, JSON.stringify(progress));
      }
      media = await fetchAndStoreMedia(ctx, channel.id, needs.contentMessageId, needs.mediaKind, progress.mediaId, needs.fileName);
    }

    const quoted = needs.quotedMessageId ? await ctx.quotes.get(needs.quotedMessageId) : undefined;
    // A tap on a button whose answer was too long for postback data; an expired one is relayed as text.
    const answer = needs.answerRef ? parseStoredAnswer(await ctx.store.getButtonAnswer(needs.answerRef, ctx.now())) : undefined;
    const decision = lineEventToGenesys(event, {
      channel: { id: channel.id, market: channel.market, brand: channel.brand, ...(channel.customAttributes ? { customAttributes: channel.customAttributes } : {}) },
      ...(profile ? { profile } : {}),
      ...(media ? { media } : {}),
      ...(quoted !== undefined ? { quoted } : {}),
      ...(answer ? { answer } : {}),
    });
    const delivery = { job, payload, channel };

    switch (decision.action) {
      case 'send':
      case 'answer': {
        if (decision.action === 'answer') await ctx.genesys.sendStructuredResponse(channel.integrationId, decision.message);
        else await ctx.genesys.sendInboundMessage(channel.integrationId, decision.message);
        await ctx.quotes.rememberCustomer(event);
        await markReadOnDelivered(ctx, channel.id, event);
        if (needs.userId && lastSeen.get(needs.userId) !== channel.id) {
          // Bookkeeping for replies on a shared integration: its failure must not re-send a delivered message.
          try {
            await ctx.store.setLastChannel(needs.userId, channel.id, ctx.now());
            setBounded(lastSeen, needs.userId, channel.id, 50_000);
          } catch (e) {
            ctx.log.warn("could not record the customer's last channel", { channel: channel.id, error: (e as Error).message });
          }
        }
        ctx.observe({ kind: 'delivered', ...delivery, httpStatus: 200, produced: decision.message });
        return;
      }
      case 'record': {
        await ctx.store.setBlocked(channel.id, decision.userId, decision.kind === 'unfollow', ctx.now());
        ctx.observe({ kind: decision.kind, ...delivery, reason: decision.reason });
        return;
      }
      case 'ignore': {
        ctx.observe({ kind: 'ignored', ...delivery, reason: decision.reason });
        return;
      }
    }
  };
}

/** A profile is nice to have: a failure to get one never holds a message back. */
async function lookupProfile(ctx: RelayContext, cache: ProfileCache, channelId: string, userId: string): Promise<LineProfileInfo | undefined> {
  const key = `${channelId}:${userId}`;
  const hit = cache.get(key, ctx.now());
  if (hit) return hit.value;
  try {
    const p = await ctx.line(channelId).getProfile(userId);
    const value: LineProfileInfo | undefined = p
      ? { displayName: p.displayName, ...(p.pictureUrl ? { pictureUrl: p.pictureUrl } : {}), ...(p.language ? { language: p.language } : {}) }
      : undefined;
    cache.set(key, value, ctx.now());
    return value;
  } catch (e) {
    ctx.log.warn('LINE profile lookup failed; relaying without the name', { channel: channelId, error: (e as Error).message });
    return undefined;
  }
}
