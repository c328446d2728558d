/**
 * Makes the Genesys emulator act like Genesys when an agent replies: build an outbound open normalized message,
 * sign it with the integration's secret (X-Hub-Signature-256: "sha256=" + base64 HMAC-SHA256 of the raw body,
 * developer.genesys.cloud/commdigital/digital/openmessaging/validate) and POST it to the integration's
 * outboundNotificationWebhookUrl, with the integration's webhookHeaders. `redeliver` posts the very same bytes
 * again, as Genesys does when the webhook times out (10 s) or answers 429/5xx.
 */
import { randomUUID } from 'node:crypto';
import { postWebhook, signedHeaders, type SignedRequest } from '../samples.js';
import type { GenesysEmulator } from './genesys-api.js';
import { validateGenesysOutbound } from './genesys-schema.js';
import type { ConversationMessageContent, OpenMessageEvent, OpenOutboundNormalizedMessage } from '../genesys/types.js';

export interface AgentMessage {
  integrationId: string;
  /** The customer's id as sent inbound (channel.from.id): the LINE user id. */
  to: string;
  text?: string;
  content?: ConversationMessageContent[];
  /** Default: 'Event' with events, 'Structured' with content other than attachments, else 'Text'. */
  type?: OpenOutboundNormalizedMessage['type'];
  events?: OpenMessageEvent[];
}

export interface WebhookAnswer {
  status: number;
  /** Parsed JSON when the webhook answered JSON, else the text. */
  body: unknown;
  messageId: string;
}

const sent = new WeakMap<GenesysEmulator, Map<string, SignedRequest>>();

function deliveriesOf(emulator: GenesysEmulator): Map<string, SignedRequest> {
  let map = sent.get(emulator);
  if (!map) sent.set(emulator, (map = new Map()));
  return map;
}

function defaultType(m: AgentMessage): OpenOutboundNormalizedMessage['type'] {
  if (m.events?.length) return 'Event';
  if (m.content?.some((c) => c.contentType !== 'Attachment')) return 'Structured';
  return 'Text';
}

/** The outbound open normalized message Genesys would send for this agent reply. */
export function buildAgentMessage(m: AgentMessage, id: string = randomUUID()): OpenOutboundNormalizedMessage {
  return {
    id,
    channel: {
      id: m.integrationId,
      platform: 'Open',
      type: 'Private',
      to: { id: m.to },
      from: { id: m.integrationId, idType: 'Opaque', nickname: 'Agent' },
      time: new Date().toISOString(),
      messageId: id,
    },
    type: m.type ?? defaultType(m),
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.content !== undefined ? { content: m.content } : {}),
    ...(m.events !== undefined ? { events: m.events } : {}),
    direction: 'Outbound',
  };
}

/** Genesys waits 10 s for the webhook to answer, as postWebhook does. */
async function post(d: SignedRequest): Promise<{ status: number; body: unknown }> {
  const { status, body } = await postWebhook(d);
  return { status, body };
}

/** Sends an agent's reply to the integration's outbound webhook, signed, and returns the webhook's answer. */
export async function sendAgentMessage(emulator: GenesysEmulator, m: AgentMessage): Promise<WebhookAnswer> {
  const integration = emulator.integrations.get(m.integrationId);
  if (!integration) throw new Error(`Genesys emulator: no integration ${m.integrationId}`);
  const secret = integration.outboundNotificationWebhookSignatureSecretToken;
  if (!secret) throw new Error(`Genesys emulator: integration ${m.integrationId} has no signature secret token`);

  const message = buildAgentMessage(m);
  const violations = validateGenesysOutbound(message);
  if (violations.length) throw new Error(`Genesys emulator: that agent message is not one Genesys would send: ${violations.join('; ')}`);

  const body = JSON.stringify(message);
  const delivery: SignedRequest = {
    url: integration.outboundNotificationWebhookUrl,
    headers: { ...integration.webhookHeaders, ...signedHeaders('genesys', body, secret) },
    body,
  };
  deliveriesOf(emulator).set(message.id, delivery);
  return { ...(await post(delivery)), messageId: message.id };
}

/** Posts the exact bytes (and headers) of an earlier agent message again, as a Genesys retry does. */
export async function redeliver(emulator: GenesysEmulator, messageId: string): Promise<WebhookAnswer> {
  const delivery = sent.get(emulator)?.get(messageId);
  if (!delivery) throw new Error(`Genesys emulator: no agent message ${messageId} was sent by this emulator`);
  return { ...(await post(delivery)), messageId };
}
