import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGenesysEmulator, type GenesysEmulator } from '../../../src/sandbox/genesys-api.js';
import { validateGenesys, validateGenesysOutbound } from '../../../src/sandbox/genesys-schema.js';
import { redeliver, sendAgentMessage } from '../../../src/sandbox/outbound-webhook.js';
import { verifyGenesys } from '../../../src/signature.js';

const CLIENT_ID = 'client-id';
const CLIENT_SECRET = 'client-secret';
const INTEGRATION = '7b0b6c3a-2f4e-4a2b-9d61-1f0d6f7e2a10';
const SECRET = 'outbound-secret-0123';
const USER = 'U4af4980629a1b2c3d4e5f6a7b8c9d0e1';

let genesys: GenesysEmulator;
let webhook: { server: Server; url: string; received: Array<{ headers: Record<string, unknown>; raw: string }>; status: number };

function basic(id = CLIENT_ID, secret = CLIENT_SECRET): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

async function tokenRequest(authorization = basic(), body = 'grant_type=client_credentials'): Promise<Response> {
  return fetch(`${genesys.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

async function token(): Promise<string> {
  const res = await tokenRequest();
  return ((await res.json()) as { access_token: string }).access_token;
}

async function api(method: string, path: string, body?: unknown, bearer?: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${genesys.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer ?? (await token())}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

function inboundMessage(messageId = 'line-msg-1', extra: Record<string, unknown> = {}) {
  return {
    channel: {
      messageId,
      time: '2025-03-01T10:00:00.000Z',
      from: { id: USER, idType: 'Opaque', nickname: 'Somchai' },
      metadata: { customAttributes: { market: 'th', brand: 'acme' } },
    },
    text: 'Hello',
    ...extra,
  };
}

const inboundPath = (kind: string, id = INTEGRATION) => `/api/v2/conversations/messages/${id}/inbound/open/${kind}`;
const INTEGRATIONS = '/api/v2/conversations/messaging/integrations/open';

beforeAll(async () => {
  const received: Array<{ headers: Record<string, unknown>; raw: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(webhook.status).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  webhook = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/genesys`, received, status: 200 };

  genesys = await startGenesysEmulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    allowHttpWebhooks: true,
    integrations: [{ id: INTEGRATION, name: 'LINE TH', outboundNotificationWebhookUrl: webhook.url, outboundNotificationWebhookSignatureSecretToken: SECRET }],
  });
});

afterEach(() => {
  genesys.reset();
  webhook.received.length = 0;
  webhook.status = 200;
});

afterAll(async () => {
  await genesys.close();
  await new Promise<void>((r) => webhook.server.close(() => r()));
});

describe('oauth', () => {
  it('issues a bearer token for the client credentials grant', async () => {
    const res = await tokenRequest();
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 86400 });
    expect(typeof body.access_token).toBe('string');
    expect(genesys.tokensIssued).toBe(1);
  });

  it('refuses wrong credentials with invalid_client', async () => {
    const res = await tokenRequest(basic(CLIENT_ID, 'wrong'));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client', description: 'client not found', error_description: 'client not found' });
    expect(genesys.tokensIssued).toBe(0);
  });

  it('refuses another grant with 400', async () => {
    const res = await tokenRequest(basic(), 'grant_type=password');
    expect(res.status).toBe(400);
    expect(genesys.violations[0]).toMatch(/grant_type must be client_credentials/);
  });

  it('answers 401 bad.credentials without a token, and after expireTokens()', async () => {
    const missing = await fetch(`${genesys.url}${INTEGRATIONS}`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: 'bad.credentials', status: 401 });

    const t = await token();
    expect((await api('GET', INTEGRATIONS, undefined, t)).status).toBe(200);
    genesys.expireTokens();
    const expired = await api('GET', INTEGRATIONS, undefined, t);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ code: 'bad.credentials', status: 401 });
    expect((await api('GET', INTEGRATIONS)).status).toBe(200); // a new token works
  });
});

