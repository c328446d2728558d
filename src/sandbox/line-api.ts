/**
 * An emulator of the LINE Messaging API (api.line.me and api-data.line.me on one loopback URL), strict about
 * what it receives: bodies are validated against LINE's OpenAPI schemas and answered 400 the way LINE does.
 * Used as the fake LINE server of the tests and by the offline sandbox.
 */
import { Readable } from 'node:stream';
import { createServer, STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { readBody } from '../http/read-body.js';
import { send } from '../http/send.js';
import { USER_ID } from '../line/ids.js';
import { FaultPlan, type Fault } from './faults.js';
import { checkLineRequest, type LineViolation } from './openapi-validator.js';

export interface LineEmulatorChannel {
  accessToken: string; botUserId: string; displayName?: string; basicId?: string;
  /** `GET /v2/bot/info`; default 'auto' (chat off). 'manual' is chat on: messages show as read only once marked. */
  markAsReadMode?: 'auto' | 'manual';
  /** The monthly message limit (`GET /v2/bot/message/quota`); default none. */
  quota?: number;
}
export interface LineProfile { userId: string; displayName: string; pictureUrl?: string; language?: string; statusMessage?: string }
export interface LineEmulatorOptions {
  channels: LineEmulatorChannel[];
  /** Unknown users: 404 {"message":"Not found"}, unless defaultProfiles synthesizes "LINE user <last4>". */
  profiles?: LineProfile[];
  defaultProfiles?: boolean;
  /** Content for message ids nobody registered with setContent (the sandbox, where `simulate image` sends fresh ids); default 404. */
  defaultContent?: LineContent;
  /** Default 0 / 127.0.0.1. */
  port?: number; host?: string;
  /** How long a reply token stays usable; default 60 s (LINE promises about a minute). */
  replyTokenTtlMs?: number;
  /** The emulator's clock, for reply token expiry and recorded times; default Date.now. */
  now?: () => number;
  /** Called for every request after it was handled, for a live inspector. */
  onRequest?: (r: RecordedRequest) => void;
}
export interface RecordedRequest { at: number; method: string; path: string; route: string; channelBotUserId?: string; headers: Record<string, string | string[] | undefined>; body: unknown; status: number; response: unknown; violations: string[] }
/** One request to the push endpoint, whatever its answer (an injected fault, a 409 for a reused retry key, a 400). */
export interface PushRequest { at: number; retryKey?: string; status: number }
export interface AcceptedPush { to: string; messages: unknown[]; retryKey?: string; notificationDisabled?: boolean; channelBotUserId: string; requestId: string; at: number; sentMessages: SentMessage[] }
export interface AcceptedReply { replyToken: string; to: string; messages: unknown[]; notificationDisabled?: boolean; channelBotUserId: string; requestId: string; at: number; sentMessages: SentMessage[] }
export interface SentMessage { id: string; quoteToken: string }
export interface MarkAsRead { markAsReadToken: string; channelBotUserId: string; at: number }
/** Who a reply token was given to: the bot whose webhook carried it and the user whose event it was. */
export interface ReplyTokenGrant { channel: string; userId: string; at?: number }
export interface LineContent {
  /** The bytes, or `{ generate: n }`: n bytes made as they are sent (a 150 MB video costs the emulator no memory). */
  body: Buffer | { generate: number };
  contentType: string;
  /** Answer 202 (transcoding 'processing') this many times first. */
  preparing?: number;
  gone?: boolean;
  /** Sent chunked, with no Content-Length: the receiver learns the size only by reading. */
  noLength?: boolean;
  /** Bytes of a generated body made so far, over all requests: how much of it a client actually pulled. */
  sent?: number;
}
export interface WebhookTestResult { success: boolean; statusCode: number; reason: string; detail: string }
export interface LineEmulator {
  /** e.g. http://127.0.0.1:PORT; serves both api.line.me and api-data.line.me paths. */
  url: string;
  requests: RecordedRequest[];
  /** Pushes LINE accepted; a retry with an already-accepted X-Line-Retry-Key is not added again. */
  pushes: AcceptedPush[];
  /** Every push request, in order of arrival: each attempt, and the retry key it carried. */
  pushRequests: PushRequest[];
  /** Replies LINE accepted (each used a reply token the emulator was told about). */
  replies: AcceptedReply[];
  marksAsRead: MarkAsRead[];
  loadings: Array<{ chatId: string; loadingSeconds: number; channelBotUserId: string }>;
  /** Every shape violation seen (such requests are answered 400, like LINE would). */
  violations: string[];
  faults: FaultPlan;
  setContent(messageId: string, content: LineContent): void;
  /** The content as the emulator holds it now (`preparing` counted down, `sent` counted up). */
  contentOf(messageId: string): LineContent | undefined;
  setProfile(p: LineProfile): void;
  /** A reply token a webhook event carried (the sandbox and tests mint them): usable once, within replyTokenTtlMs of `at`. */
  issueReplyToken(token: string, grant: ReplyTokenGrant): void;
  /** Sets a channel's monthly limit (null: none) and, when given, the month's consumption so far. */
  setQuota(botUserId: string, q: { limit?: number | null; totalUsage?: number }): void;
  /** Messages counted against a channel's quota this month (pushes; replies are free). */
  quotaUsage(botUserId: string): number;
  webhookEndpoints: Map<string, string>;
  /** Answer of the webhook test endpoint for a channel; default {success:true, statusCode:200, reason:'OK', detail:'200'}. */
  setWebhookTestResult(botUserId: string, r: WebhookTestResult): void;
  /** Forgets requests, pushes, replies, marks as read, push requests, loadings, violations, faults, accepted retry keys, reply tokens and consumption (keeps content, profiles, endpoints, limits). */
  reset(): void;
  close(): Promise<void>;
}

interface Reply { status: number; body?: unknown; headers?: Record<string, string>; violations?: string[] }
interface Call { channel: LineEmulatorChannel; body: any; params: string[]; headers: IncomingHttpHeaders }
interface Route { method: string; path: RegExp; name: string; json?: 'required' | 'optional'; handle: (s: State, c: Call) => Reply }
/** What the emulator remembers; the recorded lists are shared with the LineEmulator object. */
type Recorded = Pick<LineEmulator, 'requests' | 'pushes' | 'replies' | 'marksAsRead' | 'pushRequests' | 'loadings' | 'violations' | 'faults' | 'webhookEndpoints'>;
interface State extends Recorded {
  opts: LineEmulatorOptions; channels: Map<string, LineEmulatorChannel>; profiles: Map<string, LineProfile>;
  contents: Map<string, LineContent>; retryKeys: Map<string, { requestId: string; sentMessages: unknown[]; at: number }>;
  testResults: Map<string, WebhookTestResult>; messageSeq: bigint; now: () => number;
  replyTokens: Map<string, ReplyTokenGrant & { at: number; used: boolean }>;
  /** Monthly limit per bot user id (null: none) and consumption. */
  limits: Map<string, number | null>; usage: Map<string, number>;
}

const MAX_BODY = 2 * 1024 * 1024;
const RETRY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
const REPLY_TOKEN_TTL_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AUTH_FAILED = 'Authentication failed. Confirm that the access token in the authorization header is valid.';
const DEFAULT_TEST_RESULT: WebhookTestResult = { success: true, statusCode: 200, reason: 'OK', detail: '200' };
/** LINE's wording (api-examples.json: push response429Examples, replyMessage response400InvalidReplyToken). */
const MONTHLY_LIMIT = 'You have reached your monthly limit.';
const INVALID_REPLY_TOKEN = 'Invalid reply token';

const message = (status: number, text: string, violation?: string): Reply =>
  ({ status, body: { message: text }, ...(violation ? { violations: [violation] } : {}) });
const asText = (v: LineViolation) => `${v.property || '(body)'}: ${v.message}`;

/** 400 with LINE's `details` (api-examples.json, push response400Validation), or LINE's own message for that endpoint. */
function invalid(v: LineViolation[], text?: string): Reply {
  const body = text ? { message: text } : { message: `The request body has ${v.length} error(s)`, details: v };
  return { status: 400, body, violations: v.map(asText) };
}

function push(s: State, c: Call): Reply {
  const key = header(c.headers, 'x-line-retry-key');
  if (key !== undefined && !UUID.test(key)) return message(400, 'The X-Line-Retry-Key header must be a UUID', `X-Line-Retry-Key: must be a UUID, got "${key}"`);
  const v = checkLineRequest('PushMessageRequest', c.body);
  if (v.length) return invalid(v);
  const bot = c.channel.botUserId;
  const prior = key ? s.retryKeys.get(`${bot} ${key}`) : undefined;
  if (prior && s.now() - prior.at < RETRY_KEY_TTL_MS) {
    return { status: 409, headers: { 'x-line-accepted-request-id': prior.requestId }, body: { message: 'The retry key is already accepted', sentMessages: prior.sentMessages } };
  }
  const limit = s.limits.get(bot);
  const used = s.usage.get(bot) ?? 0;
  if (typeof limit === 'number' && used >= limit) return message(429, MONTHLY_LIMIT);
  const requestId = randomUUID();
  const at = s.now();
  const sentMessages = sent(s, c.body.messages);
  if (key) s.retryKeys.set(`${bot} ${key}`, { requestId, sentMessages, at });
  const { to, messages, notificationDisabled } = c.body;
  s.pushes.push({ to, messages, retryKey: key, notificationDisabled, channelBotUserId: bot, requestId, at, sentMessages });
  // The quota counts recipients, not message objects: one push to one user is one.
  s.usage.set(bot, used + 1);
  return { status: 200, headers: { 'x-line-request-id': requestId }, body: { sentMessages } };
}

function sent(s: State, messages: unknown[]): SentMessage[] {
  return messages.map(() => ({ id: String((s.messageSeq += 1n)), quoteToken: randomBytes(24).toString('base64url') }));
}

/** A reply token works once, for the bot whose webhook carried it, within the TTL; replies are not counted against the quota. */
function reply(s: State, c: Call): Reply {
  const v = checkLineRequest('ReplyMessageRequest', c.body);
  if (v.length) return invalid(v);
  const bot = c.channel.botUserId;
  const grant = s.replyTokens.get(c.body.replyToken);
  const ttl = s.opts.replyTokenTtlMs ?? REPLY_TOKEN_TTL_MS;
  if (!grant || grant.channel !== bot || grant.used || s.now() - grant.at > ttl) return message(400, INVALID_REPLY_TOKEN);
  grant.used = true;
  const requestId = randomUUID();
  const sentMessages = sent(s, c.body.messages);
  const { replyToken, messages, notificationDisabled } = c.body;
  s.replies.push({ replyToken, to: grant.userId, messages, notificationDisabled, channelBotUserId: bot, requestId, at: s.now(), sentMessages });
  return { status: 200, headers: { 'x-line-request-id': requestId }, body: { sentMessages } };
}

function quota(s: State, c: Call): Reply {
  const limit = s.limits.get(c.channel.botUserId);
  return { status: 200, body: typeof limit === 'number' ? { type: 'limited', value: limit } : { type: 'none' } };
}

function quotaConsumption(s: State, c: Call): Reply {
  return { status: 200, body: { totalUsage: s.usage.get(c.channel.botUserId) ?? 0 } };
}

function profile(s: State, c: Call): Reply {
  const userId = c.params[0] ?? '';
  if (!USER_ID.test(userId)) return message(400, "The value for the 'userId' parameter is invalid", `userId: not a user id: "${userId}"`);
  const known = s.profiles.get(userId);
  const p = known ?? (s.opts.defaultProfiles ? { userId, displayName: `LINE user ${userId.slice(-4)}` } : undefined);
  return p ? { status: 200, body: p } : message(404, 'Not found');
}

/** Message ids are digits only: anything else could walk to another endpoint (the @line/bot-sdk < 11.0.1 path bug). */
function findContent(s: State, c: Call): LineContent | Reply {
  const id = c.params[0] ?? '';
  if (!/^\d+$/.test(id)) return message(400, "The value for the 'messageId' parameter is invalid", `messageId: must be digits only, got "${id}"`);
  return s.contents.get(id) ?? s.opts.defaultContent ?? message(404, 'not found');
}

function content(s: State, c: Call): Reply {
  const found = findContent(s, c);
  if ('status' in found) return found;
  if (found.gone) return message(410, 'The content is gone');
  if (found.preparing) {
    found.preparing -= 1;
    return { status: 202 };
  }
  const size = Buffer.isBuffer(found.body) ? found.body.length : found.body.generate;
  const body = Buffer.isBuffer(found.body) && !found.noLength ? found.body : Readable.from(Buffer.isBuffer(found.body) ? [found.body] : generated(found, size));
  return { status: 200, body, headers: { 'content-type': found.contentType, ...(found.noLength ? {} : { 'content-length': String(size) }) } };
}

/** `size` bytes in 64 KiB chunks, made one at a time as the socket takes them (counted in `content.sent`). */
function* generated(content: LineContent, size: number): Generator<Buffer> {
  const chunk = Buffer.alloc(64 * 1024, 0x4c);
  for (let at = 0; at < size; at += chunk.length) {
    const next = size - at >= chunk.length ? chunk : chunk.subarray(0, size - at);
    content.sent = (content.sent ?? 0) + next.length;
    yield next;
  }
}

/** Polling here counts down `preparing` too, so a client that polls transcoding then fetches gets the bytes. */
function transcoding(s: State, c: Call): Reply {
  const found = findContent(s, c);
  if ('status' in found) return found;
  if (found.gone) return message(410, 'The content is gone');
  if (!/^(video|audio)\//.test(found.contentType)) return message(400, "Transcoding status doesn't support this type of content");
  if (found.preparing) {
    found.preparing -= 1;
    return { status: 200, body: { status: 'processing' } };
  }
  return { status: 200, body: { status: 'succeeded' } };
}

function loading(s: State, c: Call): Reply {
  const v = checkLineRequest('ShowLoadingAnimationRequest', c.body);
  if (v.length) return invalid(v);
  s.loadings.push({ chatId: c.body.chatId, loadingSeconds: c.body.loadingSeconds ?? 20, channelBotUserId: c.channel.botUserId });
  return { status: 202, body: {} };
}

function markAsRead(s: State, c: Call): Reply {
  const v = checkLineRequest('MarkMessagesAsReadByTokenRequest', c.body);
  if (v.length) return invalid(v);
  s.marksAsRead.push({ markAsReadToken: c.body.markAsReadToken, channelBotUserId: c.channel.botUserId, at: s.now() });
  return { status: 200, body: {} };
}

/** LINE ties the two (BotInfoResponse in messaging-api.yml): chat off is 'auto', chat on is 'manual'. */
function botInfo(_s: State, { channel: ch }: Call): Reply {
  const basicId = ch.basicId ?? `@${ch.botUserId.slice(1, 9)}`;
  const displayName = ch.displayName ?? `Bot ${ch.botUserId.slice(-4)}`;
  const markAsReadMode = ch.markAsReadMode ?? 'auto';
  return { status: 200, body: { userId: ch.botUserId, basicId, displayName, chatMode: markAsReadMode === 'manual' ? 'chat' : 'bot', markAsReadMode } };
}

function putEndpoint(s: State, c: Call): Reply {
  const v = checkLineRequest('SetWebhookEndpointRequest', c.body);
  if (v.length) return invalid(v, 'Invalid webhook endpoint URL');
  s.webhookEndpoints.set(c.channel.botUserId, c.body.endpoint);
  return { status: 200, body: {} };
}

function getEndpoint(s: State, c: Call): Reply {
  const endpoint = s.webhookEndpoints.get(c.channel.botUserId);
  return endpoint ? { status: 200, body: { endpoint, active: true } } : message(404, 'Webhook endpoint not found');
}

function testEndpoint(s: State, c: Call): Reply {
  const v = checkLineRequest('TestWebhookEndpointRequest', c.body);
  if (v.length) return invalid(v, 'Invalid webhook endpoint URL');
  if (!c.body.endpoint && !s.webhookEndpoints.has(c.channel.botUserId)) return message(404, 'Webhook endpoint not found');
  const r = s.testResults.get(c.channel.botUserId) ?? DEFAULT_TEST_RESULT;
  return { status: 200, body: { success: r.success, timestamp: new Date().toISOString(), statusCode: r.statusCode, reason: r.reason, detail: r.detail } };
}

const ENDPOINT = /^\/v2\/bot\/channel\/webhook\/endpoint$/;
const ROUTES: Route[] = [
  { method: 'POST', path: /^\/v2\/bot\/message\/push$/, name: 'push', json: 'required', handle: push },
  { method: 'POST', path: /^\/v2\/bot\/message\/reply$/, name: 'reply', json: 'required', handle: reply },
  { method: 'GET', path: /^\/v2\/bot\/message\/quota$/, name: 'quota', handle: quota },
  { method: 'GET', path: /^\/v2\/bot\/message\/quota\/consumption$/, name: 'quota-consumption', handle: quotaConsumption },
  { method: 'GET', path: /^\/v2\/bot\/profile\/([^/]+)$/, name: 'profile', handle: profile },
  { method: 'GET', path: /^\/v2\/bot\/message\/([^/]+)\/content$/, name: 'content', handle: content },
  { method: 'GET', path: /^\/v2\/bot\/message\/([^/]+)\/content\/transcoding$/, name: 'transcoding', handle: transcoding },
  { method: 'POST', path: /^\/v2\/bot\/chat\/loading\/start$/, name: 'loading', json: 'required', handle: loading },
  { method: 'POST', path: /^\/v2\/bot\/chat\/markAsRead$/, name: 'mark-as-read', json: 'required', handle: markAsRead },
  { method: 'GET', path: /^\/v2\/bot\/info$/, name: 'bot-info', handle: botInfo },
  { method: 'GET', path: ENDPOINT, name: 'webhook-endpoint-get', handle: getEndpoint },
  { method: 'PUT', path: ENDPOINT, name: 'webhook-endpoint-put', json: 'required', handle: putEndpoint },
  { method: 'POST', path: /^\/v2\/bot\/channel\/webhook\/test$/, name: 'webhook-test', json: 'optional', handle: testEndpoint },
];

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function match(method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of ROUTES) {
    const m = route.method === method ? route.path.exec(path) : null;
    if (m) return { route, params: m.slice(1).map((p) => { try { return decodeURIComponent(p); } catch { return p; } }) };
  }
  return undefined;
}

/** The JSON body of a route, or the 4xx LINE would answer. */
function parseBody(route: Route, h: IncomingHttpHeaders, raw: Buffer): { body: unknown } | Reply {
  if (!route.json) return { body: undefined };
  if (raw.length === 0 && route.json === 'optional') return { body: {} };
  const type = (header(h, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return message(415, 'Unsupported Media Type', `content-type: must be application/json, got "${type}"`);
  try { return { body: JSON.parse(raw.toString('utf8')) }; } catch {
    return message(400, 'The request body could not be parsed as JSON', '(body): not valid JSON');
  }
}

/** Auth, body, handler: everything after the faults. */
function answer(s: State, req: IncomingMessage, raw: Buffer, found: ReturnType<typeof match>, rec: RecordedRequest): Reply {
  if (!found) return message(404, 'Not found');
  const token = /^Bearer (.+)$/.exec(header(req.headers, 'authorization') ?? '')?.[1];
  const channel = token ? s.channels.get(token) : undefined;
  if (!channel) return message(401, AUTH_FAILED);
  rec.channelBotUserId = channel.botUserId;
  const parsed = parseBody(found.route, req.headers, raw);
  if ('status' in parsed) return parsed;
  return found.route.handle(s, { channel, body: parsed.body, params: found.params, headers: req.headers });
}

function faultReply(f: Fault): Reply {
  const status = f.status ?? 500;
  const text = status === 429 ? 'The API rate limit has been exceeded. Try again later.' : STATUS_CODES[status] ?? 'Error';
  return { status, body: f.body ?? { message: text }, headers: f.headers };
}

/** Headers as recorded: the access token is masked, since an inspector shows them. */
function masked(h: IncomingHttpHeaders): RecordedRequest['headers'] {
  const auth = header(h, 'authorization');
  return { ...h, ...(auth ? { authorization: auth.replace(/^(Bearer ).*?(.{0,4})$/, '$1…$2') } : {}) };
}

/** The body as JSON when it parses, else as text (undefined when empty). */
function recordable(raw: Buffer): unknown {
  if (!raw.length) return undefined;
  const text = raw.toString('utf8');
  try { return JSON.parse(text); } catch { return text; }
}

async function handle(s: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const found = match(req.method ?? 'GET', path);
  const raw = await readBody(req, MAX_BODY).catch(() => undefined);
  const rec: RecordedRequest = { at: s.now(), method: req.method ?? 'GET', path, route: found?.route.name ?? 'unknown', headers: masked(req.headers), body: raw && recordable(raw), status: 0, response: undefined, violations: [] };
  const fault = raw ? s.faults.take(rec.route) : undefined;
  if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  let reply: Reply | undefined;
  if (!raw) reply = message(413, 'Request Entity Too Large');
  else if (fault?.destroy) req.socket.destroy();
  else if (fault?.status !== undefined) reply = faultReply(fault);
  else reply = answer(s, req, raw, found, rec);
  if (reply) {
    send(res, { status: reply.status, headers: { 'x-line-request-id': randomUUID(), ...reply.headers }, body: reply.body });
    rec.status = reply.status;
    rec.response = Buffer.isBuffer(reply.body) ? `<${reply.body.length} bytes ${reply.headers?.['content-type'] ?? ''}>` : reply.body instanceof Readable ? `<stream ${reply.headers?.['content-type'] ?? ''}>` : reply.body;
    rec.violations = reply.violations ?? [];
    s.violations.push(...rec.violations.map((v) => `${rec.route}: ${v}`));
  }
  s.requests.push(rec);
  if (rec.route === 'push') s.pushRequests.push({ at: rec.at, retryKey: header(req.headers, 'x-line-retry-key'), status: rec.status });
  s.opts.onRequest?.(rec);
}

export async function startLineEmulator(opts: LineEmulatorOptions): Promise<LineEmulator> {
  const s: State = {
    opts, channels: new Map(opts.channels.map((c) => [c.accessToken, c])), profiles: new Map((opts.profiles ?? []).map((p) => [p.userId, p])),
    contents: new Map(), retryKeys: new Map(), testResults: new Map(), messageSeq: 500000000000000000n, now: opts.now ?? Date.now,
    replyTokens: new Map(), limits: new Map(opts.channels.map((c) => [c.botUserId, c.quota ?? null])), usage: new Map(),
    requests: [], pushes: [], replies: [], marksAsRead: [], pushRequests: [], loadings: [], violations: [], faults: new FaultPlan(), webhookEndpoints: new Map(),
  };
  const server = createServer((req, res) => {
    handle(s, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, message(500, `Emulator error: ${err instanceof Error ? err.message : String(err)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    requests: s.requests, pushes: s.pushes, replies: s.replies, marksAsRead: s.marksAsRead, pushRequests: s.pushRequests, loadings: s.loadings,
    violations: s.violations, faults: s.faults, webhookEndpoints: s.webhookEndpoints,
    setContent: (id, c) => void s.contents.set(id, { ...c }),
    contentOf: (id) => s.contents.get(id),
    setProfile: (p) => void s.profiles.set(p.userId, p),
    issueReplyToken: (token, g) => void s.replyTokens.set(token, { ...g, at: g.at ?? s.now(), used: false }),
    setQuota(bot, q) {
      if (q.limit !== undefined) s.limits.set(bot, q.limit);
      if (q.totalUsage !== undefined) s.usage.set(bot, q.totalUsage);
    },
    quotaUsage: (bot) => s.usage.get(bot) ?? 0,
    setWebhookTestResult: (bot, r) => void s.testResults.set(bot, { ...r }),
    reset() {
      for (const list of [s.requests, s.pushes, s.replies, s.marksAsRead, s.pushRequests, s.loadings, s.violations]) list.length = 0;
      s.faults.clear();
      s.retryKeys.clear();
      s.replyTokens.clear();
      s.usage.clear();
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}
