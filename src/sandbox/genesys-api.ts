/**
 * An emulator of the Genesys Cloud APIs the relay uses: the OAuth client-credentials login, the integration-scoped
 * inbound Open Messaging endpoints (message, event, receipt, structured response), the Open Messaging integrations,
 * the supported-content profiles and messaging settings they reference, and the conversations the inbound messages
 * open (GET with the customer's participant data, disconnect). Real HTTP on loopback (node:http), strict
 * about what it receives (bodies are checked against ./genesys-schema.ts), for tests and the offline sandbox.
 * One base URL serves both hosts: the login paths (/oauth/token) and the API paths (/api/v2/...).
 * Route names (for `faults.add({route})`) are those of the table below.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { readBody } from '../http/read-body.js';
import { send } from '../http/send.js';
import { FaultPlan, type Fault } from './faults.js';
import { validateGenesys, type GenesysBodyKind } from './genesys-schema.js';
import type {
  OpenInboundNormalizedEvent,
  OpenInboundNormalizedMessage,
  OpenInboundNormalizedReceipt,
  OpenInboundStructuredResponseMessage,
  OpenIntegration,
  OpenIntegrationRequest,
  OpenIntegrationUpdateRequest,
  MessagingSetting,
  MessagingSettingRequest,
  SupportedContent,
  SupportedContentRequest,
} from '../genesys/types.js';

export interface GenesysEmulatorOptions {
  clientId: string;
  clientSecret: string;
  /** Default 86400. */
  tokenTtlSeconds?: number;
  integrations?: Array<{
    id?: string;
    name: string;
    outboundNotificationWebhookUrl: string;
    outboundNotificationWebhookSignatureSecretToken: string;
  }>;
  /** Genesys dedupes inbound messages on channel.messageId: a repeat is answered 200 with the first answer and not added again. Default true. */
  dedupeMessageId?: boolean;
  /**
   * Allow http:// outbound webhook URLs on any port. Default false: https on port 443 only, as Genesys requires.
   * The sandbox turns it on, because its relay listens on loopback http.
   */
  allowHttpWebhooks?: boolean;
  /**
   * Whether the customer's participant data (GET /api/v2/conversations/{id}) is taken from channel.metadata.customAttributes,
   * as Genesys's Open Messaging pages say. Default true; false emulates an organisation where it no longer is.
   */
  participantDataFromCustomAttributes?: boolean;
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

/** A conversation an inbound message opened. */
export interface EmulatedConversation {
  id: string;
  integrationId: string;
  customerId: string;
  startTime: string;
  /** The customer participant's data. */
  attributes: Record<string, string>;
  state: 'connected' | 'disconnected';
  endTime?: string;
}

export interface ReceivedInbound<T> {
  integrationId: string;
  body: T;
  at: number;
}

export interface GenesysEmulator {
  /** Serves both the login host's paths (/oauth/token) and the API host's (/api/v2/...). */
  url: string;
  requests: RecordedRequest[];
  /** Accepted inbound messages (a deduped repeat is not added again). */
  messages: ReceivedInbound<OpenInboundNormalizedMessage>[];
  events: ReceivedInbound<OpenInboundNormalizedEvent>[];
  /** Accepted structured responses (a customer's answer to buttons); a deduped repeat is not added again. */
  structuredResponses: ReceivedInbound<OpenInboundStructuredResponseMessage>[];
  receipts: ReceivedInbound<OpenInboundNormalizedReceipt>[];
  /** Keeps the secret token (the webhook signer needs it); the API never returns it. */
  integrations: Map<string, OpenIntegration>;
  /** Supported-content profiles and messaging settings, by id. */
  supportedContents: Map<string, SupportedContent>;
  messagingSettings: Map<string, MessagingSetting>;
  /** Conversations opened by inbound messages, by conversation id. */
  conversations: Map<string, EmulatedConversation>;
  violations: string[];
  faults: FaultPlan;
  readonly tokensIssued: number;
  /** Every issued token becomes invalid: the next API call gets 401. */
  expireTokens(): void;
  /** resolves when `predicate(emulator)` is true, polling every 10 ms; rejects after timeoutMs (default 5000) with a message saying what was seen */
  waitFor(predicate: (e: GenesysEmulator) => boolean, timeoutMs?: number): Promise<void>;
  /** Forgets requests, messages, events, structured responses, receipts, violations, faults, dedupe memory, profiles and conversations; integrations go back to the options'; tokens stay valid; tokensIssued restarts at 0. */
  reset(): void;
  close(): Promise<void>;
}

