import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { messagingApi } from '@line/bot-sdk';
import { startLineEmulator, type LineEmulator, type RecordedRequest } from '../../../src/sandbox/line-api.js';
import { validateLineRequest } from '../../../src/sandbox/openapi-validator.js';

const BOT_A = 'U' + 'a'.repeat(32);
const BOT_B = 'U' + 'b'.repeat(32);
const USER = 'U80696558e1aa831c5ada74573f5ac699';
const TOKEN = 'token-a';
const RETRY_KEY = '123e4567-e89b-12d3-a456-426614174000';

let emu: LineEmulator;
const seen: RecordedRequest[] = [];

beforeAll(async () => {
  emu = await startLineEmulator({
    channels: [{ accessToken: TOKEN, botUserId: BOT_A, displayName: 'TH shop', basicId: '@thshop' }, { accessToken: 'token-b', botUserId: BOT_B, markAsReadMode: 'manual' }],
    profiles: [{ userId: USER, displayName: 'Somchai', language: 'th' }],
    onRequest: (r) => seen.push(r),
  });
});
afterEach(() => emu.reset());
afterAll(() => emu.close());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(emu.url + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = res.headers.get('content-type') === 'application/json' ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, text, json };
}
const push = (body: unknown, headers?: Record<string, string>) => call('POST', '/v2/bot/message/push', body, headers);
const text = (t: string) => ({ type: 'text', text: t });

describe('push', () => {
  it('accepts a valid push and records it', async () => {
    const r = await push({ to: USER, messages: [text('Hello'), text('world')], notificationDisabled: true });
    expect(r.status).toBe(200);
    expect(r.json.sentMessages).toHaveLength(2);
    expect(r.json.sentMessages[0]).toEqual({ id: expect.stringMatching(/^\d{18}$/), quoteToken: expect.any(String) });
    expect(emu.pushes).toEqual([expect.objectContaining({ to: USER, channelBotUserId: BOT_A, notificationDisabled: true, requestId: r.headers.get('x-line-request-id') })]);
    expect(emu.violations).toEqual([]);
  });

  it.each([
    ['6 messages', { to: USER, messages: Array.from({ length: 6 }, () => text('x')) }, 'messages'],
    ['an http image URL', { to: USER, messages: [{ type: 'image', originalContentUrl: 'http://example.com/a.jpg', previewImageUrl: 'https://example.com/p.jpg' }] }, 'messages[0].originalContentUrl'],
    ['text over 5000 chars', { to: USER, messages: [text('a'.repeat(5001))] }, 'messages[0].text'],
    ['text over 5000 UTF-16 units', { to: USER, messages: [text('🍎'.repeat(2501))] }, 'messages[0].text'],
    ['a flex message without altText', { to: USER, messages: [{ type: 'flex', contents: { type: 'bubble' } }] }, 'messages[0].altText'],
    ['14 quick reply items', { to: USER, messages: [{ ...text('q'), quickReply: { items: Array.from({ length: 14 }, () => ({ type: 'action', action: { type: 'message', label: 'a', text: 'a' } })) } }] }, 'messages[0].quickReply.items'],
    ['an unknown message type', { to: USER, messages: [{ type: 'fax' }] }, 'messages[0].type'],
    ['a malformed recipient', { to: 'U123', messages: [text('x')] }, 'to'],
  ])('refuses %s with 400 and records the violation', async (_name, body, property) => {
    const r = await push(body);
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/^The request body has \d+ error\(s\)$/);
    expect(r.json.details).toContainEqual({ property, message: expect.any(String) });
    expect(emu.violations.some((v) => v.startsWith(`push: ${property}:`))).toBe(true);
    expect(emu.pushes).toEqual([]);
  });

  it('accepts exactly 5000 UTF-16 units', async () => {
    expect((await push({ to: USER, messages: [text('🍎'.repeat(2500))] })).status).toBe(200);
  });

  it('answers a replayed retry key with 409 and the original sentMessages, and records one push', async () => {
    const first = await push({ to: USER, messages: [text('once')] }, { 'x-line-retry-key': RETRY_KEY });
    const again = await push({ to: USER, messages: [text('once')] }, { 'x-line-retry-key': RETRY_KEY });
    expect(first.status).toBe(200);
    expect(again.status).toBe(409);
    expect(again.headers.get('x-line-accepted-request-id')).toBe(first.headers.get('x-line-request-id'));
    expect(again.json).toEqual({ message: 'The retry key is already accepted', sentMessages: first.json.sentMessages });
    expect(emu.pushes).toHaveLength(1);
    expect(emu.pushes[0]?.retryKey).toBe(RETRY_KEY);
  });

  it('refuses a retry key that is not a UUID', async () => {
    const r = await push({ to: USER, messages: [text('x')] }, { 'x-line-retry-key': 'not-a-uuid' });
    expect(r.status).toBe(400);
    expect(emu.violations).toHaveLength(1);
  });

  it('needs application/json', async () => {
    const r = await call('POST', '/v2/bot/message/push', undefined, { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
  });

  it('works with the official SDK client', async () => {
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: TOKEN, baseURL: emu.url });
    const res = await client.pushMessage({ to: USER, messages: [{ type: 'text', text: 'from the SDK' }] }, RETRY_KEY);
    expect(res.sentMessages).toHaveLength(1);
    expect(await client.getProfile(USER)).toMatchObject({ displayName: 'Somchai' });
    expect(emu.pushes[0]?.retryKey).toBe(RETRY_KEY);
  });
});

