/**
 * JSON Schemas of the Genesys Cloud Open Messaging bodies the relay sends and receives, written from the
 * models of the official SDK (../shared/genesys-sdk: OpenInboundNormalizedMessage, OpenInboundNormalizedEvent,
 * OpenInboundNormalizedReceipt, OpenInboundStructuredResponseMessage, OpenIntegrationRequest,
 * OpenIntegrationUpdateRequest, SupportedContent, MessagingSettingRequest, ConversationNormalizedMessage), with the enums of ../genesys/enums.ts, and the
 * developer-centre pages (commdigital/digital/openmessaging/: inboundMessages, inboundReceiptMessages,
 * outboundMessages, validate).
 *
 * The request schemas are strict on purpose (a property the model does not name is refused): the emulator
 * should catch a misspelt or misplaced field that the real Genesys would silently ignore. Where a rule comes
 * from the docs rather than the SDK model, it says so.
 *
 * A schema node may carry `x-message`: when a compound rule (anyOf, if/then, not) of that node fails, that one
 * sentence replaces ajv's noise about the branches.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { GENESYS_ENUMS as E, RECEIPT_ENDPOINT_STATUSES } from '../genesys/enums.js';
import { MIN_OUTBOUND_SECRET_LENGTH } from '../genesys/outbound-secret.js';

type Json = Record<string, unknown>;
export type GenesysBodyKind =
  | 'inbound-message'
  | 'inbound-event'
  | 'inbound-receipt'
  | 'inbound-structured-response'
  | 'integration-create'
  | 'integration-update'
  | 'supported-content'
  | 'messaging-setting';

export interface GenesysValidateOptions {
  /** Accept http:// (any port) outbound webhook URLs, for the sandbox and tests on loopback. Default false. */
  allowHttpWebhooks?: boolean;
}

// ---------- formats ----------

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function isIsoDateTime(s: string): boolean {
  return ISO_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s));
}