interface Reply { status: number; body?: unknown; headers?: Record<string, string>; violations?: string[] }
interface Call { params: string[]; query: URLSearchParams; headers: IncomingHttpHeaders; raw: string; body: unknown }
interface Route { name: string; method: string; path: RegExp; auth: 'login' | 'bearer'; json?: boolean; handle: (s: State, c: Call) => Reply }
/** What the emulator remembers; the recorded lists are shared with the GenesysEmulator object. */
type Recorded = Pick<GenesysEmulator, 'requests' | 'messages' | 'events' | 'structuredResponses' | 'receipts' | 'integrations' | 'supportedContents' | 'messagingSettings' | 'conversations' | 'violations' | 'faults'>;
interface State extends Recorded {
  opts: GenesysEmulatorOptions;
  schemaOptions: { allowHttpWebhooks: boolean };
  /** token -> expiry (ms since epoch) */
  tokens: Map<string, number>;
  tokensIssued: number;
  /** route + integrationId + messageId -> the first answer */
  firstAnswers: Map<string, unknown>;
  /** integrationId + customer id -> conversation id (the open one) */
  conversationOf: Map<string, string>;
  /** Integrations created as 'Initiated', not yet shown as 'Completed'. */
  pendingCompletion: Set<string>;
}

const INTEGRATIONS = '/api/v2/conversations/messaging/integrations/open';
const MAX_BODY = 5 * 1024 * 1024;

/** Genesys's error body: {message, code, status, contextId, details, errors}. */
function genesysError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { message, code, status, contextId: randomUUID(), details: [], errors: [], ...extra } };
}

const notFound = (id: string) => genesysError(404, 'not.found', `Open messaging integration ${id} was not found.`);

function oauthError(error: string, description: string, violation = true): Reply {
  return { status: error === 'invalid_client' ? 401 : 400, body: { error, description, error_description: description }, ...(violation ? { violations: [description] } : {}) };
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

/** A 400 naming each violation of the schema, or undefined when the body is valid. */
function invalid(s: State, kind: GenesysBodyKind, body: unknown): Reply | undefined {
  const violations = validateGenesys(kind, body, s.schemaOptions);
  if (!violations.length) return undefined;
  const reply = genesysError(400, 'bad.request', `The request body is invalid: ${violations.join('; ')}`, {
    details: violations.map((v) => ({ errorCode: 'invalid.value', fieldName: v.split(' ')[0], message: v })),
  });
  return { ...reply, violations };
}

// ---------- login ----------

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function issueToken(s: State, c: Call): Reply {
  const credentials = basicCredentials(c.headers.authorization);
  if (!credentials || credentials.id !== s.opts.clientId || credentials.secret !== s.opts.clientSecret) {
    return oauthError('invalid_client', 'client not found', false);
  }
  if (!String(c.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    return oauthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  }
  const grant = new URLSearchParams(c.raw).get('grant_type');
  if (grant !== 'client_credentials') return oauthError('unsupported_grant_type', `grant_type must be client_credentials (got ${JSON.stringify(grant)})`);
  const ttlSeconds = s.opts.tokenTtlSeconds ?? 86400;
  const token = randomBytes(32).toString('base64url');
  s.tokens.set(token, Date.now() + ttlSeconds * 1000);
  s.tokensIssued += 1;
  return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: ttlSeconds } };
}

function bearerProblem(s: State, header: string | undefined): Reply | undefined {
  const match = /^bearer\s+(\S+)$/i.exec(header ?? '');
  const expiry = match ? s.tokens.get(match[1]!) : undefined;
  if (expiry !== undefined && Date.now() < expiry) return undefined;
  const why = !match ? 'No authentication bearer token specified in authorization header.' : 'Invalid login credentials.';
  return genesysError(401, 'bad.credentials', why);
}

// ---------- inbound open messaging ----------

