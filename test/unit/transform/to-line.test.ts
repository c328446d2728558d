import { readFileSync } from 'node:fs';
import type { messagingApi } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import type { ConversationMessageContent, OpenOutboundNormalizedMessage } from '../../../src/genesys/types.js';
import { genesysToLine, LINE_LIMITS, splitText, type OutboundPlan } from '../../../src/transform/to-line.js';
import { genesysOutcome, outboundShape, templateNames } from '../../contract/template-outcomes.js';

const TEMPLATES = new URL('../../../templates/genesys/', import.meta.url);
const USER = 'U4af4980629c5f1b2e1d4c3b2a1f0e9d8';
const PUBLIC_URL = 'https://relay.example.com';

function template(name: string): OpenOutboundNormalizedMessage {
  return JSON.parse(readFileSync(new URL(name, TEMPLATES), 'utf8')) as OpenOutboundNormalizedMessage;
}

function outbound(fields: Partial<OpenOutboundNormalizedMessage>): OpenOutboundNormalizedMessage {
  return {
    id: 'f1e2d3c4b5a64798a1b2c3d4e5f60718',
    channel: {
      id: '8c2a7f4e-1b3d-4e5f-9a6b-7c8d9e0f1a2b',
      platform: 'Open',
      type: 'Private',
      to: { id: USER },
      from: { id: '8c2a7f4e-1b3d-4e5f-9a6b-7c8d9e0f1a2b', idType: 'Opaque', nickname: 'Agent' },
      time: '2025-03-14T09:21:07.412Z',
      messageId: 'f1e2d3c4b5a64798a1b2c3d4e5f60718',
    },
    type: 'Text',
    direction: 'Outbound',
    ...fields,
  };
}

/**
 * The postback data of an answer button, written out by hand: `lg1:` and the JSON array
 * [originatingMessageId, Q (quick reply) or B (card button), text, payload] (button-answer.ts).
 */
const answer = (id: string, kind: 'Q' | 'B', text: string, payload: string) => `lg1:["${id}","${kind}","${text}","${payload}"]`;
const QR_TEMPLATE_ID = '5e6f7a8b9c0d4be2f3a4b5c6d7e8f9a0';
const OUTBOUND_ID = 'f1e2d3c4b5a64798a1b2c3d4e5f60718';

const attachment = (a: Record<string, unknown>): ConversationMessageContent => ({
  contentType: 'Attachment',
  attachment: { mediaType: 'File', ...a },
});

// ---------------------------------------------------------------------------------------------
// LINE's rules, as plain assertions (developers.line.biz/en/reference/messaging-api/, messaging-api.yml,
// and developers.line.biz/en/docs/messaging-api/text-character-count/).
const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function expectWellFormed(s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHigh(c)) {
      expect(isLow(s.charCodeAt(i + 1)), `lone high surrogate at ${i}`).toBe(true);
      i++;
    } else {
      expect(isLow(c), `lone low surrogate at ${i}`).toBe(false);
    }
  }
}

function expectHttps(url: unknown, max = 2000): void {
  expect(typeof url).toBe('string');
  const u = url as string;
  expect(new URL(u).protocol).toBe('https:');
  expect(u.length).toBeLessThanOrEqual(max);
}

function expectLabel(label: unknown): void {
  expect(typeof label).toBe('string');
  expect((label as string).trim()).not.toBe('');
  expect(graphemes(label as string)).toBeLessThanOrEqual(LINE_LIMITS.actionLabel);
}

function expectAction(action: messagingApi.Action | undefined, where: 'quickReply' | 'flex'): void {
  expect(action).toBeDefined();
  const a = action as messagingApi.Action;
  switch (a.type) {
    case 'postback': {
      const p = a as messagingApi.PostbackAction;
      expectLabel(p.label);
      expect(typeof p.data).toBe('string');
      expect((p.data as string).length).toBeLessThanOrEqual(300);
      if (where === 'quickReply') expect(p.displayText).toBeTruthy(); // required for quick reply buttons
      if (p.displayText !== undefined) expect(graphemes(p.displayText)).toBeLessThanOrEqual(300);
      expect(p.displayText !== undefined && p.text !== undefined).toBe(false);
      break;
    }
    case 'message': {
      const m = a as messagingApi.MessageAction;
      expectLabel(m.label);
      expect(m.text).toBeTruthy();
      expect(graphemes(m.text as string)).toBeLessThanOrEqual(300);
      break;
    }
    case 'uri': {
      const u = a as messagingApi.URIAction;
      if (where === 'quickReply' || u.label !== undefined) expectLabel(u.label);
      expect(u.uri).toMatch(/^(https?|line|tel):/);
      expect((u.uri as string).length).toBeLessThanOrEqual(1000);
      break;
    }
    default:
      throw new Error(`unexpected action type ${String(a.type)}`);
  }
}