function parseUrl(s: string): URL | undefined {
  if (/\s/.test(s)) return undefined;
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

function isHttpUrl(s: string): boolean {
  const u = parseUrl(s);
  return !!u && (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
}

/** Genesys: "Only Webhook URLs on port 443 will work" (help.mypurecloud.com, configure an open messaging integration). */
function isHttpsWebhookUrl(s: string): boolean {
  const u = parseUrl(s);
  return !!u && u.protocol === 'https:' && u.hostname !== '' && (u.port === '' || u.port === '443');
}

const FORMAT_WORDS: Record<string, string> = {
  'date-time': 'an ISO-8601 date-time such as 2024-05-01T13:01:14.462Z',
  'http-url': 'an absolute http(s) URL',
  'webhook-url': 'an https URL on port 443 (Genesys calls no other)',
  'webhook-url-loopback': 'an absolute http(s) URL',
};

// ---------- building blocks ----------

const str = { type: 'string' };
const nonEmpty = { type: 'string', minLength: 1 };
const dateTime = { type: 'string', format: 'date-time' };
const httpUrl = { type: 'string', format: 'http-url' };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const oneOf = (values: readonly string[]) => ({ enum: [...values] });
/** "This token must be longer than 15 characters" (OpenIntegrationRequest): one rule, in genesys/outbound-secret.ts. */
export const MIN_WEBHOOK_SECRET_LENGTH = MIN_OUTBOUND_SECRET_LENGTH;

/** OpenMessagingFromRecipient */
const fromRecipient = {
  type: 'object',
  required: ['id', 'idType'],
  additionalProperties: false,
  properties: {
    id: nonEmpty,
    idType: oneOf(E.OpenMessagingFromRecipient.idType),
    nickname: str,
    firstName: str,
    lastName: str,
    image: httpUrl,
    email: str,
  },
};

/** OpenMessagingToRecipient */
const toRecipient = {
  ...fromRecipient,
  required: ['id'],
  properties: { ...fromRecipient.properties, idType: oneOf(E.OpenMessagingToRecipient.idType) },
};

/**
 * ConversationChannelMetadata. The model names `subType` only; `customAttributes` (string -> string) is where
 * Genesys's Open Messaging pages put participant data, so it is accepted too.
 */
const channelMetadata = {
  type: 'object',
  additionalProperties: false,
  properties: { subType: oneOf(E.ConversationChannelMetadata.subType), customAttributes: stringMap },
};

/** OpenInboundMessageMessagingChannel */
const inboundMessageChannel = {
  type: 'object',
  // messageId is optional in the SDK model; the emulator requires it because Genesys dedupes on it.
  required: ['from', 'time', 'messageId'],
  additionalProperties: false,
  properties: {
    from: fromRecipient,
    time: dateTime,
    messageId: nonEmpty,
    metadata: channelMetadata,
  },
};

/** OpenContentAttachment: inbound, url and mime are required. */
const inboundAttachment = {
  type: 'object',
  required: ['mediaType', 'url', 'mime'],
  additionalProperties: false,
  properties: {
    id: str,
    mediaType: oneOf(E.OpenContentAttachment.mediaType),
    url: httpUrl,
    mime: { type: 'string', pattern: '^[\\w.+-]+/[\\w.+-]+$' },
    text: str,
    sha256: str,
    filename: str,
  },
};

/** OpenInboundNormalizedMessage */
export const inboundMessageSchema: Json = {
  $id: 'OpenInboundNormalizedMessage',
  type: 'object',
  required: ['channel'],
  additionalProperties: false,
  properties: {
    channel: inboundMessageChannel,
    text: str,
    content: {
      type: 'array',
      minItems: 1,
      // OpenInboundMessageContent holds one attachment and no contentType (that is the outbound model's).
      items: {
        type: 'object',
        required: ['attachment'],
        additionalProperties: false,
        properties: { attachment: inboundAttachment },
      },
    },
    // A map of strings: Genesys accepts it (and answers 400 to object values) but does not turn it into
    // participant data (developer.genesys.cloud/forum/t/set-participant-data-in-open-inbound-message/26014).
    metadata: stringMap,
  },
  anyOf: [
    { required: ['text'], properties: { text: nonEmpty } },
    { required: ['content'] },
  ],
  'x-message': 'needs a non-empty text or a content (at least one of them)',
};

/** OpenInboundNormalizedEvent (typing indicator) */
export const inboundEventSchema: Json = {
  $id: 'OpenInboundNormalizedEvent',
  type: 'object',
  required: ['channel', 'events'],
  additionalProperties: false,
  properties: {
    channel: {
      type: 'object',
      required: ['from', 'time'],
      additionalProperties: false,
      properties: { from: fromRecipient, time: dateTime },
    },
    events: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        // OpenEvent: its type only (the typing details are the outbound OpenMessageEvent's).
        required: ['eventType'],
        additionalProperties: false,
        properties: { eventType: oneOf(E.OpenEvent.eventType) },
      },
    },
  },
};

/** ConversationReason */
const reason = {
  type: 'object',
  required: ['message'],
  additionalProperties: false,
  properties: { code: oneOf(E.ConversationReason.code), message: nonEmpty },
};

/**
 * OpenInboundNormalizedReceipt. `direction` is not in the SDK model but is in every example of the
 * inboundReceiptMessages page, so it is accepted, not required. The endpoint takes two of the model's statuses.
 */
export const inboundReceiptSchema: Json = {
  $id: 'OpenInboundNormalizedReceipt',
  type: 'object',
  required: ['id', 'channel', 'status'],
  additionalProperties: false,
  properties: {
    id: nonEmpty,
    channel: {
      type: 'object',
      required: ['to', 'time'],
      additionalProperties: false,
      properties: { to: toRecipient, time: dateTime },
    },
    status: oneOf(RECEIPT_ENDPOINT_STATUSES),
    direction: { const: 'Outbound' },
    isFinalReceipt: { type: 'boolean' },
    reasons: { type: 'array', items: reason },
  },
  if: { required: ['status'], properties: { status: { const: 'Failed' } } },
  then: { required: ['reasons'], properties: { reasons: { minItems: 1 } } },
  'x-message': 'is a Failed receipt and needs at least one reason ({code?, message}) the agent can read',
};

