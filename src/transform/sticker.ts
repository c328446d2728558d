/**
 * LINE stickers, as an agent in Genesys sees them. Pure: no I/O.
 *
 * LINE says sticker images cannot be fetched through the Messaging API. The event carries
 * `keywords` (words describing the sticker) and, for message stickers, the `text` written on
 * it; the image comes from the public sticker CDN (unofficial, widely used — Chatwoot uses it).
 *
 * Decisions:
 * - Text: `[LINE STICKER: <keywords, comma separated>]`; with no keywords
 *   `[LINE STICKER: package <packageId> / sticker <stickerId>]`.
 * - Message stickers (and any sticker with a non-empty `text`): the customer's own words come
 *   first, in curly quotes, the keywords follow in parentheses:
 *   `[LINE STICKER: “Let's hang out this weekend!” (Anticipation, Sparkle)]`; with no keywords
 *   `[LINE STICKER: “Thank you!”]`. Line breaks in the sticker text (LINE lays the text out on
 *   the sticker) are folded to single spaces so the tag stays on one line.
 * - Image: always the static `.../sticker/{stickerId}/android/sticker.png`, also for
 *   ANIMATION / ANIMATION_SOUND / POPUP stickers. That file exists for every resource type,
 *   is small, and is a PNG as we declare it (`image/png`); the `iPhone/sticker_animation@2x.png`
 *   variant exists only for animated stickers, is an APNG several times larger, and shows the
 *   agent nothing the still image and the keywords do not.
 * - The sticker id is validated (digits only) before it goes into a URL.
 */
import type { webhook } from '@line/bot-sdk';

const STICKER_CDN = 'https://stickershop.line-scdn.net/stickershop/v1/sticker';

/** True when `id` is a LINE sticker/package id: digits only (safe to put into a URL). */
export function isValidStickerId(id: unknown): id is string {
  return typeof id === 'string' && /^[0-9]{1,20}$/.test(id);
}

function cleanKeywords(keywords: unknown): string[] {
  if (!Array.isArray(keywords)) return [];
  const out: string[] = [];
  for (const k of keywords) {
    if (typeof k !== 'string') continue;
    const t = k.trim();
    if (t) out.push(t);
  }
  return out;
}

/** A short, one-line description of a sticker for the agent (see the decisions above). */
export function stickerText(m: webhook.StickerMessageContent): string {
  const keywords = cleanKeywords((m as { keywords?: unknown }).keywords);
  const rawText = (m as { text?: unknown }).text;
  const text = typeof rawText === 'string' ? rawText.replace(/\s+/g, ' ').trim() : '';
  if (text) {
    return keywords.length > 0
      ? `[LINE STICKER: “${text}” (${keywords.join(', ')})]`
      : `[LINE STICKER: “${text}”]`;
  }
  if (keywords.length > 0) return `[LINE STICKER: ${keywords.join(', ')}]`;
  const pkg = typeof m.packageId === 'string' || typeof m.packageId === 'number' ? String(m.packageId) : '?';
  const id = typeof m.stickerId === 'string' || typeof m.stickerId === 'number' ? String(m.stickerId) : '?';
  return `[LINE STICKER: package ${pkg} / sticker ${id}]`;
}

/**
 * The public CDN URL of the sticker's static image (PNG), for every resource type.
 * @throws TypeError when `stickerId` is not digits only (never build a URL from it);
 *   check with {@link isValidStickerId} first when the event may be malformed.
 */
export function stickerImageUrl(m: webhook.StickerMessageContent): string {
  if (!isValidStickerId(m.stickerId)) {
    throw new TypeError(`invalid LINE sticker id ${JSON.stringify(m.stickerId)}: digits only`);
  }
  return `${STICKER_CDN}/${m.stickerId}/android/sticker.png`;
}
