import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { webhook } from '@line/bot-sdk';
import {
  eventCustomerId,
  eventDedupeKey,
  inboundNeeds,
  lineEventToGenesys,
  type InboundContext,
  type InboundDecision,
} from '../../../src/transform/to-genesys.js';
import { lineOutcome, templateNames } from '../../contract/template-outcomes.js';

const TEMPLATES = new URL('../../../templates/line/', import.meta.url);

function body(name: string): webhook.CallbackRequest {
  return JSON.parse(readFileSync(new URL(name, TEMPLATES), 'utf8')) as webhook.CallbackRequest;
}
function event(name: string, index = 0): webhook.Event {
  const e = body(name).events[index];
  if (!e) throw new Error(`${name} has no event ${index}`);
  return e;
}
/** A fixture event with changes (deep copy first). */
function variant(name: string, change: (e: Record<string, unknown>) => void, index = 0): webhook.Event {
  const e = structuredClone(event(name, index)) as unknown as Record<string, unknown>;
  change(e);
  return e as unknown as webhook.Event;
}
/** The same event as if it came from a 1:1 chat with its sender. */
function asOneToOne(name: string): webhook.Event {
  return variant(name, (e) => {
    const source = e['source'] as { userId?: string };
    e['source'] = { type: 'user', userId: source.userId ?? 'U4af498062994960253319d61a3234c2b' };
  });
}

const channel = { id: 'th', market: 'TH', brand: 'acme' };
const ctx: InboundContext = { channel };
const profile = {
  displayName: 'Somchai',
  pictureUrl: 'https://profile.line-scdn.net/0h1234',
  language: 'th',
};
const attrs = { market: 'TH', brand: 'acme', lineChannel: 'th' };

const U_SAMPLES = 'U4af4980629c5f1b2e1d4c3b2a1f0e9d8'; // line-samples user
const U_OPENAPI = 'U4af498062994960253319d61a3234c2b'; // line-openapi samples user
const T_SAMPLES = '2024-11-24T08:00:00.000Z'; // 1732435200000
const T_OPENAPI = '2016-05-07T13:57:59.859Z'; // 1462629479859

function sendOf(d: InboundDecision) {
  if (d.action !== 'send') throw new Error(`expected send, got ${JSON.stringify(d)}`);
  return d.message;
}

describe('lineEventToGenesys: text', () => {
  it('1:1 text with profile: text as is, from with name and picture, attributes with language', () => {
    expect(lineEventToGenesys(event('text.json'), { channel, profile })).toEqual({
      action: 'send',
      message: {
        channel: {
          messageId: '544872112345678901',
          time: T_SAMPLES,
          from: {
            id: U_SAMPLES,
            idType: 'Opaque',
            nickname: 'Somchai',
            firstName: 'Somchai',
            image: 'https://profile.line-scdn.net/0h1234',
          },
          metadata: { customAttributes: { market: 'TH', brand: 'acme', lineChannel: 'th', language: 'th' } },
        },
        text: 'สวัสดีครับ อยากสอบถามเรื่องคำสั่งซื้อ',
      },
    });
  });

  it('without a profile: no name, picture or language keys at all (never undefined values)', () => {
    const m = sendOf(lineEventToGenesys(event('text.json'), ctx));
    expect(m).toEqual({
      channel: {
        messageId: '544872112345678901',
        time: T_SAMPLES,
        from: { id: U_SAMPLES, idType: 'Opaque' },
        metadata: { customAttributes: attrs },
      },
      text: 'สวัสดีครับ อยากสอบถามเรื่องคำสั่งซื้อ',
    });
    expect(Object.keys(m.channel.from).sort()).toEqual(['id', 'idType']);
    expect(Object.keys(m).sort()).toEqual(['channel', 'text']);
  });

  it('a partial profile gives only what it has', () => {
    const m = sendOf(lineEventToGenesys(event('text.json'), { channel, profile: { pictureUrl: 'https://p/x', displayName: '' } }));
    expect(m.channel.from).toEqual({ id: U_SAMPLES, idType: 'Opaque', image: 'https://p/x' });
    expect(m.channel.metadata?.customAttributes).toEqual(attrs);
  });

  it("merges the channel's custom attributes; market, brand and lineChannel win", () => {
    const m = sendOf(
      lineEventToGenesys(event('text.json'), {
        channel: { ...channel, customAttributes: { queue: 'vip', market: 'XX' } },
      }),
    );
    expect(m.channel.metadata).toEqual({ customAttributes: { queue: 'vip', market: 'TH', brand: 'acme', lineChannel: 'th' } });
  });

  it('a redelivered event gives the very same message (the relay dedupes on webhookEventId)', () => {
    expect(lineEventToGenesys(event('text-redelivered.json'), ctx)).toEqual(lineEventToGenesys(event('text.json'), ctx));
    expect(eventDedupeKey(event('text-redelivered.json'))).toBe(eventDedupeKey(event('text.json')));
  });

  it('LINE emoji and mentions: the text is kept as is (1:1 variant of the group sample)', () => {
    const m = sendOf(lineEventToGenesys(asOneToOne('text-group-mention-emoji.json'), ctx));
    expect(m).toEqual({
      channel: {
        messageId: '114938525268412376',
        time: T_OPENAPI,
        from: { id: U_OPENAPI, idType: 'Opaque' },
        metadata: { customAttributes: attrs },
      },
      text: '@All @example Good Morning!! (love)',
    });
  });

  it('a quoted message: just the text', () => {
    const e = variant('text.json', (x) => {
      (x['message'] as Record<string, unknown>)['quotedMessageId'] = '544872112345678000';
    });
    expect(sendOf(lineEventToGenesys(e, ctx)).text).toBe('สวัสดีครับ อยากสอบถามเรื่องคำสั่งซื้อ');
  });
});

