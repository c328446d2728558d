/**
 * The Genesys Cloud client: inbound open messages, events and receipts, the Open Messaging
 * integrations (create, find, update), the supported-content profiles and messaging settings they
 * reference, and the conversation reads `doctor --live` makes. Only this folder knows Genesys's URLs
 * and status codes.
 * A 401 fetches a new token once and retries once; a 403 names the permission the OAuth client lacks (permissions.ts).
 */
import type { Dispatcher } from 'undici';
import { UpstreamError } from '../errors.js';
import { call, type CallOptions, type CallResult } from '../upstream.js';
import { withPermissionHint } from './permissions.js';
import { TokenSource } from './token.js';
import type {
  Conversation,
  EntityListing,
  MessagingSetting,
  MessagingSettingRequest,
  OpenInboundNormalizedMessage,
  OpenInboundNormalizedReceipt,
  OpenInboundStructuredResponseMessage,
  OpenIntegration,
  OpenIntegrationRequest,
  OpenIntegrationUpdateRequest,
  OpenMessageNormalizedMessage,
  SupportedContent,
  SupportedContentRequest,
} from './types.js';

export interface GenesysClientOptions {
  apiBaseUrl: string;
  loginBaseUrl: string;
  clientId: string;
  clientSecret: string;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
}

const ID = /^[A-Za-z0-9-]{1,64}$/;

export class GenesysClient {
  readonly tokens: TokenSource;
  private readonly api: string;

