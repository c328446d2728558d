/**
 * The offline sandbox: the LINE and Genesys emulators started in-process with two demo channels
 * (th, tw), and the two platforms' parts played on demand: `sendCustomer` is the LINE platform posting
 * a customer's message to the relay's webhook (signed), `sendAgent` is Genesys posting an agent's reply.
 *
 * It reuses the very emulators the tests use as fakes, so the sandbox is as strict about request
 * shapes as the tests are: a push or an inbound message the real platforms would refuse is refused
 * here too (400, recorded in `line.violations` / `genesys.violations`), and every webhook body the
 * sandbox builds is checked against LINE's webhook schema before it is sent.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ConversationMessageContent } from '../genesys/types.js';
import { freshNow, postWebhook, restampEvent, signedRequest, type Fresh } from '../samples.js';
import { startGenesysEmulator, type GenesysEmulator } from './genesys-api.js';
import { SANDBOX_CLIENT, SANDBOX_DEMO, sandboxChannels, type SandboxChannel } from './identities.js';
import { emulatorEnv } from './env.js';
import { samplePng } from './inspector/sample-png.js';
import { startLineEmulator, type LineContent, type LineEmulator } from './line-api.js';
import { validateLineWebhook } from './openapi-validator.js';
import { sendAgentMessage } from './outbound-webhook.js';

export type { SandboxChannel } from './identities.js';

export interface SandboxCustomer { channelId: string; userId: string; displayName: string; language: string }

export interface CustomerMessage {
  channelId: string;
  /** Default: the channel's demo customer. */
  userId?: string;
  /** 'postback' is what LINE sends when a customer taps a quick reply with a postback action. */
  kind: 'text' | 'sticker' | 'location' | 'image' | 'postback';
  text?: string;
  packageId?: string;
  stickerId?: string;
  keywords?: string[];
  latitude?: number;
  longitude?: number;
  title?: string;
  address?: string;
  image?: { bytes: Buffer; contentType: string };
  /** postback data */
  data?: string;
}

export interface AgentReply { channelId: string; to: string; text?: string; imageUrl?: string; quickReplies?: string[] }

export interface Answer { status: number; body: unknown }

export interface Sandbox {
  line: LineEmulator;
  genesys: GenesysEmulator;
  channels: SandboxChannel[];
  customers: SandboxCustomer[];
  /** Everything loadConfig needs to run a relay against the emulators. */
  env: Record<string, string>;
  /** Points the integrations' outbound webhooks and the LINE webhook at a relay. */
  connect(relayUrl: string): void;
  sendCustomer(e: CustomerMessage): Promise<Answer & { event: Record<string, unknown> }>;
  sendAgent(m: AgentReply): Promise<Answer & { messageId: string; content: ConversationMessageContent[] }>;
  /** Registers the content of a message again under another message id (a replayed image). */
  copyContent(fromMessageId: string, toMessageId: string): boolean;
  close(): Promise<void>;
}

/** A stable demo user id (U + 32 hex) for a name. */
const demoUserId = (name: string) => `U${createHash('md5').update(`line-genesys sandbox ${name}`).digest('hex')}`;

const DEMO = SANDBOX_DEMO;

/** The LINE message object of a customer's message (webhook shape). Its id and tokens are left empty for restampEvent. */
function messageContent(e: CustomerMessage): Record<string, unknown> {
  const quoteToken = '';
  const markAsReadToken = '';
  switch (e.kind) {
    case 'text':
      if (!e.text) throw new Error('sendCustomer: a text message needs text');
      return { type: 'text', quoteToken, markAsReadToken, text: e.text };
    case 'sticker':
      if (!e.packageId || !e.stickerId) throw new Error('sendCustomer: a sticker needs packageId and stickerId');
      return { type: 'sticker', quoteToken, markAsReadToken, packageId: e.packageId, stickerId: e.stickerId, stickerResourceType: 'STATIC', keywords: e.keywords ?? [] };
    case 'location':
      if (typeof e.latitude !== 'number' || typeof e.longitude !== 'number') throw new Error('sendCustomer: a location needs latitude and longitude');
      return { type: 'location', markAsReadToken, ...(e.title ? { title: e.title } : {}), ...(e.address ? { address: e.address } : {}), latitude: e.latitude, longitude: e.longitude };
    case 'image':
      if (!e.image) throw new Error('sendCustomer: an image needs image {bytes, contentType}');
      return { type: 'image', quoteToken, markAsReadToken, contentProvider: { type: 'line' } };
    default:
      throw new Error(`sendCustomer: unknown kind "${String(e.kind)}"`);
  }
}

/** A webhook event as LINE sends it for a customer's message or postback, with fresh ids (samples.ts). */
export function customerEvent(e: CustomerMessage, userId: string, fresh: Fresh = freshNow()): Record<string, unknown> {
  const base = { mode: 'active', source: { type: 'user', userId }, replyToken: '' };
  if (e.kind === 'postback') {
    if (!e.data) throw new Error('sendCustomer: a postback needs data');
    return restampEvent({ type: 'postback', ...base, postback: { data: e.data } }, fresh);
  }
  return restampEvent({ type: 'message', ...base, message: { id: '', ...messageContent(e) } }, fresh);
}