/** The customer's open conversation on this integration (a new one after a disconnect), with the message's custom attributes as participant data. */
function conversationFor(s: State, integrationId: string, body: OpenInboundNormalizedMessage | OpenInboundStructuredResponseMessage): EmulatedConversation {
  const key = `${integrationId}\u0000${body.channel.from.id}`;
  let conversation = s.conversations.get(s.conversationOf.get(key) ?? '');
  if (!conversation || conversation.state === 'disconnected') {
    conversation = { id: randomUUID(), integrationId, customerId: body.channel.from.id, startTime: new Date().toISOString(), attributes: {}, state: 'connected' };
    s.conversations.set(conversation.id, conversation);
    s.conversationOf.set(key, conversation.id);
  }
  const custom = (body.channel.metadata as { customAttributes?: Record<string, string> } | undefined)?.customAttributes;
  if (custom && (s.opts.participantDataFromCustomAttributes ?? true)) Object.assign(conversation.attributes, custom);
  return conversation;
}

/** The integration named in the path and a valid body of that kind, or the reply refusing them. */
function inbound<T>(s: State, c: Call, kind: GenesysBodyKind): { integrationId: string; body: T } | Reply {
  const integrationId = c.params[0]!;
  const problem = (s.integrations.has(integrationId) ? undefined : notFound(integrationId)) ?? invalid(s, kind, c.body);
  return problem ?? { integrationId, body: c.body as T };
}

type InboundMessageBody = OpenInboundNormalizedMessage | OpenInboundStructuredResponseMessage;

/**
 * Genesys dedupes on channel.messageId: a repeat gets the first answer and is not recorded again. Otherwise
 * `answerOf` builds the normalized message answered, and the body is recorded in `list`.
 */
function acceptOnce<T extends InboundMessageBody>(
  s: State, c: Call, kind: GenesysBodyKind, list: ReceivedInbound<T>[], answerOf: (body: T) => Record<string, unknown>,
): Reply {
  const found = inbound<T>(s, c, kind);
  if ('status' in found) return found;
  const { integrationId, body } = found;
  const key = `${kind}\u0000${integrationId}\u0000${body.channel.messageId}`;
  if ((s.opts.dedupeMessageId ?? true) && s.firstAnswers.has(key)) return { status: 200, body: s.firstAnswers.get(key) };
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
    ...answerOf(body),
    direction: 'Inbound',
  };
  const conversation = conversationFor(s, integrationId, body);
  if (c.query.get('prefetchConversationId') === 'true') answer.conversationId = conversation.id;
  s.firstAnswers.set(key, answer);
  list.push({ integrationId, body, at: Date.now() });
  return { status: 200, body: answer };
}

function inboundMessage(s: State, c: Call): Reply {
  return acceptOnce<OpenInboundNormalizedMessage>(s, c, 'inbound-message', s.messages, (body) => ({
    type: 'Text',
    ...(body.text !== undefined ? { text: body.text } : {}),
    ...(body.content !== undefined ? { content: body.content.map((item) => ({ contentType: 'Attachment', ...item })) } : {}),
    ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
  }));
}

/** A customer's tap on a quick reply or button, answered as Genesys shows it: a ButtonResponse content. */
function inboundStructuredResponse(s: State, c: Call): Reply {
  return acceptOnce<OpenInboundStructuredResponseMessage>(s, c, 'inbound-structured-response', s.structuredResponses, (body) => ({
    type: 'Structured',
    text: body.buttonResponse.text,
    content: [{ contentType: 'ButtonResponse', buttonResponse: { ...body.buttonResponse, originatingMessageId: body.originatingMessageId } }],
  }));
}

function inboundEvent(s: State, c: Call): Reply {
  const found = inbound<OpenInboundNormalizedEvent>(s, c, 'inbound-event');
  if ('status' in found) return found;
  const { integrationId, body } = found;
  s.events.push({ integrationId, body, at: Date.now() });
  const channel = { id: integrationId, platform: 'Open', type: 'Private', to: { id: integrationId }, from: body.channel.from, time: body.channel.time };
  return { status: 200, body: { id: randomUUID(), channel, type: 'Event', events: body.events, direction: 'Inbound' } };
}

