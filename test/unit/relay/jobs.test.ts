import { describe, expect, it } from 'vitest';
import { LineGenesysError } from '../../../src/errors.js';
import { decode, encode, JobPayloadError, label, outboundIdentity, type JobPayload } from '../../../src/relay/jobs.js';

const USER = 'U4af4980629c5f1b2e1d4c3b2a1f0e9d8';
const text = { type: 'message', mode: 'active', timestamp: 1700000000000, webhookEventId: '01HZY', source: { type: 'user', userId: USER }, message: { id: '1', type: 'text', text: 'hi' } };
const reply = { id: 'm-1', channel: { id: 'integration-1', platform: 'Open', type: 'Private', to: { id: USER }, time: '2026-01-01T00:00:00Z' }, type: 'Text', text: 'hello', direction: 'Outbound' };

describe('encode: the payload text a job is stored with', () => {
  it('inbound: the destination and the event, the kind left to the job column', () => {
    const p = { kind: 'inbound', destination: 'Ubot', event: text } as JobPayload;
    expect(encode(p)).toEqual({
      kind: 'inbound',
      payload:
        '{"destination":"Ubot","event":{"type":"message","mode":"active","timestamp":1700000000000,"webhookEventId":"01HZY","source":{"type":"user","userId":"U4af4980629c5f1b2e1d4c3b2a1f0e9d8"},"message":{"id":"1","type":"text","text":"hi"}}}',
    });
  });
  it('outbound: the candidates and the message', () => {
    const p = { kind: 'outbound', candidates: ['th', 'tw'], message: reply } as JobPayload;
    expect(encode(p).payload).toBe(
      '{"candidates":["th","tw"],"message":{"id":"m-1","channel":{"id":"integration-1","platform":"Open","type":"Private","to":{"id":"U4af4980629c5f1b2e1d4c3b2a1f0e9d8"},"time":"2026-01-01T00:00:00Z"},"type":"Text","text":"hello","direction":"Outbound"}}',
    );
  });
});

describe('decode: the payload a deliverer gets, checked', () => {
  it('reads a payload written before this module (the text receivers have always stored)', () => {
    const stored = `{"destination":"Ubot","event":${JSON.stringify(text)}}`;
    expect(decode({ kind: 'inbound', payload: stored })).toEqual({ kind: 'inbound', destination: 'Ubot', event: text });
    expect(decode({ kind: 'outbound', payload: `{"candidates":["tw"],"message":${JSON.stringify(reply)}}` }, 'outbound')).toEqual({ kind: 'outbound', candidates: ['tw'], message: reply });
  });
  it('an inbound payload without a destination has none', () => {
    expect(decode({ kind: 'inbound', payload: '{"event":{"type":"follow"}}' })).toEqual({ kind: 'inbound', event: { type: 'follow' } });
  });

  it.each([
    ['inbound', 'not json', "the job's inbound payload is not JSON"],
    ['inbound', '[1]', "the job's inbound payload is not a JSON object"],
    ['inbound', 'null', "the job's inbound payload is not a JSON object"],
    ['inbound', '{}', `the job's inbound payload has no "event" with a type`],
    ['inbound', '{"event":{"type":7}}', `the job's inbound payload has no "event" with a type`],
    ['inbound', '{"destination":5,"event":{"type":"follow"}}', `the job's inbound payload has a "destination" that is not a string`],
    ['outbound', '{"candidates":"th","message":{}}', `the job's outbound payload has no "candidates" list of channel ids`],
    ['outbound', '{"candidates":["th",2],"message":{}}', `the job's outbound payload has no "candidates" list of channel ids`],
    ['outbound', '{"candidates":["th"],"message":{"type":"Text"}}', `the job's outbound payload has no "message" with an id and a type`],
    ['outbound', '{"candidates":["th"],"message":{"id":"m","type":"Text","channel":{"to":{}}}}', `the job's outbound payload has no "message.channel.to.id" (the customer)`],
    ['outbound', '{"candidates":["th"],"message":{"id":"m","type":"Text","channel":{"to":{"id":"U1"}},"content":"x"}}', `the job's outbound payload has a "message" whose content must be an array`],
    ['outbound', '{"candidates":["th"],"message":{"id":"m","type":"Text","channel":{"to":{"id":"U1"}},"content":[null]}}', `the job's outbound payload has a "message" whose content[0] must be an object`],
    ['sideways', '{}', "the job's sideways payload is of no known kind"],
  ])('%s %s: a JobPayloadError, "%s"', (kind, payload, message) => {
    let caught: unknown;
    try {
      decode({ kind: kind as 'inbound', payload });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(JobPayloadError);
    expect(caught).toBeInstanceOf(LineGenesysError);
    expect(caught).toMatchObject({ code: 'JOB_PAYLOAD_INVALID', message });
  });

  it('a job of another kind than the deliverer expects is refused, not misread', () => {
    const job = { kind: 'outbound' as const, payload: `{"candidates":["th"],"message":${JSON.stringify(reply)}}` };
    expect(() => decode(job, 'inbound')).toThrow(new JobPayloadError('inbound', 'was expected, but the job is outbound'));
    expect(() => decode(job, 'inbound')).toThrow("the job's inbound payload was expected, but the job is outbound");
  });
});

describe('label: a job in a few characters', () => {
  const inbound = (event: object) => ({ kind: 'inbound', event }) as JobPayload;
  const outbound = (message: object) => ({ kind: 'outbound', candidates: ['th'], message: { ...reply, ...message } }) as JobPayload;
  it.each([
    ['message/text', inbound(text)],
    ['message/sticker', inbound({ ...text, message: { id: '2', type: 'sticker', packageId: '1', stickerId: '2' } })],
    ['message', inbound({ type: 'message', message: {} })],
    ['follow', inbound({ type: 'follow' })],
    ['unsend', inbound({ type: 'unsend', message: { type: 'text' } })],
    ['Text', outbound({})],
    ['Structured/Attachment+QuickReply', outbound({ type: 'Structured', content: [{ contentType: 'Attachment' }, { contentType: 'QuickReply' }, { contentType: 'Attachment' }] })],
    ['event/Typing', outbound({ type: 'Event', events: [{ eventType: 'Typing' }] })],
    ['event/unknown', outbound({ type: 'Event', events: [] })],
  ])('%s', (expected, payload) => {
    expect(label(payload)).toBe(expected);
  });
});

describe('outboundIdentity: what an undecodable agent message still says of itself', () => {
  const U = 'U4af4980629c5f1b2e1d4c3b2a1f0e9d8';
  it('reads the message id, the customer and the first candidate from a payload the decoder refuses', () => {
    const payload = JSON.stringify({ candidates: ['tw', 'th'], message: { id: 'm-9', type: 'Text', channel: { to: { id: U } }, content: [null] } });
    expect(outboundIdentity({ payload })).toEqual({ messageId: 'm-9', to: U, channelId: 'tw' });
  });

  it('names nothing for a payload that is not JSON or has no id or customer', () => {
    expect(outboundIdentity({ payload: '{' })).toBeUndefined();
    expect(outboundIdentity({ payload: JSON.stringify({ message: { channel: { to: { id: U } } } }) })).toBeUndefined();
    expect(outboundIdentity({ payload: JSON.stringify({ message: { id: 'm-1', channel: {} } }) })).toBeUndefined();
  });

  it('leaves the channel out when the candidates are not channel ids', () => {
    expect(outboundIdentity({ payload: JSON.stringify({ candidates: [7], message: { id: 'm-2', channel: { to: { id: U } } } }) })).toEqual({ messageId: 'm-2', to: U });
  });
});
