/**
 * Genesys outbound open message (an agent's reply, as POSTed to our outbound webhook) -> what the relay sends
 * on LINE: pushes of up to 5 message objects, a loading animation, or nothing. Pure: no I/O, no clock.
 * What each content becomes is the README's table "What each Genesys message becomes on LINE".
 */
import type { messagingApi } from '@line/bot-sdk';
import type {
  ConversationContentAttachment,
  ConversationContentLocation,
  ConversationContentQuickReply,
  ConversationMessageContent,
  OpenOutboundNormalizedMessage,
} from '../genesys/types.js';
import { CHAT_ID } from '../line/ids.js';
import type { AnswerReference } from './button-answer.js';
import { answerAction, cardToFlex, cardsToFlexCarousels, FLEX_LIMITS, httpsUrl, type AnswerSource } from './flex.js';
import { splitText, truncateCodeUnits } from './split-text.js';
import { parseStickerCode } from './sticker-code.js';

export interface ToLineOptions {
  /** Public HTTPS base URL of the relay, for the placeholder video preview image it serves at `${publicUrl}/static/video-preview.png`. Optional. */
  publicUrl?: string;
}

export type OutboundPlan =
  /**
   * Each batch holds 1..5 messages, in order; one push per batch, in order. `keep`: the button answers too
   * long for postback `data`, which the relay stores (under their reference) before it pushes.
   */
  | {
      action: 'push';
      to: string;
      batches: messagingApi.Message[][];
      keep?: AnswerReference[];
      /** Content of the message LINE cannot show (DatePicker, …), left out of what is pushed: the agent is told. */
      notSent?: string[];
    }
  /** LINE loading animation (POST /v2/bot/chat/loading/start): 5..60 seconds, a multiple of 5. */
  | { action: 'typing'; to: string; loadingSeconds: number }
  /**
   * Nothing to send. Receipts, inbound echoes, unrelayed events and empty messages are ignored quietly.
   * With `undeliverable: true` the agent is told with a Failed receipt: a recipient that is not a LINE
   * id (reason starting "recipient"), or content LINE cannot show and nothing else (`unsupported`
   * names that content).
   */
  | { action: 'ignore'; reason: string; undeliverable?: true; unsupported?: string[] };

export const LINE_LIMITS = {
  /** text message `text`, UTF-16 code units */
  textLength: 5000,
  /** message objects in one push */
  messagesPerPush: 5,
  /** `quickReply.items` */
  quickReplyItems: 13,
  /** action `label`, grapheme clusters */
  actionLabel: FLEX_LIMITS.actionLabel,
  /** flex `altText`, UTF-16 code units */
  altText: FLEX_LIMITS.altText,
} as const;

export { splitText };

/**
 * LINE gives an audio message's length in the chat bubble and requires it; Genesys attachments carry no
 * duration. One minute is shown for every agent audio clip (the clip itself plays in full).
 */
const DEFAULT_AUDIO_DURATION_MS = 60_000;

/**
 * Seconds of loading animation for a typing event without `duration`. Genesys sends `duration: 5000` with
 * agent typing and sends the event again while the agent keeps typing, so 5 s (LINE's minimum) keeps the
 * animation alive while the agent types and never shows it long after the agent stopped.
 */
const DEFAULT_LOADING_SECONDS = 5;

/** Media types LINE plays (reference: image JPEG/PNG, video MP4, audio M4A/MP3). An absent mime is given the benefit of the doubt. */
export const IMAGE_MIMES = new Set(['image/jpeg', 'image/jpg', 'image/pjpeg', 'image/png']);
export const VIDEO_MIMES = new Set(['video/mp4']);
export const AUDIO_MIMES = new Set(['audio/mp4', 'audio/m4a', 'audio/x-m4a', 'audio/aac', 'audio/mpeg', 'audio/mp3']);

/** LINE's limits on the location message's `title` and `address` (code units). */
const LOCATION_TEXT_MAX = 100;

const QUICK_REPLY_FALLBACK_TEXT = 'Please choose:';
const MORE_OPTIONS_TEXT = 'More options (reply with one):';

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

function ignore(reason: string): OutboundPlan {
  return { action: 'ignore', reason };
}