function walkFlex(node: unknown, visit: (n: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walkFlex(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node).forEach((v) => walkFlex(v, visit));
  }
}

function expectBubble(bubble: messagingApi.FlexBubble): void {
  expect(bubble.type).toBe('bubble');
  expect(Buffer.byteLength(JSON.stringify(bubble))).toBeLessThanOrEqual(30_000);
  for (const box of [bubble.body, bubble.footer]) {
    if (box) expect(box.contents.length).toBeGreaterThan(0);
  }
  if (bubble.action) expectAction(bubble.action, 'flex');
  walkFlex(bubble, (n) => {
    if (n.type === 'image') expectHttps(n.url);
    if (n.type === 'text') expect(typeof n.text === 'string' && n.text.trim() !== '').toBe(true);
    if (n.type === 'button') expectAction(n.action as messagingApi.Action, 'flex');
  });
}

function expectLineMessage(m: messagingApi.Message): void {
  switch (m.type) {
    case 'text': {
      const t = m as messagingApi.TextMessage;
      expect(t.text.trim()).not.toBe('');
      expect(t.text.length).toBeLessThanOrEqual(LINE_LIMITS.textLength);
      expectWellFormed(t.text);
      break;
    }
    case 'image': {
      const i = m as messagingApi.ImageMessage;
      expectHttps(i.originalContentUrl);
      expectHttps(i.previewImageUrl);
      break;
    }
    case 'video': {
      const v = m as messagingApi.VideoMessage;
      expectHttps(v.originalContentUrl);
      expectHttps(v.previewImageUrl);
      break;
    }
    case 'audio': {
      const a = m as messagingApi.AudioMessage;
      expectHttps(a.originalContentUrl);
      expect(Number.isInteger(a.duration) && a.duration > 0).toBe(true);
      break;
    }
    case 'location': {
      const l = m as messagingApi.LocationMessage;
      expect(l.title.length).toBeGreaterThan(0);
      expect(l.title.length).toBeLessThanOrEqual(100);
      expect(l.address.length).toBeGreaterThan(0);
      expect(l.address.length).toBeLessThanOrEqual(100);
      expect(Math.abs(l.latitude)).toBeLessThanOrEqual(90);
      expect(Math.abs(l.longitude)).toBeLessThanOrEqual(180);
      break;
    }
    case 'flex': {
      const f = m as messagingApi.FlexMessage;
      expect(f.altText.trim()).not.toBe('');
      expect(f.altText.length).toBeLessThanOrEqual(LINE_LIMITS.altText);
      expectWellFormed(f.altText);
      if (f.contents.type === 'carousel') {
        const c = f.contents as messagingApi.FlexCarousel;
        expect(c.contents.length).toBeGreaterThan(0);
        expect(c.contents.length).toBeLessThanOrEqual(12);
        expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThanOrEqual(50_000);
        c.contents.forEach(expectBubble);
      } else {
        expectBubble(f.contents as messagingApi.FlexBubble);
      }
      break;
    }
    case 'sticker': {
      const st = m as messagingApi.StickerMessage;
      expect(st.packageId).toMatch(/^\d+$/);
      expect(st.stickerId).toMatch(/^\d+$/);
      break;
    }
    default:
      throw new Error(`unexpected message type ${m.type}`);
  }
  if (m.quickReply) {
    const items = m.quickReply.items ?? [];
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(LINE_LIMITS.quickReplyItems);
    for (const item of items) {
      expect(item.type).toBe('action');
      if (item.imageUrl !== undefined) expectHttps(item.imageUrl);
      expectAction(item.action, 'quickReply');
    }
  }
}

