/**
 * The emulator's enums are Genesys's: every `Allowed:` list of ../shared/genesys-sdk/enums.md (Genesys's SDK
 * models) must be the one in src/genesys/enums.ts, which the emulator's schema is built from, and the other
 * way round.
 */
import { describe, expect, it } from 'vitest';
import { GENESYS_ENUMS, RECEIPT_ENDPOINT_STATUSES } from '../../../src/genesys/enums.js';
import { validateGenesys, validateGenesysOutbound } from '../../../src/sandbox/genesys-schema.js';
import { readSdkEnums } from '../../helpers/genesys-sdk.js';

function flatten(enums: Record<string, Record<string, readonly string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [model, properties] of Object.entries(enums)) {
    for (const [property, values] of Object.entries(properties)) out[`${model}.${property}`] = [...values];
  }
  return out;
}

const fromSdk = Object.fromEntries(readSdkEnums());

describe("the emulator's enums", () => {
  it('enums.md is read: it lists 22 enums, ConversationReason.code among them', () => {
    expect(Object.keys(fromSdk)).toHaveLength(22);
    expect(fromSdk['ConversationReason.code']).toContain('RecipientOptedOut');
  });

  it('are exactly those of enums.md, model by model, value by value, in its order', () => {
    expect(flatten(GENESYS_ENUMS)).toEqual(fromSdk);
  });

  it("take only the receipt endpoint's two statuses, both of the model's", () => {
    expect(RECEIPT_ENDPOINT_STATUSES).toEqual(['Delivered', 'Failed']);
    for (const s of RECEIPT_ENDPOINT_STATUSES) expect(fromSdk['OpenInboundNormalizedReceipt.status']).toContain(s);
  });
});

const USER = 'U4af4980629a1b2c3d4e5f6a7b8c9d0e1';
const from = { id: USER, idType: 'Opaque' };
const time = '2025-03-01T10:00:00.000Z';

describe('the schema refuses a value outside each enum, and takes every value in it', () => {
  const receipt = (code: string) => ({
    id: 'm-1', channel: { to: { id: USER }, time }, status: 'Failed', reasons: [{ code, message: 'why' }],
  });
  it('ConversationReason.code on a Failed receipt', () => {
    for (const code of GENESYS_ENUMS.ConversationReason.code) expect(validateGenesys('inbound-receipt', receipt(code))).toEqual([]);
    expect(validateGenesys('inbound-receipt', receipt('Blocked'))).toEqual([
      `/reasons/0/code must be one of ${fromSdk['ConversationReason.code']!.join(', ')} (got "Blocked")`,
    ]);
  });

  const attachment = (mediaType: string) => ({
    channel: { messageId: `m-${mediaType}`, time, from },
    content: [{ attachment: { mediaType, url: 'https://media.example/a', mime: 'text/html' } }],
  });
  it('OpenContentAttachment.mediaType on an inbound message, Link included', () => {
    for (const t of GENESYS_ENUMS.OpenContentAttachment.mediaType) expect(validateGenesys('inbound-message', attachment(t))).toEqual([]);
    expect(validateGenesys('inbound-message', attachment('Sticker'))).toEqual([
      '/content/0/attachment/mediaType must be one of Image, Video, Audio, File, Link (got "Sticker")',
    ]);
  });

  it('OpenEvent.eventType, and nothing else on an inbound event item', () => {
    expect(validateGenesys('inbound-event', { channel: { from, time }, events: [{ eventType: 'Typing' }] })).toEqual([]);
    expect(validateGenesys('inbound-event', { channel: { from, time }, events: [{ eventType: 'Read' }] })).toEqual([
      '/events/0/eventType must be one of Typing (got "Read")',
    ]);
    expect(validateGenesys('inbound-event', { channel: { from, time }, events: [{ eventType: 'Typing', typing: { type: 'On' } }] })).toEqual([
      '/events/0/typing is not a property Genesys accepts here',
    ]);
  });

  const outbound = (extra: Record<string, unknown>) => ({
    id: 'g-1', channel: { id: 'i-1', platform: 'Open', type: 'Private', to: { id: USER }, from: { id: 'i-1' }, time }, type: 'Text', text: 'Hi', ...extra,
  });
  it('OpenMessagingChannel.type: Private only', () => {
    expect(validateGenesysOutbound(outbound({}))).toEqual([]);
    const pub = outbound({});
    (pub.channel as Record<string, unknown>)['type'] = 'Public';
    expect(validateGenesysOutbound(pub)).toEqual(['/channel/type must be one of Private (got "Public")']);
  });

  it("ConversationNormalizedMessage.type and ConversationMessageContent.contentType on Genesys's outbound messages", () => {
    for (const type of ['Text', 'Structured', 'Message', 'Unknown']) expect(validateGenesysOutbound(outbound({ type }))).toEqual([]);
    expect(validateGenesysOutbound(outbound({ type: 'Postback' }))).toEqual([
      `/type must be one of ${fromSdk['ConversationNormalizedMessage.type']!.join(', ')} (got "Postback")`,
    ]);
    expect(validateGenesysOutbound(outbound({ type: 'Structured', content: [{ contentType: 'RichLink' }] }))).toEqual([]);
    expect(validateGenesysOutbound(outbound({ type: 'Structured', content: [{ contentType: 'GenericTemplate' }] }))).toEqual([
      `/content/0/contentType must be one of ${fromSdk['ConversationMessageContent.contentType']!.join(', ')} (got "GenericTemplate")`,
    ]);
  });

  it('one attachment per Attachment content: an object, not a list', () => {
    const one = { contentType: 'Attachment', attachment: { mediaType: 'Image', url: 'https://media.example/a.jpg' } };
    expect(validateGenesysOutbound(outbound({ content: [one] }))).toEqual([]);
    expect(validateGenesysOutbound(outbound({ content: [{ contentType: 'Attachment', attachment: [one.attachment, one.attachment] }] }))).toEqual([
      '/content/0/attachment must be an object',
    ]);
  });
});