describe('lineEventToGenesys: sticker and location', () => {
  it('sticker: keywords as text plus the sticker image', () => {
    expect(lineEventToGenesys(event('sticker.json'), ctx)).toEqual({
      action: 'send',
      message: {
        channel: {
          messageId: '544872112345678902',
          time: T_SAMPLES,
          from: { id: U_SAMPLES, idType: 'Opaque' },
          metadata: { customAttributes: attrs },
        },
        text: '[LINE STICKER: Heart, Love, Brown, Cony]',
        content: [
          {
            attachment: {
              mediaType: 'Image',
              url: 'https://stickershop.line-scdn.net/stickershop/v1/sticker/1988/android/sticker.png',
              mime: 'image/png',
              filename: 'sticker-1988.png',
            },
          },
        ],
      },
    });
  });

  it('animated sticker: the static PNG', () => {
    const m = sendOf(lineEventToGenesys(event('sticker-animation.json'), ctx));
    expect(m.content).toEqual([
      {
        attachment: {
          mediaType: 'Image',
          url: 'https://stickershop.line-scdn.net/stickershop/v1/sticker/52002738/android/sticker.png',
          mime: 'image/png',
          filename: 'sticker-52002738.png',
        },
      },
    ]);
    expect(m.text).toBe(
      '[LINE STICKER: cony, sally, Staring, hi, whatsup, line, howdy, HEY, Peeking, wave, peek, Hello, yo, greetings]',
    );
  });

  it('message sticker (1:1 variant): its words in the text', () => {
    const m = sendOf(lineEventToGenesys(asOneToOne('sticker-message-sticker-group.json'), ctx));
    expect(m.text).toBe(
      '[LINE STICKER: “Let\'s hang out this weekend!” (Anticipation, Sparkle, Straight face, Staring, Thinking)]',
    );
    expect(m.channel.messageId).toBe('110605487152037374');
    expect(m.channel.from).toEqual({ id: 'Ub82c8fd9bd2d5fb9c967a0a31d24e5a5', idType: 'Opaque' });
  });

  it('sticker with a malformed id: text only, no URL built from it', () => {
    const e = variant('sticker.json', (x) => {
      (x['message'] as Record<string, unknown>)['stickerId'] = '../../evil';
    });
    const m = sendOf(lineEventToGenesys(e, ctx));
    expect(m.text).toBe('[LINE STICKER: Heart, Love, Brown, Cony]');
    expect(m.content).toBeUndefined();
    expect('content' in m).toBe(false);
  });

  it('location: title, address and maps link', () => {
    expect(lineEventToGenesys(event('location.json'), ctx)).toEqual({
      action: 'send',
      message: {
        channel: {
          messageId: '544872112345678903',
          time: T_SAMPLES,
          from: { id: U_SAMPLES, idType: 'Opaque' },
          metadata: { customAttributes: attrs },
        },
        text:
          'Siam Paragon\n991 Rama I Rd, Pathum Wan, Bangkok 10330, Thailand\n' +
          'https://www.google.com/maps/search/?api=1&query=13.746264,100.534871',
        content: [{ attachment: { mediaType: 'Link', url: 'https://www.google.com/maps/search/?api=1&query=13.746264,100.534871', mime: 'text/html', text: 'Siam Paragon' } }],
      },
    });
  });
});