/** The plan is a push that LINE accepts: 1..5 messages a batch, each message within LINE's rules. Returns all messages. */
function expectPush(plan: OutboundPlan, to = USER): messagingApi.Message[] {
  expect(plan.action).toBe('push');
  if (plan.action !== 'push') return [];
  expect(plan.to).toBe(to);
  expect(plan.batches.length).toBeGreaterThan(0);
  for (const batch of plan.batches) {
    expect(batch.length).toBeGreaterThanOrEqual(1);
    expect(batch.length).toBeLessThanOrEqual(LINE_LIMITS.messagesPerPush);
    batch.forEach(expectLineMessage);
  }
  // Only the very last message may carry quick replies.
  const all = plan.batches.flat();
  all.slice(0, -1).forEach((m) => expect(m.quickReply).toBeUndefined());
  return all;
}

const texts = (messages: messagingApi.Message[]) =>
  messages.filter((m): m is messagingApi.TextMessage => m.type === 'text').map((m) => m.text);

// ---------------------------------------------------------------------------------------------

describe('genesysToLine: text', () => {
  it('sends a text as one LINE text message', () => {
    const msg = template('text.json');
    const all = expectPush(genesysToLine(msg));
    expect(all).toEqual([{ type: 'text', text: msg.text }]);
  });

  it('splits 12,001 units with a surrogate pair at a boundary into 3 messages, none over 5,000', () => {
    // The emoji's halves sit at 4,999 and 5,000: a plain cut at 5,000 would split it.
    const text = `${'a'.repeat(4999)}😀${'b'.repeat(5000)}${'c'.repeat(2000)}`;
    expect(text).toHaveLength(12001);
    const all = expectPush(genesysToLine(outbound({ text })));
    expect(all).toHaveLength(3);
    expect(texts(all).join('')).toBe(text);
  });

  it('splits the long-text template repeated past 12,000 units, preferring line ends', () => {
    const base = template('long-text.json');
    const text = Array.from({ length: 30 }, () => base.text).join('\n\n');
    expect(text.length).toBeGreaterThan(12_000);
    const all = expectPush(genesysToLine({ ...base, text }));
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(texts(all).join('')).toBe(text);
    texts(all).slice(0, -1).forEach((t) => expect(t.endsWith('\n')).toBe(true));
  });

  it('exposes splitText with the 5,000 default', () => {
    expect(splitText('x'.repeat(10_001)).map((s) => s.length)).toEqual([5000, 5000, 1]);
  });

  it('reads Text content items ({ text: { body } })', () => {
    const all = expectPush(genesysToLine(outbound({ type: 'Structured', content: [{ contentType: 'Text', text: { body: 'From a bot' } }] })));
    expect(texts(all)).toEqual(['From a bot']);
  });
});

describe('genesysToLine: batching', () => {
  it('puts 7 messages into 2 pushes, 5 then 2, in order', () => {
    const msg = template('many-attachments.json');
    const plan = genesysToLine(msg);
    const all = expectPush(plan);
    expect((plan as Extract<OutboundPlan, { action: 'push' }>).batches.map((b) => b.length)).toEqual([5, 2]);
    expect(all[0]).toEqual({ type: 'text', text: msg.text });
    const urls = all.slice(1).map((m) => (m as messagingApi.ImageMessage).originalContentUrl);
    expect(urls).toEqual((msg.content ?? []).map((c) => c.attachment?.url));
  });
});