/** Genesys content for an agent's reply: an image attachment and quick replies. */
export function agentContent(m: AgentReply): ConversationMessageContent[] {
  const content: ConversationMessageContent[] = [];
  if (m.imageUrl) {
    if (!/^https:\/\/[^\s]+$/i.test(m.imageUrl)) throw new Error('sendAgent: LINE shows images only from https:// URLs; give an https image URL');
    const filename = decodeURIComponent(new URL(m.imageUrl).pathname.split('/').pop() || 'image');
    const mime = /\.png$/i.test(filename) ? 'image/png' : /\.jpe?g$/i.test(filename) ? 'image/jpeg' : undefined;
    content.push({ contentType: 'Attachment', attachment: { id: randomUUID(), mediaType: 'Image', url: m.imageUrl, filename, ...(mime ? { mime } : {}) } });
  }
  for (const q of m.quickReplies ?? []) {
    const t = q.trim();
    if (t) content.push({ contentType: 'QuickReply', quickReply: { text: t, payload: t, action: 'Message' } });
  }
  return content;
}

export async function startSandbox(opts: { host?: string } = {}): Promise<Sandbox> {
  const host = opts.host ?? '127.0.0.1';
  const channels: SandboxChannel[] = sandboxChannels();
  const customers: SandboxCustomer[] = DEMO.map((d) => ({ channelId: d.id, userId: demoUserId(d.customer.displayName), ...d.customer }));
  const { clientId, clientSecret } = SANDBOX_CLIENT;

  const line = await startLineEmulator({
    host,
    channels: channels.map((c) => ({ accessToken: c.accessToken, botUserId: c.botUserId, displayName: `Acme ${c.market}` })),
    profiles: customers.map((c) => ({ userId: c.userId, displayName: c.displayName, language: c.language })),
    defaultProfiles: true,
    // `line-genesys simulate image` against the sandbox sends message ids nobody registered: show a picture.
    defaultContent: { body: samplePng(), contentType: 'image/png' },
  });
  // The relay's URL is known only at connect(): these objects are the ones reset() reloads, so they are updated too.
  const integrations = channels.map((c) => ({
    id: c.integrationId,
    name: `LINE ${c.market} (sandbox)`,
    outboundNotificationWebhookUrl: 'http://127.0.0.1:9/webhook/genesys',
    outboundNotificationWebhookSignatureSecretToken: c.outboundSecret,
  }));
  const genesys = await startGenesysEmulator({ host, clientId, clientSecret, allowHttpWebhooks: true, integrations }).catch(async (e: unknown) => {
    await line.close();
    throw e;
  });

  const env = emulatorEnv({ lineUrl: line.url, genesysUrl: genesys.url, clientId, clientSecret, channels, region: 'ap-southeast-1' }, { LINE_GENESYS_STORE: 'memory' });

  let lineWebhookUrl: string | undefined;
  const contents = new Map<string, LineContent>();
  const channelOf = (id: string) => {
    const c = channels.find((ch) => ch.id === id);
    if (!c) throw new Error(`sandbox: no channel "${id}" (channels: ${channels.map((ch) => ch.id).join(', ')})`);
    return c;
  };

  return {
    line,
    genesys,
    channels,
    customers,
    env,
    connect(relayUrl) {
      const base = relayUrl.replace(/\/+$/, '');
      lineWebhookUrl = `${base}/webhook/line`;
      for (const [i, c] of channels.entries()) {
        const url = `${base}/webhook/genesys/${encodeURIComponent(c.id)}`;
        integrations[i]!.outboundNotificationWebhookUrl = url;
        const live = genesys.integrations.get(c.integrationId);
        if (live) live.outboundNotificationWebhookUrl = url;
        line.webhookEndpoints.set(c.botUserId, lineWebhookUrl);
      }
    },
    async sendCustomer(e) {
      if (!lineWebhookUrl) throw new Error('sandbox: call connect(relayUrl) before sendCustomer');
      const channel = channelOf(e.channelId);
      const userId = e.userId ?? customers.find((c) => c.channelId === channel.id)!.userId;
      const event = customerEvent(e, userId);
      const message = event['message'] as { id: string } | undefined;
      if (e.kind === 'image' && e.image && message) {
        const content = { body: e.image.bytes, contentType: e.image.contentType };
        contents.set(message.id, content);
        line.setContent(message.id, content);
      }
      const body = { destination: channel.botUserId, events: [event] };
      if (typeof event['replyToken'] === 'string') line.issueReplyToken(event['replyToken'], { channel: channel.botUserId, userId });
      const violations = validateLineWebhook(body);
      if (violations.length) throw new Error(`sandbox: that is not a webhook LINE would send: ${violations.join('; ')}`);
      const { status, body: answer } = await postWebhook(signedRequest('line', lineWebhookUrl, JSON.stringify(body), channel.channelSecret));
      return { status, body: answer, event };
    },
    async sendAgent(m) {
      const channel = channelOf(m.channelId);
      const content = agentContent(m);
      const text = m.text?.trim() ? m.text : undefined;
      if (!text && !content.some((c) => c.contentType === 'Attachment')) {
        throw new Error('sendAgent: an agent message needs text or an image URL (quick replies go with them)');
      }
      const answer = await sendAgentMessage(genesys, { integrationId: channel.integrationId, to: m.to, ...(text ? { text } : {}), ...(content.length ? { content } : {}) });
      return { status: answer.status, body: answer.body, messageId: answer.messageId, content };
    },
    copyContent(from, to) {
      const content = contents.get(from);
      if (!content) return false;
      contents.set(to, content);
      line.setContent(to, content);
      return true;
    },
    async close() {
      await Promise.all([line.close(), genesys.close()]);
    },
  };
}
