/**
 * Every template and every transform output, validated against the official specifications:
 * LINE's OpenAPI files (webhook.yml, messaging-api.yml) and Genesys's schema (from its SDK models).
 * What each template must become is written down in template-outcomes.ts, one row per template.
 */
import { readFileSync } from 'node:fs';
import type { webhook } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import { receiptFor } from '../../src/relay/deliver-outbound.js';
import { validateGenesys, validateGenesysOutbound } from '../../src/sandbox/genesys-schema.js';
import { validateLineRequest, validateLineWebhook } from '../../src/sandbox/openapi-validator.js';
import { lineEventToGenesys } from '../../src/transform/to-genesys.js';
import { genesysToLine } from '../../src/transform/to-line.js';
import { GENESYS_OUTCOMES, LINE_OUTCOMES, genesysOutcome, lineOutcome, outboundShape, templateNames } from './template-outcomes.js';

const read = (kind: string, name: string) => JSON.parse(readFileSync(new URL(`../../templates/${kind}/${name}.json`, import.meta.url), 'utf8'));
const lineTemplates = templateNames('line');
const genesysTemplates = templateNames('genesys');
const ctx = {
  channel: { id: 'th', market: 'TH', brand: 'acme', customAttributes: { tier: 'gold' } },
  profile: { displayName: 'Somchai', pictureUrl: 'https://profile.line-scdn.net/x', language: 'th' },
  media: { url: 'https://relay.example.test/media/' + 'a'.repeat(32), mime: 'image/jpeg', filename: 'photo.jpg', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
};

describe('the table of outcomes has one row per template, and no row without one', () => {
  it('templates/line', () => {
    expect(Object.keys(LINE_OUTCOMES).sort()).toEqual(lineTemplates);
  });
  it('templates/genesys', () => {
    expect(Object.keys(GENESYS_OUTCOMES).sort()).toEqual(genesysTemplates);
  });
});

describe('templates/line: webhook bodies LINE would send (webhook.yml)', () => {
  it.each(lineTemplates)('%s', (name) => {
    expect(validateLineWebhook(read('line', name))).toEqual([]);
  });
});

describe('templates/genesys: outbound messages Genesys would send', () => {
  it.each(genesysTemplates)('%s', (name) => {
    expect(validateGenesysOutbound(read('genesys', name))).toEqual([]);
  });
});

describe('to-genesys output: the decision the table names, and inbound messages Genesys accepts', () => {
  it.each(lineTemplates)('%s', (name) => {
    const expected = lineOutcome(name);
    const events: webhook.Event[] = read('line', name).events;
    for (const c of [ctx, { channel: ctx.channel }]) {
      const decisions = events.map((e) => lineEventToGenesys(e, c));
      expect(decisions.map((d) => d.action)).toEqual(expected);
      const messages = decisions.flatMap((d) => (d.action === 'send' ? [d.message] : []));
      expect(messages.flatMap((m) => validateGenesys('inbound-message', m))).toEqual([]);
      const answers = decisions.flatMap((d) => (d.action === 'answer' ? [d.message] : []));
      expect(answers.flatMap((m) => validateGenesys('inbound-structured-response', m))).toEqual([]);
    }
  });
});

describe('to-line output: the plan the table names, and requests LINE accepts (messaging-api.yml)', () => {
  it.each(genesysTemplates)('%s', (name) => {
    const plan = genesysToLine(read('genesys', name), { publicUrl: 'https://relay.example.test' });
    expect(outboundShape(plan)).toEqual(genesysOutcome(name));
    const requests: Array<[string, unknown]> =
      plan.action === 'push'
        ? plan.batches.map((messages) => ['PushMessageRequest', { to: plan.to, messages }])
        : [['ShowLoadingAnimationRequest', plan.action === 'typing' ? { chatId: plan.to, loadingSeconds: plan.loadingSeconds } : plan]];
    expect(requests.flatMap(([schema, body]) => validateLineRequest(schema, body))).toEqual([]);
  });

  it('receipts the relay sends are ones Genesys accepts', () => {
    const m = read('genesys', 'text');
    expect(validateGenesys('inbound-receipt', receiptFor(m, { status: 'Delivered' }, Date.now()))).toEqual([]);
    expect(validateGenesys('inbound-receipt', receiptFor(m, { status: 'Failed', code: 'GeneralError', reason: 'blocked' }, Date.now()))).toEqual([]);
  });
});