describe('genesysToLine: attachments', () => {
  it('Image -> image message (preview = the same url), then the caption', () => {
    const msg = template('image.json');
    const url = msg.content?.[0]?.attachment?.url;
    const all = expectPush(genesysToLine(msg));
    expect(all).toEqual([
      { type: 'image', originalContentUrl: url, previewImageUrl: url },
      { type: 'text', text: 'Here is your receipt.' },
    ]);
  });

  it('Video -> video message with the relay placeholder preview', () => {
    const msg = template('video.json');
    const all = expectPush(genesysToLine(msg, { publicUrl: `${PUBLIC_URL}/` }));
    expect(all).toEqual([
      {
        type: 'video',
        originalContentUrl: msg.content?.[0]?.attachment?.url,
        previewImageUrl: `${PUBLIC_URL}/static/video-preview.png`,
      },
    ]);
  });

  it('Video without an https publicUrl -> text with the link', () => {
    const msg = template('video.json');
    const url = msg.content?.[0]?.attachment?.url;
    for (const opts of [undefined, { publicUrl: 'http://localhost:3000' }]) {
      const all = expectPush(genesysToLine(msg, opts));
      expect(texts(all)).toEqual([`📎 setup-guide.mp4: ${url}`]);
    }
  });

  it('Audio -> audio message with the 60 s default duration', () => {
    const msg = template('audio.json');
    const all = expectPush(genesysToLine(msg));
    expect(all).toEqual([{ type: 'audio', originalContentUrl: msg.content?.[0]?.attachment?.url, duration: 60_000 }]);
  });

  it('File -> text "📎 <filename>: <url>" after the message text', () => {
    const msg = template('file.json');
    const all = expectPush(genesysToLine(msg));
    expect(texts(all)).toEqual([msg.text, `📎 warranty-terms.pdf: ${msg.content?.[0]?.attachment?.url}`]);
  });

  it('File without filename and Link -> text with "File" and the url', () => {
    const all = expectPush(
      genesysToLine(outbound({ content: [attachment({ url: 'https://x.example.com/a' }), attachment({ mediaType: 'Link', url: 'https://x.example.com/b' })] })),
    );
    expect(texts(all)).toEqual(['📎 File: https://x.example.com/a', '📎 File: https://x.example.com/b']);
  });

  it('http (not https) media url -> text with the link instead of a media message', () => {
    const content = [
      attachment({ mediaType: 'Image', url: 'http://cdn.example.com/p.jpg', mime: 'image/jpeg', filename: 'p.jpg' }),
      attachment({ mediaType: 'Audio', url: 'http://cdn.example.com/a.m4a', mime: 'audio/mp4' }),
    ];
    const all = expectPush(genesysToLine(outbound({ content }), { publicUrl: PUBLIC_URL }));
    expect(texts(all)).toEqual(['📎 p.jpg: http://cdn.example.com/p.jpg', '📎 Audio: http://cdn.example.com/a.m4a']);
  });

  it('media LINE cannot play (GIF, WebM, OGG) -> text with the link', () => {
    const content = [
      attachment({ mediaType: 'Image', url: 'https://c.example.com/x.gif', mime: 'image/gif', filename: 'x.gif' }),
      attachment({ mediaType: 'Video', url: 'https://c.example.com/v.webm', mime: 'video/webm', filename: 'v.webm' }),
      attachment({ mediaType: 'Audio', url: 'https://c.example.com/a.ogg', mime: 'audio/ogg', filename: 'a.ogg' }),
    ];
    const all = expectPush(genesysToLine(outbound({ content }), { publicUrl: PUBLIC_URL }));
    expect(all.every((m) => m.type === 'text')).toBe(true);
    expect(all).toHaveLength(3);
  });

  it('an attachment with only a caption sends the caption', () => {
    const all = expectPush(genesysToLine(outbound({ content: [attachment({ text: 'caption only' })] })));
    expect(texts(all)).toEqual(['caption only']);
  });
});