describe('auth and routing', () => {
  it('answers 401 to an unknown or missing token', async () => {
    for (const authorization of ['Bearer nope', '']) {
      const r = await call('GET', '/v2/bot/info', undefined, { authorization });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' });
    }
  });

  it('answers 404 to an unknown path and records every request', async () => {
    const r = await call('GET', '/v2/bot/nothing');
    expect(r).toMatchObject({ status: 404, json: { message: 'Not found' } });
    expect(emu.requests.at(-1)).toMatchObject({ route: 'unknown', status: 404 });
    expect(seen.at(-1)).toBe(emu.requests.at(-1));
    expect(emu.requests.at(-1)?.headers.authorization).toBe('Bearer …en-a');
  });

  it('answers 413 to a body over 2 MiB, before any route reads it', async () => {
    const r = await call('POST', '/v2/bot/message/push', { to: USER, messages: [text('x'.repeat(2 * 1024 * 1024))] });
    expect(r).toMatchObject({ status: 413, json: { message: 'Request Entity Too Large' } });
    expect(emu.pushRequests).toEqual([expect.objectContaining({ status: 413 })]);
  });

  it('the token picks the channel', async () => {
    const r = await call('GET', '/v2/bot/info', undefined, { authorization: 'Bearer token-b' });
    expect(r.json).toMatchObject({ userId: BOT_B, chatMode: 'chat', markAsReadMode: 'manual' });
    expect((await call('GET', '/v2/bot/info')).json).toEqual({ userId: BOT_A, basicId: '@thshop', displayName: 'TH shop', chatMode: 'bot', markAsReadMode: 'auto' });
  });
});

describe('profile', () => {
  it('answers known users and 404 for others', async () => {
    expect((await call('GET', `/v2/bot/profile/${USER}`)).json).toEqual({ userId: USER, displayName: 'Somchai', language: 'th' });
    expect(await call('GET', `/v2/bot/profile/U${'0'.repeat(32)}`)).toMatchObject({ status: 404, json: { message: 'Not found' } });
    expect((await call('GET', '/v2/bot/profile/..%2Finfo')).status).toBe(400);
  });

  it('synthesizes profiles with defaultProfiles', async () => {
    const other = await startLineEmulator({ channels: [{ accessToken: 't', botUserId: BOT_A }], defaultProfiles: true });
    try {
      const r = await fetch(`${other.url}/v2/bot/profile/U${'0'.repeat(28)}beef`, { headers: { authorization: 'Bearer t' } });
      expect(await r.json()).toEqual({ userId: `U${'0'.repeat(28)}beef`, displayName: 'LINE user beef' });
    } finally {
      await other.close();
    }
  });
});