/** The SDK answers OpenReceiptNormalizedMessage (a body, so 200). */
function inboundReceipt(s: State, c: Call): Reply {
  const found = inbound<OpenInboundNormalizedReceipt>(s, c, 'inbound-receipt');
  if ('status' in found) return found;
  const { integrationId, body } = found;
  s.receipts.push({ integrationId, body, at: Date.now() });
  return {
    status: 200,
    body: {
      id: body.id,
      channel: { id: integrationId, platform: 'Open', type: 'Private', to: body.channel.to, from: { id: integrationId, idType: 'Opaque' }, time: body.channel.time },
      type: 'Receipt',
      status: body.status,
      ...(body.reasons ? { reasons: body.reasons } : {}),
      ...(body.isFinalReceipt !== undefined ? { isFinalReceipt: body.isFinalReceipt } : {}),
      direction: 'Outbound',
    },
  };
}

// ---------- integrations ----------

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
function shown(s: State, i: OpenIntegration): OpenIntegration {
  if (s.pendingCompletion.delete(i.id)) i.createStatus = 'Completed';
  return publicView(i);
}

function listIntegrations(s: State, c: Call): Reply {
  return listing(c, INTEGRATIONS, [...s.integrations.values()], (i) => shown(s, i));
}

function createIntegration(s: State, c: Call): Reply {
  const problem = invalid(s, 'integration-create', c.body);
  if (problem) return problem;
  const integration = newIntegration(c.body as OpenIntegrationRequest);
  s.integrations.set(integration.id, integration);
  s.pendingCompletion.add(integration.id);
  return { status: 200, body: publicView(integration) };
}

function getIntegration(s: State, c: Call): Reply {
  const integration = s.integrations.get(c.params[0]!);
  return integration ? { status: 200, body: shown(s, integration) } : notFound(c.params[0]!);
}

function updateIntegration(s: State, c: Call): Reply {
  const integration = s.integrations.get(c.params[0]!);
  if (!integration) return notFound(c.params[0]!);
  const problem = invalid(s, 'integration-update', c.body);
  if (problem) return problem;
  Object.assign(integration, c.body as OpenIntegrationUpdateRequest, { dateModified: new Date().toISOString() });
  return { status: 200, body: publicView(integration) };
}

function deleteIntegration(s: State, c: Call): Reply {
  const id = c.params[0]!;
  if (!s.integrations.delete(id)) return notFound(id);
  s.pendingCompletion.delete(id);
  return { status: 204 };
}

/** The options' integrations, already created (Completed); throws on one Genesys would refuse. */
function loadOptionIntegrations(s: State): void {
  s.integrations.clear();
  s.pendingCompletion.clear();
  for (const { id, ...request } of s.opts.integrations ?? []) {
    const violations = validateGenesys('integration-create', request, s.schemaOptions);
    if (violations.length) throw new Error(`startGenesysEmulator: integration '${request.name}' is invalid: ${violations.join('; ')}`);
    const integration = newIntegration(request, id);
    integration.createStatus = 'Completed';
    s.integrations.set(integration.id, integration);
  }
}

// ---------- supported content and messaging settings ----------

/** A listing of one page of `all` (each shown through `view`), as Genesys pages its entity listings (pageSize 1..500). */
function listing<T>(c: Call, path: string, all: T[], view: (entity: T) => unknown = (e) => e): Reply {
  const pageSize = Number(c.query.get('pageSize') ?? 25);
  const pageNumber = Number(c.query.get('pageNumber') ?? 1);
  const violations: string[] = [];
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) violations.push(`pageSize must be an integer from 1 to 500 (got ${c.query.get('pageSize')})`);
  if (!Number.isInteger(pageNumber) || pageNumber < 1) violations.push(`pageNumber must be an integer from 1 (got ${c.query.get('pageNumber')})`);
  if (violations.length) return { ...genesysError(400, 'bad.request', violations.join('; ')), violations };
  const pageCount = Math.ceil(all.length / pageSize);
  const uri = (n: number) => `${path}?pageSize=${pageSize}&pageNumber=${n}`;
  return {
    status: 200,
    body: {
      entities: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(view),
      pageSize, pageNumber, total: all.length, pageCount,
      firstUri: uri(1), selfUri: uri(pageNumber), lastUri: uri(Math.max(pageCount, 1)),
      ...(pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
      ...(pageNumber > 1 ? { previousUri: uri(pageNumber - 1) } : {}),
    },
  };
}