describe('genesysToLine: quick replies', () => {
  it('QuickReply items -> postback quick reply buttons on the text', () => {
    const msg = template('quick-reply.json');
    const all = expectPush(genesysToLine(msg));
    expect(all).toHaveLength(1);
    expect(all[0]).toEqual({
      type: 'text',
      text: 'How would you like to receive your refund?',
      quickReply: {
        items: [
          { type: 'action', action: { type: 'postback', label: 'Bank transfer', data: answer(QR_TEMPLATE_ID, 'Q', 'Bank transfer', 'refund_bank'), displayText: 'Bank transfer' } },
          { type: 'action', action: { type: 'postback', label: 'Store credit', data: answer(QR_TEMPLATE_ID, 'Q', 'Store credit', 'refund_credit'), displayText: 'Store credit' } },
          { type: 'action', action: { type: 'postback', label: 'Talk to an agent', data: answer(QR_TEMPLATE_ID, 'Q', 'Talk to an agent', 'escalate'), displayText: 'Talk to an agent' } },
        ],
      },
    });
  });

  it('15 items -> 13 buttons (LINE maximum) under a text listing the other 2: none is lost', () => {
    const content = Array.from({ length: 15 }, (_, i) => ({
      contentType: 'QuickReply',
      quickReply: { text: `Option ${i + 1}`, payload: `opt_${i + 1}`, action: 'Message' },
    }));
    const all = expectPush(genesysToLine(outbound({ type: 'Structured', text: 'Pick one', content })));
    expect(texts(all)).toEqual(['Pick one', 'More options (reply with one):\n• Option 14\n• Option 15']);
    expect(all[0]!.quickReply).toBeUndefined();
    const items = all[1]?.quickReply?.items ?? [];
    expect(items.map((i) => (i.action as messagingApi.PostbackAction).data)).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map((n) => answer(OUTBOUND_ID, 'Q', `Option ${n}`, `opt_${n}`)),
    );
  });

  it('a long label is cut to 20 graphemes; the displayed text keeps up to 300', () => {
    const long = 'I would like to speak to someone about my invoice please';
    const all = expectPush(
      genesysToLine(outbound({ type: 'Structured', text: 'Anything else?', content: [{ contentType: 'QuickReply', quickReply: { text: long, payload: 'invoice' } }] })),
    );
    const action = all[0]?.quickReply?.items?.[0]?.action as messagingApi.PostbackAction;
    expect(graphemes(action.label ?? '')).toBe(20);
    expect(action.label).toBe('I would like to spe…');
    expect(action.displayText).toBe(long);
    // The answer's text is what the customer's chat shows (displayText), not the cut label.
    expect(action.data).toBe(answer(OUTBOUND_ID, 'Q', long, 'invoice'));
  });

  it('an answer that does not fit postback data (300) -> a reference in data, and the answer to keep under it', () => {
    // 301 characters inline (see the next test): one too many.
    const content = [{ contentType: 'QuickReply', quickReply: { text: 'Yes', payload: 'p'.repeat(248) } }];
    const plan = genesysToLine(outbound({ type: 'Structured', text: 'OK?', content }));
    const action = expectPush(plan)[0]?.quickReply?.items?.[0]?.action as messagingApi.PostbackAction;
    expect(action).toMatchObject({ type: 'postback', label: 'Yes', displayText: 'Yes' });
    expect(action.data).toMatch(/^lg1r:[A-Za-z0-9_-]{22}$/);
    expect(plan).toMatchObject({
      keep: [{ ref: action.data!.slice('lg1r:'.length), answer: { originatingMessageId: OUTBOUND_ID, type: 'QuickReply', text: 'Yes', payload: 'p'.repeat(248) } }],
    });
  });

  it('an answer that just fits stays in data, and nothing is kept', () => {
    // 4 + 2 + 32 + 3 + 1 + 3 + 3 + 3 + payload + 2 = 300 with a payload of 247; one more and it would not fit.
    const content = [{ contentType: 'QuickReply', quickReply: { text: 'Yes', payload: 'p'.repeat(247) } }];
    const plan = genesysToLine(outbound({ type: 'Structured', text: 'OK?', content }));
    const action = expectPush(plan)[0]?.quickReply?.items?.[0]?.action as messagingApi.PostbackAction;
    expect(action.data).toBe(answer(OUTBOUND_ID, 'Q', 'Yes', 'p'.repeat(247)));
    expect(action.data).toHaveLength(300);
    expect(plan).not.toHaveProperty('keep');
  });

  it('a quick reply without a payload -> a message action sending the text (nothing to answer with)', () => {
    const content = [{ contentType: 'QuickReply', quickReply: { text: 'Yes', payload: '' } }];
    const all = expectPush(genesysToLine(outbound({ type: 'Structured', text: 'OK?', content })));
    expect(all[0]?.quickReply?.items?.[0]?.action).toEqual({ type: 'message', label: 'Yes', text: 'Yes' });
  });

  it('quick replies go on the last message of the last batch', () => {
    const content: ConversationMessageContent[] = [
      ...Array.from({ length: 6 }, (_, i) => attachment({ mediaType: 'Image', url: `https://c.example.com/${i}.png`, mime: 'image/png' })),
      { contentType: 'QuickReply', quickReply: { text: 'Thanks', payload: 'thanks' } },
    ];
    const plan = genesysToLine(outbound({ type: 'Structured', text: 'Photos:', content }));
    const all = expectPush(plan);
    expect(all).toHaveLength(7);
    expect(all[6]?.type).toBe('image');
    expect(all[6]?.quickReply?.items).toHaveLength(1);
  });

  it('QuickReplyV2 title becomes the text carrying the items when there is no other text', () => {
    const content = [
      {
        contentType: 'QuickReplyV2',
        quickReplyV2: { title: 'Was this helpful?', actions: [{ text: 'Yes', payload: 'yes' }, { text: 'No', payload: 'no' }] },
      },
    ];
    const all = expectPush(genesysToLine(outbound({ type: 'Structured', content })));
    expect(all).toHaveLength(1);
    expect(texts(all)).toEqual(['Was this helpful?']);
    expect(all[0]?.quickReply?.items?.map((i) => (i.action as messagingApi.PostbackAction).data)).toEqual([
      answer(OUTBOUND_ID, 'Q', 'Yes', 'yes'),
      answer(OUTBOUND_ID, 'Q', 'No', 'no'),
    ]);
  });

  it('QuickReplyV2 title is dropped when the message has its own text', () => {
    const content = [{ contentType: 'QuickReplyV2', quickReplyV2: { title: 'Choose', actions: [{ text: 'A', payload: 'a' }] } }];
    const all = expectPush(genesysToLine(outbound({ type: 'Structured', text: 'Which plan?', content })));
    expect(texts(all)).toEqual(['Which plan?']);
  });

  it('quick replies alone -> a neutral "Please choose:" text carries them', () => {
    const content = [{ contentType: 'QuickReply', quickReply: { text: 'Menu', payload: 'menu', image: 'https://c.example.com/menu.png' } }];
    const all = expectPush(genesysToLine(outbound({ type: 'Structured', content })));
    expect(texts(all)).toEqual(['Please choose:']);
    expect(all[0]?.quickReply?.items?.[0]?.imageUrl).toBe('https://c.example.com/menu.png');
  });
});

