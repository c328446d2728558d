/** A customer's quote of an earlier message, as the agent reads it: quoteLine() and the quoted option of lineEventToGenesys. */
import { readFileSync } from 'node:fs';
import type { webhook } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import { inboundNeeds, lineEventToGenesys, quoteLine } from '../../../src/transform/to-genesys.js';

const channel = { id: 'th', market: 'TH', brand: 'acme' };
function quotingText(quotedMessageId?: string): webhook.Event {
  const e = JSON.parse(readFileSync(new URL('../../../templates/line/text.json', import.meta.url), 'utf8')).events[0];
  e.message.text = 'ช่วยตอบหน่อยครับ';
  if (quotedMessageId) e.message.quotedMessageId = quotedMessageId;
  return e;
}
const textOf = (d: ReturnType<typeof lineEventToGenesys>) => (d.action === 'send' ? d.message.text : undefined);

describe('quoteLine', () => {
  it('a short text whole, on one line', () => {
    expect(quoteLine('Order  #12\nshipped?')).toBe('↪ "Order #12 shipped?"');
  });
  it('a long one cut at 80 characters, never inside a Thai character cluster', () => {
    // 81 clusters of "กี" (a consonant and its vowel mark): 162 code units.
    expect(quoteLine('กี'.repeat(81))).toBe(`↪ "${'กี'.repeat(80)}…"`);
    expect(quoteLine('a'.repeat(80))).toBe(`↪ "${'a'.repeat(80)}"`);
  });
});

describe('lineEventToGenesys with a quote', () => {
  it('the quoted text first, then the customer’s', () => {
    const d = lineEventToGenesys(quotingText('544872112345678900'), { channel, quoted: 'Your order shipped' });
    expect(textOf(d)).toBe('↪ "Your order shipped"\nช่วยตอบหน่อยครับ');
  });
  it('a quote the relay does not know, or no quote: the text as it is', () => {
    expect(textOf(lineEventToGenesys(quotingText('544872112345678900'), { channel }))).toBe('ช่วยตอบหน่อยครับ');
    expect(textOf(lineEventToGenesys(quotingText(), { channel, quoted: 'stale' }))).toBe('ช่วยตอบหน่อยครับ');
  });
  it('inboundNeeds names the quoted message', () => {
    expect(inboundNeeds(quotingText('544872112345678900')).quotedMessageId).toBe('544872112345678900');
    expect(inboundNeeds(quotingText()).quotedMessageId).toBeUndefined();
  });
});