describe('lineEventToGenesys: media', () => {
  const media = {
    url: 'https://relay.example.com/media/abc.jpg',
    mime: 'image/jpeg',
    filename: 'image-544872112345678904.jpg',
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  };

  it('image with fetched media: an Image attachment with url, mime, filename and sha256', () => {
    expect(lineEventToGenesys(event('image.json'), { channel, media })).toEqual({
      action: 'send',
      message: {
        channel: {
          messageId: '544872112345678904',
          time: T_SAMPLES,
          from: { id: U_SAMPLES, idType: 'Opaque' },
          metadata: { customAttributes: attrs },
        },
        content: [{ attachment: { mediaType: 'Image', ...media } }],
      },
    });
  });

  it('image whose content could not be fetched: a placeholder naming kind and message id', () => {
    expect(lineEventToGenesys(event('image.json'), ctx)).toEqual({
      action: 'send',
      message: {
        channel: {
          messageId: '544872112345678904',
          time: T_SAMPLES,
          from: { id: U_SAMPLES, idType: 'Opaque' },
          metadata: { customAttributes: attrs },
        },
        text: '[LINE image: content could not be fetched (message id 544872112345678904)]',
      },
    });
  });

  it('image set: each image is its own message, nothing breaks', () => {
    const one = sendOf(lineEventToGenesys(event('image-set-1-of-2.json'), { channel, media: { url: 'https://r/1', mime: 'image/jpeg' } }));
    const two = sendOf(lineEventToGenesys(event('image-set-2-of-2.json'), { channel, media: { url: 'https://r/2', mime: 'image/png' } }));
    expect(one.channel.messageId).toBe('918563789396181863');
    expect(two.channel.messageId).toBe('993398289057123046');
    expect(one.content).toEqual([{ attachment: { mediaType: 'Image', url: 'https://r/1', mime: 'image/jpeg' } }]);
    expect(two.content).toEqual([{ attachment: { mediaType: 'Image', url: 'https://r/2', mime: 'image/png' } }]);
    expect(one.text).toBeUndefined();
    expect(one.channel.time).toBe('2021-07-27T03:35:24.513Z');
  });

  it('external video without ctx.media: the original URL, video/mp4', () => {
    expect(lineEventToGenesys(event('video-external.json'), ctx)).toEqual({
      action: 'send',
      message: {
        channel: {
          messageId: '160464351040169115',
          time: T_OPENAPI,
          from: { id: U_OPENAPI, idType: 'Opaque' },
          metadata: { customAttributes: attrs },
        },
        content: [
          {
            attachment: { mediaType: 'Video', url: 'https://example.com/original.mp4', mime: 'video/mp4' },
          },
        ],
      },
    });
  });

  it('external video with ctx.media: the resolved media wins', () => {
    const m = sendOf(lineEventToGenesys(event('video-external.json'), { channel, media: { url: 'https://r/v.mp4', mime: 'video/quicktime' } }));
    expect(m.content).toEqual([{ attachment: { mediaType: 'Video', url: 'https://r/v.mp4', mime: 'video/quicktime' } }]);
  });

  it('external image and audio without ctx.media: image/jpeg, audio/mp4', () => {
    const img = variant('image.json', (x) => {
      (x['message'] as Record<string, unknown>)['contentProvider'] = {
        type: 'external',
        originalContentUrl: 'https://example.com/a.jpg',
        previewImageUrl: 'https://example.com/p.jpg',
      };
    });
    expect(sendOf(lineEventToGenesys(img, ctx)).content).toEqual([
      { attachment: { mediaType: 'Image', url: 'https://example.com/a.jpg', mime: 'image/jpeg' } },
    ]);
    const aud = variant('audio.json', (x) => {
      (x['message'] as Record<string, unknown>)['contentProvider'] = { type: 'external', originalContentUrl: 'https://example.com/a.m4a' };
    });
    expect(sendOf(lineEventToGenesys(aud, ctx)).content).toEqual([
      { attachment: { mediaType: 'Audio', url: 'https://example.com/a.m4a', mime: 'audio/mp4' } },
    ]);
  });

  it('external content without a URL: the placeholder', () => {
    const e = variant('video-external.json', (x) => {
      (x['message'] as Record<string, unknown>)['contentProvider'] = { type: 'external' };
    });
    expect(sendOf(lineEventToGenesys(e, ctx)).text).toBe('[LINE video: content could not be fetched (message id 160464351040169115)]');
  });

  it('audio with fetched media: an Audio attachment', () => {
    const m = sendOf(lineEventToGenesys(event('audio.json'), { channel, media: { url: 'https://r/a.m4a', mime: 'audio/x-m4a' } }));
    expect(m).toEqual({
      channel: {
        messageId: '359354231754677185',
        time: T_OPENAPI,
        from: { id: U_OPENAPI, idType: 'Opaque' },
        metadata: { customAttributes: attrs },
      },
      content: [{ attachment: { mediaType: 'Audio', url: 'https://r/a.m4a', mime: 'audio/x-m4a' } }],
    });
  });

  it("file with fetched media: a File attachment named with the event's fileName", () => {
    const m = sendOf(
      lineEventToGenesys(event('file.json'), {
        channel,
        media: { url: 'https://r/f', mime: 'application/pdf', filename: 'content.bin', sha256: 'ab' },
      }),
    );
    expect(m).toEqual({
      channel: {
        messageId: '544872112345678905',
        time: T_SAMPLES,
        from: { id: U_SAMPLES, idType: 'Opaque' },
        metadata: { customAttributes: attrs },
      },
      content: [
        {
          attachment: { mediaType: 'File', url: 'https://r/f', mime: 'application/pdf', filename: 'receipt.pdf', sha256: 'ab' },
        },
      ],
    });
  });

  it('file not fetched: placeholder with the file name and message id', () => {
    expect(sendOf(lineEventToGenesys(event('file.json'), ctx)).text).toBe(
      '[LINE file "receipt.pdf": content could not be fetched (message id 544872112345678905)]',
    );
  });

  it('media without a mime: a default for the kind', () => {
    const m = sendOf(lineEventToGenesys(event('file.json'), { channel, media: { url: 'https://r/f', mime: '' } }));
    expect(m.content?.[0]?.attachment).toEqual({ mediaType: 'File', url: 'https://r/f', mime: 'application/octet-stream', filename: 'receipt.pdf' });
  });
});