describe('content', () => {
  it('serves bytes with their content type', async () => {
    emu.setContent('100', { body: Buffer.from([1, 2, 3]), contentType: 'image/jpeg' });
    const r = await fetch(`${emu.url}/v2/bot/message/100/content`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await r.arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
  });

  it('answers 202 while preparing, with transcoding processing then succeeded', async () => {
    emu.setContent('200', { body: Buffer.from('mp4'), contentType: 'video/mp4', preparing: 2 });
    expect((await call('GET', '/v2/bot/message/200/content')).status).toBe(202);
    expect((await call('GET', '/v2/bot/message/200/content/transcoding')).json).toEqual({ status: 'processing' });
    expect((await call('GET', '/v2/bot/message/200/content/transcoding')).json).toEqual({ status: 'succeeded' });
    expect(await call('GET', '/v2/bot/message/200/content')).toMatchObject({ status: 200, text: 'mp4' });
  });

  it('answers 410 when gone, 404 when unknown, 400 for a non-numeric id', async () => {
    emu.setContent('300', { body: Buffer.alloc(0), contentType: 'image/png', gone: true });
    expect(await call('GET', '/v2/bot/message/300/content')).toMatchObject({ status: 410, json: { message: 'The content is gone' } });
    expect((await call('GET', '/v2/bot/message/999/content')).status).toBe(404);
    expect((await call('GET', '/v2/bot/message/..%2F..%2Finfo/content')).status).toBe(400);
    expect(emu.violations).toHaveLength(1);
  });

  it('works with the official SDK blob client', async () => {
    emu.setContent('400', { body: Buffer.from('png!'), contentType: 'image/png' });
    const blob = new messagingApi.MessagingApiBlobClient({ channelAccessToken: TOKEN, baseURL: emu.url });
    const res = await blob.getMessageContentWithHttpInfo('400');
    const chunks: Buffer[] = [];
    for await (const c of res.body) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).toString()).toBe('png!');
  });
});

describe('loading, mark as read, webhook endpoint', () => {
  it('accepts a loading animation and refuses bad seconds or a group', async () => {
    expect(await call('POST', '/v2/bot/chat/loading/start', { chatId: USER, loadingSeconds: 10 })).toMatchObject({ status: 202, json: {} });
    expect(emu.loadings).toEqual([{ chatId: USER, loadingSeconds: 10, channelBotUserId: BOT_A }]);
    for (const loadingSeconds of [7, 0, 65]) {
      const r = await call('POST', '/v2/bot/chat/loading/start', { chatId: USER, loadingSeconds });
      expect(r.status).toBe(400);
      expect(r.json.details[0].property).toBe('loadingSeconds');
    }
    const group = await call('POST', '/v2/bot/chat/loading/start', { chatId: 'C' + 'c'.repeat(32), loadingSeconds: 5 });
    expect(group.json.details).toEqual([{ property: 'chatId', message: 'Only user id is acceptable, please confirm if there are any group/room ids or illegal ids.' }]);
    expect(emu.loadings).toHaveLength(1);
  });

  it('marks as read and records the token; refuses a body without one', async () => {
    expect(await call('POST', '/v2/bot/chat/markAsRead', { markAsReadToken: 'tok' })).toMatchObject({ status: 200, json: {} });
    expect(emu.marksAsRead).toEqual([{ markAsReadToken: 'tok', channelBotUserId: BOT_A, at: expect.any(Number) }]);
    for (const body of [{}, { markAsReadToken: 42 }]) {
      const r = await call('POST', '/v2/bot/chat/markAsRead', body);
      expect(r.status).toBe(400);
      expect(r.json.details[0].property).toBe('markAsReadToken');
    }
    expect(emu.marksAsRead).toHaveLength(1);
    expect(emu.violations).toEqual(['mark-as-read: markAsReadToken: Must be specified', 'mark-as-read: markAsReadToken: Must be of type string']);
  });

  it('sets, reads and tests the webhook endpoint', async () => {
    expect((await call('GET', '/v2/bot/channel/webhook/endpoint')).status).toBe(404);
    expect((await call('POST', '/v2/bot/channel/webhook/test', {})).status).toBe(404);
    expect(await call('PUT', '/v2/bot/channel/webhook/endpoint', { endpoint: 'http://example.com/hook' })).toMatchObject({ status: 400, json: { message: 'Invalid webhook endpoint URL' } });
    expect((await call('PUT', '/v2/bot/channel/webhook/endpoint', { endpoint: 'https://example.com/hook' })).status).toBe(200);
    expect((await call('GET', '/v2/bot/channel/webhook/endpoint')).json).toEqual({ endpoint: 'https://example.com/hook', active: true });
    expect(emu.webhookEndpoints.get(BOT_A)).toBe('https://example.com/hook');
    const ok = await call('POST', '/v2/bot/channel/webhook/test', {});
    expect(ok.json).toEqual({ success: true, timestamp: expect.stringMatching(/^\d{4}-/), statusCode: 200, reason: 'OK', detail: '200' });
    emu.setWebhookTestResult(BOT_A, { success: false, statusCode: 0, reason: 'COULD_NOT_CONNECT', detail: 'TLS handshake failure' });
    expect((await call('POST', '/v2/bot/channel/webhook/test', { endpoint: 'https://example.com/x' })).json).toMatchObject({ success: false, reason: 'COULD_NOT_CONNECT' });
  });
});

