/**
 * Every template and every transform output, validated against the official specifications:
 * LINE's OpenAPI files (webhook.yml, messaging-api.yml) and Genesys's schema (from its SDK models).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { receiptFor } from '../../src/relay/deliver-outbound.js';
import { validateGenesys, validateGenesysOutbound } from '../../src/sandbox/genesys-schema.js';
import { validateLineRequest, validateLineWebhook } from '../../src/sandbox/openapi-validator.js';
import { lineEventToGenesys } from '../../src/transform/to-genesys.js';
import { genesysToLine } from '../../src/transform/to-line.js';

const dir = (sub: string) => new URL(`../../templates/${sub}/`, import.meta.url);
const read = (sub: string, f: string) => JSON.parse(readFileSync(new URL(f, dir(sub)), 'utf8'));
const lineTemplates = readdirSync(dir('line')).filter((f) => f.endsWith('.json'));
const genesysTemplates = readdirSync(dir('genesys')).filter((f) => f.endsWith('.json'));
const ctx = {
  channel: { id: 'th', market: 'TH', brand: 'acme', customAttributes: { tier: 'gold' } },
  profile: { displayName: 'Somchai', pictureUrl: 'https://profile.line-scdn.net/x', language: 'th' },
  media: { url: 'https://relay.example.test/media/' + 'a'.repeat(32), mime: 'image/jpeg', filename: 'photo.jpg', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
};

describe('templates/line: webhook bodies LINE would send (webhook.yml)', () => {
  it.each(lineTemplates)('%s', (f) => {
    expect(validateLineWebhook(read('line', f))).toEqual([]);
  });
});

describe('templates/genesys: outbound messages Genesys would send', () => {
  it.each(genesysTemplates)('%s', (f) => {
    expect(validateGenesysOutbound(read('genesys', f))).toEqual([]);
  });
});

describe('to-genesys output: inbound messages Genesys accepts', () => {
  it.each(lineTemplates)('%s', (f) => {
    for (const event of read('line', f).events) {
      const d = lineEventToGenesys(event, ctx);
      if (d.action === 'send') expect(validateGenesys('inbound-message', d.message)).toEqual([]);
      const noMedia = lineEventToGenesys(event, { channel: ctx.channel });
      if (noMedia.action === 'send') expect(validateGenesys('inbound-message', noMedia.message)).toEqual([]);
    }
  });
});

describe('to-line output: push requests LINE accepts (messaging-api.yml)', () => {
  it.each(genesysTemplates)('%s', (f) => {
    const plan = genesysToLine(read('genesys', f), { publicUrl: 'https://relay.example.test' });
    if (plan.action === 'push') {
      for (const messages of plan.batches) expect(validateLineRequest('PushMessageRequest', { to: plan.to, messages })).toEqual([]);
    } else if (plan.action === 'typing') {
      expect(validateLineRequest('ShowLoadingAnimationRequest', { chatId: plan.to, loadingSeconds: plan.loadingSeconds })).toEqual([]);
    }
  });

  it('receipts the relay sends are ones Genesys accepts', () => {
    const m = read('genesys', 'text.json');
    expect(validateGenesys('inbound-receipt', receiptFor(m, { status: 'Delivered' }, Date.now()))).toEqual([]);
    expect(validateGenesys('inbound-receipt', receiptFor(m, { status: 'Failed', code: 'GeneralError', reason: 'blocked' }, Date.now()))).toEqual([]);
  });
});