/** OpenInboundStructuredResponseMessage: a customer's answer to a quick reply, a button or a date picker. */
export const inboundStructuredResponseSchema: Json = {
  $id: 'OpenInboundStructuredResponseMessage',
  type: 'object',
  required: ['channel', 'buttonResponse', 'originatingMessageId'],
  additionalProperties: false,
  properties: {
    channel: inboundMessageChannel,
    buttonResponse: {
      type: 'object',
      required: ['type', 'text', 'payload'],
      additionalProperties: false,
      properties: { id: str, type: oneOf(E.ContentButtonResponse.type), text: nonEmpty, payload: str },
    },
    originatingMessageId: nonEmpty,
  },
};

function integrationSchema(update: boolean, allowHttp: boolean): Json {
  const webhookUrl = { type: 'string', format: allowHttp ? 'webhook-url-loopback' : 'webhook-url' };
  return {
    $id: `${update ? 'OpenIntegrationUpdateRequest' : 'OpenIntegrationRequest'}${allowHttp ? '.loopback' : ''}`,
    type: 'object',
    // The SDK marks `name` required in the update model too.
    required: update
      ? ['name']
      : ['name', 'outboundNotificationWebhookUrl', 'outboundNotificationWebhookSignatureSecretToken'],
    additionalProperties: false,
    properties: {
      name: nonEmpty,
      outboundNotificationWebhookUrl: webhookUrl,
      outboundNotificationWebhookSignatureSecretToken: {
        type: 'string',
        minLength: MIN_WEBHOOK_SECRET_LENGTH,
        'x-message': `must be longer than ${MIN_WEBHOOK_SECRET_LENGTH - 1} characters (Genesys refuses a shorter one)`,
      },
      supportedContent: { type: 'object', required: ['id'], properties: { id: nonEmpty } },
      messagingSetting: { type: 'object', required: ['id'], properties: { id: nonEmpty } },
      webhookHeaders: stringMap,
    },
  };
}

export const integrationCreateSchema: Json = integrationSchema(false, false);

/** MediaType entries of MediaTypeAccess: `{type}` with a MIME type, a wildcard subtype allowed. */
const mediaTypeList = { type: 'array', items: { type: 'object', required: ['type'], additionalProperties: false, properties: { type: { type: 'string', pattern: '^[a-z*]+/[A-Za-z0-9.+*-]+$' } } } };

/** SupportedContent as POSTed or PATCHed: a name and the media allowed each way (MediaTypes.allow: MediaTypeAccess). */
export const supportedContentSchema: Json = {
  $id: 'SupportedContent',
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: nonEmpty,
    mediaTypes: {
      type: 'object',
      additionalProperties: false,
      properties: { allow: { type: 'object', additionalProperties: false, properties: { inbound: mediaTypeList, outbound: mediaTypeList } } },
    },
  },
};

/** SettingDirection's values, from Genesys's own Terraform examples (the SDK files here do not list them). */
const enabled = oneOf(['Enabled', 'Disabled']);
const direction = { type: 'object', additionalProperties: false, properties: { inbound: enabled, outbound: enabled } };

/** MessagingSettingRequest: a name, content settings (ContentSetting) and event settings (EventSetting: typing.on). */
export const messagingSettingSchema: Json = {
  $id: 'MessagingSettingRequest',
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: nonEmpty,
    content: { type: 'object' },
    event: { type: 'object', additionalProperties: false, properties: { typing: { type: 'object', additionalProperties: false, properties: { on: direction } } } },
  },
};
export const integrationUpdateSchema: Json = integrationSchema(true, false);

// ---------- the outbound webhook message (what Genesys sends us) ----------

const quickReply = {
  type: 'object',
  required: ['text', 'payload'],
  properties: { text: str, payload: str, image: str, action: oneOf(E.ConversationContentQuickReply.action), summaryText: str },
};
const cardAction = { type: 'object', properties: { type: oneOf(E.ConversationContentCardAction.type), text: str, payload: str, url: str } };
const card = {
  type: 'object',
  required: ['title', 'actions'],
  properties: {
    title: str, description: str, image: str, video: str, defaultAction: cardAction,
    actions: { type: 'array', items: cardAction },
  },
};

/** `contentType: X` requires the property that carries X. */
function needs(contentType: string, property: string, schema: Json): Json {
  return {
    if: { required: ['contentType'], properties: { contentType: { const: contentType } } },
    then: { required: [property], properties: { [property]: schema } },
  };
}