describe('faults', () => {
  it('answers the injected status, then recovers', async () => {
    emu.faults.add({ route: 'push', status: 500 });
    const r = await push({ to: USER, messages: [text('x')] });
    expect(r.status).toBe(500);
    expect(emu.pushes).toEqual([]);
    expect((await push({ to: USER, messages: [text('x')] })).status).toBe(200);
  });

  it('answers 429 with given headers and body, and delays', async () => {
    emu.faults.add({ route: 'profile', status: 429, headers: { 'retry-after': '1' }, delayMs: 50 });
    const started = Date.now();
    const r = await call('GET', `/v2/bot/profile/${USER}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(r).toMatchObject({ status: 429, json: { message: 'The API rate limit has been exceeded. Try again later.' } });
    expect(r.headers.get('retry-after')).toBe('1');
  });

  it('only slows the answer down when no status is given', async () => {
    emu.faults.add({ route: 'bot-info', delayMs: 50 });
    const started = Date.now();
    expect((await call('GET', '/v2/bot/info')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('records every push request, whatever its answer, with the retry key it carried', async () => {
    emu.faults.add({ route: 'push', status: 503 });
    const other = '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';
    const statuses = [];
    for (const key of [RETRY_KEY, RETRY_KEY, RETRY_KEY, other]) statuses.push((await push({ to: USER, messages: [text('x')] }, { 'x-line-retry-key': key })).status);
    statuses.push((await push({ to: USER, messages: [text('no key')] })).status);
    expect(statuses).toEqual([503, 200, 409, 200, 200]);
    expect(emu.pushRequests.map((p) => [p.status, p.retryKey])).toEqual([[503, RETRY_KEY], [200, RETRY_KEY], [409, RETRY_KEY], [200, other], [200, undefined]]);
    expect(emu.pushes).toHaveLength(3);
  });

  it('drops the connection', async () => {
    emu.faults.add({ route: 'push', destroy: true });
    await expect(push({ to: USER, messages: [text('x')] })).rejects.toThrow();
    expect(emu.requests.at(-1)).toMatchObject({ route: 'push', status: 0 });
  });
});

describe('reply', () => {
  const reply = (body: unknown, token = TOKEN) => call('POST', '/v2/bot/message/reply', body, { authorization: `Bearer ${token}` });

  it('accepts a token it issued once, answers sentMessages, and leaves the quota untouched', async () => {
    emu.issueReplyToken('rt-1', { channel: BOT_A, userId: USER });
    const r = await reply({ replyToken: 'rt-1', messages: [text('Hi'), text('there')] });
    expect(r.status).toBe(200);
    expect(r.json.sentMessages).toEqual([
      { id: expect.stringMatching(/^\d{18}$/), quoteToken: expect.any(String) },
      { id: expect.stringMatching(/^\d{18}$/), quoteToken: expect.any(String) },
    ]);
    expect(emu.replies).toEqual([expect.objectContaining({ replyToken: 'rt-1', to: USER, channelBotUserId: BOT_A, sentMessages: r.json.sentMessages })]);
    expect(emu.pushes).toEqual([]);
    expect((await call('GET', '/v2/bot/message/quota/consumption')).json).toEqual({ totalUsage: 0 });
    expect(emu.violations).toEqual([]);
  });

  it('answers 400 Invalid reply token to a used, unknown or other bot’s token', async () => {
    emu.issueReplyToken('rt-2', { channel: BOT_A, userId: USER });
    expect((await reply({ replyToken: 'rt-2', messages: [text('first')] })).status).toBe(200);
    expect(await reply({ replyToken: 'rt-2', messages: [text('again')] })).toMatchObject({ status: 400, json: { message: 'Invalid reply token' } });
    expect(await reply({ replyToken: 'never-issued', messages: [text('x')] })).toMatchObject({ status: 400, json: { message: 'Invalid reply token' } });
    emu.issueReplyToken('rt-b', { channel: BOT_B, userId: USER });
    expect(await reply({ replyToken: 'rt-b', messages: [text('x')] })).toMatchObject({ status: 400, json: { message: 'Invalid reply token' } });
    expect(emu.replies).toHaveLength(1);
  });

  it('refuses a malformed body with LINE’s details, without using the token', async () => {
    emu.issueReplyToken('rt-3', { channel: BOT_A, userId: USER });
    const noToken = await reply({ messages: [text('x')] });
    expect(noToken.status).toBe(400);
    expect(noToken.json.details).toContainEqual({ property: 'replyToken', message: 'Must be specified' });
    const empty = await reply({ replyToken: 'rt-3', messages: [text('')] });
    expect(empty.json.details).toContainEqual({ property: 'messages[0].text', message: 'May not be empty' });
    const six = await reply({ replyToken: 'rt-3', messages: Array.from({ length: 6 }, () => text('x')) });
    expect(six.json.details).toContainEqual({ property: 'messages', message: 'Size must be between 1 and 5' });
    expect(emu.violations.filter((v) => v.startsWith('reply: '))).toHaveLength(3);
    expect((await reply({ replyToken: 'rt-3', messages: [text('now right')] })).status).toBe(200);
  });

  it('expires tokens after replyTokenTtlMs on the emulator’s clock (default 60 s)', async () => {
    let now = 1_000_000;
    const timed = await startLineEmulator({ channels: [{ accessToken: 't', botUserId: BOT_A }], now: () => now });
    const short = await startLineEmulator({ channels: [{ accessToken: 't', botUserId: BOT_A }], now: () => now, replyTokenTtlMs: 5_000 });
    try {
      const send = (emulator: LineEmulator, replyToken: string) => fetch(`${emulator.url}/v2/bot/message/reply`, {
        method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: JSON.stringify({ replyToken, messages: [text('x')] }),
      });
      for (const t of ['at-60s', 'after-60s']) timed.issueReplyToken(t, { channel: BOT_A, userId: USER });
      short.issueReplyToken('short', { channel: BOT_A, userId: USER });
      now += 60_000;
      expect((await send(timed, 'at-60s')).status).toBe(200);
      now += 1;
      const late = await send(timed, 'after-60s');
      expect(late.status).toBe(400);
      expect(await late.json()).toEqual({ message: 'Invalid reply token' });
      expect((await send(short, 'short')).status).toBe(400);
      short.issueReplyToken('issued-earlier', { channel: BOT_A, userId: USER, at: now - 4_000 });
      expect((await send(short, 'issued-earlier')).status).toBe(200);
    } finally {
      await Promise.all([timed.close(), short.close()]);
    }
  });

  it('works with the official SDK client', async () => {
    emu.issueReplyToken('rt-sdk', { channel: BOT_A, userId: USER });
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: TOKEN, baseURL: emu.url });
    const res = await client.replyMessage({ replyToken: 'rt-sdk', messages: [{ type: 'sticker', packageId: '446', stickerId: '1988' }] });
    expect(res.sentMessages).toHaveLength(1);
    expect(emu.replies[0]?.messages).toEqual([{ type: 'sticker', packageId: '446', stickerId: '1988' }]);
  });
});

describe('quota', () => {
  it('has no limit by default and counts pushes (one per request), not replies or refused pushes', async () => {
    expect((await call('GET', '/v2/bot/message/quota')).json).toEqual({ type: 'none' });
    await push({ to: USER, messages: [text('a'), text('b')] }, { 'x-line-retry-key': RETRY_KEY });
    await push({ to: USER, messages: [text('a'), text('b')] }, { 'x-line-retry-key': RETRY_KEY });
    await push({ to: USER, messages: [text('')] });
    emu.issueReplyToken('rt-q', { channel: BOT_A, userId: USER });
    await call('POST', '/v2/bot/message/reply', { replyToken: 'rt-q', messages: [text('free')] });
    expect((await call('GET', '/v2/bot/message/quota/consumption')).json).toEqual({ totalUsage: 1 });
    expect(emu.quotaUsage(BOT_A)).toBe(1);
    expect((await call('GET', '/v2/bot/message/quota/consumption', undefined, { authorization: 'Bearer token-b' })).json).toEqual({ totalUsage: 0 });
  });

  it('answers push 429 with LINE’s monthly-limit message once the limit is reached; replies still go', async () => {
    const limited = await startLineEmulator({ channels: [{ accessToken: 't', botUserId: BOT_A, quota: 2 }] });
    try {
      const get = (path: string, init: RequestInit = {}) => fetch(limited.url + path, { ...init, headers: { authorization: 'Bearer t', 'content-type': 'application/json' } });
      const pushOne = () => get('/v2/bot/message/push', { method: 'POST', body: JSON.stringify({ to: USER, messages: [text('x')] }) });
      expect(await (await get('/v2/bot/message/quota')).json()).toEqual({ type: 'limited', value: 2 });
      expect([(await pushOne()).status, (await pushOne()).status]).toEqual([200, 200]);
      const refused = await pushOne();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({ message: 'You have reached your monthly limit.' });
      expect(await (await get('/v2/bot/message/quota/consumption')).json()).toEqual({ totalUsage: 2 });
      limited.issueReplyToken('rt', { channel: BOT_A, userId: USER });
      expect((await get('/v2/bot/message/reply', { method: 'POST', body: JSON.stringify({ replyToken: 'rt', messages: [text('free')] }) })).status).toBe(200);
      limited.setQuota(BOT_A, { limit: 3 });
      expect((await pushOne()).status).toBe(200);
      limited.setQuota(BOT_A, { limit: null, totalUsage: 0 });
      expect(await (await get('/v2/bot/message/quota')).json()).toEqual({ type: 'none' });
      expect(limited.pushes).toHaveLength(3);
    } finally {
      await limited.close();
    }
  });

  it('the official SDK client reads quota and consumption', async () => {
    emu.setQuota(BOT_A, { limit: 1000, totalUsage: 500 });
    try {
      const client = new messagingApi.MessagingApiClient({ channelAccessToken: TOKEN, baseURL: emu.url });
      expect(await client.getMessageQuota()).toEqual({ type: 'limited', value: 1000 });
      expect(await client.getMessageQuotaConsumption()).toEqual({ totalUsage: 500 });
    } finally {
      emu.setQuota(BOT_A, { limit: null });
    }
  });
});

describe('answers in the shapes of messaging-api.yml', () => {
  it('bot info, quota, consumption and reply validate against their response schemas', async () => {
    emu.setQuota(BOT_A, { limit: 500, totalUsage: 7 });
    emu.issueReplyToken('rt-shape', { channel: BOT_A, userId: USER });
    try {
      const answers: Array<[string, unknown]> = [
        ['BotInfoResponse', (await call('GET', '/v2/bot/info')).json],
        ['BotInfoResponse', (await call('GET', '/v2/bot/info', undefined, { authorization: 'Bearer token-b' })).json],
        ['MessageQuotaResponse', (await call('GET', '/v2/bot/message/quota')).json],
        ['MessageQuotaResponse', (await call('GET', '/v2/bot/message/quota', undefined, { authorization: 'Bearer token-b' })).json],
        ['QuotaConsumptionResponse', (await call('GET', '/v2/bot/message/quota/consumption')).json],
        ['ReplyMessageResponse', (await call('POST', '/v2/bot/message/reply', { replyToken: 'rt-shape', messages: [text('x')] })).json],
      ];
      for (const [schema, body] of answers) expect([schema, validateLineRequest(schema, body)]).toEqual([schema, []]);
      expect(answers.map(([, b]) => b)).toContainEqual({ type: 'limited', value: 500 });
      expect(answers.map(([, b]) => b)).toContainEqual({ type: 'none' });
    } finally {
      emu.setQuota(BOT_A, { limit: null });
    }
  });
});
