/**
 * An emulator of the Genesys Cloud APIs the relay uses: the OAuth client-credentials login, the integration-scoped
 * inbound Open Messaging endpoints and the Open Messaging integrations. Real HTTP on loopback (node:http), strict
 * about what it receives (bodies are checked against ./genesys-schema.ts), for tests and the offline sandbox.
 *
 * One base URL serves both hosts: the login paths (/oauth/token) and the API paths (/api/v2/...).
 * Fault names (for `faults.add({route})`): token, inbound-message, inbound-event, inbound-receipt,
 * integrations-list, integration-create, integration-get, integration-update, integration-delete.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { FaultPlan, type Fault } from './faults.js';
import { validateGenesys, type GenesysBodyKind } from './genesys-schema.js';
import type {
  OpenInboundNormalizedEvent,
  OpenInboundNormalizedMessage,
  OpenInboundNormalizedReceipt,
  OpenIntegration,
  OpenIntegrationEntityListing,
  OpenIntegrationRequest,
  OpenIntegrationUpdateRequest,
} from '../genesys/types.js';

export interface GenesysEmulatorOptions {
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds?: number; // default 86400
  integrations?: Array<{
    id?: string;
    name: string;
    outboundNotificationWebhookUrl: string;
    outboundNotificationWebhookSignatureSecretToken: string;
  }>;
  /** Genesys dedupes inbound messages on channel.messageId: a repeat is answered 200 with the first answer and not added again. Default true. */
  dedupeMessageId?: boolean;
  /** allow http:// outbound webhook URLs (sandbox/tests on loopback). Default false = https only as Genesys requires. */
  allowHttpWebhooks?: boolean;
  port?: number;
  host?: string;
  onRequest?: (r: RecordedRequest) => void;
}

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  route: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status: number;
  response: unknown;
  violations: string[];
}

export interface ReceivedInbound<T> {
  integrationId: string;
  body: T;
  at: number;
}

export interface GenesysEmulator {
  url: string; // serves BOTH the login host paths (/oauth/token) and the api host paths (/api/v2/...)
  requests: RecordedRequest[];
  messages: ReceivedInbound<OpenInboundNormalizedMessage>[]; // accepted inbound messages (deduped)
  events: ReceivedInbound<OpenInboundNormalizedEvent>[];
  receipts: ReceivedInbound<OpenInboundNormalizedReceipt>[];
  /** Keeps the secret token (the webhook signer needs it); the API never returns it. */
  integrations: Map<string, OpenIntegration>;
  violations: string[];
  faults: FaultPlan;
  tokensIssued: number;
  expireTokens(): void; // every issued token becomes invalid: next API call gets 401
  /** resolves when `predicate(emulator)` is true, polling every 10 ms; rejects after timeoutMs (default 5000) with a message saying what was seen */
  waitFor(predicate: (e: GenesysEmulator) => boolean, timeoutMs?: number): Promise<void>;
  /** Forgets requests, messages, events, receipts, violations, faults and dedupe memory; integrations go back to the options'; tokens stay valid; tokensIssued restarts at 0. */
  reset(): void;
  close(): Promise<void>;
}

// ---------- replies ----------

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  violations?: string[];
}

interface Context {
  params: string[];
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  body: unknown;
}

/** Genesys's error body: {message, code, status, contextId, details, errors}. */
function genesysError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { message, code, status, contextId: randomUUID(), details: [], errors: [], ...extra } };
}

const DEFAULT_FAULT_ERRORS: Record<number, [code: string, message: string]> = {
  400: ['bad.request', 'The request could not be understood by the server due to malformed syntax.'],
  401: ['bad.credentials', 'Invalid login credentials.'],
  403: ['missing.permissions', 'Unable to perform the requested action. You are missing the following permission(s): messaging:integration:edit'],
  404: ['not.found', 'The requested resource was not found.'],
  429: ['too.many.requests', 'Rate limit exceeded the maximum. Retry the request later.'],
  500: ['internal.server.error', 'The server encountered an unexpected condition which prevented it from fulfilling the request.'],
  502: ['bad.gateway', 'Bad gateway.'],
  503: ['service.unavailable', 'Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance).'],
  504: ['gateway.timeout', 'The request timed out.'],
};

function faultReply(f: Fault & { status: number }): Reply {
  const [code, message] = DEFAULT_FAULT_ERRORS[f.status] ?? ['error', `Injected fault ${f.status}`];
  const base = f.body !== undefined ? { status: f.status, body: f.body } : genesysError(f.status, code, message);
  return { ...base, headers: f.headers };
}