describe('lineEventToGenesys: other message types', () => {
  it('an unknown message type: a placeholder naming it', () => {
    const e = variant('text.json', (x) => {
      x['message'] = { id: '544872112345678999', type: 'poll', question: '?' };
    });
    expect(lineEventToGenesys(e, ctx)).toEqual({
      action: 'send',
      message: {
        channel: {
          messageId: '544872112345678999',
          time: T_SAMPLES,
          from: { id: U_SAMPLES, idType: 'Opaque' },
          metadata: { customAttributes: attrs },
        },
        text: '[LINE poll message]',
      },
    });
  });

  it('a message event with no message at all: placeholder, webhookEventId as message id', () => {
    const e = variant('text.json', (x) => {
      delete x['message'];
    });
    const m = sendOf(lineEventToGenesys(e, ctx));
    expect(m.text).toBe('[LINE unknown message]');
    expect(m.channel.messageId).toBe('01JDQ7Z3A4B5C6D7E8F9G0H1J2');
  });

  it('a text message without text: placeholder', () => {
    const e = variant('text.json', (x) => {
      delete (x['message'] as Record<string, unknown>)['text'];
    });
    expect(sendOf(lineEventToGenesys(e, ctx)).text).toBe('[LINE text message]');
  });
});

describe('lineEventToGenesys: postback', () => {
  it('data only', () => {
    expect(lineEventToGenesys(event('postback.json'), ctx)).toEqual({
      action: 'send',
      message: {
        channel: {
          messageId: '01JDQ7Z3A4B5C6D7E8F9G0H1J9',
          time: T_SAMPLES,
          from: { id: U_SAMPLES, idType: 'Opaque' },
          metadata: { customAttributes: attrs },
        },
        text: '[POSTBACK] action=track&order=TH-20931',
      },
    });
  });

  it('datetime picker: the param on its own line', () => {
    expect(lineEventToGenesys(event('postback-datetime.json'), ctx)).toEqual({
      action: 'send',
      message: {
        channel: {
          messageId: '01C1PVK8EDDE7XC6JT4MGA8RN9',
          time: '2017-12-19T07:42:50.317Z',
          from: { id: 'U91eeaf62d70e84ccd8095de8c761ee41', idType: 'Opaque' },
          metadata: { customAttributes: attrs },
        },
        text: '[POSTBACK] storeId=12345\ndatetime: 2017-12-25T01:00',
      },
    });
  });

  it('rich menu switch: alias and status', () => {
    expect(sendOf(lineEventToGenesys(event('postback-richmenu-switch.json'), ctx)).text).toBe(
      '[POSTBACK] richmenu-changed-to-b\nnewRichMenuAliasId: richmenu-alias-b\nstatus: SUCCESS',
    );
  });

  it('date and time params in a fixed order, other params after, sorted', () => {
    const e = variant('postback.json', (x) => {
      x['postback'] = { data: 'd', params: { zeta: 'z', time: '10:00', date: '2025-01-02', alpha: 'a' } };
    });
    expect(sendOf(lineEventToGenesys(e, ctx)).text).toBe('[POSTBACK] d\ndate: 2025-01-02\ntime: 10:00\nalpha: a\nzeta: z');
  });

  it('a postback without data or params', () => {
    const e = variant('postback.json', (x) => {
      delete x['postback'];
    });
    expect(sendOf(lineEventToGenesys(e, ctx)).text).toBe('[POSTBACK]');
  });
});