/** CRUD over one kind of profile, each body checked against its model. */
function profileRoutes<T extends { id: string; name?: string }>(
  prefix: string, path: string, kind: GenesysBodyKind, what: string, mapOf: (s: State) => Map<string, T>, build: (body: any, previous?: T) => T,
): Route[] {
  const missing = (id: string) => genesysError(404, 'not.found', `${what} ${id} was not found.`);
  const nameTaken = (s: State, name: string, id?: string) => [...mapOf(s).values()].some((p) => p.name === name && p.id !== id);
  const LIST_PATH = new RegExp(`^${path}$`);
  const ONE_PATH = new RegExp(`^${path}/${SEGMENT}$`);
  return [
    { name: `${prefix}-list`, method: 'GET', path: LIST_PATH, auth: 'bearer', handle: (s, c) => listing(c, path, [...mapOf(s).values()]) },
    {
      name: `${prefix}-create`, method: 'POST', path: LIST_PATH, auth: 'bearer', json: true,
      handle: (s, c) => {
        const problem = invalid(s, kind, c.body);
        if (problem) return problem;
        const name = (c.body as { name: string }).name;
        if (nameTaken(s, name)) return genesysError(409, 'conflict', `A ${what} named "${name}" already exists.`);
        const created = build(c.body);
        mapOf(s).set(created.id, created);
        return { status: 200, body: created };
      },
    },
    { name: `${prefix}-get`, method: 'GET', path: ONE_PATH, auth: 'bearer', handle: (s, c) => { const p = mapOf(s).get(c.params[0]!); return p ? { status: 200, body: p } : missing(c.params[0]!); } },
    {
      name: `${prefix}-update`, method: 'PATCH', path: ONE_PATH, auth: 'bearer', json: true,
      handle: (s, c) => {
        const previous = mapOf(s).get(c.params[0]!);
        if (!previous) return missing(c.params[0]!);
        const problem = invalid(s, kind, c.body);
        if (problem) return problem;
        const updated = build(c.body, previous);
        mapOf(s).set(updated.id, updated);
        return { status: 200, body: updated };
      },
    },
    { name: `${prefix}-delete`, method: 'DELETE', path: ONE_PATH, auth: 'bearer', handle: (s, c) => (mapOf(s).delete(c.params[0]!) ? { status: 204 } : missing(c.params[0]!)) },
  ];
}

const SUPPORTED_CONTENT = '/api/v2/conversations/messaging/supportedcontent';
const MESSAGING_SETTINGS = '/api/v2/conversations/messaging/settings';

function supportedContent(body: SupportedContentRequest, previous?: SupportedContent): SupportedContent {
  const id = previous?.id ?? randomUUID();
  const now = new Date().toISOString();
  return {
    id, name: body.name, ...(body.mediaTypes ? { mediaTypes: body.mediaTypes } : {}),
    version: (previous?.version ?? 0) + 1, dateCreated: previous?.dateCreated ?? now, dateModified: now, selfUri: `${SUPPORTED_CONTENT}/${id}`,
  };
}

function messagingSetting(body: MessagingSettingRequest, previous?: MessagingSetting): MessagingSetting {
  const id = previous?.id ?? randomUUID();
  const now = new Date().toISOString();
  return {
    id, name: body.name, ...(body.content ? { content: body.content } : {}), ...(body.event ? { event: body.event } : {}),
    version: String(Number(previous?.version ?? 0) + 1), dateCreated: previous?.dateCreated ?? now, dateModified: now, selfUri: `${MESSAGING_SETTINGS}/${id}`,
  };
}

// ---------- conversations ----------

/** Conversation (GET /api/v2/conversations/{conversationId}): the customer participant, its participant data. */
function getConversation(s: State, c: Call): Reply {
  const conversation = s.conversations.get(c.params[0]!);
  if (!conversation) return genesysError(404, 'not.found', `Conversation ${c.params[0]} was not found.`);
  const participant = {
    id: `${conversation.id.slice(0, 24)}customer`,
    purpose: 'customer',
    state: conversation.state,
    attributes: conversation.attributes,
    startTime: conversation.startTime,
    ...(conversation.endTime ? { endTime: conversation.endTime } : {}),
  };
  return {
    status: 200,
    body: {
      id: conversation.id, startTime: conversation.startTime, ...(conversation.endTime ? { endTime: conversation.endTime } : {}),
      participants: [participant], selfUri: `/api/v2/conversations/${conversation.id}`,
    },
  };
}

