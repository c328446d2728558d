/** The agent's sticker code: only a whole message that is one code is a sticker; everything else stays text. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateLineRequest } from '../../../src/sandbox/openapi-validator.js';
import { parseStickerCode, stickerCode } from '../../../src/transform/sticker-code.js';
import { genesysToLine } from '../../../src/transform/to-line.js';

const USER = 'U4af4980629c5f1b2e1d4c3b2a1f0e9d8';

describe('parseStickerCode', () => {
  it.each([
    ['[sticker 446/1988]', { packageId: '446', stickerId: '1988' }],
    ['  [sticker 446/1988]\n', { packageId: '446', stickerId: '1988' }],
    ['[Sticker 11537/52002738]', { packageId: '11537', stickerId: '52002738' }],
    ['[STICKER 6136 / 10551376]', { packageId: '6136', stickerId: '10551376' }],
    ['[ sticker  446/1989 ]', { packageId: '446', stickerId: '1989' }],
  ])('%j is a sticker', (text, expected) => {
    expect(parseStickerCode(text)).toEqual(expected);
  });

  it.each([
    ['a code inside a sentence', 'Here you go [sticker 446/1988]'],
    ['a code followed by text', '[sticker 446/1988] thanks!'],
    ['two codes', '[sticker 446/1988] [sticker 446/1989]'],
    ['no brackets', 'sticker 446/1988'],
    ['a missing sticker id', '[sticker 446]'],
    ['a missing package id', '[sticker /1988]'],
    ['ids that are not digits', '[sticker abc/1988]'],
    ['a negative id', '[sticker -446/1988]'],
    ['an id too long for a LINE id', `[sticker 446/${'1'.repeat(21)}]`],
    ['a path in the id', '[sticker 446/../1988]'],
    ['another keyword', '[stamp 446/1988]'],
    ['an empty text', ''],
    ['not a string', 42],
  ])('%s stays text', (_name, text) => {
    expect(parseStickerCode(text)).toBeUndefined();
  });

  it('writes the code an agent types', () => {
    expect(stickerCode({ packageId: '446', stickerId: '1988' })).toBe('[sticker 446/1988]');
  });
});

describe('genesysToLine with sticker codes', () => {
  const agent = (fields: Record<string, unknown>) => genesysToLine({
    id: 'm1', direction: 'Outbound', type: 'Text',
    channel: { id: 'i', platform: 'Open', type: 'Private', to: { id: USER }, from: { id: 'a', idType: 'Opaque' }, time: '2025-03-14T09:21:07.412Z', messageId: 'm1' },
    ...fields,
  } as never);

  it('a text that is only a code becomes a LINE sticker message', () => {
    expect(agent({ text: ' [sticker 446/1988] ' })).toEqual({ action: 'push', to: USER, batches: [[{ type: 'sticker', packageId: '446', stickerId: '1988' }]] });
  });

  it('a Text content item that is only a code becomes a sticker too, after the message text', () => {
    const plan = agent({ type: 'Structured', text: 'Thank you!', content: [{ contentType: 'Text', text: { body: '[sticker 11537/52002738]' } }] });
    expect(plan).toEqual({ action: 'push', to: USER, batches: [[{ type: 'text', text: 'Thank you!' }, { type: 'sticker', packageId: '11537', stickerId: '52002738' }]] });
  });

  it('a code inside a longer text is sent as the text it is', () => {
    expect(agent({ text: 'Type [sticker 446/1988] to send one' })).toEqual({ action: 'push', to: USER, batches: [[{ type: 'text', text: 'Type [sticker 446/1988] to send one' }]] });
  });

  it('quick replies ride on the sticker', () => {
    const plan = agent({ type: 'Structured', text: '[sticker 446/1989]', content: [{ contentType: 'QuickReply', quickReply: { text: 'Yes', payload: 'yes', action: 'Message' } }] });
    expect(plan).toMatchObject({ action: 'push', batches: [[{ type: 'sticker', packageId: '446', stickerId: '1989', quickReply: { items: [expect.objectContaining({ type: 'action' })] } }]] });
  });
});

describe('templates/stickers/starter.json', () => {
  const starter = JSON.parse(readFileSync(new URL('../../../templates/stickers/starter.json', import.meta.url), 'utf8')) as {
    stickers: Array<{ id: string; packageId: string; stickerId: string; description: string }>;
  };

  it('has unique ids and a description for each sticker', () => {
    expect(starter.stickers.length).toBeGreaterThanOrEqual(3);
    expect(new Set(starter.stickers.map((s) => s.id)).size).toBe(starter.stickers.length);
    for (const s of starter.stickers) expect(s.description.trim()).not.toBe('');
  });

  it('each code, sent by an agent, is a sticker push LINE’s schema accepts', () => {
    for (const s of starter.stickers) {
      const code = stickerCode(s);
      expect(parseStickerCode(code)).toEqual({ packageId: s.packageId, stickerId: s.stickerId });
      expect(validateLineRequest('PushMessageRequest', { to: USER, messages: [{ type: 'sticker', packageId: s.packageId, stickerId: s.stickerId }] })).toEqual([]);
    }
  });
});
