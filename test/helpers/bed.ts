/**
 * The test bed: the LINE and Genesys emulators (strict fakes) and a relay between them, each on a
 * random loopback port, configured the way a user would configure them (through loadConfig).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';
import { createRelay, type Relay, type RelayOptions } from '../../src/relay/server.js';
import { postWebhook, restamp, signedRequest, SIGNATURE_HEADER, type Fresh, type LineWebhookBody, type Platform } from '../../src/samples.js';
import { emulatorEnv } from '../../src/sandbox/env.js';
import { startGenesysEmulator, type GenesysEmulator } from '../../src/sandbox/genesys-api.js';
import { startLineEmulator, type LineEmulator, type LineEmulatorOptions } from '../../src/sandbox/line-api.js';
import type { Store } from '../../src/store/store.js';

export const CHANNELS = {
  th: { id: 'th', market: 'TH', brand: 'acme', botUserId: 'U0f3c9a1b2c3d4e5f60718293a4b5c6d7', secret: 'th-channel-secret-0123456789abcdef', token: 'th-access-token', integrationId: 'a1b2c3d4-0000-4000-8000-000000000001', outboundSecret: 'th-outbound-secret-xyz' },
  tw: { id: 'tw', market: 'TW', brand: 'acme-tw', botUserId: 'Ubfae69cb9828e8817310a406b74bf8a2', secret: 'tw-channel-secret-fedcba9876543210', token: 'tw-access-token', integrationId: 'a1b2c3d4-0000-4000-8000-000000000002', outboundSecret: 'tw-outbound-secret-abc' },
} as const;
export const USER = 'U4af4980629c5f1b2e1d4c3b2a1f0e9d8';

export interface Bed {
  line: LineEmulator;
  genesys: GenesysEmulator;
  relay: Relay;
  url: string;
  config: Config;
  postLine(body: string | object, opts?: { channel?: keyof typeof CHANNELS; secret?: string; signature?: string | null; path?: string }): Promise<{ status: number; body: any }>;
  postGenesys(body: string | object, opts?: { secret?: string; signature?: string | null; path?: string }): Promise<{ status: number; body: any }>;
  /** Restart the relay on the same store and port-less config (a new relay process, in effect). */
  close(): Promise<void>;
}

export interface BedOptions {
  store?: 'memory' | 'sqlite';
  storePath?: string;
  backoff?: RelayOptions['backoff'];
  env?: Record<string, string>;
  existingStore?: Store;
  deadLetterAfter?: string;
  /** The relay's log (default silent). */
  log?: Logger;
  /** The relay's clock (default Date.now), for what expires. */
  now?: () => number;
}

export function relayEnv(line: { url: string }, genesys: { url: string }, extra: Record<string, string> = {}): Record<string, string> {
  return emulatorEnv(
    {
      lineUrl: line.url,
      genesysUrl: genesys.url,
      clientId: 'test-client-id',
      clientSecret: 'test-client-secret',
      channels: Object.values(CHANNELS).map((c) => ({ ...c, channelSecret: c.secret, accessToken: c.token })),
    },
    { LINE_GENESYS_LOG_LEVEL: 'silent', ...extra },
  );
}

/**
 * The LINE and Genesys emulators with the test channels: each channel's bot, and its Genesys
 * integration, pointed nowhere. `integrations` are the emulator's options: a relay's URL is known only
 * once it listens; set it there, and `genesys.reset()` takes it (as startBed does).
 */
export async function startUpstreams(
  lineOptions: Partial<LineEmulatorOptions> = {},
): Promise<{ line: LineEmulator; genesys: GenesysEmulator; integrations: Array<{ outboundNotificationWebhookUrl: string }> }> {
  const line = await startLineEmulator({
    channels: Object.values(CHANNELS).map((c) => ({ accessToken: c.token, botUserId: c.botUserId, displayName: `Acme ${c.market}` })),
    defaultProfiles: true,
    ...lineOptions,
  });
  const integrations = Object.values(CHANNELS).map((c) => ({
    id: c.integrationId,
    name: `LINE ${c.market}`,
    outboundNotificationWebhookUrl: 'http://127.0.0.1:9/webhook/genesys',
    outboundNotificationWebhookSignatureSecretToken: c.outboundSecret,
  }));
  const genesys = await startGenesysEmulator({ clientId: 'test-client-id', clientSecret: 'test-client-secret', allowHttpWebhooks: true, integrations });
  return { line, genesys, integrations };
}

