/**
 * Genesys Cloud Open Messaging payloads, named and shaped as in the official schema: the models of the
 * `purecloud-platform-client-v2` SDK (v262, ../shared/genesys-sdk/models.d.ts), with the enum values of
 * ./enums.ts. Only what the relay uses. Where a type departs from the model, its comment says why.
 */
import type { GENESYS_ENUMS } from './enums.js';

type Enum = typeof GENESYS_ENUMS;

export type OpenMessagingIdType = Enum['OpenMessagingFromRecipient']['idType'][number];
export type AttachmentMediaType = Enum['OpenContentAttachment']['mediaType'][number];
export type ConversationReasonCode = Enum['ConversationReason']['code'][number];
export type ButtonResponseType = Enum['ContentButtonResponse']['type'][number];

/** OpenMessagingFromRecipient */
export interface OpenMessagingFromRecipient {
  id: string;
  idType: OpenMessagingIdType;
  nickname?: string;
  firstName?: string;
  lastName?: string;
  image?: string;
  email?: string;
}

/** OpenMessagingToRecipient */
export interface OpenMessagingToRecipient {
  id: string;
  idType?: OpenMessagingIdType;
  nickname?: string;
  firstName?: string;
  lastName?: string;
  image?: string;
  email?: string;
}

/**
 * ConversationChannelMetadata. The model (since SDK 251) names only `subType`; `customAttributes` is where
 * Genesys's Open Messaging pages and its forum put the attributes that become participant data, so we keep it
 * until a live check on a real organisation says otherwise (`doctor --live`).
 */
export interface ConversationChannelMetadata {
  subType?: Enum['ConversationChannelMetadata']['subType'][number];
  customAttributes?: Record<string, string>;
}

/** OpenInboundMessageMessagingChannel */
export interface OpenInboundMessageMessagingChannel {
  from: OpenMessagingFromRecipient;
  /** ISO-8601 */
  time: string;
  messageId?: string;
  metadata?: ConversationChannelMetadata;
}

/** OpenContentAttachment (inbound: url and mime are required) */
export interface OpenContentAttachment {
  id?: string;
  mediaType: AttachmentMediaType;
  url: string;
  mime: string;
  text?: string;
  sha256?: string;
  filename?: string;
}

/**
 * OpenInboundMessageContent: the model has no `contentType` here (only the outbound OpenMessageContent has one),
 * so an inbound content item is `{attachment}`. The model marks `attachment` optional, but an item without it
 * carries nothing, so we always send one.
 */
export interface OpenInboundMessageContent {
  attachment: OpenContentAttachment;
}

/** OpenInboundNormalizedMessage: body of POST /api/v2/conversations/messages/{integrationId}/inbound/open/message */
export interface OpenInboundNormalizedMessage {
  channel: OpenInboundMessageMessagingChannel;
  text?: string;
  content?: OpenInboundMessageContent[];
  /** Non-channel metadata; Genesys accepts it but does not turn it into participant data. */
  metadata?: Record<string, string>;
}

/** OpenInboundMessagingChannel */
export interface OpenInboundMessagingChannel {
  from: OpenMessagingFromRecipient;
  time: string;
}

/** OpenEvent: the inbound event item holds its type only. */
export interface OpenEvent {
  eventType: Enum['OpenEvent']['eventType'][number];
}

/** OpenInboundNormalizedEvent: body of .../inbound/open/event */
export interface OpenInboundNormalizedEvent {
  channel: OpenInboundMessagingChannel;
  events: OpenEvent[];
}

/** ContentButtonResponse (its deprecated `id` left out) */
export interface ContentButtonResponse {
  type: ButtonResponseType;
  /** The label the customer saw. */
  text: string;
  payload: string;
}

/** OpenInboundStructuredResponseMessage: body of .../inbound/open/structured/response */
export interface OpenInboundStructuredResponseMessage {
  channel: OpenInboundMessageMessagingChannel;
  buttonResponse: ContentButtonResponse;
  /** The Genesys message that carried the buttons. */
  originatingMessageId: string;
}

/** ConversationReason */
export interface ConversationReason {
  code?: ConversationReasonCode;
  message: string;
}

export type ReceiptStatus = 'Delivered' | 'Failed';

/** OpenInboundNormalizedReceipt: body of .../inbound/open/receipt */
export interface OpenInboundNormalizedReceipt {
  /** The outbound message's id, as Genesys sent it. */
  id: string;
  /** OpenInboundMessagingReceiptChannel */
  channel: { to: OpenMessagingToRecipient; time: string };
  status: ReceiptStatus;
  /** Not in the model; every example of Genesys's inboundReceiptMessages page has it. */
  direction?: 'Outbound';
  isFinalReceipt?: boolean;
  reasons?: ConversationReason[];
}

