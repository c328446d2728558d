import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BodyShapeError } from '../../../src/errors.js';
import { validateAgentMessage } from '../../../src/relay/validate-genesys.js';

const dir = new URL('../../../templates/genesys/', import.meta.url);
const templates = readdirSync(dir).filter((f) => f.endsWith('.json'));
const text = JSON.parse(readFileSync(new URL('text.json', dir), 'utf8'));

describe('validateAgentMessage: the shape to-line, the receipt and the label rely on', () => {
  it.each(templates)('accepts the agent message template %s as it is', (name) => {
    const message = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
    expect(validateAgentMessage(message)).toBe(message);
  });

  it.each([
    ['a body that is a list', [text], 'the body must be an object'],
    ['no id', { ...text, id: undefined }, 'id must be a non-empty string'],
    ['channel a string', { ...text, channel: 'x' }, 'channel must be an object'],
    ['channel.to missing', { ...text, channel: { id: 'i' } }, 'channel.to must be an object'],
    ['channel.to.id a number', { ...text, channel: { to: { id: 7 } } }, 'channel.to.id must be a non-empty string'],
    ['channel.id a number', { ...text, channel: { ...text.channel, id: 7 } }, 'channel.id must be a string'],
    ['text a number', { ...text, text: 5 }, 'text must be a string'],
    ['content [null]', { ...text, content: [null] }, 'content[0] must be an object'],
    ['content "x"', { ...text, content: 'x' }, 'content must be an array'],
    ['content {}', { ...text, content: {} }, 'content must be an array'],
    ['an item without contentType', { ...text, content: [{ attachment: {} }] }, 'content[0].contentType must be a non-empty string'],
    ['an attachment string', { ...text, content: [{ contentType: 'Attachment', attachment: 'x' }] }, 'content[0].attachment must be an object'],
    ['an attachment url a number', { ...text, content: [{ contentType: 'Attachment', attachment: { url: 1 } }] }, 'content[0].attachment.url must be a string'],
    ['quickReplyV2.actions not a list', { ...text, content: [{ contentType: 'QuickReplyV2', quickReplyV2: { actions: {} } }] }, 'content[0].quickReplyV2.actions must be an array'],
    ['carousel.cards not a list', { ...text, content: [{ contentType: 'Carousel', carousel: { cards: 'x' } }] }, 'content[0].carousel.cards must be an array'],
    ['an item text a number', { ...text, content: [{ contentType: 'Text', text: 1 }] }, 'content[0].text must be a string or an object with a string "body"'],
    ['events [null]', { ...text, type: 'Event', events: [null] }, 'events[0] must be an object'],
    ['an event without eventType', { ...text, type: 'Event', events: [{}] }, 'events[0].eventType must be a non-empty string'],
  ])('refuses %s, naming the field', (_, body, message) => {
    let thrown: unknown;
    try {
      validateAgentMessage(body);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(BodyShapeError);
    expect((thrown as BodyShapeError).message).toBe(message);
    expect((thrown as BodyShapeError).status).toBe(400);
  });
});
