/**
 * Genesys Cloud Open Messaging payloads, named and shaped as in the official schema
 * (the models of the `purecloud-platform-client-v2` SDK, v262). Only what the relay uses.
 * `channel.metadata.customAttributes` is documented on developer.genesys.cloud (open messaging,
 * inbound messages) although the SDK's ConversationChannelMetadata lists only `subType`.
 */

export type OpenMessagingIdType = 'Opaque' | 'Email' | 'Phone';
export type AttachmentMediaType = 'Image' | 'Video' | 'Audio' | 'File' | 'Link';

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

/** ConversationChannelMetadata, with the documented customAttributes map. */
export interface ConversationChannelMetadata {
  subType?: string;
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

/** OpenInboundMessageContent */
export interface OpenInboundMessageContent {
  contentType: 'Attachment';
  attachment: OpenContentAttachment;
}

/** OpenInboundNormalizedMessage: body of POST /api/v2/conversations/messages/{integrationId}/inbound/open/message */
export interface OpenInboundNormalizedMessage {
  channel: OpenInboundMessageMessagingChannel;
  text?: string;
  content?: OpenInboundMessageContent[];
}

/** OpenInboundNormalizedEvent: body of .../inbound/open/event */
export interface OpenInboundNormalizedEvent {
  channel: { from: OpenMessagingFromRecipient; time: string };
  events: Array<{ eventType: 'Typing'; typing?: ConversationEventTyping }>;
}

/** ConversationReason */
export interface ConversationReason {
  code?: string;
  message: string;
}

export type ReceiptStatus = 'Delivered' | 'Failed';

/** OpenInboundNormalizedReceipt: body of .../inbound/open/receipt */
export interface OpenInboundNormalizedReceipt {
  /** The outbound message's id, as Genesys sent it. */
  id: string;
  channel: { to: OpenMessagingToRecipient; time: string };
  status: ReceiptStatus;
  direction: 'Outbound';
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
  type?: 'Link' | 'Postback' | string;
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

export type ConversationContentType =
  | 'Attachment'
  | 'Location'
  | 'QuickReply'
  | 'QuickReplyV2'
  | 'ButtonResponse'
  | 'Notification'
  | 'GenericTemplate'
  | 'ListTemplate'
  | 'Postback'
  | 'Reactions'
  | 'Mention'
  | 'Story'
  | 'Card'
  | 'Carousel'
  | 'Text'
  | 'DatePicker'
  | 'ListPicker'
  | string;

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
  type: 'Text' | 'Structured' | 'Event' | 'Receipt' | string;
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

/** OpenIntegrationRequest: body of POST /api/v2/conversations/messaging/integrations/open */
export interface OpenIntegrationRequest {
  name: string;
  outboundNotificationWebhookUrl: string;
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
  webhookHeaders?: Record<string, string>;
  status?: string;
  /** 'Initiated' | 'Completed' | 'Error' */
  createStatus?: string;
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
