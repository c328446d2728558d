/**
 * Genesys Card / Carousel content -> LINE Flex Messages, and the LINE action objects that buttons and
 * quick replies share. Pure functions, no I/O.
 *
 * Limits are LINE's (developers.line.biz/en/reference/messaging-api/, and messaging-api.yml):
 * action `label` 20, postback `data` 300, postback `displayText` / message-action `text` 300, uri 1000,
 * flex image url 2000 (HTTPS), flex `altText` 1500, 12 bubbles in a carousel; a bubble's JSON at most
 * 30 KB and a carousel's 50 KB.
 */
import type { messagingApi } from '@line/bot-sdk';
import type { ConversationContentCard, ConversationContentCardAction } from '../genesys/types.js';
import { judgeUrl } from '../url.js';
import { answerData, type AnswerReference, type ButtonAnswer } from './button-answer.js';
import { truncateCodeUnits, truncateGraphemes } from './split-text.js';

export const FLEX_LIMITS = {
  /** flex `altText`, UTF-16 code units */
  altText: 1500,
  /** action `label`, grapheme clusters (LINE's limit for quick reply buttons and templates; kept for flex buttons too) */
  actionLabel: 20,
  /** postback `data`, code units */
  postbackData: 300,
  /** postback `displayText` and message-action `text`, grapheme clusters */
  actionText: 300,
  /** uri action `uri` */
  uri: 1000,
  /** image and flex image urls, quick reply `imageUrl` */
  imageUrl: 2000,
  /** bubbles in one flex carousel */
  carouselBubbles: 12,
  /** JSON size of one bubble */
  bubbleBytes: 30_000,
  /** JSON size of one carousel container */
  carouselBytes: 50_000,
  /** our own caps on card texts, which keep every bubble well under LINE's 30 KB */
  cardTitle: 200,
  cardDescription: 1000,
} as const;

/** An absolute https: URL no longer than `max`, normalised (percent-encoded) as LINE expects; else undefined. */
export function httpsUrl(value: unknown, max: number): string | undefined {
  const verdict = judgeUrl(value, { protocols: ['https:'], maxLength: max });
  return verdict.ok ? verdict.url.href : undefined;
}