describe('inbound open messaging', () => {
  it('accepts a valid message and answers the normalized message', async () => {
    const res = await api('POST', inboundPath('message'), inboundMessage());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      channel: { id: INTEGRATION, platform: 'Open', type: 'Private', messageId: 'line-msg-1', to: { id: INTEGRATION }, from: { id: USER } },
      type: 'Text',
      text: 'Hello',
      direction: 'Inbound',
    });
    expect(genesys.messages).toHaveLength(1);
    expect(genesys.messages[0]!.body.channel.metadata?.customAttributes).toEqual({ market: 'th', brand: 'acme' });
    expect(genesys.violations).toEqual([]);
  });

  it('accepts an attachment without text', async () => {
    const body = inboundMessage('line-msg-img', {
      text: undefined,
      content: [{ attachment: { mediaType: 'Image', url: 'https://media.example/a.jpg', mime: 'image/jpeg', filename: 'a.jpg' } }],
    });
    expect((await api('POST', inboundPath('message'), body)).status).toBe(200);
  });

  it('takes an inbound content item as OpenInboundMessageContent has it: {attachment}, no contentType', async () => {
    const attachment = { mediaType: 'Link', url: 'https://www.google.com/maps/search/?api=1&query=13.7,100.5', mime: 'text/html' };
    expect((await api('POST', inboundPath('message'), inboundMessage('link', { content: [{ attachment }] }))).status).toBe(200);
    expect((await api('POST', inboundPath('message'), inboundMessage('typed', { content: [{ contentType: 'Attachment', attachment }] }))).status).toBe(400);
    expect(genesys.violations).toEqual(['inbound-message: /content/0/contentType is not a property Genesys accepts here']);
  });

  it('dedupes on channel.messageId: same answer, recorded once', async () => {
    const first = await api('POST', inboundPath('message'), inboundMessage('dup'));
    const second = await api('POST', inboundPath('message'), inboundMessage('dup'));
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(genesys.messages).toHaveLength(1);
  });

  it('accepts a top-level metadata map of strings, as the model has it; refuses one with an object value', async () => {
    expect((await api('POST', inboundPath('message'), inboundMessage('meta', { metadata: { source: 'line' } }))).status).toBe(200);
    const res = await api('POST', inboundPath('message'), inboundMessage('meta-object', { metadata: { customAttributes: { market: 'th' } } }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'bad.request', status: 400 });
    expect(genesys.violations).toEqual(['inbound-message: /metadata/customAttributes must be a string']);
    expect(genesys.messages.map((m) => m.body.channel.messageId)).toEqual(['meta']);
  });

  it('rejects a message with neither text nor content, and a bad idType and time', async () => {
    const body = { channel: { messageId: 'x', time: 'today', from: { id: USER, idType: 'line' } } };
    const res = await api('POST', inboundPath('message'), body);
    expect(res.status).toBe(400);
    const v = genesys.requests.at(-1)!.violations;
    expect(v).toContain('the body needs a non-empty text or a content (at least one of them)');
    expect(v.some((s) => s.startsWith('/channel/from/idType must be one of Email, Phone, Opaque'))).toBe(true);
    expect(v.some((s) => s.startsWith('/channel/time must be an ISO-8601 date-time'))).toBe(true);
  });

  it('answers 404 not.found for an unknown integration', async () => {
    const res = await api('POST', inboundPath('message', 'no-such-integration'), inboundMessage());
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not.found', status: 404 });
  });

  it('accepts a typing event', async () => {
    const res = await api('POST', inboundPath('event'), {
      channel: { from: { id: USER, idType: 'Opaque' }, time: '2025-03-01T10:00:00Z' },
      events: [{ eventType: 'Typing' }],
    });
    expect(res.status).toBe(200);
    expect(genesys.events).toHaveLength(1);
  });

  it('accepts Delivered and Failed-with-reason receipts; refuses a Failed receipt without reasons and other statuses', async () => {
    const receipt = (status: string, extra: Record<string, unknown> = {}) => ({
      id: 'genesys-msg-1',
      channel: { to: { id: USER, idType: 'Opaque' }, time: '2025-03-01T10:00:05.000Z' },
      status,
      direction: 'Outbound',
      isFinalReceipt: true,
      ...extra,
    });
    expect((await api('POST', inboundPath('receipt'), receipt('Delivered'))).status).toBe(200);
    const failed = await api('POST', inboundPath('receipt'), receipt('Failed', { reasons: [{ code: 'GeneralError', message: 'The user blocked the account' }] }));
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ id: 'genesys-msg-1', type: 'Receipt', status: 'Failed', direction: 'Outbound' });

    const noReason = await api('POST', inboundPath('receipt'), receipt('Failed'));
    expect(noReason.status).toBe(400);
    expect(genesys.violations.join('\n')).toMatch(/Failed receipt and needs at least one reason/);
    expect((await api('POST', inboundPath('receipt'), receipt('Read'))).status).toBe(400);
    expect(genesys.receipts).toHaveLength(2);
  });

  it('requires application/json', async () => {
    const res = await fetch(`${genesys.url}${inboundPath('message')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'text/plain' },
      body: JSON.stringify(inboundMessage()),
    });
    expect(res.status).toBe(415);
  });

  it('answers 413 request.entity.too.large to a body over 5 MiB, and records nothing', async () => {
    const res = await api('POST', inboundPath('message'), inboundMessage('big', { text: 'x'.repeat(5 * 1024 * 1024) }));
    expect(res).toMatchObject({ status: 413, body: { code: 'request.entity.too.large' } });
    expect(genesys.messages).toHaveLength(0);
  });
});

describe('integrations', () => {
  const request = (name: string) => ({
    name,
    outboundNotificationWebhookUrl: 'https://relay.example/webhook/genesys',
    outboundNotificationWebhookSignatureSecretToken: 'a-secret-longer-than-15',
  });

  it('creates Initiated, then Completed on the next GET; never returns the secret', async () => {
    const created = await api('POST', INTEGRATIONS, request('LINE TW'));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'LINE TW', createStatus: 'Initiated', outboundNotificationWebhookUrl: 'https://relay.example/webhook/genesys' });
    expect(created.body.outboundNotificationWebhookSignatureSecretToken).toBeUndefined();

    const polled = await api('GET', `${INTEGRATIONS}/${created.body.id}`);
    expect(polled.body.createStatus).toBe('Completed');
    expect(polled.body.outboundNotificationWebhookSignatureSecretToken).toBeUndefined();
    expect(genesys.integrations.get(created.body.id)!.outboundNotificationWebhookSignatureSecretToken).toBe('a-secret-longer-than-15');
  });

  it('refuses a webhook URL that is not https on 443 unless allowHttpWebhooks', async () => {
    const strict = await startGenesysEmulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    try {
      const t = ((await (await fetch(`${strict.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      })).json()) as { access_token: string }).access_token;
      const create = async (url: string) => (await fetch(`${strict.url}${INTEGRATIONS}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...request('x'), outboundNotificationWebhookUrl: url }),
      })).status;
      expect(await create('http://127.0.0.1:8080/hook')).toBe(400);
      expect(await create('http://relay.example/hook')).toBe(400);
      expect(await create('https://relay.example:8443/hook')).toBe(400);
      expect(strict.violations).toEqual([
        'integration-create: /outboundNotificationWebhookUrl must be an https URL on port 443 (Genesys calls no other) (got "http://127.0.0.1:8080/hook")',
        'integration-create: /outboundNotificationWebhookUrl must be an https URL on port 443 (Genesys calls no other) (got "http://relay.example/hook")',
        'integration-create: /outboundNotificationWebhookUrl must be an https URL on port 443 (Genesys calls no other) (got "https://relay.example:8443/hook")',
      ]);
      expect(await create('https://relay.example:443/hook')).toBe(200);
      expect(await create('https://relay.example/hook')).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('refuses an outbound secret of 15 characters or fewer, on create and on update; takes one of 16', async () => {
    const secret = (n: number) => 'x'.repeat(n);
    const created = await api('POST', INTEGRATIONS, { ...request('short'), outboundNotificationWebhookSignatureSecretToken: secret(15) });
    expect(created.status).toBe(400);
    expect(created.body.message).toBe(
      'The request body is invalid: /outboundNotificationWebhookSignatureSecretToken must be longer than 15 characters (Genesys refuses a shorter one)',
    );
    const updated = await api('PATCH', `${INTEGRATIONS}/${INTEGRATION}`, { name: 'LINE TH', outboundNotificationWebhookSignatureSecretToken: secret(15) });
    expect(updated.status).toBe(400);
    expect(genesys.integrations.get(INTEGRATION)!.outboundNotificationWebhookSignatureSecretToken).toBe(SECRET);
    expect((await api('POST', INTEGRATIONS, { ...request('long enough'), outboundNotificationWebhookSignatureSecretToken: secret(16) })).status).toBe(200);
    expect([...genesys.integrations.values()].map((i) => i.name)).toEqual(['LINE TH', 'long enough']);
  });

  it('refuses integrations given in its options that Genesys would refuse', async () => {
    await expect(startGenesysEmulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      integrations: [{ name: 'short', outboundNotificationWebhookUrl: 'https://relay.example/h', outboundNotificationWebhookSignatureSecretToken: 'short-secret' }],
    })).rejects.toThrow("integration 'short' is invalid: /outboundNotificationWebhookSignatureSecretToken must be longer than 15 characters");
  });

  it('updates the URL and secret', async () => {
    const res = await api('PATCH', `${INTEGRATIONS}/${INTEGRATION}`, {
      name: 'LINE TH',
      outboundNotificationWebhookUrl: 'https://new.example/webhook/genesys',
      outboundNotificationWebhookSignatureSecretToken: 'rotated-secret-0123456',
    });
    expect(res.status).toBe(200);
    expect(res.body.outboundNotificationWebhookUrl).toBe('https://new.example/webhook/genesys');
    expect(res.body.outboundNotificationWebhookSignatureSecretToken).toBeUndefined();
    expect(genesys.integrations.get(INTEGRATION)!.outboundNotificationWebhookSignatureSecretToken).toBe('rotated-secret-0123456');
  });

  it('lists page by page', async () => {
    for (const n of ['A', 'B', 'C', 'D']) expect((await api('POST', INTEGRATIONS, request(n))).status).toBe(200);
    const page1 = await api('GET', `${INTEGRATIONS}?pageSize=2&pageNumber=1`);
    expect(page1.body).toMatchObject({ pageSize: 2, pageNumber: 1, total: 5, pageCount: 3 });
    expect(page1.body.entities.map((e: { name: string }) => e.name)).toEqual(['LINE TH', 'A']);
    expect(page1.body.nextUri).toBe(`${INTEGRATIONS}?pageSize=2&pageNumber=2`);
    const page3 = await api('GET', `${INTEGRATIONS}?pageSize=2&pageNumber=3`);
    expect(page3.body.entities.map((e: { name: string }) => e.name)).toEqual(['D']);
    expect(page3.body.nextUri).toBeUndefined();
    expect((await api('GET', `${INTEGRATIONS}?pageSize=0`)).status).toBe(400);
  });

  it('deletes', async () => {
    const created = await api('POST', INTEGRATIONS, request('gone'));
    expect((await api('DELETE', `${INTEGRATIONS}/${created.body.id}`)).status).toBe(204);
    expect((await api('GET', `${INTEGRATIONS}/${created.body.id}`)).status).toBe(404);
  });

  it('answers 404 for an unknown path', async () => {
    expect((await api('GET', '/api/v2/nothing/here')).status).toBe(404);
  });
});

describe('faults', () => {
  it('503 twice, then OK', async () => {
    genesys.faults.add({ route: 'inbound-message', status: 503, times: 2 });
    const t = await token();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api('POST', inboundPath('message'), inboundMessage('retry'), t)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(genesys.messages).toHaveLength(1);
  });

  it('429 carries the Retry-After the test gives', async () => {
    genesys.faults.add({ route: 'inbound-receipt', status: 429, headers: { 'Retry-After': '3' } });
    const res = await api('POST', inboundPath('receipt'), {});
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.body).toMatchObject({ code: 'too.many.requests', status: 429 });
  });

  it('a rate limit answers the requests above it 429 with Retry-After and a Genesys error body, and lets the rest through', async () => {
    const t = await token();
    genesys.faults.add({ route: 'inbound-message', ratePerSecond: 2, retryAfterSeconds: 1 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await api('POST', inboundPath('message'), inboundMessage(`rate-${i}`), t));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 429, 429]);
    expect(answers[2]!.headers.get('retry-after')).toBe('1');
    expect(answers[2]!.body).toMatchObject({ code: 'too.many.requests', status: 429 });
    expect(genesys.messages).toHaveLength(2);
    genesys.faults.clear();
  });

  it('drops the connection, or answers late', async () => {
    const t = await token();
    genesys.faults.add({ route: 'inbound-message', destroy: true });
    await expect(api('POST', inboundPath('message'), inboundMessage('drop'), t)).rejects.toThrow();
    expect(genesys.messages).toHaveLength(0);
    genesys.faults.add({ route: '*', delayMs: 60 });
    const started = Date.now();
    expect((await api('POST', inboundPath('message'), inboundMessage('drop'), t)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('a token fault answers the login route', async () => {
    genesys.faults.add({ route: 'token', status: 503 });
    expect((await tokenRequest()).status).toBe(503);
    expect((await tokenRequest()).status).toBe(200);
  });
});

describe('outbound webhook (agent replies)', () => {
  it('POSTs a signed outbound message the relay can verify, and redelivers the same bytes', async () => {
    const answer = await sendAgentMessage(genesys, { integrationId: INTEGRATION, to: USER, text: 'Hi from the agent' });
    expect(answer.status).toBe(200);
    expect(webhook.received).toHaveLength(1);
    const { headers, raw } = webhook.received[0]!;
    expect(verifyGenesys(raw, SECRET, headers['x-hub-signature-256'] as string)).toBe(true);
    expect(verifyGenesys(raw, 'other-secret', headers['x-hub-signature-256'] as string)).toBe(false);

    const message = JSON.parse(raw);
    expect(message).toMatchObject({
      id: answer.messageId,
      channel: { id: INTEGRATION, platform: 'Open', type: 'Private', to: { id: USER }, from: { id: INTEGRATION, idType: 'Opaque', nickname: 'Agent' } },
      type: 'Text',
      text: 'Hi from the agent',
      direction: 'Outbound',
    });
    expect(validateGenesysOutbound(message)).toEqual([]);

    webhook.status = 503;
    const again = await redeliver(genesys, answer.messageId);
    expect(again.status).toBe(503);
    expect(webhook.received[1]!.raw).toBe(raw);
    expect(webhook.received[1]!.headers['x-hub-signature-256']).toBe(headers['x-hub-signature-256']);
  });

  it('sends typing events and refuses content Genesys would not send', async () => {
    await sendAgentMessage(genesys, { integrationId: INTEGRATION, to: USER, events: [{ eventType: 'Typing', typing: { type: 'On', duration: 5000 } }] });
    expect(JSON.parse(webhook.received[0]!.raw).type).toBe('Event');
    await expect(sendAgentMessage(genesys, { integrationId: INTEGRATION, to: USER, content: [{ contentType: 'QuickReply' }] })).rejects.toThrow(
      /quickReply is required/,
    );
  });
});

describe('waitFor', () => {
  it('resolves when the predicate holds and says what it saw when it does not', async () => {
    setTimeout(() => void api('POST', inboundPath('message'), inboundMessage('later')), 20);
    await genesys.waitFor((e) => e.messages.length === 1, 2000);
    await expect(genesys.waitFor((e) => e.receipts.length > 0, 50)).rejects.toThrow(/0 receipts/);
  });
});

describe('validateGenesys', () => {
  it('is empty for valid bodies of each kind', () => {
    expect(validateGenesys('inbound-message', inboundMessage())).toEqual([]);
    expect(
      validateGenesys('integration-create', {
        name: 'x',
        outboundNotificationWebhookUrl: 'https://relay.example/webhook/genesys',
        outboundNotificationWebhookSignatureSecretToken: 's'.repeat(16),
      }),
    ).toEqual([]);
    expect(validateGenesys('integration-update', { name: 'x', outboundNotificationWebhookSignatureSecretToken: 's'.repeat(16) })).toEqual([]);
  });

  it('refuses an empty secret and a non-absolute attachment URL', () => {
    expect(
      validateGenesys('integration-create', { name: 'x', outboundNotificationWebhookUrl: 'https://a.example/h', outboundNotificationWebhookSignatureSecretToken: '' }),
    ).toEqual(['/outboundNotificationWebhookSignatureSecretToken must be longer than 15 characters (Genesys refuses a shorter one)']);
    const body = inboundMessage('m', { content: [{ attachment: { mediaType: 'Image', url: 'a.jpg', mime: 'image/jpeg' } }] });
    expect(validateGenesys('inbound-message', body)).toEqual(['/content/0/attachment/url must be an absolute http(s) URL (got "a.jpg")']);
  });
});

describe('structured responses (a customer taps a quick reply or a button)', () => {
  const response = (messageId: string, extra: Record<string, unknown> = {}) => ({
    channel: { messageId, time: '2025-03-01T10:00:02.000Z', from: { id: USER, idType: 'Opaque' } },
    buttonResponse: { type: 'QuickReply', text: 'Yes, please', payload: 'confirm-yes' },
    originatingMessageId: 'genesys-msg-with-buttons',
    ...extra,
  });

  it('accepts one, records it like an inbound message and answers it as a ButtonResponse', async () => {
    const res = await api('POST', inboundPath('structured/response'), response('tap-1'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      channel: { id: INTEGRATION, platform: 'Open', type: 'Private', messageId: 'tap-1', from: { id: USER } },
      type: 'Structured',
      text: 'Yes, please',
      content: [{ contentType: 'ButtonResponse', buttonResponse: { type: 'QuickReply', text: 'Yes, please', payload: 'confirm-yes', originatingMessageId: 'genesys-msg-with-buttons' } }],
      direction: 'Inbound',
    });
    expect(genesys.structuredResponses.map((r) => [r.integrationId, r.body])).toEqual([[INTEGRATION, response('tap-1')]]);
    expect(genesys.messages).toEqual([]);
    expect(genesys.violations).toEqual([]);
  });

  it('dedupes on channel.messageId, apart from inbound messages with the same id', async () => {
    const first = await api('POST', inboundPath('structured/response'), response('same-id'));
    const again = await api('POST', inboundPath('structured/response'), response('same-id'));
    expect(again.body).toEqual(first.body);
    expect((await api('POST', inboundPath('message'), inboundMessage('same-id'))).status).toBe(200);
    expect(genesys.structuredResponses).toHaveLength(1);
    expect(genesys.messages).toHaveLength(1);
  });

  it('refuses one without originatingMessageId, or with a button type Genesys does not have', async () => {
    const { originatingMessageId: _, ...orphan } = response('tap-2');
    expect((await api('POST', inboundPath('structured/response'), orphan)).status).toBe(400);
    const card = response('tap-3', { buttonResponse: { type: 'Postback', text: 'Yes', payload: 'yes' } });
    expect((await api('POST', inboundPath('structured/response'), card)).status).toBe(400);
    expect(genesys.violations).toEqual([
      'inbound-structured-response: /originatingMessageId is required',
      'inbound-structured-response: /buttonResponse/type must be one of Button, QuickReply, DatePicker (got "Postback")',
    ]);
    expect(genesys.structuredResponses).toEqual([]);
  });

  it('refuses the outbound ButtonResponse shape (originatingMessageId inside buttonResponse) and a button without payload or text', async () => {
    const inside = response('tap-4', { buttonResponse: { type: 'QuickReply', text: 'Yes', payload: 'yes', originatingMessageId: 'm' } });
    const { originatingMessageId: _, ...noTop } = inside;
    expect((await api('POST', inboundPath('structured/response'), noTop)).status).toBe(400);
    const bare = response('tap-5', { buttonResponse: { type: 'Button' } });
    expect((await api('POST', inboundPath('structured/response'), bare)).status).toBe(400);
    expect(genesys.violations).toEqual([
      'inbound-structured-response: /originatingMessageId is required',
      'inbound-structured-response: /buttonResponse/originatingMessageId is not a property Genesys accepts here',
      'inbound-structured-response: /buttonResponse/text is required',
      'inbound-structured-response: /buttonResponse/payload is required',
    ]);
    expect(genesys.structuredResponses).toEqual([]);
  });
});

describe('supported content and messaging settings', () => {
  const CONTENT = '/api/v2/conversations/messaging/supportedcontent';
  const SETTINGS = '/api/v2/conversations/messaging/settings';

  it('creates, lists, reads and patches a supported-content profile; refuses a body the model does not allow', async () => {
    const created = await api('POST', CONTENT, { name: 'LINE supported content', mediaTypes: { allow: { inbound: [{ type: 'image/*' }], outbound: [{ type: 'video/mp4' }] } } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: expect.any(String), name: 'LINE supported content', version: 1, selfUri: `${CONTENT}/${created.body.id}` });
    expect((await api('GET', `${CONTENT}?pageSize=25&pageNumber=1`)).body).toMatchObject({ entities: [{ id: created.body.id }], total: 1, pageCount: 1 });
    const patched = await api('PATCH', `${CONTENT}/${created.body.id}`, { name: 'LINE supported content', mediaTypes: { allow: { outbound: [{ type: 'audio/mp4' }] } } });
    expect(patched.body).toMatchObject({ version: 2, mediaTypes: { allow: { outbound: [{ type: 'audio/mp4' }] } } });
    expect((await api('POST', CONTENT, { name: 'LINE supported content' })).status).toBe(409);

    const wrong = await api('POST', CONTENT, { name: 'x', mediaTypes: { allow: { inbound: [{ mime: 'image/png' }] } } });
    expect(wrong.status).toBe(400);
    expect(genesys.violations).toEqual(['supportedcontent-create: /mediaTypes/allow/inbound/0/type is required', 'supportedcontent-create: /mediaTypes/allow/inbound/0/mime is not a property Genesys accepts here']);
  });

  it('creates a messaging setting with typing on; refuses a direction that is not Enabled or Disabled', async () => {
    const created = await api('POST', SETTINGS, { name: 'LINE messaging setting', event: { typing: { on: { inbound: 'Enabled', outbound: 'Enabled' } } } });
    expect(created.status).toBe(200);
    expect(genesys.messagingSettings.get(created.body.id)!.event).toEqual({ typing: { on: { inbound: 'Enabled', outbound: 'Enabled' } } });
    const wrong = await api('POST', SETTINGS, { name: 'y', event: { typing: { on: { outbound: true } } } });
    expect(wrong.status).toBe(400);
    expect(genesys.violations).toEqual(['messagingsetting-create: /event/typing/on/outbound must be one of Enabled, Disabled (got true)']);
  });
});

describe('conversations', () => {
  it('prefetchConversationId gives the conversation; its customer has the custom attributes as participant data; disconnect ends it', async () => {
    const sent = await api('POST', `${inboundPath('message')}?prefetchConversationId=true`, inboundMessage('line-msg-conv'));
    expect(sent.status).toBe(200);
    const id = sent.body.conversationId as string;
    const conversation = await api('GET', `/api/v2/conversations/${id}`);
    expect(conversation.body).toMatchObject({ id, participants: [{ purpose: 'customer', state: 'connected', attributes: { market: 'th', brand: 'acme' } }] });
    expect((await api('POST', `/api/v2/conversations/${id}/disconnect`)).status).toBe(202);
    expect((await api('GET', `/api/v2/conversations/${id}`)).body.participants[0].state).toBe('disconnected');
    // The customer's next message opens a new conversation.
    const next = await api('POST', `${inboundPath('message')}?prefetchConversationId=true`, inboundMessage('line-msg-conv-2'));
    expect(next.body.conversationId).not.toBe(id);
    expect((await api('GET', '/api/v2/conversations/0b0b6c3a-2f4e-4a2b-9d61-1f0d6f7e2a99')).status).toBe(404);
  });
});