describe('lineEventToGenesys: a tap on a button Genesys sent', () => {
  const ORIGIN = '5e6f7a8b9c0d4be2f3a4b5c6d7e8f9a0';
  const tap = (data: string, params?: Record<string, string>) =>
    variant('postback.json', (x) => {
      x['postback'] = { data, ...(params ? { params } : {}) };
    });
  const channelOfTap = { messageId: '01JDQ7Z3A4B5C6D7E8F9G0H1J9', time: T_SAMPLES, from: { id: U_SAMPLES, idType: 'Opaque' }, metadata: { customAttributes: attrs } };

  it('answer in the data: a structured response with the quick reply, its text and payload, answering its message', () => {
    expect(lineEventToGenesys(tap(`lg1:["${ORIGIN}","Q","Bank transfer","refund_bank"]`), ctx)).toEqual({
      action: 'answer',
      message: {
        channel: channelOfTap,
        buttonResponse: { type: 'QuickReply', text: 'Bank transfer', payload: 'refund_bank' },
        originatingMessageId: ORIGIN,
      },
    });
  });

  it('a card button answers as type Button', () => {
    const d = lineEventToGenesys(tap(`lg1:["${ORIGIN}","B","Book Now","book_norway"]`), ctx);
    expect(d).toMatchObject({ action: 'answer', message: { buttonResponse: { type: 'Button', text: 'Book Now', payload: 'book_norway' }, originatingMessageId: ORIGIN } });
  });

  it('a reference the relay still keeps: the kept answer, looked up before (inboundNeeds names the reference)', () => {
    const e = tap('lg1r:AbCdEfGhIjKlMnOpQrStUv');
    expect(inboundNeeds(e)).toEqual({ userId: U_SAMPLES, answerRef: 'AbCdEfGhIjKlMnOpQrStUv' });
    const kept = { originatingMessageId: ORIGIN, type: 'QuickReply' as const, text: 'Yes', payload: 'p'.repeat(400) };
    expect(lineEventToGenesys(e, { ...ctx, answer: kept })).toEqual({
      action: 'answer',
      message: { channel: channelOfTap, buttonResponse: { type: 'QuickReply', text: 'Yes', payload: 'p'.repeat(400) }, originatingMessageId: ORIGIN },
    });
  });

  it('an expired reference (no kept answer) stays a text message, as before', () => {
    expect(sendOf(lineEventToGenesys(tap('lg1r:AbCdEfGhIjKlMnOpQrStUv'), ctx)).text).toBe('[POSTBACK] lg1r:AbCdEfGhIjKlMnOpQrStUv');
  });

  it('data the relay did not write (a rich menu, a broken answer) stays a text message and needs no lookup', () => {
    for (const data of ['action=track', 'lg1:not json', 'lg1:["id","X","t","p"]', 'lg1:["","Q","t","p"]', 'lg1r:short']) {
      expect(sendOf(lineEventToGenesys(tap(data), ctx)).text).toBe(`[POSTBACK] ${data}`);
      expect(inboundNeeds(tap(data))).toEqual({ userId: U_SAMPLES });
    }
  });

  it('a postback with params (date picker, rich menu switch) is never an answer', () => {
    const d = lineEventToGenesys(tap(`lg1:["${ORIGIN}","Q","Yes","yes"]`, { date: '2025-01-02' }), ctx);
    expect(sendOf(d).text).toBe(`[POSTBACK] lg1:["${ORIGIN}","Q","Yes","yes"]\ndate: 2025-01-02`);
  });
});

describe('lineEventToGenesys: follow, unfollow, unsend, edits', () => {
  it('follow (new friend): recorded', () => {
    expect(lineEventToGenesys(event('follow.json'), ctx)).toEqual({
      action: 'record',
      kind: 'follow',
      userId: U_SAMPLES,
      reason: 'customer added the account as a friend',
    });
  });

  it('follow (unblocked): recorded', () => {
    expect(lineEventToGenesys(event('follow-unblocked.json'), ctx)).toEqual({
      action: 'record',
      kind: 'follow',
      userId: U_OPENAPI,
      reason: 'customer unblocked the account',
    });
  });

  it('unfollow: recorded', () => {
    expect(lineEventToGenesys(event('unfollow.json'), ctx)).toEqual({
      action: 'record',
      kind: 'unfollow',
      userId: U_SAMPLES,
      reason: 'customer blocked the account; replies to them will fail fast',
    });
  });

  it('unsend in a group: ignored like every group event', () => {
    expect(lineEventToGenesys(event('unsend-group.json'), ctx)).toEqual({
      action: 'ignore',
      reason: 'group chats are not relayed: a Genesys conversation is with one customer (unsend event in a group)',
    });
  });

  it('unsend 1:1: the agent is told, message id = webhookEventId', () => {
    expect(lineEventToGenesys(asOneToOne('unsend-group.json'), ctx)).toEqual({
      action: 'send',
      message: {
        channel: {
          messageId: '01AJ5R5DDK786WBXG2JMPGHT6W',
          time: T_OPENAPI,
          from: { id: U_OPENAPI, idType: 'Opaque' },
          metadata: { customAttributes: attrs },
        },
        text: '[LINE: the customer unsent a message (id 325708)]',
      },
    });
  });

  it('messageEdited (group sample): ignored as a group event', () => {
    expect(lineEventToGenesys(event('message-edited-group.json'), ctx)).toEqual({
      action: 'ignore',
      reason: 'group chats are not relayed: a Genesys conversation is with one customer (messageEdited event in a group)',
    });
  });

  it('messageEdited 1:1 (should LINE ever send it): ignored, naming the type', () => {
    expect(lineEventToGenesys(asOneToOne('message-edited-group.json'), ctx)).toEqual({
      action: 'ignore',
      reason: 'messageEdited: message edits are not relayed (LINE sends them for group chats only)',
    });
  });
});