/** A URI a LINE uri action may open: http, https, line or tel, at most 1000 characters. */
function actionUri(value: unknown): string | undefined {
  const verdict = judgeUrl(value, { protocols: ['http:', 'https:', 'line:', 'tel:'], maxLength: FLEX_LIMITS.uri });
  return verdict.ok ? verdict.url.href : undefined;
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/**
 * Where the answers to one Genesys message's buttons go back to: that message (its id is the structured
 * response's `originatingMessageId`), and the answers too long for postback `data`, for the relay to keep.
 */
export interface AnswerSource {
  originatingMessageId: string;
  /** Filled by the functions below: one entry per distinct reference. */
  keep: AnswerReference[];
}

/**
 * The action for a button the customer answers with (Genesys quick reply, card Postback button).
 * With a payload, a postback action whose `data` carries the answer (button-answer.ts), so the tap reaches
 * Genesys as a structured response; `displayText` shows the button's text in the chat as the customer's
 * message. Without an answer source (a library caller), `data` is the bare payload when it fits, as
 * before. Without a usable payload, a message action sending the button's text. Undefined when there is
 * nothing to show as a label.
 */
export function answerAction(
  text: string | undefined,
  payload: string | undefined,
  answer?: { type: ButtonAnswer['type']; source: AnswerSource },
): messagingApi.Action | undefined {
  const shown = nonEmpty(text) ? text.trim() : nonEmpty(payload) ? payload.trim() : undefined;
  if (shown === undefined) return undefined;
  const label = truncateGraphemes(shown, FLEX_LIMITS.actionLabel);
  const said = truncateGraphemes(shown, FLEX_LIMITS.actionText);
  if (nonEmpty(payload) && answer) {
    const { source, type } = answer;
    const encoded = answerData({ originatingMessageId: source.originatingMessageId, type, text: said, payload });
    const keep = encoded.keep;
    if (keep && !source.keep.some((k) => k.ref === keep.ref)) source.keep.push(keep);
    const action: messagingApi.PostbackAction = { type: 'postback', label, data: encoded.data, displayText: said };
    return action;
  }
  if (nonEmpty(payload) && payload.length <= FLEX_LIMITS.postbackData) {
    const action: messagingApi.PostbackAction = { type: 'postback', label, data: payload, displayText: said };
    return action;
  }
  const action: messagingApi.MessageAction = { type: 'message', label, text: said };
  return action;
}

/** A Genesys card action as a LINE action: Link -> uri, Postback -> postback (or message, see answerAction). */
export function cardAction(action: ConversationContentCardAction | undefined, source?: AnswerSource): messagingApi.Action | undefined {
  if (!action || typeof action !== 'object') return undefined;
  const kind = typeof action.type === 'string' ? action.type.toLowerCase() : '';
  if (kind === 'link' || (kind === '' && nonEmpty(action.url) && !nonEmpty(action.payload))) {
    const uri = actionUri(action.url);
    if (uri === undefined) return undefined;
    const label = truncateGraphemes(nonEmpty(action.text) ? action.text.trim() : 'Open', FLEX_LIMITS.actionLabel);
    const link: messagingApi.URIAction = { type: 'uri', label, uri };
    return link;
  }
  return answerAction(action.text, action.payload, source ? { type: 'Button', source } : undefined);
}

/** One Genesys card as a flex bubble: hero image, bold title and wrapped description, a button per action. */
export function cardToBubble(card: ConversationContentCard | undefined, source?: AnswerSource): messagingApi.FlexBubble | undefined {
  if (!card || typeof card !== 'object') return undefined;
  const bubble: messagingApi.FlexBubble = { type: 'bubble' };
  const open = cardAction(card.defaultAction);
  const defaultLink = open?.type === 'uri' ? open : undefined;

  const image = httpsUrl(card.image, FLEX_LIMITS.imageUrl);
  if (image !== undefined) {
    const hero: messagingApi.FlexImage = { type: 'image', url: image, size: 'full', aspectRatio: '20:13', aspectMode: 'cover' };
    if (defaultLink) hero.action = defaultLink;
    bubble.hero = hero;
  }

  const body: messagingApi.FlexComponent[] = [];
  if (nonEmpty(card.title)) {
    const title: messagingApi.FlexText = {
      type: 'text',
      text: truncateCodeUnits(card.title.trim(), FLEX_LIMITS.cardTitle),
      weight: 'bold',
      size: 'lg',
      wrap: true,
    };
    body.push(title);
  }
  if (nonEmpty(card.description)) {
    const description: messagingApi.FlexText = {
      type: 'text',
      text: truncateCodeUnits(card.description.trim(), FLEX_LIMITS.cardDescription),
      size: 'sm',
      color: '#666666',
      wrap: true,
    };
    if (body.length > 0) description.margin = 'md';
    body.push(description);
  }
  if (body.length > 0) bubble.body = { type: 'box', layout: 'vertical', contents: body };

  const buttons: messagingApi.FlexButton[] = [];
  // Room is kept for the footer box and the bubble's own default action. The caps on texts leave room
  // for more buttons than a card has in practice; only a button that would pass 30 KB is left out.
  let bytes = Buffer.byteLength(JSON.stringify(bubble)) + (defaultLink ? Buffer.byteLength(JSON.stringify(defaultLink)) : 0) + 200;
  for (const a of Array.isArray(card.actions) ? card.actions : []) {
    const action = cardAction(a, source);
    if (!action) continue;
    const button: messagingApi.FlexButton = { type: 'button', style: 'link', height: 'sm', action };
    bytes += Buffer.byteLength(JSON.stringify(button)) + 1;
    if (bytes > FLEX_LIMITS.bubbleBytes) break;
    buttons.push(button);
  }
  if (buttons.length > 0) bubble.footer = { type: 'box', layout: 'vertical', spacing: 'sm', contents: buttons };

  if (!bubble.hero && !bubble.body && !bubble.footer) return undefined;
  if (defaultLink && !bubble.hero) bubble.action = defaultLink;
  return bubble;
}

/** The alt text of a card: its title and description, as the notification and chat list show it. */
function cardAltText(card: ConversationContentCard): string {
  const parts = [card.title, card.description].filter(nonEmpty).map((s) => s.trim());
  return parts.join('\n');
}

/** A Genesys Card as a flex message (bubble), or undefined when the card has nothing to show. */
export function cardToFlex(card: ConversationContentCard | undefined, source?: AnswerSource): messagingApi.FlexMessage | undefined {
  const bubble = cardToBubble(card, source);
  if (!bubble || !card) return undefined;
  const altText = truncateCodeUnits(cardAltText(card) || 'Card', FLEX_LIMITS.altText);
  return { type: 'flex', altText, contents: bubble };
}

/**
 * A Genesys Carousel as flex carousel messages: one message per 12 bubbles (LINE's maximum), also starting
 * a new one before a carousel would pass 50 KB, so no card is lost. altText: the titles of its cards.
 */
export function cardsToFlexCarousels(cards: ConversationContentCard[] | undefined, source?: AnswerSource): messagingApi.FlexMessage[] {
  const items: Array<{ card: ConversationContentCard; bubble: messagingApi.FlexBubble }> = [];
  for (const card of Array.isArray(cards) ? cards : []) {
    const bubble = cardToBubble(card, source);
    if (bubble && card) items.push({ card, bubble });
  }
  const groups: Array<typeof items> = [];
  let group: typeof items = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item.bubble)) + 1;
    if (group.length === FLEX_LIMITS.carouselBubbles || (group.length > 0 && bytes + size > FLEX_LIMITS.carouselBytes - 100)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(item);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);

  return groups.map((g) => {
    const titles = g.map(({ card }) => (nonEmpty(card.title) ? card.title.trim() : '')).filter((t) => t !== '');
    const altText = truncateCodeUnits(titles.join(' / ') || 'Carousel', FLEX_LIMITS.altText);
    const contents: messagingApi.FlexCarousel = { type: 'carousel', contents: g.map(({ bubble }) => bubble) };
    return { type: 'flex', altText, contents };
  });
}
