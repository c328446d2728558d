/**
 * samples.ts: message ids, re-stamping a template as a new event, signing, and posting to a real
 * loopback server. Expected values are written down: the ULIDs and ids below were worked out by hand
 * (and with Python's base32) from a counting "random" source, not by the code under test.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { messageId, postWebhook, restamp, restampEvent, signedHeaders, signedRequest, type Fresh, type LineWebhookBody } from '../../src/samples.js';

const template = (name: string): LineWebhookBody => JSON.parse(readFileSync(new URL(`../../templates/line/${name}.json`, import.meta.url), 'utf8'));

/** 2025-06-15T15:06:40.123Z; bytes 0, 1, 2, … in the order they are asked for. */
function counting(now = 1750000000123): Fresh {
  let next = 0;
  return { now, random: (n) => Buffer.from(Array.from({ length: n }, () => next++ % 256)) };
}

describe('messageId', () => {
  it('is 18 digits, one per byte (mod 10), never starting with 0', () => {
    expect(messageId(Buffer.from([26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43]))).toBe('678901234567890123');
    expect(messageId(Buffer.alloc(18))).toBe('100000000000000000');
    expect(messageId(Buffer.alloc(18, 255))).toBe('555555555555555555');
  });
});

describe('restampEvent', () => {
  it('a text message: new webhookEventId (time = now), timestamp, reply token, message id and quote token; the rest as it was', () => {
    const source = template('text').events[0]!;
    const before = JSON.stringify(source);
    expect(restampEvent(source, counting())).toEqual({
      type: 'message',
      mode: 'active',
      timestamp: 1750000000123,
      source: { type: 'user', userId: 'U4af4980629c5f1b2e1d4c3b2a1f0e9d8' },
      webhookEventId: '01JXT21Q3V000G40R40M30E209', // time 1750000000123, random bytes 0–9
      deliveryContext: { isRedelivery: false },
      replyToken: '0a0b0c0d0e0f10111213141516171819', // bytes 10–25
      message: {
        id: '678901234567890123', // bytes 26–43
        type: 'text',
        quoteToken: 'LC0uLzAxMjM0NTY3ODk6Ow', // bytes 44–59, base64url
        text: 'สวัสดีครับ อยากสอบถามเรื่องคำสั่งซื้อ',
      },
    });
    expect(JSON.stringify(source)).toBe(before);
  });

  it('a new mark-as-read token where the message has one', () => {
    const source = template('audio').events[0]!;
    expect(source['message']).toMatchObject({ markAsReadToken: '30yhdy23253df8b9f22e72' });
    const e = restampEvent(source, counting());
    const token = (e['message'] as { markAsReadToken: string }).markAsReadToken;
    expect(token).not.toBe('30yhdy23253df8b9f22e72');
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('a redelivered event becomes a new one', () => {
    const e = restampEvent(template('text-redelivered').events[0]!, counting());
    expect(e['deliveryContext']).toEqual({ isRedelivery: false });
    expect(e).not.toHaveProperty('replyToken');
    // No reply token to renew: the message id takes bytes 10–27 (a leading 0 becomes 1), the quote token 28–43.
    expect(e['message']).toMatchObject({ id: '112345678901234567', quoteToken: 'HB0eHyAhIiMkJSYnKCkqKw' });
  });

  it('an unsend: a new id for the message unsent; no reply token where there was none', () => {
    const e = restampEvent(template('unsend-group').events[0]!, counting());
    expect(e).toMatchObject({ webhookEventId: '01JXT21Q3V000G40R40M30E209', timestamp: 1750000000123, unsend: { messageId: '112345678901234567' } });
    expect(e).not.toHaveProperty('replyToken');
    expect(e['source']).toEqual({ type: 'group', groupId: 'Ca56f94637c1a36b66d0812015ea2aa71', userId: 'U4af498062994960253319d61a3234c2b' });
  });
});

describe('restamp', () => {
  it('every event of a body, to the destination given', () => {
    const body = restamp(template('multi-event-text-follow-unfollow'), counting(), 'U0123456789abcdef0123456789abcdef');
    expect(body.destination).toBe('U0123456789abcdef0123456789abcdef');
    expect(body.events.map((e) => e['webhookEventId'])).toEqual(['01JXT21Q3V000G40R40M30E209', expect.stringMatching(/^01JXT21Q3V/), expect.stringMatching(/^01JXT21Q3V/)]);
    expect(new Set(body.events.map((e) => e['webhookEventId'])).size).toBe(3);
    expect(body.events.map((e) => e['type'])).toEqual(['message', 'follow', 'unfollow']);
  });

  it('keeps the destination without one; an empty body stays empty', () => {
    expect(restamp(template('text'), counting()).destination).toBe('U0f3c9a1b2c3d4e5f60718293a4b5c6d7');
    expect(restamp(template('verify-empty'), counting())).toEqual({ destination: 'U0f3c9a1b2c3d4e5f60718293a4b5c6d7', events: [] });
  });
});

describe('signedHeaders / signedRequest', () => {
  it("LINE: x-line-signature, LINE's own documented example", () => {
    const body = '{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}';
    expect(signedHeaders('line', body, '8c570fa6dd201bb328f1c1eac23a96d8')).toEqual({
      'content-type': 'application/json',
      'x-line-signature': 'GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=',
    });
  });

  it('Genesys: x-hub-signature-256, "sha256=" + base64 (openssl dgst -sha256 -hmac out-secret -binary | base64)', () => {
    expect(signedRequest('genesys', 'http://relay/webhook/genesys', '{"id":"m1"}', 'out-secret')).toEqual({
      url: 'http://relay/webhook/genesys',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=Cp6oCmEc2xBog8d8xhuTKq4wrdzWS3cvN5UbVFIBRPE=' },
      body: '{"id":"m1"}',
    });
  });
});

describe('postWebhook', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r) ?? r(undefined));
    server = undefined;
  });
  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    server = createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('posts the exact bytes and headers, and parses a JSON answer', async () => {
    let seen: { method?: string; url?: string; body: string; headers: IncomingHttpHeaders } | undefined;
    const url = await serve((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => (body += c));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, body, headers: req.headers };
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":1,"duplicates":0}');
      });
    });
    const started = performance.now();
    const answer = await postWebhook({ url: `${url}/webhook/line`, headers: { 'content-type': 'application/json', 'x-line-signature': 'sig' }, body: '{"a":"é"}' });
    const elapsed = performance.now() - started;
    expect(answer).toMatchObject({ status: 200, body: { accepted: 1, duplicates: 0 } });
    // Whole milliseconds, and no more than the call took.
    expect(Number.isInteger(answer.latencyMs), `latencyMs ${answer.latencyMs}`).toBe(true);
    expect(answer.latencyMs).toBeLessThanOrEqual(Math.ceil(elapsed));
    expect(seen).toMatchObject({ method: 'POST', url: '/webhook/line', body: '{"a":"é"}', headers: { 'x-line-signature': 'sig', 'content-length': '10' } });
  });

  it('keeps an answer that is not JSON as text', async () => {
    const url = await serve((_req, res) => res.writeHead(404).end('Not Found'));
    expect(await postWebhook({ url, headers: {}, body: '{}' })).toMatchObject({ status: 404, body: 'Not Found' });
  });

  it('no answer in time: RELAY_TIMEOUT, with the default hint', async () => {
    const url = await serve(() => undefined);
    await expect(postWebhook({ url, headers: {}, body: '{}' }, { timeoutMs: 200 })).rejects.toMatchObject({
      code: 'RELAY_TIMEOUT',
      message: `the relay at ${url} did not answer within 0.2 s`,
      hint: expect.stringContaining('check its logs'),
    });
  });

  it('nobody listening: RELAY_UNREACHABLE, with the caller\'s hint for it', async () => {
    const url = await serve(() => undefined);
    server!.close();
    server = undefined;
    const req = { url: `${url}/webhook/line`, headers: {}, body: '{}' };
    await expect(postWebhook(req)).rejects.toMatchObject({ code: 'RELAY_UNREACHABLE', message: `no relay at ${url}: start one with \`line-genesys dev\``, hint: undefined });
    await expect(postWebhook(req, { hints: { refused: 'try another port' } })).rejects.toMatchObject({ hint: 'try another port' });
  });

  it('stopped by the caller: ABORTED', async () => {
    const url = await serve(() => undefined);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    await expect(postWebhook({ url, headers: {}, body: '{}' }, { signal: stop.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
