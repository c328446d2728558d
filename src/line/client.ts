/**
 * The LINE Messaging API client: push with a retry key (409 = already sent), profile, message
 * content (with LINE's 202 "still preparing"), loading animation, bot info and the webhook endpoint.
 * Only this folder knows LINE's URLs, headers and status codes. Types come from @line/bot-sdk.
 */
import type { messagingApi } from '@line/bot-sdk';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { UpstreamError } from '../errors.js';
import { call, callStream, type CallOptions } from '../upstream.js';
import { isChatId, isMessageId, isUserId } from './ids.js';

export interface LineClientOptions {
  accessToken: string;
  apiBaseUrl?: string;
  dataApiBaseUrl?: string;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
}

export interface PushResult {
  /** false when LINE said the retry key was already accepted (409): the messages went out before. */
  firstTime: boolean;
  /** The ids LINE gave the messages, in their order (also on a 409); empty when LINE's answer had none. */
  sentMessages: messagingApi.SentMessage[];
}

export type ContentResult =
  /** `body` streams as LINE sends it: read it, or destroy it to stop the download. `length`: LINE's Content-Length, when given. */
  | { status: 'ready'; body: Readable; contentType: string; length?: number }
  | { status: 'preparing' }
  | { status: 'gone'; httpStatus: number };

/** LINE's monthly message quota answers 429 too, but waiting does not help. */
const QUOTA_MESSAGE = /monthly limit/i;

export class LineClient {
  private readonly token: string;
  readonly apiBaseUrl: string;
  readonly dataApiBaseUrl: string;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly timeoutMs: number;