/** POST /api/v2/conversations/{conversationId}/disconnect: every participant disconnected; 202, as Genesys accepts it. */
function disconnectConversation(s: State, c: Call): Reply {
  const conversation = s.conversations.get(c.params[0]!);
  if (!conversation) return genesysError(404, 'not.found', `Conversation ${c.params[0]} was not found.`);
  if (conversation.state !== 'disconnected') Object.assign(conversation, { state: 'disconnected', endTime: new Date().toISOString() });
  return { status: 202 };
}

// ---------- routing ----------

const SEGMENT = '([^/?#]+)';
const inboundPath = (kind: string) => new RegExp(`^/api/v2/conversations/messages/${SEGMENT}/inbound/open/${kind}$`);
const LIST = new RegExp(`^${INTEGRATIONS}$`);
const ONE = new RegExp(`^${INTEGRATIONS}/${SEGMENT}$`);
const ROUTES: Route[] = [
  { name: 'token', method: 'POST', path: /^\/oauth\/token$/, auth: 'login', handle: issueToken },
  { name: 'inbound-message', method: 'POST', path: inboundPath('message'), auth: 'bearer', json: true, handle: inboundMessage },
  { name: 'inbound-event', method: 'POST', path: inboundPath('event'), auth: 'bearer', json: true, handle: inboundEvent },
  { name: 'inbound-receipt', method: 'POST', path: inboundPath('receipt'), auth: 'bearer', json: true, handle: inboundReceipt },
  { name: 'inbound-structured-response', method: 'POST', path: inboundPath('structured/response'), auth: 'bearer', json: true, handle: inboundStructuredResponse },
  { name: 'integrations-list', method: 'GET', path: LIST, auth: 'bearer', handle: listIntegrations },
  { name: 'integration-create', method: 'POST', path: LIST, auth: 'bearer', json: true, handle: createIntegration },
  { name: 'integration-get', method: 'GET', path: ONE, auth: 'bearer', handle: getIntegration },
  { name: 'integration-update', method: 'PATCH', path: ONE, auth: 'bearer', json: true, handle: updateIntegration },
  { name: 'integration-delete', method: 'DELETE', path: ONE, auth: 'bearer', handle: deleteIntegration },
  ...profileRoutes('supportedcontent', SUPPORTED_CONTENT, 'supported-content', 'Supported content profile', (s) => s.supportedContents, supportedContent),
  ...profileRoutes('messagingsetting', MESSAGING_SETTINGS, 'messaging-setting', 'Messaging setting', (s) => s.messagingSettings, messagingSetting),
  { name: 'conversation-get', method: 'GET', path: new RegExp(`^/api/v2/conversations/${SEGMENT}$`), auth: 'bearer', handle: getConversation },
  { name: 'conversation-disconnect', method: 'POST', path: new RegExp(`^/api/v2/conversations/${SEGMENT}/disconnect$`), auth: 'bearer', handle: disconnectConversation },
];

function match(method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of ROUTES) {
    const m = route.method === method ? route.path.exec(path) : null;
    if (m) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}

/** The JSON body of a route, or the 4xx Genesys would answer. */
function parseBody(c: Call): { body: unknown } | Reply {
  const contentType = String(c.headers['content-type'] ?? '');
  if (!contentType.startsWith('application/json')) {
    const v = `Content-Type must be application/json (got ${JSON.stringify(contentType)})`;
    return { ...genesysError(415, 'unsupported.media.type', v), violations: [v] };
  }
  try {
    return { body: JSON.parse(c.raw) };
  } catch {
    const reply = genesysError(400, 'bad.request', 'The request could not be understood by the server due to malformed syntax.');
    return { ...reply, violations: ['the body is not valid JSON'] };
  }
}

/** Auth, then the JSON body, then the handler. */
function answer(s: State, route: Route, c: Call): Reply {
  const problem = route.auth === 'bearer' ? bearerProblem(s, c.headers.authorization) : undefined;
  if (problem) return problem;
  if (route.json) {
    const parsed = parseBody(c);
    if ('status' in parsed) return parsed;
    c.body = parsed.body;
  }
  return route.handle(s, c);
}