describe('genesysToLine: cards and carousels', () => {
  it('Card with Link and Postback actions -> flex bubble with uri and postback buttons', () => {
    const msg = template('card.json');
    const all = expectPush(genesysToLine(msg));
    expect(all).toHaveLength(1);
    const flex = all[0] as messagingApi.FlexMessage;
    expect(flex.type).toBe('flex');
    expect(flex.altText).toBe('50% off Flights to Norway\nValid September to November only');
    const bubble = flex.contents as messagingApi.FlexBubble;
    expect(bubble.type).toBe('bubble');
    expect(bubble.hero).toMatchObject({ type: 'image', url: 'https://www.samplesite.com/photo/1234.jpg' });
    expect(bubble.body?.contents[0]).toMatchObject({ type: 'text', text: '50% off Flights to Norway', weight: 'bold' });
    expect(bubble.body?.contents[1]).toMatchObject({ type: 'text', text: 'Valid September to November only', wrap: true });
    const actions = (bubble.footer?.contents ?? []).map((b) => (b as messagingApi.FlexButton).action);
    expect(actions).toEqual([
      { type: 'uri', label: 'View Details', uri: 'https://www.samplesite.com/flights/norway' },
      { type: 'postback', label: 'Book Now', data: answer('6f7a8b9c0d1e4cf3a4b5c6d7e8f9a0b1', 'B', 'Book Now', 'book_norway'), displayText: 'Book Now' },
    ]);
  });

  it('Card: no hero for a non-https image, a button per usable action (6), unusable links dropped', () => {
    const card = {
      title: 'T',
      image: 'http://insecure.example.com/i.jpg',
      actions: [
        { type: 'Link', text: 'Bad', url: 'javascript:alert(1)' },
        ...Array.from({ length: 6 }, (_, i) => ({ type: 'Postback', text: `B${i}`, payload: `b${i}` })),
      ],
    };
    const all = expectPush(genesysToLine(outbound({ type: 'Structured', content: [{ contentType: 'Card', card }] })));
    const bubble = (all[0] as messagingApi.FlexMessage).contents as messagingApi.FlexBubble;
    expect(bubble.hero).toBeUndefined();
    expect(bubble.footer?.contents.map((b) => (b as messagingApi.FlexButton).action.label)).toEqual(['B0', 'B1', 'B2', 'B3', 'B4', 'B5']);
  });

  it('Card: buttons stop before the bubble passes LINE’s 30 KB', () => {
    const said = 'ข้อความ'.repeat(42);
    const actions = Array.from({ length: 40 }, (_, i) => ({ type: 'Postback', text: `${i} ${said}`, payload: `${i}`.padEnd(300, 'x') }));
    const card = { title: 'T', description: 'ค'.repeat(1000), actions };
    const all = expectPush(genesysToLine(outbound({ type: 'Structured', content: [{ contentType: 'Card', card }] })));
    const bubble = (all[0] as messagingApi.FlexMessage).contents as messagingApi.FlexBubble;
    expect(Buffer.byteLength(JSON.stringify(bubble))).toBeLessThanOrEqual(30_000);
    expect(bubble.footer?.contents.length).toBeGreaterThan(4);
    expect(bubble.footer?.contents.length).toBeLessThan(40);
  });

  it('Carousel -> flex carousel of bubbles with altText from the card titles', () => {
    const msg = template('carousel.json');
    const all = expectPush(genesysToLine(msg));
    expect(all).toHaveLength(1);
    const flex = all[0] as messagingApi.FlexMessage;
    expect(flex.altText).toBe('Classic Latte / Thai Iced Tea / Mango Sticky Rice');
    const carousel = flex.contents as messagingApi.FlexCarousel;
    expect(carousel.type).toBe('carousel');
    expect(carousel.contents).toHaveLength(3);
    // Each card's Order button answers the carousel's message as a Button.
    const orders = carousel.contents.map((bubble) => (bubble.footer?.contents ?? []).map((b) => (b as messagingApi.FlexButton).action).find((a) => a.label === 'Order'));
    expect(orders.map((a) => (a as messagingApi.PostbackAction).data)).toEqual(
      ['order:latte', 'order:thai-tea', 'order:mango'].map((p) => answer('7a8b9c0d1e2f4da4b5c6d7e8f9a0b1c2', 'B', 'Order', p)),
    );
  });

  it('Carousel of 14 cards -> two carousels (12 + 2), nothing lost', () => {
    const cards = Array.from({ length: 14 }, (_, i) => ({ title: `Card ${i + 1}`, actions: [{ type: 'Postback', text: 'Pick', payload: `c${i + 1}` }] }));
    const all = expectPush(genesysToLine(outbound({ type: 'Structured', content: [{ contentType: 'Carousel', carousel: { cards } }] })));
    expect(all.map((m) => ((m as messagingApi.FlexMessage).contents as messagingApi.FlexCarousel).contents.length)).toEqual([12, 2]);
  });

  it('altText is cut to 1,500 units', () => {
    const card = { title: 'x'.repeat(900), description: 'y'.repeat(900), actions: [] };
    const all = expectPush(genesysToLine(outbound({ type: 'Structured', content: [{ contentType: 'Card', card }] })));
    expect((all[0] as messagingApi.FlexMessage).altText.length).toBeLessThanOrEqual(1500);
  });
});