describe('lineEventToGenesys: ignored', () => {
  const GROUP = 'group chats are not relayed: a Genesys conversation is with one customer';

  it.each([
    ['text-group-mention-emoji.json', 'message'],
    ['sticker-message-sticker-group.json', 'message'],
    ['join-group.json', 'join'],
    ['leave-group.json', 'leave'],
    ['member-joined-group.json', 'memberJoined'],
    ['member-left-group.json', 'memberLeft'],
  ])('%s: group event ignored', (file, type) => {
    expect(lineEventToGenesys(event(file), ctx)).toEqual({ action: 'ignore', reason: `${GROUP} (${type} event in a group)` });
  });

  it('room events are ignored too', () => {
    const e = variant('text.json', (x) => {
      x['source'] = { type: 'room', roomId: 'Ra8dbf4673c4c812cd491258042226c99', userId: U_SAMPLES };
    });
    expect(lineEventToGenesys(e, ctx)).toEqual({ action: 'ignore', reason: `${GROUP} (message event in a room)` });
    expect(inboundNeeds(e)).toEqual({});
    expect(eventCustomerId(e)).toBeUndefined();
  });

  it('standby mode: ignored, another module holds the chat', () => {
    const e = variant('text.json', (x) => {
      x['mode'] = 'standby';
    });
    expect(lineEventToGenesys(e, ctx)).toEqual({ action: 'ignore', reason: 'message event in standby mode: another module holds the chat' });
    expect(inboundNeeds(e)).toEqual({});
  });

  it('standby mode: an unfollow is still recorded, so replies to a blocked customer fail fast', () => {
    const e = variant('unfollow.json', (x) => {
      x['mode'] = 'standby';
    });
    expect(lineEventToGenesys(e, ctx)).toMatchObject({ action: 'record', kind: 'unfollow', userId: U_SAMPLES });
  });

  it.each([
    ['video-play-complete.json', 'videoPlayComplete: the customer watched a video the bot sent to the end; nothing for the agent'],
    ['beacon.json', 'beacon: LINE Beacon proximity events are not relayed'],
    ['account-link.json', 'accountLink: account-linking results are not relayed'],
    ['membership.json', 'membership: LINE membership (subscription) changes are not relayed'],
  ])('%s: ignored with a reason naming the type', (file, reason) => {
    expect(lineEventToGenesys(event(file), ctx)).toEqual({ action: 'ignore', reason });
  });

  it.each([
    ['activated', 'activated: module channel event (chat control activated); not relayed'],
    ['deactivated', 'deactivated: module channel event (chat control deactivated); not relayed'],
    ['botSuspended', 'botSuspended: module channel event (bot suspended); not relayed'],
    ['botResumed', 'botResumed: module channel event (bot resumed); not relayed'],
    ['module', 'module: module channel event (module attached/detached); not relayed'],
    ['delivery', 'delivery: delivery completion of a LINE notification message (PNP); not relayed'],
    ['things', 'things: LINE Things device events are not relayed'],
    ['join', 'join: the bot joined a group or room; group chats are not relayed'],
  ])('%s (1:1 or without source): ignored, naming the type', (type, reason) => {
    const e = variant('follow.json', (x) => {
      x['type'] = type;
      delete x['follow'];
    });
    expect(lineEventToGenesys(e, ctx)).toEqual({ action: 'ignore', reason });
    const noSource = variant('follow.json', (x) => {
      x['type'] = type;
      delete x['source'];
    });
    expect(lineEventToGenesys(noSource, ctx)).toEqual({ action: 'ignore', reason });
  });

  it('an unknown event type: ignored, naming it', () => {
    const e = variant('text.json', (x) => {
      x['type'] = 'hologram';
    });
    expect(lineEventToGenesys(e, ctx)).toEqual({ action: 'ignore', reason: 'unknown LINE event type "hologram": not relayed' });
    const proto = variant('text.json', (x) => {
      x['type'] = 'constructor';
    });
    expect(lineEventToGenesys(proto, ctx)).toEqual({ action: 'ignore', reason: 'unknown LINE event type "constructor": not relayed' });
  });

  it('partial and malformed events never throw', () => {
    const bad: unknown[] = [
      null,
      undefined,
      42,
      'message',
      [],
      {},
      { type: 'message' },
      { type: 'message', source: { type: 'user' } },
      { type: 'message', source: { type: 'user', userId: U_SAMPLES }, timestamp: 1, message: null },
      { type: 'message', source: { type: 'user', userId: U_SAMPLES }, timestamp: 1, message: { type: 'image' } },
      { type: 'message', source: { type: 'user', userId: U_SAMPLES }, timestamp: 1, message: { type: 'sticker' } },
      { type: 'message', source: { type: 'user', userId: U_SAMPLES }, timestamp: 1, message: { type: 'location' } },
      { type: 'message', source: { type: 'user', userId: U_SAMPLES }, timestamp: 1, message: { type: 'file', id: 5 } },
      { type: 'postback', source: { type: 'user', userId: U_SAMPLES }, timestamp: 1, postback: { params: 'x' } },
      { type: 'unsend', source: { type: 'user', userId: U_SAMPLES }, timestamp: 1e20 },
      { type: 'follow', source: { type: 'user', userId: U_SAMPLES } },
      { type: 7, source: null },
    ];
    for (const e of bad) {
      const ev = e as webhook.Event;
      expect(() => lineEventToGenesys(ev, ctx)).not.toThrow();
      expect(() => lineEventToGenesys(ev, { channel, media: null as unknown as undefined, profile: null as unknown as undefined })).not.toThrow();
      expect(() => inboundNeeds(ev)).not.toThrow();
      expect(typeof eventDedupeKey(ev)).toBe('string');
      expect(() => eventCustomerId(ev)).not.toThrow();
    }
    expect(lineEventToGenesys(null as unknown as webhook.Event, ctx)).toEqual({ action: 'ignore', reason: 'not a LINE webhook event (not an object)' });
    expect(lineEventToGenesys({ type: 'message' } as webhook.Event, ctx)).toEqual({
      action: 'ignore',
      reason: 'message event without a 1:1 customer (source.userId)',
    });
    expect(
      lineEventToGenesys({ type: 'message', source: { type: 'user', userId: U_SAMPLES }, timestamp: 1, message: { type: 'file', id: 5 } } as unknown as webhook.Event, ctx),
    ).toMatchObject({ action: 'send', message: { channel: { messageId: '5', time: '1970-01-01T00:00:00.001Z' }, text: '[LINE file: content could not be fetched (message id 5)]' } });
  });

  it('no timestamp: the time of the ULID webhookEventId; neither: ignored', () => {
    const e = variant('postback-datetime.json', (x) => {
      delete x['timestamp'];
    });
    expect(sendOf(lineEventToGenesys(e, ctx)).channel.time).toBe('2017-12-19T07:42:50.317Z');
    const none = variant('postback-datetime.json', (x) => {
      delete x['timestamp'];
      x['webhookEventId'] = 'not-a-ulid';
    });
    expect(lineEventToGenesys(none, ctx)).toEqual({ action: 'ignore', reason: 'postback event without a usable timestamp' });
  });
});

