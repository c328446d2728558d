/**
 * One LINE webhook event -> what the relay does with it on the Genesys side. Pure: no I/O, no
 * clock (the time comes from the event), never throws — LINE adds event types and fields, and
 * samples may lack some, so every field is checked before use.
 *
 * The relay first asks {@link inboundNeeds} what to fetch (the profile; for LINE-hosted media
 * the content), fetches it, then calls {@link lineEventToGenesys} with the results.
 *
 * ## Gates, in order (any event type)
 * | condition                                  | decision                                                                  |
 * | ------------------------------------------ | ------------------------------------------------------------------------- |
 * | not an object                              | ignore "not a LINE webhook event (not an object)"                         |
 * | `source.type` is `group` or `room`         | ignore "group chats are not relayed: a Genesys conversation is with one customer (<type> event in a <group/room>)" |
 * | `mode: "standby"` (but follow/unfollow)     | ignore "<type> event in standby mode: another module holds the chat"      |
 * | never-relayed type (second table)          | ignore "<type>: <why>" (no customer needed)                              |
 * | relayed type without a 1:1 `source.userId` | ignore "<type> event without a 1:1 customer (source.userId)"              |
 * | a `send` type with no usable time (`timestamp`, else the ULID time of `webhookEventId`) | ignore "<type> event without a usable timestamp" |
 *
 * ## LINE event type -> Genesys (1:1, active mode)
 * | LINE event                       | decision | Genesys inbound open message / note                                                                          |
 * | -------------------------------- | -------- | ------------------------------------------------------------------------------------------------------------ |
 * | message / text                   | send     | `text` = the text as is (LINE emoji placeholders such as "(love)" and mentions kept); a quote (`quotedMessageId`) of a message the relay still knows starts it with quoteLine() and a newline |
 * | message / sticker                | send     | `text` = stickerText() (keywords; message-sticker text), `content` = Image attachment of the sticker PNG (`sticker-<id>.png`, `image/png`); no attachment when the sticker id is not digits |
 * | message / location               | send     | `text` = locationText(): title, address, Google Maps link, one per line; `content` = Link attachment of the maps link (`text/html`, `text` = the title) when the coordinates are numbers |
 * | message / image, video, audio    | send     | `content` = Image / Video / Audio attachment from ctx.media (url, mime, filename, sha256); external content without ctx.media: `originalContentUrl` if https (else the placeholder below), mime image/jpeg, video/mp4, audio/mp4 |
 * | message / file                   | send     | `content` = File attachment from ctx.media, `filename` = the event's `fileName`                              |
 * | media whose content is missing   | send     | `text` = "[LINE <kind>: content could not be fetched (message id <id>)]" (file: kind is `file "<fileName>"`) — never lost silently |
 * | message / image in an imageSet   | send     | each image of the set is its own event and its own Genesys message (nothing added)                           |
 * | message / any other type         | send     | `text` = "[LINE <type> message]"                                                                              |
 * | postback answering a Genesys button | answer | `data` written by the relay (button-answer.ts), inline or a reference the relay still keeps (ctx.answer): OpenInboundStructuredResponseMessage with `buttonResponse` {type QuickReply or Button, text, payload} and `originatingMessageId` |
 * | postback                         | send     | any other `data` (a rich menu's, an expired reference): `text` = "[POSTBACK] <data>", then one line per param: date, time, datetime, newRichMenuAliasId, status, then any other param (sorted by name), as "<name>: <value>" |
 * | unsend                           | send     | `text` = "[LINE: the customer unsent a message (id <unsend.messageId>)]"                                     |
 * | follow                           | record   | kind `follow`, reason "customer unblocked the account" (`follow.isUnblocked`) or "customer added the account as a friend" |
 * | unfollow                         | record   | kind `unfollow`, reason "customer blocked the account; replies to them will fail fast"                        |
 * | messageEdited (not in SDK 10)    | ignore   | edits are not relayed (LINE sends them for group chats, which are ignored anyway)                              |
 * | videoPlayComplete                | ignore   | the customer watched a video the bot sent to the end: no message for the agent                               |
 * | beacon                           | ignore   | LINE Beacon proximity: not relayed                                                                            |
 * | accountLink                      | ignore   | account-linking result: not relayed                                                                            |
 * | membership                       | ignore   | LINE membership (subscription) change: not relayed                                                             |
 * | join, leave                      | ignore   | the bot joined / left a group or room (group chats are not relayed)                                          |
 * | memberJoined, memberLeft         | ignore   | members joined / left a group or room (group chats are not relayed)                                          |
 * | activated, deactivated, botSuspended, botResumed, module | ignore | module-channel events (chat control of another module): not relayed                    |
 * | delivery                         | ignore   | delivery completion of a LINE notification message (PNP): not relayed                                        |
 * | things (retired 2025)            | ignore   | LINE Things device events: not relayed                                                                        |
 * | any other type                   | ignore   | "unknown LINE event type \"<type>\": not relayed"                                                              |
 * Every ignore reason of an event object names its type.
 *
 * ## Every `send` (and `answer`: the same `channel`)
 * - `channel.messageId`: the LINE message id for message events (the `webhookEventId` when the
 *   message has none), the `webhookEventId` for every other event.
 * - `channel.time`: `new Date(event.timestamp).toISOString()`.
 * - `channel.from`: `{ id: userId, idType: 'Opaque', nickname, firstName, image }`, name and picture
 *   from the LINE profile; absent keys are omitted, never `undefined`.
 * - `channel.metadata.customAttributes`: the channel's own custom attributes, then `market`, `brand`,
 *   `lineChannel` (the channel id) and, when the profile has it, `language` — strings only. Not the
 *   top-level `metadata` map: Genesys accepts it but does not turn it into participant data.
 * - `content`: at most one item, `{ attachment }` (OpenInboundMessageContent, see {@link inboundContent}).
 */
