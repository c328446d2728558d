/**
 * The sandbox over real HTTP: its env configures a relay through loadConfig, a customer's message
 * reaches the Genesys emulator, an agent's reply reaches the LINE emulator, both strict; the
 * inspector's replay sends a LINE event again as a new event (a relay that saw the same
 * webhookEventId would call it a duplicate) and a Genesys message again under a new id.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { LineClient } from '../../../src/line/client.js';
import { createLogger } from '../../../src/log.js';
import { createRelay, type Relay } from '../../../src/relay/server.js';
import { validateLineWebhook } from '../../../src/sandbox/openapi-validator.js';
import type { Activity } from '../../../src/relay/activity.js';
import { customerEvent, startSandbox, type CustomerMessage, type Sandbox } from '../../../src/sandbox/index.js';
import { ReplayError, replay } from '../../../src/sandbox/inspector/replay.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let sandbox: Sandbox;
let relay: Relay;
let relayUrl: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  const config = loadConfig({ env: sandbox.env, dotenv: false, cwd: mkdtempSync(join(tmpdir(), 'lg-sandbox-')) });
  relay = await createRelay({ config, log: createLogger({ level: 'silent' }), backoff: { baseMs: 10, maxMs: 100 } });
  relayUrl = await relay.listen(0, '127.0.0.1');
  sandbox.connect(relayUrl);
});
afterAll(async () => {
  await relay?.close();
  await sandbox?.close();
});
beforeEach(() => {
  sandbox.line.reset();
  sandbox.genesys.reset();
});

describe('startSandbox', () => {
  it('gives loadConfig everything for two channels on the emulators', () => {
    const config = relay.context.config;
    expect(config.channels.map((c) => [c.id, c.market, c.brand])).toEqual([['th', 'TH', 'acme'], ['tw', 'TW', 'acme']]);
    expect(config.genesys.apiBaseUrl).toBe(sandbox.genesys.url);
    expect(config.line.apiBaseUrl).toBe(sandbox.line.url);
    expect(config.relay.store).toBe('memory');
    for (const c of sandbox.channels) {
      expect(c.botUserId).toMatch(/^U[0-9a-f]{32}$/);
      expect(config.channels.find((x) => x.id === c.id)).toMatchObject({ botUserId: c.botUserId, channelSecret: c.channelSecret, accessToken: c.accessToken, integrationId: c.integrationId, outboundSecret: c.outboundSecret });
    }
  });

  it('connect points the integrations and LINE webhook endpoints at the relay, also after a reset', () => {
    expect(sandbox.channels.map((c) => c.id)).toEqual(['th', 'tw']);
    for (const c of sandbox.channels) {
      expect(sandbox.genesys.integrations.get(c.integrationId)?.outboundNotificationWebhookUrl).toBe(`${relayUrl}/webhook/genesys/${c.id}`);
      expect(sandbox.line.webhookEndpoints.get(c.botUserId)).toBe(`${relayUrl}/webhook/line`);
    }
  });

  it('builds webhook events as LINE sends them', () => {
    const userId = sandbox.customers[0]!.userId;
    for (const e of [
      { kind: 'text', text: 'hi' },
      { kind: 'sticker', packageId: '446', stickerId: '1988', keywords: ['Heart'] },
      { kind: 'location', latitude: 13.7, longitude: 100.5, title: 'Siam Paragon' },
      { kind: 'image', image: { bytes: PNG, contentType: 'image/png' } },
      { kind: 'postback', data: 'refund_bank' },
    ] satisfies Array<Omit<CustomerMessage, 'channelId'>>) {
      const body = { destination: sandbox.channels[0]!.botUserId, events: [customerEvent({ channelId: 'th', ...e }, userId)] };
      expect(validateLineWebhook(body), e.kind).toEqual([]);
    }
    expect(() => customerEvent({ channelId: 'th', kind: 'text' }, userId)).toThrow(/needs text/);
  });

  it('gives every customer message a fresh mark-as-read token, as LINE does', () => {
    const userId = sandbox.customers[0]!.userId;
    const messages = ([
      { kind: 'text', text: 'hi' },
      { kind: 'sticker', packageId: '446', stickerId: '1988' },
      { kind: 'location', latitude: 13.7, longitude: 100.5 },
      { kind: 'image', image: { bytes: PNG, contentType: 'image/png' } },
    ] as const).map((e) => customerEvent({ channelId: 'th', ...e }, userId)['message'] as { type: string; markAsReadToken: string });
    expect(messages.map((m) => [m.type, m.markAsReadToken])).toEqual(['text', 'sticker', 'location', 'image'].map((t) => [t, expect.stringMatching(/^[A-Za-z0-9_-]{22}$/)]));
    const tokens = [1, 2].map(() => (customerEvent({ channelId: 'th', kind: 'text', text: 'x' }, userId)['message'] as { markAsReadToken: string }).markAsReadToken);
    expect(tokens[0]).not.toBe(tokens[1]);
  });
});

describe('the loop', () => {
  it('sendCustomer: a text reaches Genesys with the demo profile, market and brand', async () => {
    const res = await sandbox.sendCustomer({ channelId: 'tw', kind: 'text', text: '你好' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0 });
    await sandbox.genesys.waitFor((g) => g.messages.length === 1);
    const m = sandbox.genesys.messages[0]!;
    const tw = sandbox.channels.find((c) => c.id === 'tw')!;
    expect(m.integrationId).toBe(tw.integrationId);
    expect(m.body.text).toBe('你好');
    expect(m.body.channel.from).toMatchObject({ id: sandbox.customers[1]!.userId, nickname: 'Mei-Ling Chen' });
    expect(m.body.channel.metadata?.customAttributes).toMatchObject({ market: 'TW', brand: 'acme' });
    expect(sandbox.genesys.violations).toEqual([]);
  });

  it('sendCustomer: the reply token it sends is one the LINE emulator accepts once, from that channel', async () => {
    const { event } = await sandbox.sendCustomer({ channelId: 'th', kind: 'text', text: 'reply to me' });
    await sandbox.genesys.waitFor((g) => g.messages.length === 1);
    const th = sandbox.channels.find((c) => c.id === 'th')!;
    const client = new LineClient({ accessToken: th.accessToken, apiBaseUrl: sandbox.line.url });
    const replyToken = event['replyToken'] as string;
    expect(await client.reply(replyToken, [{ type: 'text', text: 'hello' }])).toMatchObject({ replied: true });
    expect(await client.reply(replyToken, [{ type: 'text', text: 'hello' }])).toEqual({ replied: false });
    expect(sandbox.line.replies).toEqual([expect.objectContaining({ replyToken, to: sandbox.customers[0]!.userId, channelBotUserId: th.botUserId })]);
  });

  it('sendCustomer: a sticker and an image arrive as the agent sees them', async () => {
    await sandbox.sendCustomer({ channelId: 'th', kind: 'sticker', packageId: '446', stickerId: '1988', keywords: ['Heart', 'Love', 'Brown', 'Cony'] });
    const img = await sandbox.sendCustomer({ channelId: 'th', kind: 'image', image: { bytes: PNG, contentType: 'image/png' } });
    expect(img.status).toBe(200);
    await sandbox.genesys.waitFor((g) => g.messages.length === 2);
    expect(sandbox.genesys.messages[0]!.body.text).toBe('[LINE STICKER: Heart, Love, Brown, Cony]');
    const url = sandbox.genesys.messages[1]!.body.content?.[0]?.attachment?.url;
    expect(url).toMatch(new RegExp(`^${relayUrl}/media/`));
    const served = await fetch(url!);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
  });

  it('sendAgent: text, image and quick replies reach LINE as a push to the customer', async () => {
    const to = sandbox.customers[0]!.userId;
    const res = await sandbox.sendAgent({ channelId: 'th', to, text: 'How can I help?', imageUrl: 'https://example.com/receipt.png', quickReplies: ['Refund', ' Track order '] });
    expect(res.status).toBe(200);
    await until(() => sandbox.line.pushes.length === 1 && sandbox.genesys.receipts.length === 1, 'the push and its receipt');
    const push = sandbox.line.pushes[0]!;
    expect(push.to).toBe(to);
    expect(push.channelBotUserId).toBe(sandbox.channels[0]!.botUserId);
    const messages = push.messages as any[];
    expect(messages.map((m) => m.type)).toEqual(['text', 'image']);
    expect(messages[0].text).toBe('How can I help?');
    expect(messages[1].originalContentUrl).toBe('https://example.com/receipt.png');
    expect(messages.at(-1).quickReply.items.map((i: any) => i.action.label)).toEqual(['Refund', 'Track order']);
    expect(sandbox.genesys.receipts[0]!.body.status).toBe('Delivered');
    expect(sandbox.line.violations).toEqual([]);
  });

  it('sendAgent refuses what LINE could not show', async () => {
    const to = sandbox.customers[0]!.userId;
    await expect(sandbox.sendAgent({ channelId: 'th', to, imageUrl: 'http://example.com/a.png' })).rejects.toThrow(/https/);
    await expect(sandbox.sendAgent({ channelId: 'th', to, quickReplies: ['a'] })).rejects.toThrow(/needs text/);
    await expect(sandbox.sendAgent({ channelId: 'xx', to, text: 'hi' })).rejects.toThrow(/no channel "xx"/);
  });
});

const seen = (direction: Activity['direction'], source: unknown): Activity => ({ at: 0, direction, stage: 'webhook', status: 'accepted', type: 'message', channelId: 'th', source });

describe('replay (the inspector): over real HTTP, signed as the platform signs', () => {
  it('a LINE event: accepted as a new event, and Genesys gets the text again under a new message id', async () => {
    const sent = await sandbox.sendCustomer({ channelId: 'th', kind: 'text', text: 'อีกครั้ง' });
    await sandbox.genesys.waitFor((g) => g.messages.length === 1);
    const again = await replay(relay, seen('in', sent.event));
    expect(again).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    await sandbox.genesys.waitFor((g) => g.messages.length === 2);
    const [first, second] = sandbox.genesys.messages.map((m) => m.body);
    expect(second!.text).toBe('อีกครั้ง');
    expect(second!.channel.messageId).not.toBe(first!.channel.messageId);
  });

  it('an image: its content is copied from the old message id to the new one', async () => {
    const sent = await sandbox.sendCustomer({ channelId: 'th', kind: 'image', image: { bytes: PNG, contentType: 'image/png' } });
    const copies: Array<[string, string]> = [];
    const again = await replay(relay, seen('in', sent.event), { copyContent: (from, to) => copies.push([from, to]) });
    expect(again.status).toBe(200);
    const oldId = (sent.event['message'] as { id: string }).id;
    expect(copies).toEqual([[oldId, expect.stringMatching(/^\d{18}$/)]]);
    expect(copies[0]![1]).not.toBe(oldId);
  });

  it('a Genesys message: accepted under a new id and pushed to LINE', async () => {
    const to = sandbox.customers[0]!.userId;
    const integrationId = sandbox.channels[0]!.integrationId;
    const id = '0f3c9a1e5b7d4c2a8e6f1b3d5a7c9e21';
    const message = { id, channel: { id: integrationId, platform: 'Open', type: 'Private', to: { id: to }, from: { id: integrationId, idType: 'Opaque', nickname: 'Agent' }, time: '2025-03-14T09:21:07.412Z', messageId: id }, type: 'Text', text: 'replay me', direction: 'Outbound' };
    expect(await replay(relay, seen('out', message))).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    await until(() => sandbox.genesys.receipts.length === 1, 'the receipt of the push');
    expect(sandbox.line.pushes.map((p) => [p.to, p.messages])).toEqual([[to, [{ type: 'text', text: 'replay me' }]]]);
    expect(sandbox.genesys.receipts[0]!.body.id).not.toBe(id);
  });

  it('refuses an event with no payload, or of a channel the relay does not know', async () => {
    await expect(replay(relay, { ...seen('in', undefined) })).rejects.toThrow(ReplayError);
    await expect(replay(relay, { ...seen('in', { type: 'message' }), channelId: 'jp' })).rejects.toThrow(/channel "jp" is not configured/);
  });
});

describe('close', () => {
  it('stops both emulators', async () => {
    const s = await startSandbox();
    const urls = [s.line.url, s.genesys.url];
    await s.close();
    for (const u of urls) await expect(fetch(`${u}/v2/bot/info`)).rejects.toThrow();
    await expect(s.sendCustomer({ channelId: 'th', kind: 'text', text: 'x' })).rejects.toThrow(/connect/);
  });
});