  constructor(private readonly opts: GenesysClientOptions) {
    this.api = opts.apiBaseUrl.replace(/\/+$/, '');
    this.tokens = new TokenSource({
      loginBaseUrl: opts.loginBaseUrl,
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
  }

  private async call(operation: string, o: Omit<CallOptions, 'upstream' | 'operation' | 'url'> & { path: string }): Promise<CallResult> {
    const attempt = async () => {
      const token = await this.tokens.get();
      try {
        return await call({
          upstream: 'genesys',
          operation,
          method: o.method,
          url: `${this.api}${o.path}`,
          headers: { authorization: `Bearer ${token}`, ...o.headers },
          ...(o.body !== undefined ? { body: o.body } : {}),
          timeoutMs: this.opts.timeoutMs ?? 10_000,
          ...(o.accept ? { accept: o.accept } : {}),
          ...(this.opts.dispatcher ? { dispatcher: this.opts.dispatcher } : {}),
        });
      } catch (e) {
        if (e instanceof UpstreamError && e.upstreamStatus === 401) this.tokens.invalidate(token);
        throw e;
      }
    };
    try {
      return await attempt().catch((e: unknown) => {
        if (e instanceof UpstreamError && e.upstreamStatus === 401) return attempt();
        throw e;
      });
    } catch (e) {
      throw withPermissionHint(e);
    }
  }

  /**
   * POST /api/v2/conversations/messages/{integrationId}/inbound/open/message; resolves with Genesys's copy of the message.
   * `prefetchConversationId`: Genesys answers with the conversation's id (conversationId).
   */
  async sendInboundMessage(integrationId: string, message: OpenInboundNormalizedMessage, o: { prefetchConversationId?: boolean } = {}): Promise<OpenMessageNormalizedMessage> {
    const res = await this.call('inbound message', {
      method: 'POST',
      path: `/api/v2/conversations/messages/${checkId(integrationId)}/inbound/open/message${o.prefetchConversationId ? '?prefetchConversationId=true' : ''}`,
      body: message,
    });
    return res.json<OpenMessageNormalizedMessage>();
  }

  /**
   * POST .../inbound/open/structured/response: a customer's tap on a quick reply or button Genesys sent, so
   * that a bot flow waiting for it recognises the answer. Resolves with Genesys's copy of the message.
   */
  async sendStructuredResponse(integrationId: string, response: OpenInboundStructuredResponseMessage): Promise<OpenMessageNormalizedMessage> {
    const res = await this.call('structured response', {
      method: 'POST',
      path: `/api/v2/conversations/messages/${checkId(integrationId)}/inbound/open/structured/response`,
      body: response,
    });
    return res.json<OpenMessageNormalizedMessage>();
  }

  /** POST .../inbound/open/receipt (Delivered / Failed for an agent's message) */
  async sendReceipt(integrationId: string, receipt: OpenInboundNormalizedReceipt): Promise<void> {
    await this.call('delivery receipt', {
      method: 'POST',
      path: `/api/v2/conversations/messages/${checkId(integrationId)}/inbound/open/receipt`,
      body: receipt,
    });
  }

  /** Every Open Messaging integration of the org (all pages). */
  listIntegrations(): Promise<OpenIntegration[]> {
    return this.listAll<OpenIntegration>('list integrations', '/api/v2/conversations/messaging/integrations/open');
  }

  async getIntegration(id: string): Promise<OpenIntegration> {
    const res = await this.call('get integration', { method: 'GET', path: `/api/v2/conversations/messaging/integrations/open/${checkId(id)}` });
    return res.json<OpenIntegration>();
  }

  async createIntegration(req: OpenIntegrationRequest): Promise<OpenIntegration> {
    const res = await this.call('create integration', { method: 'POST', path: '/api/v2/conversations/messaging/integrations/open', body: req });
    return res.json<OpenIntegration>();
  }

  async updateIntegration(id: string, req: OpenIntegrationUpdateRequest): Promise<OpenIntegration> {
    const res = await this.call('update integration', { method: 'PATCH', path: `/api/v2/conversations/messaging/integrations/open/${checkId(id)}`, body: req });
    return res.json<OpenIntegration>();
  }

  /** Every supported-content profile of the org (GET /api/v2/conversations/messaging/supportedcontent, all pages). */
  listSupportedContents(): Promise<SupportedContent[]> {
    return this.listAll<SupportedContent>('list supported content profiles', '/api/v2/conversations/messaging/supportedcontent');
  }

  createSupportedContent(req: SupportedContentRequest): Promise<SupportedContent> {
    return this.write('create supported content profile', 'POST', '/api/v2/conversations/messaging/supportedcontent', req);
  }

  updateSupportedContent(id: string, req: SupportedContentRequest): Promise<SupportedContent> {
    return this.write('update supported content profile', 'PATCH', `/api/v2/conversations/messaging/supportedcontent/${checkId(id)}`, req);
  }

  /** Every messaging setting of the org (GET /api/v2/conversations/messaging/settings, all pages). */
  listMessagingSettings(): Promise<MessagingSetting[]> {
    return this.listAll<MessagingSetting>('list messaging settings', '/api/v2/conversations/messaging/settings');
  }

  createMessagingSetting(req: MessagingSettingRequest): Promise<MessagingSetting> {
    return this.write('create messaging setting', 'POST', '/api/v2/conversations/messaging/settings', req);
  }

  updateMessagingSetting(id: string, req: MessagingSettingRequest): Promise<MessagingSetting> {
    return this.write('update messaging setting', 'PATCH', `/api/v2/conversations/messaging/settings/${checkId(id)}`, req);
  }

  /** GET /api/v2/conversations/{conversationId}: its participants and their participant data. */
  async getConversation(id: string): Promise<Conversation> {
    const res = await this.call('get conversation', { method: 'GET', path: `/api/v2/conversations/${checkId(id)}` });
    return res.json<Conversation>();
  }

  /** POST /api/v2/conversations/{conversationId}/disconnect: ends every participant of the conversation. */
  async disconnectConversation(id: string): Promise<void> {
    await this.call('disconnect conversation', { method: 'POST', path: `/api/v2/conversations/${checkId(id)}/disconnect` });
  }

  /** A POST or PATCH with a JSON body, answered with the entity. */
  private async write<T>(operation: string, method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T> {
    return (await this.call(operation, { method, path, body })).json<T>();
  }

  private async listAll<T>(operation: string, path: string): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; page < 100; page++) {
      const listing = (await this.call(operation, { method: 'GET', path: `${path}?pageSize=100&pageNumber=${page}` })).json<EntityListing<T>>();
      out.push(...(listing.entities ?? []));
      if (!listing.pageCount || page >= listing.pageCount || !listing.entities?.length) break;
    }
    return out;
  }

  /** Polls a new integration until Genesys has finished creating it. */
  async waitForIntegration(id: string, { timeoutMs = 60_000, intervalMs = 1000 } = {}): Promise<OpenIntegration> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = await this.getIntegration(id);
      if (!i.createStatus || i.createStatus === 'Completed') return i;
      if (i.createStatus === 'Error') {
        throw new UpstreamError({ upstream: 'genesys', operation: 'create integration', status: 200, retriable: false, message: i.createError?.message ?? 'createStatus Error' });
      }
      if (Date.now() > deadline) throw new UpstreamError({ upstream: 'genesys', operation: 'create integration', message: `still ${i.createStatus} after ${timeoutMs} ms` });
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

function checkId(id: string): string {
  if (!ID.test(id)) throw new UpstreamError({ upstream: 'genesys', operation: 'request', status: 400, retriable: false, message: `"${id}" is not a Genesys id (not sent)` });
  return id;
}