import type { webhook } from '@line/bot-sdk';
import type {
  AttachmentMediaType,
  OpenContentAttachment,
  OpenInboundMessageContent,
  OpenInboundMessageMessagingChannel,
  OpenInboundNormalizedMessage,
  OpenInboundStructuredResponseMessage,
  OpenMessagingFromRecipient,
} from '../genesys/types.js';
import { USER_ID } from '../line/ids.js';
import { ulidTime } from '../line/webhook-event-id.js';
import { judgeUrl } from '../url.js';
import { readAnswerData, type ButtonAnswer } from './button-answer.js';
import { locationText, mapsUrl } from './location.js';
import { isValidStickerId, stickerImageUrl, stickerText } from './sticker.js';

export interface InboundChannel {
  id: string;
  market: string;
  brand: string;
  customAttributes?: Record<string, string>;
}
export interface LineProfileInfo {
  displayName?: string;
  pictureUrl?: string;
  language?: string;
}
/** Media already fetched from LINE's content API and served by the relay (or an external URL). */
export interface ResolvedMedia {
  url: string;
  mime: string;
  filename?: string;
  sha256?: string;
}
export interface InboundContext {
  channel: InboundChannel;
  profile?: LineProfileInfo;
  media?: ResolvedMedia;
  /** The text of the message a customer's text quotes, when the relay still knows it. */
  quoted?: string;
  /** The button answer kept under a postback's reference (InboundNeeds.answerRef), when the relay still has it. */
  answer?: ButtonAnswer;
}
export type InboundDecision =
  | { action: 'send'; message: OpenInboundNormalizedMessage }
  /** A tap on a button Genesys sent: a structured response (…/inbound/open/structured/response). */
  | { action: 'answer'; message: OpenInboundStructuredResponseMessage }
  /** Remembered by the relay, nothing sent to Genesys. */
  | { action: 'record'; kind: 'follow' | 'unfollow'; userId: string; reason: string }
  /** Said why, for logs/metrics. */
  | { action: 'ignore'; reason: string };
/** What the relay must fetch before calling lineEventToGenesys: the profile (user id) and, for LINE-hosted media, the message content. */
export interface InboundNeeds {
  userId?: string;
  contentMessageId?: string;
  mediaKind?: 'image' | 'video' | 'audio' | 'file';
  fileName?: string;
  /** A text that quotes an earlier message: its id, whose text the relay may still know (InboundContext.quoted). */
  quotedMessageId?: string;
  /** A postback whose data is a reference to a button answer the relay keeps (InboundContext.answer). */
  answerRef?: string;
}

