/**
 * One source of sample webhooks, for `simulate`, the sandbox, the inspector's replay and the tests:
 * fresh ids, a LINE template re-stamped as a new event, and the signed POST that delivers a body to
 * a relay. The clock and the randomness come in through `Fresh`, so tests can pin them.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LineGenesysError } from './errors.js';
import { ulid } from './line/webhook-event-id.js';
import { signFor, SIGNATURE_HEADER, type Body, type Platform } from './signature.js';

/** A LINE webhook body, loosely typed: samples carry fields the SDK types do not know yet. */
export interface LineWebhookBody {
  destination: string;
  events: Array<Record<string, unknown>>;
}

/** Where the time and the random bytes come from. */
export interface Fresh {
  now: number;
  random: (bytes: number) => Buffer;
}

export function freshNow(): Fresh {
  return { now: Date.now(), random: (n) => randomBytes(n) };
}

/** An 18-digit LINE message id (never starting with 0), from 18 random bytes. */
export function messageId(random: Buffer): string {
  const digits = [...random.subarray(0, 18)].map((b) => String(b % 10)).join('').padEnd(18, '0');
  return (digits[0] === '0' ? '1' : digits[0]) + digits.slice(1);
}

type Loose = Record<string, unknown>;
const rec = (v: unknown): Loose | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined);

/**
 * The event as LINE would send a new one: new webhookEventId and time, not a redelivery, and a new
 * reply token, message id, quote token, mark-as-read token and unsent message id where the event has them.
 */
export function restampEvent(source: Loose, fresh: Fresh): Loose {
  const event = structuredClone(source);
  event['webhookEventId'] = ulid(fresh.now, fresh.random(10));
  event['timestamp'] = fresh.now;
  event['deliveryContext'] = { isRedelivery: false };
  if (typeof event['replyToken'] === 'string') event['replyToken'] = fresh.random(16).toString('hex');
  const message = rec(event['message']);
  if (message) {
    message['id'] = messageId(fresh.random(18));
    if (typeof message['quoteToken'] === 'string') message['quoteToken'] = fresh.random(16).toString('base64url');
    if (typeof message['markAsReadToken'] === 'string') message['markAsReadToken'] = fresh.random(16).toString('base64url');
  }
  const unsend = rec(event['unsend']);
  if (unsend) unsend['messageId'] = messageId(fresh.random(18));
  return event;
}

/** A template as a new webhook body: every event re-stamped, sent to `destination` when given. */
export function restamp(template: LineWebhookBody, fresh: Fresh, destination?: string): LineWebhookBody {
  return { ...template, destination: destination ?? template.destination, events: template.events.map((e) => restampEvent(e, fresh)) };
}

export { SIGNATURE_HEADER, type Platform } from './signature.js';

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  /** The exact bytes signed. */
  body: Body;
}

/** The headers of a webhook as the platform signs it: LINE with the channel secret, Genesys with the outbound secret. */
export function signedHeaders(platform: Platform, body: Body, secret: string): Record<string, string> {
  return { 'content-type': 'application/json', [SIGNATURE_HEADER[platform]]: signFor(platform, body, secret) };
}

export function signedRequest(platform: Platform, url: string, body: Body, secret: string): SignedRequest {
  return { url, headers: signedHeaders(platform, body, secret), body };
}

/** LINE (and Genesys) wait about as long for a webhook to answer. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookAnswer {
  status: number;
  /** Parsed JSON when the relay answered JSON, else the text. */
  body: unknown;
  latencyMs: number;
}

/** Why a POST got no answer: each may carry a hint for the caller's own way of naming the URL. */
export type NoAnswer = 'timeout' | 'refused' | 'unreachable';

export interface PostOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  hints?: Partial<Record<NoAnswer, string>>;
}

/**
 * POSTs a webhook to a relay and reads its answer; no answer (refused, unreachable, too slow) is a
 * LineGenesysError saying which. node:http rather than fetch, which refuses the "bad ports" of the
 * Fetch standard (6000, 6666, …) a local relay may well listen on, and rather than undici, whose
 * import alone costs a one-shot command ~150 ms.
 */
export async function postWebhook(req: SignedRequest, opts: PostOptions = {}): Promise<WebhookAnswer> {
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  let status: number;
  let text: string;
  try {
    ({ status, text } = await post(req, opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout));
  } catch (e) {
    throw noAnswer(req.url, e, timeout.aborted, timeoutMs, opts.hints ?? {});
  }
  return { status, body: parseAnswer(text), latencyMs: Math.round(performance.now() - started) };
}

/** An answer's body: parsed JSON when it is JSON, else the text. */
export function parseAnswer(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function post(req: SignedRequest, signal: AbortSignal): Promise<{ status: number; text: string }> {
  const send = new URL(req.url).protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = send(req.url, { method: 'POST', headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) }, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

/** The error code of a failed connection, wherever the socket put it (possibly nested in an AggregateError). */
function errorCode(e: unknown): string | undefined {
  const err = e as { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof err?.code === 'string' && !err.code.startsWith('UND_ERR_')) return err.code;
  for (const inner of [err?.cause, ...(Array.isArray(err?.errors) ? err.errors : [])]) {
    const code = inner ? errorCode(inner) : undefined;
    if (code) return code;
  }
  return typeof err?.code === 'string' ? err.code : undefined;
}

function noAnswer(url: string, e: unknown, timedOut: boolean, timeoutMs: number, hints: PostOptions['hints'] & object): LineGenesysError {
  const code = errorCode(e);
  const base = new URL(url).origin;
  const hint = (why: NoAnswer, fallback?: string) => {
    const h = hints[why] ?? fallback;
    return h ? { hint: h } : {};
  };
  if (timedOut) {
    return new LineGenesysError('RELAY_TIMEOUT', `the relay at ${base} did not answer within ${timeoutMs / 1000} s`, {
      ...hint('timeout', 'A relay answers as soon as the event is queued: check its logs (is its store locked or its disk full?).'),
      cause: e,
    });
  }
  if ((e as Error).name === 'AbortError') return new LineGenesysError('ABORTED', 'stopped before the relay answered', { cause: e });
  if (code === 'ECONNREFUSED') {
    return new LineGenesysError('RELAY_UNREACHABLE', `no relay at ${base}: start one with \`line-genesys dev\``, { ...hint('refused'), cause: e });
  }
  return new LineGenesysError('RELAY_UNREACHABLE', `cannot reach the relay at ${base}: ${code ?? (e as Error).message}`, { ...hint('unreachable'), cause: e });
}