// ---------- the emulator ----------

const INTEGRATIONS = '/api/v2/conversations/messaging/integrations/open';
const MAX_BODY = 5 * 1024 * 1024;

interface Route {
  name: string;
  method: string;
  pattern: RegExp;
  auth: 'login' | 'bearer';
  json?: boolean; // expects a JSON body
  handle(ctx: Context): Reply;
}

export async function startGenesysEmulator(opts: GenesysEmulatorOptions): Promise<GenesysEmulator> {
  const ttlSeconds = opts.tokenTtlSeconds ?? 86400;
  const dedupe = opts.dedupeMessageId ?? true;
  const schemaOptions = { allowHttpWebhooks: opts.allowHttpWebhooks ?? false };

  const tokens = new Map<string, number>(); // token -> expiry (ms since epoch)
  const firstAnswers = new Map<string, unknown>(); // integrationId + messageId -> first answer
  const conversations = new Map<string, string>(); // integrationId + customer id -> conversation id
  const pendingCompletion = new Set<string>(); // integrations created as 'Initiated'

  const emulator: GenesysEmulator = {
    url: '',
    requests: [],
    messages: [],
    events: [],
    receipts: [],
    integrations: new Map(),
    violations: [],
    faults: new FaultPlan(),
    tokensIssued: 0,
    expireTokens: () => tokens.clear(),
    waitFor: (predicate, timeoutMs = 5000) => waitFor(emulator, predicate, timeoutMs),
    reset,
    close: () => close(),
  };

  function loadOptionIntegrations(): void {
    emulator.integrations.clear();
    pendingCompletion.clear();
    for (const i of opts.integrations ?? []) {
      const { id, ...request } = i;
      const violations = validateGenesys('integration-create', request, schemaOptions);
      if (violations.length) throw new Error(`startGenesysEmulator: integration '${i.name}' is invalid: ${violations.join('; ')}`);
      const integration = newIntegration(request, id);
      integration.createStatus = 'Completed';
      emulator.integrations.set(integration.id, integration);
    }
  }

  function reset(): void {
    emulator.requests.length = 0;
    emulator.messages.length = 0;
    emulator.events.length = 0;
    emulator.receipts.length = 0;
    emulator.violations.length = 0;
    emulator.faults.clear();
    emulator.tokensIssued = 0;
    firstAnswers.clear();
    conversations.clear();
    loadOptionIntegrations();
  }

  // ----- auth -----

  function issueToken(ctx: Context): Reply {
    const credentials = basicCredentials(ctx.headers.authorization);
    if (!credentials || credentials.id !== opts.clientId || credentials.secret !== opts.clientSecret) {
      return { status: 401, body: { error: 'invalid_client', description: 'client not found', error_description: 'client not found' } };
    }
    const contentType = String(ctx.headers['content-type'] ?? '');
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      const description = 'the body must be application/x-www-form-urlencoded';
      return { status: 400, body: { error: 'invalid_request', description, error_description: description }, violations: [description] };
    }
    const grant = new URLSearchParams(ctx.raw).get('grant_type');
    if (grant !== 'client_credentials') {
      const description = `grant_type must be client_credentials (got ${JSON.stringify(grant)})`;
      return { status: 400, body: { error: 'unsupported_grant_type', description, error_description: description }, violations: [description] };
    }
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, Date.now() + ttlSeconds * 1000);
    emulator.tokensIssued += 1;
    return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: ttlSeconds } };
  }

  function bearerProblem(header: string | undefined): Reply | undefined {
    const match = /^bearer\s+(\S+)$/i.exec(header ?? '');
    const expiry = match ? tokens.get(match[1]!) : undefined;
    if (expiry !== undefined && Date.now() < expiry) return undefined;
    const why = !match ? 'No authentication bearer token specified in authorization header.' : 'Invalid login credentials.';
    return genesysError(401, 'bad.credentials', why);
  }

  // ----- inbound open messaging -----

  function integrationOr404(id: string): Reply | undefined {
    if (emulator.integrations.has(id)) return undefined;
    return genesysError(404, 'not.found', `Open messaging integration ${id} was not found.`);
  }

  function invalid(kind: GenesysBodyKind, body: unknown): Reply | undefined {
    const violations = validateGenesys(kind, body, schemaOptions);
    if (!violations.length) return undefined;
    const reply = genesysError(400, 'bad.request', `The request body is invalid: ${violations.join('; ')}`, {
      details: violations.map((v) => ({ errorCode: 'invalid.value', fieldName: v.split(' ')[0], message: v })),
    });
    return { ...reply, violations };
  }

  function conversationId(integrationId: string, customerId: string): string {
    const key = `${integrationId}\u0000${customerId}`;
    if (!conversations.has(key)) conversations.set(key, randomUUID());
    return conversations.get(key)!;
  }

  function inboundMessage(ctx: Context): Reply {
    const [integrationId] = ctx.params as [string];
    const problem = integrationOr404(integrationId) ?? invalid('inbound-message', ctx.body);
    if (problem) return problem;
    const body = ctx.body as OpenInboundNormalizedMessage;
    const key = `${integrationId}\u0000${body.channel.messageId}`;
    if (dedupe && firstAnswers.has(key)) return { status: 200, body: firstAnswers.get(key) };

    const answer: Record<string, unknown> = {
      id: randomUUID(),
      channel: {
        id: integrationId,
        platform: 'Open',
        type: 'Private',
        messageId: body.channel.messageId,
        to: { id: integrationId },
        from: body.channel.from,
        time: body.channel.time,
        ...(body.channel.metadata ? { metadata: body.channel.metadata } : {}),
      },
      type: 'Text',
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.content !== undefined ? { content: body.content } : {}),
      direction: 'Inbound',
    };
    if (ctx.query.get('prefetchConversationId') === 'true') {
      answer.conversationId = conversationId(integrationId, body.channel.from.id);
    }
    firstAnswers.set(key, answer);
    emulator.messages.push({ integrationId, body, at: Date.now() });
    return { status: 200, body: answer };
  }

  function inboundEvent(ctx: Context): Reply {
    const [integrationId] = ctx.params as [string];
    const problem = integrationOr404(integrationId) ?? invalid('inbound-event', ctx.body);
    if (problem) return problem;
    const body = ctx.body as OpenInboundNormalizedEvent;
    emulator.events.push({ integrationId, body, at: Date.now() });
    return {
      status: 200,
      body: {
        id: randomUUID(),
        channel: { id: integrationId, platform: 'Open', type: 'Private', to: { id: integrationId }, from: body.channel.from, time: body.channel.time },
        type: 'Event',
        events: body.events,
        direction: 'Inbound',
      },
    };
  }

  /** The SDK answers OpenReceiptNormalizedMessage (a body, so 200). */
  function inboundReceipt(ctx: Context): Reply {
    const [integrationId] = ctx.params as [string];
    const problem = integrationOr404(integrationId) ?? invalid('inbound-receipt', ctx.body);
    if (problem) return problem;
    const body = ctx.body as OpenInboundNormalizedReceipt;
    emulator.receipts.push({ integrationId, body, at: Date.now() });
    return {
      status: 200,
      body: {
        id: body.id,
        channel: {
          id: integrationId,
          platform: 'Open',
          type: 'Private',
          to: body.channel.to,
          from: { id: integrationId, idType: 'Opaque' },
          time: body.channel.time,
        },
        type: 'Receipt',
        status: body.status,
        ...(body.reasons ? { reasons: body.reasons } : {}),
        ...(body.isFinalReceipt !== undefined ? { isFinalReceipt: body.isFinalReceipt } : {}),
        direction: 'Outbound',
      },
    };
  }

  // ----- integrations -----

  function newIntegration(request: OpenIntegrationRequest, id: string = randomUUID()): OpenIntegration {
    const now = new Date().toISOString();
    return {
      id,
      name: request.name,
      outboundNotificationWebhookUrl: request.outboundNotificationWebhookUrl,
      outboundNotificationWebhookSignatureSecretToken: request.outboundNotificationWebhookSignatureSecretToken,
      ...(request.webhookHeaders ? { webhookHeaders: request.webhookHeaders } : {}),
      ...(request.supportedContent ? { supportedContent: request.supportedContent } : {}),
      ...(request.messagingSetting ? { messagingSetting: request.messagingSetting } : {}),
      status: 'Active',
      createStatus: 'Initiated',
      recipient: { id, selfUri: `/api/v2/routing/message/recipients/${id}` },
      dateCreated: now,
      dateModified: now,
      selfUri: `${INTEGRATIONS}/${id}`,
    } as OpenIntegration;
  }

  /** What the API shows of an integration: the secret token is write-only. */
  function publicView(i: OpenIntegration): OpenIntegration {
    const { outboundNotificationWebhookSignatureSecretToken: _secret, ...rest } = i;
    return rest;
  }

  /** Genesys creates asynchronously: the create answer says Initiated, the next GET of it says Completed. */
  function shown(i: OpenIntegration): OpenIntegration {
    if (pendingCompletion.delete(i.id)) i.createStatus = 'Completed';
    return publicView(i);
  }

  function listIntegrations(ctx: Context): Reply {
    const pageSize = Number(ctx.query.get('pageSize') ?? 25);
    const pageNumber = Number(ctx.query.get('pageNumber') ?? 1);
    const violations: string[] = [];
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) violations.push(`pageSize must be an integer from 1 to 500 (got ${ctx.query.get('pageSize')})`);
    if (!Number.isInteger(pageNumber) || pageNumber < 1) violations.push(`pageNumber must be an integer from 1 (got ${ctx.query.get('pageNumber')})`);
    if (violations.length) return { ...genesysError(400, 'bad.request', violations.join('; ')), violations };

    const all = [...emulator.integrations.values()];
    const pageCount = Math.ceil(all.length / pageSize);
    const uri = (n: number) => `${INTEGRATIONS}?pageSize=${pageSize}&pageNumber=${n}`;
    const listing: OpenIntegrationEntityListing & Record<string, unknown> = {
      entities: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(shown),
      pageSize,
      pageNumber,
      total: all.length,
      pageCount,
      firstUri: uri(1),
      selfUri: uri(pageNumber),
      lastUri: uri(Math.max(pageCount, 1)),
      ...(pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
      ...(pageNumber > 1 ? { previousUri: uri(pageNumber - 1) } : {}),
    };
    return { status: 200, body: listing };
  }

  function createIntegration(ctx: Context): Reply {
    const problem = invalid('integration-create', ctx.body);
    if (problem) return problem;
    const integration = newIntegration(ctx.body as OpenIntegrationRequest);
    emulator.integrations.set(integration.id, integration);
    pendingCompletion.add(integration.id);
    return { status: 200, body: publicView(integration) };
  }

  function getIntegration(ctx: Context): Reply {
    const [id] = ctx.params as [string];
    const integration = emulator.integrations.get(id);
    if (!integration) return genesysError(404, 'not.found', `Open messaging integration ${id} was not found.`);
    return { status: 200, body: shown(integration) };
  }

  function updateIntegration(ctx: Context): Reply {
    const [id] = ctx.params as [string];
    const integration = emulator.integrations.get(id);
    if (!integration) return genesysError(404, 'not.found', `Open messaging integration ${id} was not found.`);
    const problem = invalid('integration-update', ctx.body);
    if (problem) return problem;
    const update = ctx.body as OpenIntegrationUpdateRequest;
    Object.assign(integration, update, { dateModified: new Date().toISOString() });
    return { status: 200, body: publicView(integration) };
  }

  function deleteIntegration(ctx: Context): Reply {
    const [id] = ctx.params as [string];
    if (!emulator.integrations.delete(id)) return genesysError(404, 'not.found', `Open messaging integration ${id} was not found.`);
    pendingCompletion.delete(id);
    return { status: 204 };
  }

  // ----- routing -----

  const SEGMENT = '([^/?#]+)';
  const inboundPath = (kind: string) => new RegExp(`^/api/v2/conversations/messages/${SEGMENT}/inbound/open/${kind}$`);
  const routes: Route[] = [
    { name: 'token', method: 'POST', pattern: /^\/oauth\/token$/, auth: 'login', handle: issueToken },
    { name: 'inbound-message', method: 'POST', pattern: inboundPath('message'), auth: 'bearer', json: true, handle: inboundMessage },
    { name: 'inbound-event', method: 'POST', pattern: inboundPath('event'), auth: 'bearer', json: true, handle: inboundEvent },
    { name: 'inbound-receipt', method: 'POST', pattern: inboundPath('receipt'), auth: 'bearer', json: true, handle: inboundReceipt },
    { name: 'integrations-list', method: 'GET', pattern: new RegExp(`^${INTEGRATIONS}$`), auth: 'bearer', handle: listIntegrations },
    { name: 'integration-create', method: 'POST', pattern: new RegExp(`^${INTEGRATIONS}$`), auth: 'bearer', json: true, handle: createIntegration },
    { name: 'integration-get', method: 'GET', pattern: new RegExp(`^${INTEGRATIONS}/${SEGMENT}$`), auth: 'bearer', handle: getIntegration },
    { name: 'integration-update', method: 'PATCH', pattern: new RegExp(`^${INTEGRATIONS}/${SEGMENT}$`), auth: 'bearer', json: true, handle: updateIntegration },
    { name: 'integration-delete', method: 'DELETE', pattern: new RegExp(`^${INTEGRATIONS}/${SEGMENT}$`), auth: 'bearer', handle: deleteIntegration },
  ];

  function findRoute(method: string, path: string): { route: Route; params: string[] } | undefined {
    for (const route of routes) {
      const m = route.method === method ? route.pattern.exec(path) : null;
      if (m) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
    }
    return undefined;
  }

  /** Auth, then the JSON body, then the handler. */
  function answer(route: Route, ctx: Context): Reply {
    if (route.auth === 'bearer') {
      const problem = bearerProblem(ctx.headers.authorization);
      if (problem) return problem;
    }
    if (route.json) {
      const contentType = String(ctx.headers['content-type'] ?? '');
      if (!contentType.startsWith('application/json')) {
        const v = `Content-Type must be application/json (got ${JSON.stringify(contentType)})`;
        return { ...genesysError(415, 'unsupported.media.type', v), violations: [v] };
      }
      try {
        ctx.body = JSON.parse(ctx.raw);
      } catch {
        const v = 'the body is not valid JSON';
        return { ...genesysError(400, 'bad.request', 'The request could not be understood by the server due to malformed syntax.'), violations: [v] };
      }
    }
    return route.handle(ctx);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator');
    const found = findRoute(method, url.pathname);
    const routeName = found?.route.name ?? 'unknown';
    let raw = '';
    let tooLarge = false;
    try {
      raw = await readBody(req);
    } catch {
      tooLarge = true;
    }
    const ctx: Context = { params: found?.params ?? [], query: url.searchParams, headers: req.headers, raw, body: raw === '' ? undefined : raw };
    if (tooLarge) return finish(genesysError(413, 'request.entity.too.large', `The body is over ${MAX_BODY} bytes.`));

    const fault = found ? emulator.faults.take(routeName) : undefined;
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.destroy) {
      req.socket.destroy();
      return record(0, undefined, []);
    }
    let reply: Reply;
    if (fault?.status !== undefined) reply = faultReply(fault as Fault & { status: number });
    else if (!found) reply = genesysError(404, 'not.found', `No route for ${method} ${url.pathname}`);
    else reply = answer(found.route, ctx);
    return finish(reply);

    function finish(reply: Reply): void {
      const headers: Record<string, string> = { 'inin-correlation-id': randomUUID(), ...reply.headers };
      if (reply.body !== undefined) headers['content-type'] = 'application/json';
      res.writeHead(reply.status, headers);
      res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
      record(reply.status, reply.body, reply.violations ?? []);
    }

    function record(status: number, response: unknown, violations: string[]): void {
      const r: RecordedRequest = {
        at, method, path: url.pathname + url.search, route: routeName, headers: req.headers,
        body: ctx.body, status, response, violations,
      };
      emulator.requests.push(r);
      for (const v of violations) emulator.violations.push(`${routeName}: ${v}`);
      opts.onRequest?.(r);
    }
  }

  loadOptionIntegrations();
  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: String(err), code: 'internal.server.error', status: 500 }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  emulator.url = `http://${host}:${address.port}`;

  function close(): Promise<void> {
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  return emulator;
}

// ---------- helpers ----------

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(e: GenesysEmulator, predicate: (e: GenesysEmulator) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (predicate(e)) return;
    if (Date.now() >= deadline) throw new Error(`GenesysEmulator.waitFor: not true after ${timeoutMs} ms. Seen: ${seen(e)}`);
    await sleep(10);
  }
}

function seen(e: GenesysEmulator): string {
  const last = e.requests.slice(-5).map((r) => `${r.method} ${r.path} -> ${r.status}`);
  return [
    `${e.requests.length} requests${last.length ? ` (last: ${last.join(', ')})` : ''}`,
    `${e.messages.length} messages`,
    `${e.events.length} events`,
    `${e.receipts.length} receipts`,
    `${e.tokensIssued} tokens issued`,
    `violations: ${e.violations.length ? e.violations.join(' | ') : 'none'}`,
  ].join('; ');
}