describe('inboundNeeds', () => {
  it('text: the profile only', () => {
    expect(inboundNeeds(event('text.json'))).toEqual({ userId: U_SAMPLES });
  });
  it('LINE-hosted image: profile and content', () => {
    expect(inboundNeeds(event('image.json'))).toEqual({ userId: U_SAMPLES, contentMessageId: '544872112345678904', mediaKind: 'image' });
    expect(inboundNeeds(event('image-set-2-of-2.json'))).toEqual({ userId: U_OPENAPI, contentMessageId: '993398289057123046', mediaKind: 'image' });
  });
  it('audio', () => {
    expect(inboundNeeds(event('audio.json'))).toEqual({ userId: U_OPENAPI, contentMessageId: '359354231754677185', mediaKind: 'audio' });
  });
  it('file: content always, with its name', () => {
    expect(inboundNeeds(event('file.json'))).toEqual({
      userId: U_SAMPLES,
      contentMessageId: '544872112345678905',
      mediaKind: 'file',
      fileName: 'receipt.pdf',
    });
  });
  it('external video: no content to fetch', () => {
    expect(inboundNeeds(event('video-external.json'))).toEqual({ userId: U_OPENAPI });
  });
  it('sticker, location, postback: profile only', () => {
    expect(inboundNeeds(event('sticker.json'))).toEqual({ userId: U_SAMPLES });
    expect(inboundNeeds(event('location.json'))).toEqual({ userId: U_SAMPLES });
    expect(inboundNeeds(event('postback.json'))).toEqual({ userId: U_SAMPLES });
  });
  it('nothing for recorded, ignored and group events', () => {
    for (const f of ['follow.json', 'unfollow.json', 'beacon.json', 'text-group-mention-emoji.json', 'join-group.json', 'unsend-group.json']) {
      expect(inboundNeeds(event(f))).toEqual({});
    }
  });
  it('ids that are unsafe in a URL are not handed out', () => {
    const e = variant('image.json', (x) => {
      x['source'] = { type: 'user', userId: 'U../../v2/bot/info' };
      (x['message'] as Record<string, unknown>)['id'] = '12/../34';
    });
    expect(inboundNeeds(e)).toEqual({});
    expect(sendOf(lineEventToGenesys(e, ctx)).text).toBe('[LINE image: content could not be fetched (message id 12/../34)]');
  });
});