export const GROUP_REASON = 'group chats are not relayed: a Genesys conversation is with one customer';

type MediaKind = NonNullable<InboundNeeds['mediaKind']>;
type Loose = Record<string, unknown>;

const MEDIA_TYPE: Record<MediaKind, AttachmentMediaType> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  file: 'File',
};
/**
 * Mime of external content (no ctx.media) and of resolved media that came without one.
 * LINE's audio is m4a, whose registered type is audio/mp4 ("audio/m4a" is not a mime type).
 */
const DEFAULT_MIME: Record<MediaKind, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/mp4',
  file: 'application/octet-stream',
};

/** Event types that are never relayed, with why. */
const IGNORED_TYPES: ReadonlyMap<string, string> = new Map(Object.entries({
  messageEdited: 'message edits are not relayed (LINE sends them for group chats only)',
  videoPlayComplete: 'the customer watched a video the bot sent to the end; nothing for the agent',
  beacon: 'LINE Beacon proximity events are not relayed',
  accountLink: 'account-linking results are not relayed',
  membership: 'LINE membership (subscription) changes are not relayed',
  join: 'the bot joined a group or room; group chats are not relayed',
  leave: 'the bot left a group or room; group chats are not relayed',
  memberJoined: 'members joined a group or room; group chats are not relayed',
  memberLeft: 'members left a group or room; group chats are not relayed',
  activated: 'module channel event (chat control activated); not relayed',
  deactivated: 'module channel event (chat control deactivated); not relayed',
  botSuspended: 'module channel event (bot suspended); not relayed',
  botResumed: 'module channel event (bot resumed); not relayed',
  module: 'module channel event (module attached/detached); not relayed',
  delivery: 'delivery completion of a LINE notification message (PNP); not relayed',
  things: 'LINE Things device events are not relayed',
}));

/** Event types that reach Genesys or are recorded: they need a 1:1 customer. */
const CUSTOMER_TYPES = new Set(['message', 'postback', 'unsend', 'follow', 'unfollow']);
/** Event types that become a Genesys message (and so need the customer's profile). */
const SEND_TYPES = new Set(['message', 'postback', 'unsend']);

const POSTBACK_PARAM_ORDER = ['date', 'time', 'datetime', 'newRichMenuAliasId', 'status'];

