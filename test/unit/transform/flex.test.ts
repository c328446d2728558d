import type { messagingApi } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import {
  answerAction,
  cardAction,
  cardToBubble,
  cardToFlex,
  cardsToFlexCarousels,
  FLEX_LIMITS,
  httpsUrl,
} from '../../../src/transform/flex.js';

describe('httpsUrl', () => {
  it('accepts absolute https URLs within the length, normalised', () => {
    expect(httpsUrl('https://cdn.example.com/a b.jpg', 2000)).toBe('https://cdn.example.com/a%20b.jpg');
    expect(httpsUrl(' https://cdn.example.com/x.png ', 2000)).toBe('https://cdn.example.com/x.png');
  });

  it('refuses http, other schemes, relative, empty and too long', () => {
    for (const bad of ['http://cdn.example.com/x.png', 'ftp://h/x', '/static/x.png', '', undefined, 42]) {
      expect(httpsUrl(bad, 2000)).toBeUndefined();
    }
    expect(httpsUrl(`https://h.example.com/${'a'.repeat(2000)}`, 2000)).toBeUndefined();
  });
});

describe('answerAction', () => {
  it('postback with the payload as data and the text displayed', () => {
    expect(answerAction('Yes please', 'YES')).toEqual({ type: 'postback', label: 'Yes please', data: 'YES', displayText: 'Yes please' });
  });

  it('uses the payload as label when there is no text', () => {
    expect(answerAction(undefined, 'menu')).toEqual({ type: 'postback', label: 'menu', data: 'menu', displayText: 'menu' });
  });

  it('message action when there is no payload or it is over 300 units', () => {
    expect(answerAction('Hi', '')).toEqual({ type: 'message', label: 'Hi', text: 'Hi' });
    expect(answerAction('Hi', 'x'.repeat(FLEX_LIMITS.postbackData + 1))).toEqual({ type: 'message', label: 'Hi', text: 'Hi' });
    expect(answerAction('Hi', 'x'.repeat(FLEX_LIMITS.postbackData))).toMatchObject({ type: 'postback' });
  });

  it('nothing to show -> undefined', () => {
    expect(answerAction('  ', undefined)).toBeUndefined();
  });
});

describe('cardAction', () => {
  it('Link -> uri (http, https, tel, line allowed); other schemes dropped', () => {
    expect(cardAction({ type: 'Link', text: 'Call us', url: 'tel:+6621234567' })).toEqual({ type: 'uri', label: 'Call us', uri: 'tel:+6621234567' });
    expect(cardAction({ type: 'Link', url: 'http://example.com/x' })).toEqual({ type: 'uri', label: 'Open', uri: 'http://example.com/x' });
    expect(cardAction({ type: 'Link', text: 'x', url: 'javascript:alert(1)' })).toBeUndefined();
    expect(cardAction({ type: 'Link', text: 'x', url: `https://e.com/${'a'.repeat(1000)}` })).toBeUndefined();
  });

  it('Postback -> postback', () => {
    expect(cardAction({ type: 'Postback', text: 'Book', payload: 'book' })).toEqual({ type: 'postback', label: 'Book', data: 'book', displayText: 'Book' });
  });
});

describe('cardToBubble / cardToFlex', () => {
  it('builds hero, body and footer; the default Link opens from the hero', () => {
    const bubble = cardToBubble({
      title: 'Title',
      description: 'Desc',
      image: 'https://img.example.com/a.jpg',
      defaultAction: { type: 'Link', url: 'https://example.com/' },
      actions: [{ type: 'Postback', text: 'Go', payload: 'go' }],
    });
    expect(bubble?.hero).toMatchObject({ type: 'image', url: 'https://img.example.com/a.jpg', action: { type: 'uri', uri: 'https://example.com/' } });
    expect(bubble?.action).toBeUndefined();
    expect(bubble?.body?.contents).toHaveLength(2);
    expect(bubble?.footer?.contents).toHaveLength(1);
  });

  it('without an image the default Link is the bubble action', () => {
    const bubble = cardToBubble({ title: 'T', defaultAction: { type: 'Link', url: 'https://example.com/' }, actions: [] });
    expect(bubble?.action).toMatchObject({ type: 'uri', uri: 'https://example.com/' });
  });

  it('a card with nothing to show gives nothing', () => {
    expect(cardToBubble({ title: '', actions: [] })).toBeUndefined();
    expect(cardToFlex({ title: ' ', image: 'http://x/y.jpg', actions: [{ type: 'Link', url: 'ftp://x' }] })).toBeUndefined();
  });

  it('caps long texts so a bubble stays far under 30 KB', () => {
    const bubble = cardToBubble({ title: 'T'.repeat(10_000), description: 'D'.repeat(100_000), actions: [] });
    const [title, description] = (bubble?.body?.contents ?? []) as messagingApi.FlexText[];
    expect(title?.text?.length).toBeLessThanOrEqual(FLEX_LIMITS.cardTitle);
    expect(description?.text?.length).toBeLessThanOrEqual(FLEX_LIMITS.cardDescription);
  });

  it('altText: title and description, or "Card" for an image-only card', () => {
    expect(cardToFlex({ title: 'A', description: 'B', actions: [] })?.altText).toBe('A\nB');
    expect(cardToFlex({ title: '', image: 'https://i.example.com/x.png', actions: [] })?.altText).toBe('Card');
  });
});

describe('cardsToFlexCarousels', () => {
  it('starts a new carousel before one passes 50 KB', () => {
    const cards = Array.from({ length: 12 }, (_, i) => ({
      title: `Card ${i}`,
      description: 'd'.repeat(FLEX_LIMITS.cardDescription),
      image: `https://img.example.com/${'p'.repeat(1900)}${i}.jpg`,
      actions: Array.from({ length: 4 }, (_, j) => ({ type: 'Link', text: `L${j}`, url: `https://e.com/${'q'.repeat(900)}${j}` })),
    }));
    const messages = cardsToFlexCarousels(cards);
    expect(messages.length).toBeGreaterThan(1);
    let total = 0;
    for (const m of messages) {
      const carousel = m.contents as messagingApi.FlexCarousel;
      expect(Buffer.byteLength(JSON.stringify(carousel))).toBeLessThanOrEqual(FLEX_LIMITS.carouselBytes);
      total += carousel.contents.length;
    }
    expect(total).toBe(12);
  });

  it('skips empty cards and gives nothing for no cards', () => {
    expect(cardsToFlexCarousels(undefined)).toEqual([]);
    expect(cardsToFlexCarousels([{ title: '', actions: [] }])).toEqual([]);
    const [m] = cardsToFlexCarousels([{ title: '', actions: [] }, { title: 'Only', actions: [] }]);
    expect(m?.altText).toBe('Only');
    expect((m?.contents as messagingApi.FlexCarousel).contents).toHaveLength(1);
  });
});