function textMessages(text: string): messagingApi.TextMessage[] {
  // A chunk made only of whitespace (the tail of a text ending in many blanks) would be an empty-looking bubble.
  return splitText(text, LINE_LIMITS.textLength)
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => ({ type: 'text', text: chunk }));
}

/** Milliseconds of typing -> LINE loadingSeconds: rounded up to a multiple of 5 s, within 5..60. */
function loadingSeconds(durationMs: unknown): number {
  if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs <= 0) return DEFAULT_LOADING_SECONDS;
  const seconds = Math.ceil(durationMs / 1000 / 5) * 5;
  return Math.min(60, Math.max(5, seconds));
}

function mimeOf(att: ConversationContentAttachment): string | undefined {
  if (!nonEmpty(att.mime)) return undefined;
  return att.mime.split(';')[0]?.trim().toLowerCase();
}

const playable = (mime: string | undefined, allowed: Set<string>): boolean => mime === undefined || allowed.has(mime);

function videoPreviewUrl(opts: ToLineOptions): string | undefined {
  if (!nonEmpty(opts.publicUrl)) return undefined;
  const base = opts.publicUrl.trim().replace(/\/+$/, '');
  return httpsUrl(`${base}/static/video-preview.png`, FLEX_LIMITS.imageUrl);
}

/** One attachment: the media message (or a text with the link when LINE cannot show it), then its caption. */
function attachmentMessages(att: ConversationContentAttachment | undefined, opts: ToLineOptions): messagingApi.Message[] {
  if (!att || typeof att !== 'object') return [];
  const out: messagingApi.Message[] = [];
  const caption = nonEmpty(att.text) ? att.text : undefined;
  const rawUrl = nonEmpty(att.url) ? att.url.trim() : undefined;
  if (rawUrl !== undefined) {
    const kind = typeof att.mediaType === 'string' ? att.mediaType.toLowerCase() : '';
    const mime = mimeOf(att);
    // LINE fetches media itself and accepts only HTTPS URLs of at most 2,000 characters.
    const url = httpsUrl(rawUrl, FLEX_LIMITS.imageUrl);
    let media: messagingApi.Message | undefined;
    if (url !== undefined && kind === 'image' && playable(mime, IMAGE_MIMES)) {
      media = { type: 'image', originalContentUrl: url, previewImageUrl: url } satisfies messagingApi.ImageMessage;
    } else if (url !== undefined && kind === 'video' && playable(mime, VIDEO_MIMES)) {
      // Genesys gives no preview image and LINE requires one: the relay serves a placeholder.
      const preview = videoPreviewUrl(opts);
      if (preview !== undefined) {
        media = { type: 'video', originalContentUrl: url, previewImageUrl: preview } satisfies messagingApi.VideoMessage;
      }
    } else if (url !== undefined && kind === 'audio' && playable(mime, AUDIO_MIMES)) {
      media = { type: 'audio', originalContentUrl: url, duration: DEFAULT_AUDIO_DURATION_MS } satisfies messagingApi.AudioMessage;
    }
    if (media) {
      out.push(media);
    } else {
      const name = nonEmpty(att.filename) ? att.filename.trim() : kind === 'image' ? 'Image' : kind === 'video' ? 'Video' : kind === 'audio' ? 'Audio' : 'File';
      out.push(...textMessages(`📎 ${name}: ${rawUrl}`));
    }
  }
  if (caption !== undefined) out.push(...textMessages(caption));
  return out;
}

function locationMessages(loc: ConversationContentLocation | undefined): messagingApi.Message[] {
  if (!loc || typeof loc !== 'object') return [];
  const { latitude, longitude } = loc;
  if (
    typeof latitude === 'number' && Number.isFinite(latitude) && Math.abs(latitude) <= 90 &&
    typeof longitude === 'number' && Number.isFinite(longitude) && Math.abs(longitude) <= 180
  ) {
    const message: messagingApi.LocationMessage = {
      type: 'location',
      title: truncateCodeUnits(nonEmpty(loc.text) ? loc.text.trim() : 'Location', LOCATION_TEXT_MAX),
      // LINE requires an address; a blank one when Genesys has none.
      address: truncateCodeUnits(nonEmpty(loc.address) ? loc.address.trim() : ' ', LOCATION_TEXT_MAX),
      latitude,
      longitude,
    };
    return [message];
  }
  const lines = [loc.text, loc.address, loc.url].filter(nonEmpty).map((s) => s.trim());
  return lines.length > 0 ? textMessages(`📍 ${lines.join('\n')}`) : [];
}