function rec(v: unknown): Loose | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Loose) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** An id that may have been sent as a number: as a string, or undefined. */
function idString(v: unknown): string | undefined {
  if (typeof v === 'string') return v !== '' ? v : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function typeOf(e: Loose): string {
  return str(e['type']) ?? 'unknown';
}

/** ISO-8601 time of the event: `timestamp`, else the time part of the ULID `webhookEventId`. */
function eventTime(e: Loose): string | undefined {
  // The webhook event id's time is read only when the timestamp is unusable (it costs a decode).
  return isoTime(e['timestamp']) ?? isoTime(ulidTime(str(e['webhookEventId'])));
}

function isoTime(c: unknown): string | undefined {
  const ms = typeof c === 'string' && /^\d+$/.test(c) ? Number(c) : c;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

type Gate = { ok: true; e: Loose; type: string; userId?: string } | { ok: false; decision: InboundDecision };

function ignore(reason: string): { ok: false; decision: InboundDecision } {
  return { ok: false, decision: { action: 'ignore', reason } };
}

/** The checks every event goes through, whatever its type (see the first table). */
function gate(event: unknown): Gate {
  const e = rec(event);
  if (!e) return ignore('not a LINE webhook event (not an object)');
  const type = typeOf(e);
  const source = rec(e['source']);
  const sourceType = source ? str(source['type']) : undefined;
  if (sourceType === 'group' || sourceType === 'room') {
    return ignore(`${GROUP_REASON} (${type} event in a ${sourceType})`);
  }
  // In standby another module holds the chat: nothing is relayed, but whether the customer blocked
  // the account is still worth knowing, so follow and unfollow are recorded in either mode.
  if (e['mode'] === 'standby' && type !== 'follow' && type !== 'unfollow') return ignore(`${type} event in standby mode: another module holds the chat`);
  const userId = sourceType === 'user' && source ? str(source['userId']) : undefined;
  return userId !== undefined ? { ok: true, e, type, userId } : { ok: true, e, type };
}

function mediaKindOf(type: string): MediaKind | undefined {
  return type === 'image' || type === 'video' || type === 'audio' || type === 'file' ? type : undefined;
}

/** LINE-hosted content is fetched by message id: provider `line` (or none given); files always. */
function isLineHosted(kind: MediaKind, m: Loose): boolean {
  if (kind === 'file') return true;
  const provider = rec(m['contentProvider']);
  const providerType = provider ? provider['type'] : undefined;
  return providerType === undefined || providerType === 'line';
}

/** The profile and content the relay must fetch before {@link lineEventToGenesys}. */
export function inboundNeeds(event: webhook.Event): InboundNeeds {
  const g = gate(event);
  if (!g.ok || !SEND_TYPES.has(g.type) || g.userId === undefined) return {};
  const needs: InboundNeeds = {};
  // Ids go into LINE URLs: only well-formed ones are handed out (api-facts: validate ids).
  if (USER_ID.test(g.userId)) needs.userId = g.userId;
  if (g.type === 'postback') {
    const read = readAnswerData(rec(g.e['postback'])?.['data']);
    if (read && 'ref' in read) needs.answerRef = read.ref;
    return needs;
  }
  if (g.type !== 'message') return needs;
  const m = rec(g.e['message']);
  if (!m) return needs;
  const quoted = str(m['type']) === 'text' ? idString(m['quotedMessageId']) : undefined;
  if (quoted) needs.quotedMessageId = quoted;
  const kind = mediaKindOf(str(m['type']) ?? '');
  const id = idString(m['id']);
  if (!kind || !id || !/^\d{1,32}$/.test(id) || !isLineHosted(kind, m)) return needs;
  needs.contentMessageId = id;
  needs.mediaKind = kind;
  const fileName = kind === 'file' ? str(m['fileName']) : undefined;
  if (fileName !== undefined) needs.fileName = fileName;
  return needs;
}

/** The key the relay dedupes on: `webhookEventId` (or, when an event lacks one, a key built from its fields). */
export function eventDedupeKey(event: webhook.Event): string {
  const e = rec(event);
  if (!e) return 'noid:invalid';
  const id = str(e['webhookEventId']);
  if (id !== undefined) return id;
  const source = rec(e['source']);
  const who = source ? (str(source['userId']) ?? str(source['groupId']) ?? str(source['roomId']) ?? '') : '';
  const message = rec(e['message']);
  const messageId = message ? (idString(message['id']) ?? '') : '';
  const ts = typeof e['timestamp'] === 'number' || typeof e['timestamp'] === 'string' ? String(e['timestamp']) : '';
  return `noid:${typeOf(e)}:${who}:${ts}:${messageId}`;
}

/** The customer (LINE user id) of a 1:1 event, for per-customer ordering; undefined for group/room or no user. */
export function eventCustomerId(event: webhook.Event): string | undefined {
  const source = rec(rec(event)?.['source']);
  if (!source || source['type'] !== 'user') return undefined;
  return str(source['userId']);
}

function fromRecipient(userId: string, profile: LineProfileInfo | undefined): OpenMessagingFromRecipient {
  const from: OpenMessagingFromRecipient = { id: userId, idType: 'Opaque' };
  const name = str(profile?.displayName);
  if (name !== undefined) {
    from.nickname = name;
    from.firstName = name;
  }
  const image = str(profile?.pictureUrl);
  if (image !== undefined) from.image = image;
  return from;
}

/** The custom attributes sent with each message of a channel's customer (see the tables at the top). */
export function customAttributesOf(channel: InboundChannel, profile?: LineProfileInfo): Record<string, string> {
  const out: Record<string, string> = {};
  const own = rec(channel.customAttributes);
  if (own) {
    for (const [k, v] of Object.entries(own)) if (typeof v === 'string') out[k] = v;
  }
  out['market'] = String(channel.market);
  out['brand'] = String(channel.brand);
  out['lineChannel'] = String(channel.id);
  const language = str(profile?.language);
  if (language !== undefined) out['language'] = language;
  return out;
}

interface Body {
  text?: string;
  attachment?: OpenContentAttachment;
}

function inboundChannel(messageId: string, time: string, userId: string, ctx: InboundContext): OpenInboundMessageMessagingChannel {
  return {
    messageId,
    time,
    from: fromRecipient(userId, ctx.profile),
    metadata: { customAttributes: customAttributesOf(ctx.channel, ctx.profile) },
  };
}

function send(messageId: string, time: string, userId: string, ctx: InboundContext, body: Body): InboundDecision {
  const message: OpenInboundNormalizedMessage = { channel: inboundChannel(messageId, time, userId, ctx) };
  if (body.text !== undefined) message.text = body.text;
  if (body.attachment) message.content = [inboundContent(body.attachment)];
  return { action: 'send', message };
}

/**
 * One inbound content item. Genesys's model of it (OpenInboundMessageContent) has `attachment` only: the
 * `contentType: "Attachment"` of older examples belongs to the outbound model (OpenMessageContent), and an
 * inbound item can only be an attachment anyway, so we send none.
 */
function inboundContent(attachment: OpenContentAttachment): OpenInboundMessageContent {
  return { attachment };
}

/** A location's Google Maps link, as a Link attachment (with the title when there is one). */
function locationLink(m: Loose): OpenContentAttachment | undefined {
  const lat = m['latitude'];
  const lng = m['longitude'];
  if (typeof lat !== 'number' || typeof lng !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lng)) return undefined;
  const title = str(m['title'])?.trim();
  return { mediaType: 'Link', url: mapsUrl(lat, lng), mime: 'text/html', ...(title ? { text: title } : {}) };
}

function mediaBody(kind: MediaKind, m: Loose, messageId: string, media: ResolvedMedia | undefined): Body {
  const fileName = kind === 'file' ? str(m['fileName']) : undefined;
  const resolved = rec(media);
  const url = resolved ? str(resolved['url']) : undefined;
  if (resolved && url !== undefined) {
    const attachment: OpenContentAttachment = {
      mediaType: MEDIA_TYPE[kind],
      url,
      mime: str(resolved['mime']) ?? DEFAULT_MIME[kind],
    };
    const filename = fileName ?? str(resolved['filename']);
    if (filename !== undefined) attachment.filename = filename;
    const sha256 = str(resolved['sha256']);
    if (sha256 !== undefined) attachment.sha256 = sha256;
    return { attachment };
  }
  const provider = rec(m['contentProvider']);
  // The link reaches the agent's browser: https only (not javascript:, data: or plain http).
  const external = provider && provider['type'] === 'external' ? judgeUrl(provider['originalContentUrl'], { protocols: ['https:'] }) : undefined;
  if (external?.ok) {
    return { attachment: { mediaType: MEDIA_TYPE[kind], url: external.url.href, mime: DEFAULT_MIME[kind] } };
  }
  const what = fileName !== undefined ? `file ${JSON.stringify(fileName)}` : kind;
  return { text: `[LINE ${what}: content could not be fetched (message id ${messageId})]` };
}

const QUOTE_LENGTH = 80;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `↪ "<the quoted text on one line, its first 80 characters>…"`: what the customer is answering. */
export function quoteLine(quoted: string): string {
  const flat = quoted.replace(/\s+/g, ' ').trim();
  const chars = Array.from(graphemes.segment(flat), (g) => g.segment);
  return `↪ "${chars.length > QUOTE_LENGTH ? `${chars.slice(0, QUOTE_LENGTH).join('')}…` : flat}"`;
}

function messageBody(m: Loose | undefined, messageId: string, ctx: InboundContext): Body {
  const type = (m && str(m['type'])) ?? 'unknown';
  if (!m) return { text: `[LINE ${type} message]` };
  switch (type) {
    case 'text': {
      const text = str(m['text']) ?? '[LINE text message]';
      return { text: ctx.quoted !== undefined && idString(m['quotedMessageId']) ? `${quoteLine(ctx.quoted)}\n${text}` : text };
    }
    case 'sticker': {
      const sticker = m as unknown as webhook.StickerMessageContent;
      const body: Body = { text: stickerText(sticker) };
      if (isValidStickerId(sticker.stickerId)) {
        body.attachment = {
          mediaType: 'Image',
          url: stickerImageUrl(sticker),
          mime: 'image/png',
          filename: `sticker-${sticker.stickerId}.png`,
        };
      }
      return body;
    }
    case 'location': {
      const body: Body = { text: locationText(m as unknown as webhook.LocationMessageContent) };
      const link = locationLink(m);
      if (link) body.attachment = link;
      return body;
    }
    case 'image':
    case 'video':
    case 'audio':
    case 'file':
      return mediaBody(type, m, messageId, ctx.media);
    default:
      return { text: `[LINE ${type} message]` };
  }
}

function paramValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function postbackText(e: Loose): string {
  const postback = rec(e['postback']);
  const data = postback && typeof postback['data'] === 'string' ? postback['data'] : '';
  const lines = [data ? `[POSTBACK] ${data}` : '[POSTBACK]'];
  const params = rec(postback?.['params']);
  if (params) {
    const known = POSTBACK_PARAM_ORDER.filter((k) => Object.hasOwn(params, k));
    const others = Object.keys(params)
      .filter((k) => !POSTBACK_PARAM_ORDER.includes(k))
      .sort();
    for (const k of [...known, ...others]) {
      const v = paramValue(params[k]);
      if (v !== undefined) lines.push(`${k}: ${v}`);
    }
  }
  return lines.join('\n');
}

/** The button answer a postback carries: in its data, or kept under the reference in its data (ctx.answer). */
function postbackAnswer(e: Loose, ctx: InboundContext): ButtonAnswer | undefined {
  const postback = rec(e['postback']);
  // A postback with params comes from a date picker or a rich menu switch, never from a Genesys button.
  if (!postback || rec(postback['params'])) return undefined;
  const read = readAnswerData(postback['data']);
  if (!read) return undefined;
  return 'answer' in read ? read.answer : ctx.answer;
}

/** Decide what one LINE webhook event becomes in Genesys (see the tables at the top of this file). */
export function lineEventToGenesys(event: webhook.Event, ctx: InboundContext): InboundDecision {
  const g = gate(event);
  if (!g.ok) return g.decision;
  const { e, type, userId } = g;

  if (!CUSTOMER_TYPES.has(type)) {
    const why = IGNORED_TYPES.get(type);
    return { action: 'ignore', reason: why ? `${type}: ${why}` : `unknown LINE event type ${JSON.stringify(type)}: not relayed` };
  }
  if (userId === undefined) return { action: 'ignore', reason: `${type} event without a 1:1 customer (source.userId)` };

  if (type === 'follow') {
    const follow = rec(e['follow']);
    const unblocked = follow?.['isUnblocked'] === true;
    return {
      action: 'record',
      kind: 'follow',
      userId,
      reason: unblocked ? 'customer unblocked the account' : 'customer added the account as a friend',
    };
  }
  if (type === 'unfollow') {
    return { action: 'record', kind: 'unfollow', userId, reason: 'customer blocked the account; replies to them will fail fast' };
  }

  const time = eventTime(e);
  if (time === undefined) return { action: 'ignore', reason: `${type} event without a usable timestamp` };
  const eventId = eventDedupeKey(event);

  if (type === 'message') {
    const m = rec(e['message']);
    const messageId = (m && idString(m['id'])) ?? eventId;
    return send(messageId, time, userId, ctx, messageBody(m, messageId, ctx));
  }
  if (type === 'postback') {
    const answer = postbackAnswer(e, ctx);
    if (answer) {
      const { originatingMessageId, type: buttonType, text, payload } = answer;
      const message: OpenInboundStructuredResponseMessage = {
        channel: inboundChannel(eventId, time, userId, ctx),
        buttonResponse: { type: buttonType, text, payload },
        originatingMessageId,
      };
      return { action: 'answer', message };
    }
    return send(eventId, time, userId, ctx, { text: postbackText(e) });
  }
  // unsend
  const unsentId = idString(rec(e['unsend'])?.['messageId']) ?? 'unknown';
  return send(eventId, time, userId, ctx, { text: `[LINE: the customer unsent a message (id ${unsentId})]` });
}
