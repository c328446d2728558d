/**
 * Content a LINE message links to (`contentProvider.type: external`) reaches the agent's browser:
 * only an https link goes through; any other becomes the placeholder for content the relay could
 * not fetch.
 */
import type { webhook } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import { lineEventToGenesys, type InboundDecision } from '../../../src/transform/to-genesys.js';

const channel = { id: 'th', market: 'TH', brand: 'acme' };

/** A 1:1 message event of `kind` whose content is the external `url`. */
function externalMessage(kind: 'image' | 'video' | 'audio', url: unknown): webhook.Event {
  return {
    type: 'message',
    mode: 'active',
    timestamp: 1462629479859,
    source: { type: 'user', userId: 'U4af498062994960253319d61a3234c2b' },
    webhookEventId: '01AJ5R5DDKZ6FK1H8W29TFK0X1',
    deliveryContext: { isRedelivery: false },
    message: { id: '160464351040169115', type: kind, contentProvider: { type: 'external', originalContentUrl: url, previewImageUrl: url } },
  } as unknown as webhook.Event;
}

function bodyOf(d: InboundDecision) {
  if (d.action !== 'send') throw new Error(`expected send, got ${JSON.stringify(d)}`);
  return { text: d.message.text, content: d.message.content };
}

const HOSTILE = [
  'javascript:alert(document.domain)',
  'JavaScript:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'http://example.com/clear.mp4',
  'file:///etc/passwd',
  'vbscript:msgbox(1)',
  '//example.com/no-scheme.jpg',
  'not a url',
  '',
];

describe('external content URLs', () => {
  it.each(HOSTILE)('%j: the placeholder, no attachment', (url) => {
    for (const kind of ['image', 'video', 'audio'] as const) {
      expect(bodyOf(lineEventToGenesys(externalMessage(kind, url), { channel }))).toEqual({
        text: `[LINE ${kind}: content could not be fetched (message id 160464351040169115)]`,
        content: undefined,
      });
    }
  });

  it('a URL that is not a string: the placeholder', () => {
    expect(bodyOf(lineEventToGenesys(externalMessage('image', { href: 'javascript:alert(1)' }), { channel })).text).toBe(
      '[LINE image: content could not be fetched (message id 160464351040169115)]',
    );
  });

  it('an https URL goes through as an attachment', () => {
    expect(bodyOf(lineEventToGenesys(externalMessage('image', 'https://cdn.example.com/a.jpg?size=large'), { channel }))).toEqual({
      text: undefined,
      content: [{ attachment: { mediaType: 'Image', url: 'https://cdn.example.com/a.jpg?size=large', mime: 'image/jpeg' } }],
    });
  });
});