export async function startBed(opts: BedOptions = {}): Promise<Bed> {
  const { line, genesys, integrations } = await startUpstreams({
    profiles: [{ userId: USER, displayName: 'Somchai', pictureUrl: 'https://profile.line-scdn.net/abc', language: 'th' }],
  });
  const cwd = mkdtempSync(join(tmpdir(), 'lg-bed-'));
  const config = loadConfig({
    cwd,
    dotenv: false,
    env: relayEnv(line, genesys, {
      LINE_GENESYS_STORE: opts.store ?? 'memory',
      ...(opts.storePath ? { LINE_GENESYS_STORE_PATH: opts.storePath } : {}),
      ...(opts.deadLetterAfter ? { LINE_GENESYS_DEAD_LETTER_AFTER: opts.deadLetterAfter } : {}),
      // No quota reads unless a test asks: tests count the requests LINE received.
      LINE_GENESYS_QUOTA_REFRESH: '0',
      ...opts.env,
    }),
  });
  const relay = await createRelay({
    config,
    log: opts.log ?? createLogger({ level: 'silent' }),
    backoff: opts.backoff ?? { baseMs: 10, maxMs: 100 },
    ...(opts.existingStore ? { store: opts.existingStore } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const url = await relay.listen(0, '127.0.0.1');
  for (const i of integrations) i.outboundNotificationWebhookUrl = `${url}/webhook/genesys`;
  genesys.reset();

  /** POSTs a body signed with `secret`, or with the `signature` given (null: none). */
  async function post(platform: Platform, body: string | object, secret: string, o: { signature?: string | null; path?: string }) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const req = signedRequest(platform, `${url}${o.path ?? `/webhook/${platform}`}`, raw, secret);
    if (o.signature !== undefined) {
      delete req.headers[SIGNATURE_HEADER[platform]];
      if (o.signature !== null) req.headers[SIGNATURE_HEADER[platform]] = o.signature;
    }
    const { status, body: answer } = await postWebhook(req);
    return { status, body: answer as any };
  }

  return {
    line,
    genesys,
    relay,
    url,
    config,
    postLine(body, o = {}) {
      issueReplyTokens(line, body, CHANNELS[o.channel ?? 'th'].botUserId);
      return post('line', body, o.secret ?? CHANNELS[o.channel ?? 'th'].secret, o);
    },
    postGenesys(body, o = {}) {
      return post('genesys', body, o.secret ?? CHANNELS.th.outboundSecret, o);
    },
    async close() {
      await relay.close();
      await Promise.all([line.close(), genesys.close()]);
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** As LINE does when it sends them: each event's reply token becomes usable, by the bot addressed, for the event's user. */
function issueReplyTokens(line: LineEmulator, body: string | object, bot: string): void {
  let parsed: any;
  try {
    parsed = typeof body === 'string' ? JSON.parse(body) : body;
  } catch {
    return;
  }
  for (const e of Array.isArray(parsed?.events) ? parsed.events : []) {
    if (typeof e?.replyToken === 'string' && typeof e.source?.userId === 'string') {
      line.issueReplyToken(e.replyToken, { channel: typeof parsed.destination === 'string' ? parsed.destination : bot, userId: e.source.userId });
    }
  }
}

/** The bed's clock: the time of templates/line/text.json (2024-11-24T08:00:00Z), so a test can write times down. */
const BED_NOW = 1732435200000;
const bedFresh: Fresh = { now: BED_NOW, random: (n) => randomBytes(n) };

/**
 * A LINE webhook template from templates/line, addressed to a channel's bot. Unless `keepIds`, it is
 * re-stamped as a new event from LINE (samples.ts): new ids, at BED_NOW.
 */
export function lineTemplate(name: string, channel: keyof typeof CHANNELS = 'th', keepIds = false): { destination: string; events: any[] } {
  const template: LineWebhookBody = JSON.parse(readFileSync(new URL(`../../templates/line/${name}.json`, import.meta.url), 'utf8'));
  const destination = CHANNELS[channel].botUserId;
  return keepIds ? { ...template, destination } : restamp(template, bedFresh, destination);
}

/**
 * The body of a LINE webhook to channel th carrying one text message, with the ids the caller chose
 * (tests that count every message by its ids across crashes and redeliveries).
 */
export function textWebhook(m: { userId: string; eventId: string; messageId: string; text: string; timestamp: number; redelivery: boolean }): string {
  return JSON.stringify({
    destination: CHANNELS.th.botUserId,
    events: [
      {
        type: 'message',
        mode: 'active',
        timestamp: m.timestamp,
        source: { type: 'user', userId: m.userId },
        webhookEventId: m.eventId,
        deliveryContext: { isRedelivery: m.redelivery },
        message: { id: m.messageId, type: 'text', quoteToken: 'q', text: m.text },
      },
    ],
  });
}

/** A Genesys outbound template, sent now (channel.time is the clock's: an old one is refused as stale). */
export function genesysTemplate(name: string): any {
  const m = JSON.parse(readFileSync(new URL(`../../templates/genesys/${name}.json`, import.meta.url), 'utf8'));
  m.channel.time = new Date().toISOString();
  return m;
}

/** Between two tests on one bed: the emulators forget what they saw and USER no longer blocks the TH account. */
export async function resetBed(bed: Bed): Promise<void> {
  bed.genesys.reset();
  bed.line.reset();
  await bed.relay.context.store.setBlocked('th', USER, false, Date.now());
}

/** A Genesys outbound template as the TH integration would send it to USER, with a new id. */
export function agentMessage(name: string, patch: Record<string, unknown> = {}): any {
  const m = genesysTemplate(name);
  m.id = randomUUID().replace(/-/g, '');
  m.channel.id = CHANNELS.th.integrationId;
  m.channel.messageId = m.id;
  m.channel.to.id = USER;
  return { ...m, ...patch };
}

/** Polls until `predicate()` is true (bounded); the error says what was last seen. */
export async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** What a relay whose store is out answers: a LINE webhook (signed for channel th), with its Retry-After, /readyz, and /healthz (liveness). */
export async function outageAnswers(
  url: string,
  body: object,
): Promise<{ webhook: { status: number; retryAfter: string | null; body: any }; ready: { status: number; body: any }; live: { status: number; body: any } }> {
  const req = signedRequest('line', `${url}/webhook/line`, JSON.stringify(body), CHANNELS.th.secret);
  const webhook = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body });
  const ready = await fetch(`${url}/readyz`);
  const live = await fetch(`${url}/healthz`);
  return {
    webhook: { status: webhook.status, retryAfter: webhook.headers.get('retry-after'), body: await webhook.json() },
    ready: { status: ready.status, body: await ready.json() },
    live: { status: live.status, body: await live.json() },
  };
}