describe('genesysToLine: other content', () => {
  it('ButtonResponse (the customer answer echoed) is skipped', () => {
    const content = [{ contentType: 'ButtonResponse', buttonResponse: { type: 'QuickReply', text: 'Yes', payload: 'yes' } }];
    const plan = genesysToLine(outbound({ type: 'Structured', content }));
    expect(plan.action).toBe('ignore');
    const all = expectPush(genesysToLine(outbound({ type: 'Structured', text: 'Noted', content })));
    expect(texts(all)).toEqual(['Noted']);
  });

  it('Location with coordinates -> location message; without -> text', () => {
    const content = [
      { contentType: 'Location', location: { latitude: 13.7466, longitude: 100.5393, text: 'Siam Paragon', address: '991 Rama I Rd, Bangkok' } },
      { contentType: 'Location', location: { latitude: 25.033, longitude: 121.5654 } },
      { contentType: 'Location', location: { address: '7 Main St', url: 'https://maps.example.com/?q=7+Main+St' } },
    ];
    const all = expectPush(genesysToLine(outbound({ type: 'Structured', content })));
    expect(all).toEqual([
      { type: 'location', title: 'Siam Paragon', address: '991 Rama I Rd, Bangkok', latitude: 13.7466, longitude: 100.5393 },
      { type: 'location', title: 'Location', address: ' ', latitude: 25.033, longitude: 121.5654 },
      { type: 'text', text: '📍 7 Main St\nhttps://maps.example.com/?q=7+Main+St' },
    ]);
  });

  it('nothing sendable -> ignore, undeliverable, naming what LINE cannot show', () => {
    const plan = genesysToLine(outbound({ type: 'Structured', content: [{ contentType: 'DatePicker', datePicker: {} }] }));
    expect(plan).toEqual({ action: 'ignore', reason: expect.stringContaining('DatePicker'), undeliverable: true, unsupported: ['DatePicker'] });
    expect(genesysToLine(outbound({ text: '   ' })).action).toBe('ignore');
    expect(genesysToLine(outbound({})).action).toBe('ignore');
  });
});