function record(s: State, rec: RecordedRequest): void {
  s.requests.push(rec);
  for (const v of rec.violations) s.violations.push(`${rec.route}: ${v}`);
  s.opts.onRequest?.(rec);
}

async function handle(s: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://emulator');
  const found = match(method, url.pathname);
  const route = found?.route.name ?? 'unknown';
  const raw = await readBody(req, MAX_BODY).then((b) => b.toString('utf8'), () => undefined);
  const c: Call = { params: found?.params ?? [], query: url.searchParams, headers: req.headers, raw: raw ?? '', body: raw || undefined };
  const rec = (status: number, reply?: Reply): RecordedRequest => ({
    at, method, path: url.pathname + url.search, route, headers: req.headers, body: c.body, status, response: reply?.body, violations: reply?.violations ?? [],
  });
  const fault = raw !== undefined && found ? s.faults.take(route) : undefined;
  if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault?.destroy) {
    req.socket.destroy();
    return record(s, rec(0));
  }
  let reply: Reply;
  if (raw === undefined) reply = genesysError(413, 'request.entity.too.large', `The body is over ${MAX_BODY} bytes.`);
  else if (fault?.status !== undefined) reply = faultReply(fault as Fault & { status: number });
  else if (!found) reply = genesysError(404, 'not.found', `No route for ${method} ${url.pathname}`);
  else reply = answer(s, found.route, c);
  send(res, { status: reply.status, headers: { 'inin-correlation-id': randomUUID(), ...reply.headers }, body: reply.body });
  record(s, rec(reply.status, reply));
}

export async function startGenesysEmulator(opts: GenesysEmulatorOptions): Promise<GenesysEmulator> {
  const s: State = {
    opts, schemaOptions: { allowHttpWebhooks: opts.allowHttpWebhooks ?? false },
    tokens: new Map(), tokensIssued: 0, firstAnswers: new Map(), conversationOf: new Map(), pendingCompletion: new Set(),
    requests: [], messages: [], events: [], structuredResponses: [], receipts: [], integrations: new Map(), violations: [], faults: new FaultPlan(),
    supportedContents: new Map(), messagingSettings: new Map(), conversations: new Map(),
  };
  loadOptionIntegrations(s);
  const server = createServer((req, res) => {
    handle(s, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, genesysError(500, 'internal.server.error', String(err)));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const emulator: GenesysEmulator = {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    requests: s.requests, messages: s.messages, events: s.events, structuredResponses: s.structuredResponses, receipts: s.receipts, integrations: s.integrations, violations: s.violations, faults: s.faults,
    supportedContents: s.supportedContents, messagingSettings: s.messagingSettings, conversations: s.conversations,
    get tokensIssued() { return s.tokensIssued; },
    expireTokens: () => s.tokens.clear(),
    waitFor: (predicate, timeoutMs = 5000) => waitFor(emulator, predicate, timeoutMs),
    reset() {
      for (const list of [s.requests, s.messages, s.events, s.structuredResponses, s.receipts, s.violations]) list.length = 0;
      s.faults.clear();
      s.tokensIssued = 0;
      s.firstAnswers.clear();
      s.conversationOf.clear();
      s.conversations.clear();
      s.supportedContents.clear();
      s.messagingSettings.clear();
      loadOptionIntegrations(s);
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  return emulator;
}

async function waitFor(e: GenesysEmulator, predicate: (e: GenesysEmulator) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate(e)) {
    if (Date.now() >= deadline) throw new Error(`GenesysEmulator.waitFor: not true after ${timeoutMs} ms. Seen: ${seen(e)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function seen(e: GenesysEmulator): string {
  const last = e.requests.slice(-5).map((r) => `${r.method} ${r.path} -> ${r.status}`);
  return [
    `${e.requests.length} requests${last.length ? ` (last: ${last.join(', ')})` : ''}`,
    `${e.messages.length} messages`,
    `${e.events.length} events`,
    `${e.structuredResponses.length} structured responses`,
    `${e.receipts.length} receipts`,
    `${e.tokensIssued} tokens issued`,
    `violations: ${e.violations.length ? e.violations.join(' | ') : 'none'}`,
  ].join('; ');
}
