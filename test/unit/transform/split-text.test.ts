import { describe, expect, it } from 'vitest';
import { graphemeLength, splitText, truncateCodeUnits, truncateGraphemes } from '../../../src/transform/split-text.js';

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Every chunk within max, none cut inside a surrogate pair, and together the original text. */
function expectSound(text: string, chunks: string[], max: number): void {
  expect(chunks.join('')).toBe(text);
  for (const chunk of chunks) {
    expect(chunk.length).toBeGreaterThan(0);
    expect(chunk.length).toBeLessThanOrEqual(max);
    expect(isLow(chunk.charCodeAt(0))).toBe(false);
    expect(isHigh(chunk.charCodeAt(chunk.length - 1))).toBe(false);
  }
}

describe('splitText', () => {
  it('keeps a text within the limit whole, and gives nothing for an empty text', () => {
    expect(splitText('hello')).toEqual(['hello']);
    expect(splitText('x'.repeat(5000))).toEqual(['x'.repeat(5000)]);
    expect(splitText('')).toEqual([]);
  });

  it('cuts after a newline found in the last 10% of a chunk', () => {
    const text = `${'a'.repeat(95)}\n${'b'.repeat(50)}`;
    const chunks = splitText(text, 100);
    expect(chunks).toEqual([`${'a'.repeat(95)}\n`, 'b'.repeat(50)]);
  });

  it('prefers a newline to a later space', () => {
    const text = `${'a'.repeat(91)}\n${'b'.repeat(4)} ${'c'.repeat(50)}`;
    expect(splitText(text, 100)[0]).toBe(`${'a'.repeat(91)}\n`);
  });

  it('cuts after a space when there is no newline near the end', () => {
    const text = `${'word '.repeat(30)}`;
    const chunks = splitText(text, 100);
    expectSound(text, chunks, 100);
    expect(chunks[0]).toBe('word '.repeat(20));
  });

  it('ignores a boundary earlier than the last 10% and cuts at the limit', () => {
    const text = `${'a'.repeat(10)}\n${'b'.repeat(200)}`;
    const chunks = splitText(text, 100);
    expectSound(text, chunks, 100);
    expect(chunks[0]).toHaveLength(100);
  });

  it('never cuts a surrogate pair, even with no boundary at all', () => {
    // 99 'a' then emoji: a plain cut at 100 would fall between the emoji's two halves.
    const text = `${'a'.repeat(99)}😀${'a'.repeat(150)}`;
    const chunks = splitText(text, 100);
    expectSound(text, chunks, 100);
    const emojis = '😀'.repeat(120); // 240 code units, only astral characters
    expectSound(emojis, splitText(emojis, 101), 101);
  });

  it('cuts Thai (no spaces between words) at a word boundary, never inside a grapheme', () => {
    const thai = 'ขอบคุณที่รอค่ะพัสดุของคุณอยู่ระหว่างการจัดส่งคาดว่าจะถึงภายในสองถึงสามวันทำการ'.repeat(20);
    const chunks = splitText(thai, 500);
    expect(chunks.length).toBeGreaterThan(1);
    expectSound(thai, chunks, 500);
    const seg = new Intl.Segmenter('th', { granularity: 'grapheme' });
    const boundaries = new Set([...seg.segment(thai)].map((s) => s.index));
    let at = 0;
    for (const chunk of chunks.slice(0, -1)) {
      at += chunk.length;
      expect(boundaries.has(at)).toBe(true);
    }
  });

  it('splits 12,001 units into 3 sound chunks', () => {
    const text = `${'x'.repeat(4999)}🎉${'y'.repeat(7000)}`;
    expect(text).toHaveLength(12001);
    const chunks = splitText(text);
    expect(chunks).toHaveLength(3);
    expectSound(text, chunks, 5000);
  });

  it('refuses a limit that cannot hold a surrogate pair', () => {
    expect(() => splitText('abc', 1)).toThrow(RangeError);
    expect(() => splitText('abc', 2.5)).toThrow(RangeError);
  });
});

describe('truncate helpers', () => {
  it('cuts code units without splitting a surrogate pair, with an ellipsis', () => {
    expect(truncateCodeUnits('short', 10)).toBe('short');
    const cut = truncateCodeUnits(`${'a'.repeat(8)}😀😀`, 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut.endsWith('…')).toBe(true);
    expect(isHigh(cut.charCodeAt(cut.length - 2))).toBe(false);
  });

  it('cuts grapheme clusters as LINE counts labels', () => {
    expect(truncateGraphemes('Bank transfer', 20)).toBe('Bank transfer');
    const label = truncateGraphemes('Chocolate chip cookies with extra chocolate', 20);
    expect(graphemeLength(label)).toBe(20);
    expect(label).toBe('Chocolate chip cook…');
    // A family emoji is one grapheme of 11 code units.
    const family = '👨‍👩‍👧'.repeat(25);
    const cut = truncateGraphemes(family, 20);
    expect(graphemeLength(cut)).toBe(20);
    expect(cut.startsWith('👨‍👩‍👧'.repeat(19))).toBe(true);
  });
});