/** ConversationMessageContent (OpenMessageContent) */
const outboundContent = {
  type: 'object',
  required: ['contentType'],
  properties: { contentType: oneOf(E.ConversationMessageContent.contentType) },
  allOf: [
    // One attachment per Attachment content: a single ConversationContentAttachment object.
    needs('Attachment', 'attachment', {
      type: 'object',
      required: ['mediaType', 'url'],
      properties: {
        id: str, mediaType: oneOf(E.ConversationContentAttachment.mediaType), url: httpUrl, mime: str,
        text: str, sha256: str, filename: str, contentSizeBytes: { type: 'integer', minimum: 0 },
      },
    }),
    needs('QuickReply', 'quickReply', quickReply),
    needs('QuickReplyV2', 'quickReplyV2', {
      type: 'object', required: ['title', 'actions'], properties: { title: str, actions: { type: 'array', items: quickReply } },
    }),
    needs('ButtonResponse', 'buttonResponse', {
      type: 'object', required: ['text', 'payload'], properties: { originatingMessageId: str, type: oneOf(E.ContentButtonResponse.type), text: str, payload: str },
    }),
    needs('Card', 'card', card),
    needs('Carousel', 'carousel', { type: 'object', required: ['cards'], properties: { cards: { type: 'array', minItems: 1, items: card } } }),
    needs('Location', 'location', {
      type: 'object', properties: { url: str, address: str, text: str, latitude: { type: 'number' }, longitude: { type: 'number' } },
    }),
    needs('Text', 'text', { type: 'object', required: ['body'], properties: { type: str, body: str } }),
  ],
};

/**
 * OpenNormalizedMessage / OpenEventNormalizedMessage as POSTed to outboundNotificationWebhookUrl. Not closed to
 * unknown properties: Genesys may add fields and the relay must accept them.
 */
export const outboundMessageSchema: Json = {
  $id: 'OpenOutboundNormalizedMessage',
  type: 'object',
  required: ['id', 'channel', 'type'],
  properties: {
    id: nonEmpty,
    channel: {
      type: 'object',
      required: ['to', 'from', 'time'],
      properties: {
        id: nonEmpty,
        platform: oneOf(E.OpenMessagingChannel.platform),
        type: oneOf(E.OpenMessagingChannel.type),
        messageId: nonEmpty,
        to: { type: 'object', required: ['id'], properties: { id: nonEmpty, idType: oneOf(E.OpenMessagingToRecipient.idType) } },
        from: { type: 'object', required: ['id'], properties: { id: nonEmpty, idType: oneOf(E.OpenMessagingFromRecipient.idType), nickname: str } },
        time: dateTime,
        metadata: { type: 'object', properties: { subType: oneOf(E.ConversationChannelMetadata.subType) } },
      },
    },
    type: oneOf(E.ConversationNormalizedMessage.type),
    text: str,
    content: { type: 'array', items: outboundContent },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['eventType'],
        properties: {
          eventType: oneOf(E.OpenMessageEvent.eventType),
          typing: { type: 'object', required: ['type'], properties: { type: { const: 'On' }, duration: { type: 'integer', minimum: 0 } } },
        },
      },
    },
    direction: { const: 'Outbound' },
    status: oneOf(E.ConversationNormalizedMessage.status),
    originatingEntity: oneOf(E.ConversationNormalizedMessage.originatingEntity),
    reasons: { type: 'array', items: reason },
    isFinalReceipt: { type: 'boolean' },
    metadata: stringMap,
    conversationId: str,
  },
  allOf: [
    {
      if: { required: ['type'], properties: { type: { enum: ['Text', 'Structured'] } } },
      then: { anyOf: [{ required: ['text'] }, { required: ['content'], properties: { content: { minItems: 1 } } }] },
      'x-message': 'is a Text/Structured message and needs text or content',
    },
    {
      if: { required: ['type'], properties: { type: { const: 'Event' } } },
      then: { required: ['events'], properties: { events: { minItems: 1 } } },
      'x-message': 'is an Event message and needs at least one event',
    },
    {
      if: { required: ['type'], properties: { type: { const: 'Receipt' } } },
      then: { required: ['status'] },
      'x-message': 'is a Receipt and needs a status',
    },
  ],
};

// ---------- compile and explain ----------

