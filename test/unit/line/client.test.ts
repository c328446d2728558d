/** The LINE client against the LINE emulator: retry keys, 409, content states, typed errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/errors.js';
import { LineClient } from '../../../src/line/client.js';
import { retryKeyFor } from '../../../src/line/retry-key.js';
import { startLineEmulator, type LineEmulator } from '../../../src/sandbox/line-api.js';

const BOT = 'U0f3c9a1b2c3d4e5f60718293a4b5c6d7';
const USER = 'U4af4980629c5f1b2e1d4c3b2a1f0e9d8';
let line: LineEmulator;
let client: LineClient;
beforeAll(async () => {
  line = await startLineEmulator({ channels: [{ accessToken: 'tok', botUserId: BOT }], defaultProfiles: false });
  client = new LineClient({ accessToken: 'tok', apiBaseUrl: line.url, dataApiBaseUrl: line.url });
});
afterAll(() => line.close());

describe('LineClient', () => {
  it('derives the same UUID retry key for the same message and push, another for the next push', () => {
    expect(retryKeyFor('abc', 0)).toBe(retryKeyFor('abc', 0));
    expect(retryKeyFor('abc', 1)).not.toBe(retryKeyFor('abc', 0));
    expect(retryKeyFor('abd', 0)).not.toBe(retryKeyFor('abc', 0));
  });

  it('a push repeated with an accepted retry key is a 409 that counts as sent', async () => {
    const key = retryKeyFor('m-409');
    const first = await client.push(USER, [{ type: 'text', text: 'hi' }], key);
    const second = await client.push(USER, [{ type: 'text', text: 'hi' }], key);
    expect(first.firstTime).toBe(true);
    expect(second.firstTime).toBe(false);
    expect(line.pushes.filter((p) => p.retryKey === key)).toHaveLength(1);
  });

  it('a 400 is a permanent UpstreamError carrying LINE’s reason', async () => {
    const e = await client.push(USER, [{ type: 'text', text: '' }], retryKeyFor('bad')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UpstreamError);
    expect((e as UpstreamError).upstreamStatus).toBe(400);
    expect((e as UpstreamError).retriable).toBe(false);
  });

  it('500 and 429 (rate) are retriable; Retry-After is read', async () => {
    line.faults.add({ route: 'push', status: 429, headers: { 'retry-after': '2' } });
    const e = (await client.push(USER, [{ type: 'text', text: 'x' }], retryKeyFor('r1')).catch((x: unknown) => x)) as UpstreamError;
    expect(e.retriable).toBe(true);
    expect(e.retryAfterMs).toBe(2000);
    line.faults.add({ route: 'push', status: 500 });
    const f = (await client.push(USER, [{ type: 'text', text: 'x' }], retryKeyFor('r2')).catch((x: unknown) => x)) as UpstreamError;
    expect(f.retriable).toBe(true);
  });

  it('refuses ids that are not LINE ids before any request', async () => {
    await expect(client.getProfile('../v2/bot/info')).rejects.toThrow(/not a LINE user id/);
    await expect(client.getContent('1/../../x')).rejects.toThrow(/not a LINE message id/);
    expect(line.requests.some((r) => r.path.includes('..'))).toBe(false);
  });

  it('content: ready, preparing (202), gone (410), unknown (404)', async () => {
    line.setContent('111', { body: Buffer.from('abc'), contentType: 'image/jpeg', preparing: 1 });
    expect(await client.getContent('111')).toEqual({ status: 'preparing' });
    const ready = await client.getContent('111');
    expect(ready).toMatchObject({ status: 'ready', contentType: 'image/jpeg', length: 3 });
    expect(ready.status === 'ready' && (await ready.body.toArray()).join('')).toBe('abc');
    line.setContent('112', { body: { generate: 100_000 }, contentType: 'video/mp4', noLength: true });
    const streamed = await client.getContent('112');
    expect(streamed).not.toHaveProperty('length');
    expect(streamed.status === 'ready' && Buffer.concat(await streamed.body.toArray()).length).toBe(100_000);
    line.setContent('222', { body: Buffer.alloc(0), contentType: 'image/jpeg', gone: true });
    expect(await client.getContent('222')).toEqual({ status: 'gone', httpStatus: 410 });
    expect(await client.getContent('333')).toEqual({ status: 'gone', httpStatus: 404 });
  });

  it('a wrong token is a 401 with a hint to renew it', async () => {
    const bad = new LineClient({ accessToken: 'nope', apiBaseUrl: line.url });
    const e = (await bad.getBotInfo().catch((x: unknown) => x)) as UpstreamError;
    expect(e.upstreamStatus).toBe(401);
    expect(e.hint).toMatch(/channel access token/);
  });

  it('bot info gives the webhook destination', async () => {
    expect((await client.getBotInfo()).userId).toBe(BOT);
  });
});

describe('LineClient: reply, mark as read, quota', () => {
  it('replies with a token LINE issued, once; the second use is {replied:false}, and nothing was pushed', async () => {
    line.reset();
    line.issueReplyToken('rt-client', { channel: BOT, userId: USER });
    const first = await client.reply('rt-client', [{ type: 'text', text: 'free' }]);
    expect(first).toEqual({ replied: true, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), sentMessages: [{ id: expect.stringMatching(/^\d+$/), quoteToken: expect.any(String) }] });
    expect(await client.reply('rt-client', [{ type: 'text', text: 'again' }])).toEqual({ replied: false });
    expect(await client.reply('never-issued', [{ type: 'text', text: 'x' }])).toEqual({ replied: false });
    expect(line.replies.map((r) => r.messages)).toEqual([[{ type: 'text', text: 'free' }]]);
    expect(line.pushes).toEqual([]);
    expect(line.requests.find((r) => r.route === 'reply')?.headers['x-line-retry-key']).toBeUndefined();
  });

  it('a reply LINE refuses for its messages is a permanent UpstreamError, not a spent token', async () => {
    line.issueReplyToken('rt-bad', { channel: BOT, userId: USER });
    const e = (await client.reply('rt-bad', [{ type: 'text', text: '' }]).catch((x: unknown) => x)) as UpstreamError;
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e.upstreamStatus).toBe(400);
    expect(e.retriable).toBe(false);
    expect(e.detail).toMatch(/error\(s\)|May not be empty/);
  });

  it('a reply that gets no answer is a retriable UpstreamError without a status (its fate unknown)', async () => {
    line.issueReplyToken('rt-cut', { channel: BOT, userId: USER });
    line.faults.add({ route: 'reply', destroy: true });
    const e = (await client.reply('rt-cut', [{ type: 'text', text: 'x' }]).catch((x: unknown) => x)) as UpstreamError;
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e.upstreamStatus).toBeUndefined();
    expect(e.retriable).toBe(true);
  });

  it('marks as read with the token; a refusal is an UpstreamError', async () => {
    line.reset();
    await client.markAsRead('mark-token-1');
    expect(line.marksAsRead).toEqual([expect.objectContaining({ markAsReadToken: 'mark-token-1', channelBotUserId: BOT })]);
    line.faults.add({ route: 'mark-as-read', status: 400, body: { message: 'Invalid markAsReadToken. Tokens must be used by the bot that received them via Webhook.' } });
    const e = (await client.markAsRead('other').catch((x: unknown) => x)) as UpstreamError;
    expect(e.upstreamStatus).toBe(400);
    expect(e.detail).toMatch(/Invalid markAsReadToken/);
  });

  it('reads the quota and its consumption; an exhausted quota fails a push at once', async () => {
    line.reset();
    expect(await client.quota()).toEqual({ type: 'none' });
    line.setQuota(BOT, { limit: 1 });
    try {
      await client.push(USER, [{ type: 'text', text: 'x' }], retryKeyFor('q1'));
      expect(await client.quota()).toEqual({ type: 'limited', value: 1 });
      expect(await client.quotaConsumption()).toEqual({ totalUsage: 1 });
      const e = (await client.push(USER, [{ type: 'text', text: 'y' }], retryKeyFor('q2')).catch((x: unknown) => x)) as UpstreamError;
      expect(e.upstreamStatus).toBe(429);
      expect(e.retriable).toBe(false);
      expect(e.hint).toMatch(/monthly message quota/);
    } finally {
      line.setQuota(BOT, { limit: null });
    }
  });

  it('bot info carries markAsReadMode', async () => {
    expect((await client.getBotInfo()).markAsReadMode).toBe('auto');
    const manual = await startLineEmulator({ channels: [{ accessToken: 'm', botUserId: BOT, markAsReadMode: 'manual' }] });
    try {
      const info = await new LineClient({ accessToken: 'm', apiBaseUrl: manual.url }).getBotInfo();
      expect([info.markAsReadMode, info.chatMode]).toEqual(['manual', 'chat']);
    } finally {
      await manual.close();
    }
  });
});