describe('genesysToLine: events, receipts, recipients', () => {
  it('Typing On -> loading animation, duration rounded up to 5 s steps within 5..60', () => {
    expect(genesysToLine(template('typing.json'))).toEqual({ action: 'typing', to: USER, loadingSeconds: 5 });
    const typing = (duration?: number) =>
      genesysToLine(outbound({ type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'On', ...(duration === undefined ? {} : { duration }) } }] }));
    expect(typing(undefined)).toEqual({ action: 'typing', to: USER, loadingSeconds: 5 });
    expect(typing(1)).toMatchObject({ loadingSeconds: 5 });
    expect(typing(5001)).toMatchObject({ loadingSeconds: 10 });
    expect(typing(12_000)).toMatchObject({ loadingSeconds: 15 });
    expect(typing(600_000)).toMatchObject({ loadingSeconds: 60 });
  });

  it('typing to a group -> ignore (loading animation is 1:1 only); Typing Off -> ignore', () => {
    const group = outbound({ type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'On' } }] });
    group.channel.to.id = `C${'a'.repeat(32)}`;
    expect(genesysToLine(group).action).toBe('ignore');
    expect(genesysToLine(outbound({ type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'Off' } }] })).action).toBe('ignore');
  });

  it('unknown event type -> ignore with the reason', () => {
    const plan = genesysToLine(outbound({ type: 'Event', events: [{ eventType: 'Presence' }] }));
    expect(plan).toEqual({ action: 'ignore', reason: expect.stringContaining('Presence') });
  });

  it('receipt echoes and inbound messages -> ignore', () => {
    expect(genesysToLine(outbound({ type: 'Receipt', status: 'Delivered', isFinalReceipt: true })).action).toBe('ignore');
    expect(genesysToLine(outbound({ status: 'Failed', text: 'x' })).action).toBe('ignore');
    expect(genesysToLine(outbound({ direction: 'Inbound', text: 'hello' })).action).toBe('ignore');
  });

  it('a recipient that is not a LINE id -> ignore with a "recipient" reason', () => {
    for (const id of ['messaging-user@externalservice.com', `U${'A'.repeat(32)}`, `U${'a'.repeat(31)}`, '../../v2/bot/info', '']) {
      const msg = outbound({ text: 'hi' });
      msg.channel.to.id = id;
      expect(genesysToLine(msg)).toEqual({ action: 'ignore', reason: expect.stringMatching(/^recipient .* is not a LINE id/), undeliverable: true });
    }
    const group = outbound({ text: 'hi group' });
    group.channel.to.id = `C${'0123456789abcdef'.repeat(2)}`;
    expectPush(genesysToLine(group), group.channel.to.id);
  });
});

describe('templates/genesys', () => {
  const names = templateNames('genesys');

  it.each(names)('%s: a realistic outbound body, planned as the table of outcomes says', (name) => {
    const msg = template(`${name}.json`);
    expect(msg.direction).toBe('Outbound');
    expect(msg.channel).toMatchObject({ platform: 'Open', type: 'Private', to: { id: USER }, from: { idType: 'Opaque' } });
    expect(msg.channel.messageId).toBe(msg.id);
    expect(Number.isNaN(Date.parse(msg.channel.time))).toBe(false);
    expect(outboundShape(genesysToLine(msg, { publicUrl: PUBLIC_URL }))).toEqual(genesysOutcome(name));
  });

  it.each(names.filter((n) => genesysOutcome(n).action === 'push'))('%s: every push within LINE\'s rules', (name) => {
    expectPush(genesysToLine(template(`${name}.json`), { publicUrl: PUBLIC_URL }));
  });
});