/** OpenMessageNormalizedMessage: what Genesys answers to an inbound message. */
export interface OpenMessageNormalizedMessage {
  id?: string;
  channel: OpenMessagingChannel;
  type: string;
  text?: string;
  content?: ConversationMessageContent[];
  metadata?: Record<string, string>;
  conversationId?: string;
}

/** OpenMessagingChannel */
export interface OpenMessagingChannel {
  id?: string;
  platform?: string;
  type?: string;
  messageId?: string;
  to: OpenMessagingToRecipient;
  from: OpenMessagingFromRecipient | { id: string; idType?: string; nickname?: string };
  time: string;
  metadata?: ConversationChannelMetadata;
}

/** ConversationContentAttachment */
export interface ConversationContentAttachment {
  id?: string;
  mediaType: AttachmentMediaType | string;
  url?: string;
  mime?: string;
  text?: string;
  sha256?: string;
  filename?: string;
  contentSizeBytes?: number;
}

/** ConversationContentQuickReply */
export interface ConversationContentQuickReply {
  text: string;
  payload: string;
  image?: string;
  action?: string;
  summaryText?: string;
}

/** ConversationContentQuickReplyV2 */
export interface ConversationContentQuickReplyV2 {
  title: string;
  actions: ConversationContentQuickReply[];
}

/** ConversationContentButtonResponse */
export interface ConversationContentButtonResponse {
  originatingMessageId?: string;
  type?: string;
  text: string;
  payload: string;
}

/** ConversationContentCardAction */
export interface ConversationContentCardAction {
  type?: Enum['ConversationContentCardAction']['type'][number] | (string & {});
  text?: string;
  payload?: string;
  url?: string;
}

/** ConversationContentCard */
export interface ConversationContentCard {
  title: string;
  description?: string;
  image?: string;
  video?: string;
  defaultAction?: ConversationContentCardAction;
  actions: ConversationContentCardAction[];
}

/** ConversationContentCarousel */
export interface ConversationContentCarousel {
  cards: ConversationContentCard[];
}

/** ConversationContentLocation */
export interface ConversationContentLocation {
  url?: string;
  address?: string;
  text?: string;
  latitude?: number;
  longitude?: number;
}

/** ConversationContentText */
export interface ConversationContentText {
  type?: string;
  body: string;
}

/** ConversationMessageContent's contentType; any other string is tolerated, as Genesys adds types. */
export type ConversationContentType = Enum['ConversationMessageContent']['contentType'][number] | (string & {});

/** ConversationMessageContent: one item of an outbound message's `content`. */
export interface ConversationMessageContent {
  contentType: ConversationContentType;
  attachment?: ConversationContentAttachment;
  location?: ConversationContentLocation;
  quickReply?: ConversationContentQuickReply;
  quickReplyV2?: ConversationContentQuickReplyV2;
  buttonResponse?: ConversationContentButtonResponse;
  card?: ConversationContentCard;
  carousel?: ConversationContentCarousel;
  text?: ConversationContentText;
  [other: string]: unknown;
}

/** ConversationEventTyping */
export interface ConversationEventTyping {
  type: 'On' | string;
  duration?: number;
}

/** OpenMessageEvent */
export interface OpenMessageEvent {
  eventType: 'Typing' | string;
  typing?: ConversationEventTyping;
}

/**
 * The outbound open normalized message Genesys POSTs to the integration's outbound webhook
 * (OpenNormalizedMessage / OpenEventNormalizedMessage).
 */
export interface OpenOutboundNormalizedMessage {
  id: string;
  channel: OpenMessagingChannel;
  type: Enum['ConversationNormalizedMessage']['type'][number] | (string & {});
  text?: string;
  content?: ConversationMessageContent[];
  events?: OpenMessageEvent[];
  direction?: 'Outbound' | string;
  status?: string;
  reasons?: ConversationReason[];
  isFinalReceipt?: boolean;
  metadata?: Record<string, string>;
  conversationId?: string;
}

/** SupportedContentReference */
export interface SupportedContentReference {
  id: string;
  name?: string;
  selfUri?: string;
  mediaTypes?: MediaTypes;
}

/** MediaType: a MIME type, or a wildcard one such as "image/" followed by a star. */
export interface MediaType {
  type?: string;
}

/** MediaTypes: what a supported-content profile allows, by direction (MediaTypeAccess). */
export interface MediaTypes {
  allow?: { inbound?: MediaType[]; outbound?: MediaType[] };
}