function quickReplyItem(qr: ConversationContentQuickReply | undefined, source: AnswerSource | undefined): messagingApi.QuickReplyItem | undefined {
  if (!qr || typeof qr !== 'object') return undefined;
  const action = answerAction(qr.text, qr.payload, source ? { type: 'QuickReply', source } : undefined);
  if (!action) return undefined;
  const item: messagingApi.QuickReplyItem = { type: 'action', action };
  const icon = httpsUrl(qr.image, FLEX_LIMITS.imageUrl);
  if (icon !== undefined) item.imageUrl = icon;
  return item;
}

/** What an answer button says in full (its label is cut to 20). */
function optionText(action: messagingApi.Action | undefined): string {
  if (!action) return '';
  if (action.type === 'postback') return action.displayText ?? action.label ?? '';
  if (action.type === 'message') return action.text ?? action.label ?? '';
  return action.label ?? '';
}

/** The text of a `Text` content item: `{ text: { body } }` in the schema, a plain string in some bot payloads. */
function contentText(item: ConversationMessageContent): string | undefined {
  const t: unknown = item.text;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && 'body' in t && typeof t.body === 'string') return t.body;
  return undefined;
}

interface Collected {
  messages: messagingApi.Message[];
  skipped: string[];
  keep: AnswerReference[];
}

function collectMessages(msg: OpenOutboundNormalizedMessage, opts: ToLineOptions): Collected {
  // A tap on a button answers this message: its id goes into the button's postback data (button-answer.ts).
  const source: AnswerSource | undefined = nonEmpty(msg.id) ? { originatingMessageId: msg.id, keep: [] } : undefined;
  const messages: messagingApi.Message[] = [];
  const skipped: string[] = [];
  const quickReplies: messagingApi.QuickReplyItem[] = [];
  let quickReplyTitle: string | undefined;
  let hasAgentText = false;

  const addText = (text: unknown): void => {
    if (!nonEmpty(text)) return;
    const sticker = parseStickerCode(text);
    if (sticker) {
      messages.push({ type: 'sticker', ...sticker } satisfies messagingApi.StickerMessage);
      hasAgentText = true;
      return;
    }
    const parts = textMessages(text);
    if (parts.length > 0) hasAgentText = true;
    messages.push(...parts);
  };

  addText(msg.text);
  for (const item of Array.isArray(msg.content) ? msg.content : []) {
    if (!item || typeof item !== 'object') continue;
    switch (item.contentType) {
      case 'Attachment': {
        const before = messages.length;
        messages.push(...attachmentMessages(item.attachment, opts));
        if (nonEmpty(item.attachment?.text) && messages.length > before) hasAgentText = true;
        break;
      }
      case 'Text':
        addText(contentText(item));
        break;
      case 'QuickReply': {
        const qr = quickReplyItem(item.quickReply, source);
        if (qr) quickReplies.push(qr);
        break;
      }
      case 'QuickReplyV2': {
        const v2 = item.quickReplyV2;
        if (nonEmpty(v2?.title) && quickReplyTitle === undefined) quickReplyTitle = v2.title;
        for (const action of Array.isArray(v2?.actions) ? v2.actions : []) {
          const qr = quickReplyItem(action, source);
          if (qr) quickReplies.push(qr);
        }
        break;
      }
      case 'Card': {
        const flex = cardToFlex(item.card, source);
        if (flex) messages.push(flex);
        else skipped.push('empty Card');
        break;
      }
      case 'Carousel': {
        const flexes = cardsToFlexCarousels(item.carousel?.cards, source);
        if (flexes.length > 0) messages.push(...flexes);
        else skipped.push('empty Carousel');
        break;
      }
      case 'Location':
        messages.push(...locationMessages(item.location));
        break;
      case 'ButtonResponse':
        // The customer's own button answer echoed back: not something the agent said.
        skipped.push('ButtonResponse');
        break;
      default:
        skipped.push(String(item.contentType));
    }
  }

  if (quickReplies.length > 0) {
    // Quick replies show under the latest message of the chat only: they go on the last message sent.
    if (!hasAgentText && quickReplyTitle !== undefined) messages.push(...textMessages(quickReplyTitle));
    if (messages.length === 0) messages.push({ type: 'text', text: QUICK_REPLY_FALLBACK_TEXT });
    // LINE shows 13 buttons: the options past them follow as text, and the buttons go on that text, so
    // every option is in sight (quick replies show under the latest message only).
    const rest = quickReplies.slice(LINE_LIMITS.quickReplyItems);
    if (rest.length > 0) messages.push(...textMessages([MORE_OPTIONS_TEXT, ...rest.map((q) => `• ${optionText(q.action)}`)].join('\n')));
    const last = messages[messages.length - 1];
    if (last) last.quickReply = { items: quickReplies.slice(0, LINE_LIMITS.quickReplyItems) };
  }
  return { messages, skipped, keep: source?.keep ?? [] };
}

