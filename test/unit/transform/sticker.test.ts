import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { webhook } from '@line/bot-sdk';
import { isValidStickerId, stickerImageUrl, stickerText } from '../../../src/transform/sticker.js';

function stickerFrom(name: string): webhook.StickerMessageContent {
  const url = new URL(`../../../templates/line/${name}`, import.meta.url);
  const body = JSON.parse(readFileSync(url, 'utf8')) as webhook.CallbackRequest;
  const event = body.events[0] as webhook.MessageEvent;
  return event.message as webhook.StickerMessageContent;
}

describe('stickerText', () => {
  it('lists the keywords', () => {
    expect(stickerText(stickerFrom('sticker.json'))).toBe('[LINE STICKER: Heart, Love, Brown, Cony]');
  });

  it('names package and sticker when there are no keywords', () => {
    const m = { ...stickerFrom('sticker.json') };
    delete m.keywords;
    expect(stickerText(m)).toBe('[LINE STICKER: package 446 / sticker 1988]');
    expect(stickerText({ ...m, keywords: [] })).toBe('[LINE STICKER: package 446 / sticker 1988]');
    expect(stickerText({ ...m, keywords: ['  ', ''] })).toBe('[LINE STICKER: package 446 / sticker 1988]');
  });

  it('puts the words of a message sticker first, line breaks folded, keywords after', () => {
    expect(stickerText(stickerFrom('sticker-message-sticker-group.json'))).toBe(
      '[LINE STICKER: “Let\'s hang out this weekend!” (Anticipation, Sparkle, Straight face, Staring, Thinking)]',
    );
  });

  it('message sticker without keywords: the words only', () => {
    const m = { ...stickerFrom('sticker-message-sticker-group.json'), text: 'Thank you!', keywords: [] };
    expect(stickerText(m)).toBe('[LINE STICKER: “Thank you!”]');
  });

  it('a blank text is no text', () => {
    const m = { ...stickerFrom('sticker.json'), text: ' \n ' };
    expect(stickerText(m)).toBe('[LINE STICKER: Heart, Love, Brown, Cony]');
  });

  it('tolerates keywords that are not strings', () => {
    const m = { ...stickerFrom('sticker.json'), keywords: ['Heart', 3, null, ' Love '] as unknown as string[] };
    expect(stickerText(m)).toBe('[LINE STICKER: Heart, Love]');
  });
});

describe('stickerImageUrl', () => {
  it('is the static android PNG', () => {
    expect(stickerImageUrl(stickerFrom('sticker.json'))).toBe(
      'https://stickershop.line-scdn.net/stickershop/v1/sticker/1988/android/sticker.png',
    );
  });

  it('is the static PNG for animated stickers too (documented decision)', () => {
    const m = stickerFrom('sticker-animation.json');
    expect(m.stickerResourceType).toBe('ANIMATION');
    expect(stickerImageUrl(m)).toBe(
      'https://stickershop.line-scdn.net/stickershop/v1/sticker/52002738/android/sticker.png',
    );
    expect(stickerImageUrl({ ...m, stickerResourceType: 'ANIMATION_SOUND' })).toBe(
      'https://stickershop.line-scdn.net/stickershop/v1/sticker/52002738/android/sticker.png',
    );
  });

  it('refuses a sticker id that is not digits only', () => {
    const m = stickerFrom('sticker.json');
    for (const bad of ['../../x', '1988/../1', '', '12a', ' 1988']) {
      expect(() => stickerImageUrl({ ...m, stickerId: bad })).toThrow(TypeError);
      expect(isValidStickerId(bad)).toBe(false);
    }
    expect(() => stickerImageUrl({ ...m, stickerId: undefined as unknown as string })).toThrow(TypeError);
    expect(isValidStickerId('1988')).toBe(true);
  });
});
