import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { validateSignature } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import { signFor, signGenesys, signLine, verifyFor, verifyGenesys, verifyLine } from '../../src/signature.js';

const vectors = JSON.parse(readFileSync(new URL('../../../shared/line-openapi/samples/signature-vectors.json', import.meta.url), 'utf8')) as {
  vectors: Array<{ name: string; body: string; channelSecret: string; signature: string; expectValid: boolean }>;
};

describe('LINE signatures', () => {
  it.each(vectors.vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    expect(verifyLine(Buffer.from(v.body, 'utf8'), v.channelSecret, v.signature)).toBe(v.expectValid);
    expect(validateSignature(v.body, v.channelSecret, v.signature)).toBe(v.expectValid);
    // Signing the same bytes gives the vector's signature exactly when it is valid.
    expect(signLine(v.body, v.channelSecret) === v.signature).toBe(v.expectValid);
  });

  it('refuses a missing, empty, truncated or non-base64 signature', () => {
    const body = '{"events":[]}';
    const sig = signLine(body, 's');
    expect(verifyLine(body, 's', undefined)).toBe(false);
    expect(verifyLine(body, 's', '')).toBe(false);
    expect(verifyLine(body, 's', sig.slice(0, 20))).toBe(false);
    expect(verifyLine(body, 's', '!!' + sig.slice(2))).toBe(false);
    expect(verifyLine(body, '', sig)).toBe(false);
  });
});

describe('Genesys signatures', () => {
  it('is "sha256=" + base64 of HMAC-SHA256, checked against an independent HMAC', () => {
    const body = '{"id":"abc","channel":{"to":{"id":"U1"}}}';
    const expected = 'sha256=' + createHmac('sha256', 'k').update(body).digest('base64');
    expect(signGenesys(body, 'k')).toBe(expected);
    expect(verifyGenesys(body, 'k', expected)).toBe(true);
    expect(verifyGenesys(body, 'k', expected.toUpperCase().replace('SHA256=', 'sha256='))).toBe(false);
  });

  it('refuses hex digests, a missing prefix, another secret or another body', () => {
    const body = 'x';
    const hex = 'sha256=' + createHmac('sha256', 'k').update(body).digest('hex');
    expect(verifyGenesys(body, 'k', hex)).toBe(false);
    expect(verifyGenesys(body, 'k', signGenesys(body, 'k').slice(7))).toBe(false);
    expect(verifyGenesys(body, 'other', signGenesys(body, 'k'))).toBe(false);
    expect(verifyGenesys('y', 'k', signGenesys(body, 'k'))).toBe(false);
  });
});

describe('signing by platform', () => {
  // openssl: printf '%s' '{"events":[]}' | openssl dgst -sha256 -hmac topsecret -binary | base64
  const HMAC = 'V57dnyZl+0zL9Rdl54DPhaqQzF8NEobEJKThZRh1U/g=';
  it('signs as each platform sends it: LINE bare base64, Genesys "sha256=" + base64', () => {
    expect(signFor('line', '{"events":[]}', 'topsecret')).toBe(HMAC);
    expect(signFor('genesys', '{"events":[]}', 'topsecret')).toBe(`sha256=${HMAC}`);
  });

  it("verifies each platform's form and refuses the other's", () => {
    expect(verifyFor('line', '{"events":[]}', 'topsecret', HMAC)).toBe(true);
    expect(verifyFor('genesys', '{"events":[]}', 'topsecret', `sha256=${HMAC}`)).toBe(true);
    expect(verifyFor('genesys', '{"events":[]}', 'topsecret', HMAC)).toBe(false);
    expect(verifyFor('line', '{"events":[]}', 'topsecret', `sha256=${HMAC}`)).toBe(false);
  });
});