function batch(messages: messagingApi.Message[]): messagingApi.Message[][] {
  const batches: messagingApi.Message[][] = [];
  for (let i = 0; i < messages.length; i += LINE_LIMITS.messagesPerPush) {
    batches.push(messages.slice(i, i + LINE_LIMITS.messagesPerPush));
  }
  return batches;
}

function typingPlan(msg: OpenOutboundNormalizedMessage, to: string): OutboundPlan {
  const events = Array.isArray(msg.events) ? msg.events : [];
  const typing = events.find((e) => e && typeof e === 'object' && e.eventType === 'Typing');
  if (!typing) {
    const kinds = events.map((e) => String(e?.eventType)).join(', ') || 'none';
    return ignore(`event type ${kinds} is not relayed to LINE`);
  }
  const state = typing.typing?.type;
  if (state !== undefined && state !== 'On') return ignore(`typing ${String(state)} is not relayed to LINE`);
  if (!to.startsWith('U')) return ignore('LINE shows a loading animation in 1:1 chats only, not in groups or rooms');
  return { action: 'typing', to, loadingSeconds: loadingSeconds(typing.typing?.duration) };
}

/**
 * What to do on LINE for one Genesys outbound open message.
 * - `push`: LINE messages in order, in batches of at most 5 (one push request each, in order).
 * - `typing`: show the loading animation to `to` for `loadingSeconds`.
 * - `ignore`: nothing to send, with the reason. A `channel.to.id` that is not a LINE user/group/room id gives
 *   `ignore` with a reason starting "recipient": the relay reports it to Genesys as a Failed receipt.
 */
export function genesysToLine(msg: OpenOutboundNormalizedMessage, opts: ToLineOptions = {}): OutboundPlan {
  if (!msg || typeof msg !== 'object') return ignore('not a Genesys open message');
  if (msg.direction !== undefined && msg.direction !== 'Outbound') {
    return ignore(`direction ${String(msg.direction)}: only Outbound messages go to LINE`);
  }
  if (msg.type === 'Receipt' || msg.status !== undefined) return ignore('a receipt, not a message for the customer');

  const to: unknown = msg.channel?.to?.id;
  if (typeof to !== 'string' || !CHAT_ID.test(to)) {
    const shown = typeof to === 'string' ? JSON.stringify(truncateCodeUnits(to, 80)) : 'missing';
    return { action: 'ignore', reason: `recipient ${shown} is not a LINE id (U, C or R followed by 32 hex digits)`, undeliverable: true };
  }

  const hasBody = nonEmpty(msg.text) || (Array.isArray(msg.content) && msg.content.length > 0);
  if (msg.type === 'Event' || (!hasBody && Array.isArray(msg.events) && msg.events.length > 0)) {
    return typingPlan(msg, to);
  }

  const { messages, skipped, keep } = collectMessages(msg, opts);
  if (messages.length === 0) {
    const what = skipped.length > 0 ? `only content LINE does not get (${skipped.join(', ')})` : 'no text and no content';
    const reason = `nothing to send on LINE: the message has ${what}`;
    // The customer's own answer echoed back is nobody's message to deliver; anything else an agent sent was meant to arrive.
    const unsupported = skipped.filter((s) => s !== 'ButtonResponse');
    return unsupported.length > 0 ? { action: 'ignore', reason, undeliverable: true, unsupported } : ignore(reason);
  }
  const notSent = skipped.filter((s) => s !== 'ButtonResponse');
  return { action: 'push', to, batches: batch(messages), ...(keep.length > 0 ? { keep } : {}), ...(notSent.length > 0 ? { notSent } : {}) };
}