const ajv = new Ajv({
  allErrors: true,
  strict: false,
  verbose: true, // errors carry parentSchema, where x-message lives
  formats: {
    'date-time': isIsoDateTime,
    'http-url': isHttpUrl,
    'webhook-url': isHttpsWebhookUrl,
    'webhook-url-loopback': isHttpUrl,
  },
});

const validators: Record<GenesysBodyKind, ValidateFunction> = {
  'inbound-message': ajv.compile(inboundMessageSchema),
  'inbound-event': ajv.compile(inboundEventSchema),
  'inbound-receipt': ajv.compile(inboundReceiptSchema),
  'inbound-structured-response': ajv.compile(inboundStructuredResponseSchema),
  'integration-create': ajv.compile(integrationCreateSchema),
  'integration-update': ajv.compile(integrationUpdateSchema),
  'supported-content': ajv.compile(supportedContentSchema),
  'messaging-setting': ajv.compile(messagingSettingSchema),
};
const loopbackValidators: Partial<Record<GenesysBodyKind, ValidateFunction>> = {
  'integration-create': ajv.compile(integrationSchema(false, true)),
  'integration-update': ajv.compile(integrationSchema(true, true)),
};
const outboundValidator = ajv.compile(outboundMessageSchema);

function where(instancePath: string): string {
  return instancePath === '' ? 'the body' : instancePath;
}

function sentence(e: ErrorObject): string {
  const at = where(e.instancePath);
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'required':
      return `${e.instancePath}/${p.missingProperty} is required`;
    case 'additionalProperties':
      return `${e.instancePath}/${p.additionalProperty} is not a property Genesys accepts here`;
    case 'enum':
      return `${at} must be one of ${p.allowedValues.join(', ')} (got ${JSON.stringify(e.data)})`;
    case 'const':
      return `${at} must be ${JSON.stringify(p.allowedValue)} (got ${JSON.stringify(e.data)})`;
    case 'format':
      return `${at} must be ${FORMAT_WORDS[p.format] ?? p.format} (got ${JSON.stringify(e.data)})`;
    case 'minLength': {
      const xMessage = (e.parentSchema as Json | undefined)?.['x-message'];
      return typeof xMessage === 'string' ? `${at} ${xMessage}` : `${at} ${e.message ?? 'is too short'}`;
    }
    case 'type':
      return `${at} must be ${p.type === 'object' ? 'an object' : p.type === 'array' ? 'an array' : `a ${p.type}`}`;
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}

const COMPOUND: Record<string, string> = { anyOf: 'anyOf', if: 'then', not: 'not', oneOf: 'oneOf' };

/** ajv errors -> one readable sentence each; a compound rule with an x-message becomes that one sentence. */
function explain(errors: ErrorObject[] | null | undefined): string[] {
  if (!errors?.length) return [];
  const replaced: string[] = []; // schemaPath prefixes whose branch errors are covered by an x-message
  const out: string[] = [];
  for (const e of errors) {
    const xMessage = (e.parentSchema as Json | undefined)?.['x-message'];
    const branch = COMPOUND[e.keyword];
    if (branch && typeof xMessage === 'string') {
      const parentPath = e.schemaPath.slice(0, e.schemaPath.lastIndexOf('/'));
      replaced.push(`${parentPath}/${branch}`);
      out.push(`${where(e.instancePath)} ${xMessage}`);
    }
  }
  for (const e of errors) {
    if (COMPOUND[e.keyword] && typeof (e.parentSchema as Json | undefined)?.['x-message'] === 'string') continue;
    if (e.keyword === 'if') continue; // always comes with the errors of its `then`, which say more
    if (replaced.some((base) => e.schemaPath === base || e.schemaPath.startsWith(`${base}/`))) continue;
    out.push(sentence(e));
  }
  return [...new Set(out)];
}

/** Readable violations of a request body sent to Genesys; empty when valid. */
export function validateGenesys(kind: GenesysBodyKind, body: unknown, options: GenesysValidateOptions = {}): string[] {
  const validate = (options.allowHttpWebhooks && loopbackValidators[kind]) || validators[kind];
  return validate(body) ? [] : explain(validate.errors);
}

/** Readable violations of an outbound open normalized message (what Genesys POSTs to the webhook). */
export function validateGenesysOutbound(body: unknown): string[] {
  return outboundValidator(body) ? [] : explain(outboundValidator.errors);
}