/** SupportedContent: a supported-content profile (GET/POST/PATCH /api/v2/conversations/messaging/supportedcontent). */
export interface SupportedContent {
  id: string;
  name: string;
  version?: number;
  mediaTypes?: MediaTypes;
  dateCreated?: string;
  dateModified?: string;
  selfUri?: string;
}

/** The body of POST .../supportedcontent and PATCH .../supportedcontent/{id} (SupportedContent without its read-only fields). */
export interface SupportedContentRequest {
  name: string;
  mediaTypes?: MediaTypes;
}

/** SettingDirection */
export interface SettingDirection {
  inbound?: 'Enabled' | 'Disabled';
  outbound?: 'Enabled' | 'Disabled';
}

/** EventSetting: `typing.on` turns typing indicators on, by direction (TypingSetting). */
export interface EventSetting {
  typing?: { on?: SettingDirection };
}

/** MessagingSetting (GET .../messaging/settings). */
export interface MessagingSetting {
  id: string;
  name?: string;
  version?: string;
  content?: Record<string, unknown>;
  event?: EventSetting;
  dateCreated?: string;
  dateModified?: string;
  selfUri?: string;
}

/** MessagingSettingRequest: body of POST .../messaging/settings (PATCH takes the same fields, MessagingSettingPatchRequest). */
export interface MessagingSettingRequest {
  name: string;
  content?: Record<string, unknown>;
  event?: EventSetting;
}

/** The listings of profiles: an entity listing like OpenIntegrationEntityListing. */
export interface EntityListing<T> {
  entities?: T[];
  pageSize?: number;
  pageNumber?: number;
  total?: number;
  pageCount?: number;
}

/** The part of a Conversation (GET /api/v2/conversations/{conversationId}) `doctor --live` reads. */
export interface Conversation {
  id: string;
  startTime?: string;
  endTime?: string;
  participants: Array<{
    id?: string;
    purpose?: string;
    state?: string;
    /** Participant data: where Genesys puts channel.metadata.customAttributes, if it still does. */
    attributes?: Record<string, string>;
  }>;
  selfUri?: string;
}

/** OpenIntegrationRequest: body of POST /api/v2/conversations/messaging/integrations/open */
export interface OpenIntegrationRequest {
  name: string;
  outboundNotificationWebhookUrl: string;
  /** Longer than 15 characters (OpenIntegrationRequest). */
  outboundNotificationWebhookSignatureSecretToken: string;
  supportedContent?: { id: string };
  messagingSetting?: { id: string };
  webhookHeaders?: Record<string, string>;
}

/** OpenIntegrationUpdateRequest: body of PATCH .../integrations/open/{integrationId} */
export interface OpenIntegrationUpdateRequest {
  name?: string;
  outboundNotificationWebhookUrl?: string;
  outboundNotificationWebhookSignatureSecretToken?: string;
  supportedContent?: { id: string };
  messagingSetting?: { id: string };
  webhookHeaders?: Record<string, string>;
}

/** OpenIntegration */
export interface OpenIntegration {
  id: string;
  name: string;
  outboundNotificationWebhookUrl: string;
  outboundNotificationWebhookSignatureSecretToken?: string;
  supportedContent?: SupportedContentReference;
  /** MessagingSettingReference */
  messagingSetting?: { id: string; name?: string; selfUri?: string };
  webhookHeaders?: Record<string, string>;
  status?: string;
  createStatus?: Enum['OpenIntegration']['createStatus'][number];
  createError?: { message?: string; code?: string };
  recipient?: { id: string; selfUri?: string };
  dateCreated?: string;
  dateModified?: string;
  selfUri?: string;
}

/** OpenIntegrationEntityListing */
export interface OpenIntegrationEntityListing {
  entities?: OpenIntegration[];
  pageSize?: number;
  pageNumber?: number;
  total?: number;
  pageCount?: number;
  nextUri?: string;
}

/** OAuth client-credentials answer of POST https://login.<region>/oauth/token */
export interface OAuthTokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
}

/** DomainEntityRef (response management: the library a canned response belongs to) */
export interface DomainEntityRef {
  id?: string;
  name?: string;
  selfUri?: string;
}

/** ResponseText: one text of a canned response. */
export interface ResponseText {
  content: string;
  contentType?: 'text/plain' | 'text/html';
  type?: 'body' | 'subject';
}

/** Response (the SDK's name): a canned response, the body of POST /api/v2/responsemanagement/responses. */
export interface ResponseManagementResponse {
  name?: string;
  libraries: DomainEntityRef[];
  texts: ResponseText[];
  interactionType?: 'chat' | 'email' | 'twitter';
}
