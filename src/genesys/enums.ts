/**
 * Every enum of Genesys's Open Messaging models, by model and property, as its SDK lists them
 * (../shared/genesys-sdk/enums.md, from the Python SDK; the JavaScript SDK's .d.ts drops them).
 * The emulator's schema and our payload types are built from this table, and a test fails when it
 * differs from enums.md.
 */
export const GENESYS_ENUMS = {
  OpenMessagingFromRecipient: { idType: ['Email', 'Phone', 'Opaque'] },
  OpenMessagingToRecipient: { idType: ['Email', 'Phone', 'Opaque'] },
  OpenContentAttachment: { mediaType: ['Image', 'Video', 'Audio', 'File', 'Link'] },
  ConversationChannelMetadata: { subType: ['None', 'GoogleBusinessProfile', 'RoadsideAssistance', 'YouTube'] },
  OpenInboundNormalizedReceipt: { status: ['Sent', 'Delivered', 'Failed', 'Published', 'Removed'] },
  ConversationReason: {
    code: [
      'MessageExpired', 'RateLimited', 'MessageNotAllowed', 'GeneralError', 'UnsupportedMessage', 'UnknownMessage',
      'InvalidMessageStructure', 'InvalidDestination', 'ServerError', 'MediaTypeNotAllowed', 'InvalidMediaContentLength',
      'RecipientOptedOut', 'DataFiltered',
    ],
  },
  OpenEvent: { eventType: ['Typing'] },
  ContentButtonResponse: { type: ['Button', 'QuickReply', 'DatePicker'] },
  OpenMessageNormalizedMessage: { type: ['Text'] },
  OpenMessagingChannel: { platform: ['Open'], type: ['Private'] },
  OpenMessageContent: { contentType: ['Attachment'] },
  OpenMessageEvent: { eventType: ['Typing'] },
  ConversationContentAttachment: { mediaType: ['Image', 'Video', 'Audio', 'File', 'Link'] },
  ConversationContentQuickReply: { action: ['Message'] },
  ConversationContentCardAction: { type: ['Link', 'Postback', 'Unknown'] },
  OpenIntegration: { createStatus: ['Initiated', 'Completed', 'Error'] },
  ConversationNormalizedMessage: {
    type: ['Text', 'Structured', 'Receipt', 'Event', 'Message', 'Unknown'],
    status: ['Sent', 'Delivered', 'Read', 'Failed', 'Published', 'Removed'],
    originatingEntity: ['Human', 'Bot'],
    direction: ['Inbound', 'Outbound'],
  },
  ConversationMessageContent: {
    contentType: [
      'Reactions', 'Attachment', 'Location', 'QuickReply', 'Notification', 'ButtonResponse', 'Story', 'Mention', 'Card',
      'Carousel', 'Text', 'QuickReplyV2', 'DatePicker', 'InteractiveApplication', 'ListPicker', 'PaymentRequest',
      'PaymentResponse', 'Push', 'Form', 'RoadsideAssistance', 'RichLink', 'NotificationResponse', 'Unknown',
    ],
  },
} as const;

/**
 * The receipt endpoint takes only these of OpenInboundNormalizedReceipt's statuses: "There are 2 supported
 * receipt statuses for this endpoint: Delivered | Failed" (developer.genesys.cloud, inboundReceiptMessages).
 */
export const RECEIPT_ENDPOINT_STATUSES = ['Delivered', 'Failed'] as const satisfies ReadonlyArray<
  (typeof GENESYS_ENUMS.OpenInboundNormalizedReceipt.status)[number]
>;