describe('eventDedupeKey and eventCustomerId', () => {
  it('the key is the webhookEventId', () => {
    expect(eventDedupeKey(event('text.json'))).toBe('01JDQ7Z3A4B5C6D7E8F9G0H1J2');
    expect(eventDedupeKey(event('join-group.json'))).toBe('01AJ5R5DDKT2YCD8XPZWB02XH0');
  });
  it('without a webhookEventId: a stable key from the fields', () => {
    const e = variant('text.json', (x) => {
      delete x['webhookEventId'];
    });
    expect(eventDedupeKey(e)).toBe(`noid:message:${U_SAMPLES}:1732435200000:544872112345678901`);
    expect(eventDedupeKey(e)).toBe(eventDedupeKey(structuredClone(e)));
  });
  it('customer: the user of 1:1 events only', () => {
    expect(eventCustomerId(event('text.json'))).toBe(U_SAMPLES);
    expect(eventCustomerId(event('unfollow.json'))).toBe(U_SAMPLES);
    expect(eventCustomerId(event('text-group-mention-emoji.json'))).toBeUndefined();
    expect(eventCustomerId(event('join-group.json'))).toBeUndefined();
  });
});

describe('several events in one body', () => {
  it('text, follow and unfollow of three customers', () => {
    const events = body('multi-event-text-follow-unfollow.json').events;
    expect(events.map((e) => lineEventToGenesys(e, ctx))).toEqual([
      {
        action: 'send',
        message: {
          channel: {
            messageId: '581592172341507335',
            time: '2021-07-07T13:40:42.211Z',
            from: { id: 'U80696558e1aa831c5ada74573f5ac699', idType: 'Opaque' },
            metadata: { customAttributes: attrs },
          },
          text: 'Hello, world',
        },
      },
      { action: 'record', kind: 'follow', userId: 'Ufc729a925b3abefcb33bf0dfc4b95c93', reason: 'customer added the account as a friend' },
      {
        action: 'record',
        kind: 'unfollow',
        userId: 'Ubbd4f124aee511320cb9d7a507ed5be1',
        reason: 'customer blocked the account; replies to them will fail fast',
      },
    ]);
    expect(events.map(eventCustomerId)).toEqual([
      'U80696558e1aa831c5ada74573f5ac699',
      'Ufc729a925b3abefcb33bf0dfc4b95c93',
      'Ubbd4f124aee511320cb9d7a507ed5be1',
    ]);
  });
});

describe('every template event', () => {
  const record = { action: 'record', kind: expect.stringMatching(/^(follow|unfollow)$/), userId: expect.stringMatching(/^U[0-9a-f]{32}$/), reason: expect.stringMatching(/\S/) };
  const shapes = { send: { action: 'send', message: expect.any(Object) }, answer: { action: 'answer', message: expect.any(Object) }, record, ignore: { action: 'ignore', reason: expect.stringMatching(/\S/) } };

  it.each(templateNames('line'))('%s: every event gets the decision the table names, well formed', (name) => {
    const events = body(`${name}.json`).events;
    const expected = lineOutcome(name);
    for (const c of [ctx, { channel, profile }, { channel, profile, media: { url: 'https://r/m', mime: 'application/octet-stream' } }]) {
      const decisions = events.map((e) => lineEventToGenesys(e, c));
      expect(decisions).toEqual(expected.map((a) => shapes[a]));
      for (const m of decisions.flatMap((d) => (d.action === 'send' ? [d.message] : []))) {
        expect(m.channel.messageId).toMatch(/\S/);
        expect(new Date(m.channel.time).toISOString()).toBe(m.channel.time);
        expect(m.channel.from).toMatchObject({ id: expect.stringMatching(/^U/), idType: 'Opaque' });
        expect(m.channel.metadata?.customAttributes).toMatchObject(attrs);
        expect(Object.values(m.channel.metadata?.customAttributes ?? {}).filter((v) => typeof v !== 'string')).toEqual([]);
        expect('metadata' in m).toBe(false);
        expect(m.text !== undefined || (m.content?.length ?? 0) > 0).toBe(true);
        // What Genesys receives is the JSON: no key may hold undefined (toStrictEqual tells them apart).
        expect(JSON.parse(JSON.stringify(m))).toStrictEqual(m);
      }
    }
    for (const e of events) {
      expect(() => inboundNeeds(e)).not.toThrow();
      expect(eventDedupeKey(e)).toBe(e.webhookEventId);
    }
  });
});