  constructor(opts: LineClientOptions) {
    this.token = opts.accessToken;
    this.apiBaseUrl = (opts.apiBaseUrl ?? 'https://api.line.me').replace(/\/+$/, '');
    this.dataApiBaseUrl = (opts.dataApiBaseUrl ?? 'https://api-data.line.me').replace(/\/+$/, '');
    this.dispatcher = opts.dispatcher;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  private call(operation: string, opts: Omit<CallOptions, 'upstream' | 'operation'>) {
    return call({
      upstream: 'line',
      operation,
      ...opts,
      headers: { authorization: `Bearer ${this.token}`, ...opts.headers },
      timeoutMs: opts.timeoutMs ?? this.timeoutMs,
      ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
    });
  }

  /** POST /v2/bot/message/push. A 409 for an already-accepted retry key is success. */
  async push(to: string, messages: messagingApi.Message[], retryKey: string, notificationDisabled?: boolean): Promise<PushResult> {
    if (!isChatId(to)) throw invalid('push', `"${to}" is not a LINE user, group or room id`);
    const body: messagingApi.PushMessageRequest = { to, messages, ...(notificationDisabled ? { notificationDisabled } : {}) };
    try {
      const res = await this.call('push', {
        method: 'POST',
        url: `${this.apiBaseUrl}/v2/bot/message/push`,
        headers: { 'x-line-retry-key': retryKey },
        body,
        accept: [409],
      });
      return { firstTime: res.status !== 409, sentMessages: safeJson<messagingApi.PushMessageResponse>(res.text())?.sentMessages ?? [] };
    } catch (e) {
      if (e instanceof UpstreamError && e.upstreamStatus === 429 && QUOTA_MESSAGE.test(e.body ?? '')) {
        throw new UpstreamError({
          upstream: 'line',
          operation: 'push',
          status: 429,
          body: e.body,
          retriable: false,
          hint: 'The LINE Official Account has used its monthly message quota: upgrade the plan or wait for next month.',
        });
      }
      throw e;
    }
  }

  /** GET /v2/bot/profile/{userId}; undefined when LINE has no profile for the user (404). */
  async getProfile(userId: string): Promise<messagingApi.UserProfileResponse | undefined> {
    if (!isUserId(userId)) throw invalid('profile', `"${userId}" is not a LINE user id`);
    const res = await this.call('profile', { method: 'GET', url: `${this.apiBaseUrl}/v2/bot/profile/${userId}`, accept: [404] });
    return res.status === 404 ? undefined : res.json<messagingApi.UserProfileResponse>();
  }

  /** GET api-data /v2/bot/message/{id}/content: the bytes as a stream, or 'preparing' (202), or 'gone' (404/410). */
  async getContent(messageId: string): Promise<ContentResult> {
    if (!isMessageId(messageId)) throw invalid('content', `"${messageId}" is not a LINE message id`);
    const res = await callStream({
      upstream: 'line',
      operation: 'content',
      url: `${this.dataApiBaseUrl}/v2/bot/message/${messageId}/content`,
      headers: { authorization: `Bearer ${this.token}` },
      accept: [404, 410],
      timeoutMs: Math.max(this.timeoutMs, 60_000),
      ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
    });
    if (res.status === 404 || res.status === 410) return { status: 'gone', httpStatus: res.status };
    if (res.status === 202 || !res.body) return { status: 'preparing' };
    const length = Number(header(res.headers, 'content-length'));
    return {
      status: 'ready',
      body: res.body,
      contentType: header(res.headers, 'content-type') ?? 'application/octet-stream',
      ...(Number.isSafeInteger(length) && length >= 0 && header(res.headers, 'content-length') !== undefined ? { length } : {}),
    };
  }

  /** POST /v2/bot/chat/loading/start (1:1 chats only; 5..60 s in steps of 5). */
  async showLoading(chatId: string, loadingSeconds: number): Promise<void> {
    if (!isUserId(chatId)) throw invalid('loading animation', `"${chatId}" is not a LINE user id`);
    const seconds = Math.min(60, Math.max(5, Math.ceil(loadingSeconds / 5) * 5));
    const body: messagingApi.ShowLoadingAnimationRequest = { chatId, loadingSeconds: seconds };
    await this.call('loading animation', { method: 'POST', url: `${this.apiBaseUrl}/v2/bot/chat/loading/start`, body });
  }

  /** GET /v2/bot/info: the bot's user id (the webhook `destination`), basic id and name. */
  async getBotInfo(): Promise<messagingApi.BotInfoResponse> {
    const res = await this.call('bot info', { method: 'GET', url: `${this.apiBaseUrl}/v2/bot/info` });
    return res.json<messagingApi.BotInfoResponse>();
  }

  async getWebhookEndpoint(): Promise<messagingApi.GetWebhookEndpointResponse> {
    const res = await this.call('get webhook endpoint', { method: 'GET', url: `${this.apiBaseUrl}/v2/bot/channel/webhook/endpoint` });
    return res.json<messagingApi.GetWebhookEndpointResponse>();
  }

  async setWebhookEndpoint(endpoint: string): Promise<void> {
    const body: messagingApi.SetWebhookEndpointRequest = { endpoint };
    await this.call('set webhook endpoint', { method: 'PUT', url: `${this.apiBaseUrl}/v2/bot/channel/webhook/endpoint`, body });
  }

  async testWebhookEndpoint(endpoint?: string): Promise<messagingApi.TestWebhookEndpointResponse> {
    const body: messagingApi.TestWebhookEndpointRequest = endpoint ? { endpoint } : {};
    const res = await this.call('test webhook endpoint', { method: 'POST', url: `${this.apiBaseUrl}/v2/bot/channel/webhook/test`, body });
    return res.json<messagingApi.TestWebhookEndpointResponse>();
  }

  /**
   * POST /v2/bot/message/reply: free of quota, but the token works once and only about a minute after
   * the event. `{replied: false}` when LINE says the token is used, unknown or expired: push instead.
   * There is no retry key, so after an UpstreamError without a status (timeout, cut connection) whether
   * LINE sent the messages is unknown.
   */
  async reply(replyToken: string, messages: messagingApi.Message[], notificationDisabled?: boolean): Promise<ReplyResult> {
    if (!replyToken) throw invalid('reply', 'an empty reply token');
    const body: messagingApi.ReplyMessageRequest = { replyToken, messages, ...(notificationDisabled ? { notificationDisabled } : {}) };
    const res = await this.call('reply', { method: 'POST', url: `${this.apiBaseUrl}/v2/bot/message/reply`, body, accept: [400] });
    if (res.status === 400) {
      if (INVALID_REPLY_TOKEN.test(safeJson<{ message?: string }>(res.text())?.message ?? '')) return { replied: false };
      throw new UpstreamError({ upstream: 'line', operation: 'reply', status: 400, body: res.text().slice(0, 2000) });
    }
    const requestId = header(res.headers, 'x-line-request-id');
    const parsed = safeJson<messagingApi.ReplyMessageResponse>(res.text());
    return { replied: true, ...(requestId ? { requestId } : {}), sentMessages: parsed?.sentMessages ?? [] };
  }

  /** POST /v2/bot/chat/markAsRead: the customer's messages up to the one that carried this token show as read. */
  async markAsRead(markAsReadToken: string): Promise<void> {
    if (!markAsReadToken) throw invalid('mark as read', 'an empty markAsReadToken');
    const body: messagingApi.MarkMessagesAsReadByTokenRequest = { markAsReadToken };
    await this.call('mark as read', { method: 'POST', url: `${this.apiBaseUrl}/v2/bot/chat/markAsRead`, body });
  }

  /** GET /v2/bot/message/quota: the monthly limit (`type: 'none'` when there is none). */
  async quota(): Promise<messagingApi.MessageQuotaResponse> {
    const res = await this.call('quota', { method: 'GET', url: `${this.apiBaseUrl}/v2/bot/message/quota` });
    return res.json<messagingApi.MessageQuotaResponse>();
  }

  /** GET /v2/bot/message/quota/consumption: messages counted against the quota this month. */
  async quotaConsumption(): Promise<messagingApi.QuotaConsumptionResponse> {
    const res = await this.call('quota consumption', { method: 'GET', url: `${this.apiBaseUrl}/v2/bot/message/quota/consumption` });
    return res.json<messagingApi.QuotaConsumptionResponse>();
  }

  /** quota() and quotaConsumption() together. */
  async monthlyQuota(): Promise<MonthlyQuota> {
    const [q, consumption] = await Promise.all([this.quota(), this.quotaConsumption()]);
    return { limit: q.type === 'limited' && typeof q.value === 'number' ? q.value : null, used: consumption.totalUsage };
  }
}

/** A channel's monthly message quota: the limit (null: none) and the messages counted this month. */
export interface MonthlyQuota {
  limit: number | null;
  used: number;
}

export type ReplyResult =
  | { replied: true; requestId?: string; sentMessages: messagingApi.SentMessage[] }
  | { replied: false };

/** LINE's answer to a used, unknown or expired reply token (400). */
const INVALID_REPLY_TOKEN = /^Invalid reply token$/i;

function invalid(operation: string, message: string): UpstreamError {
  return new UpstreamError({ upstream: 'line', operation, status: 400, retriable: false, message: `${message} (not sent)` });
}

function header(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function safeJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
