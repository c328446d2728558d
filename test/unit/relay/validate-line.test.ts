import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateLineWebhook } from '../../../src/relay/validate-line.js';

const dir = new URL('../../../templates/line/', import.meta.url);
const templates = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('validateLineWebhook: events a list of objects with a type', () => {
  it.each(templates)('accepts the webhook template %s, events untouched', (name) => {
    const body = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
    const { events } = validateLineWebhook(body);
    expect(events).toBe(body.events);
  });

  it('keeps a destination, drops an empty one', () => {
    expect(validateLineWebhook({ destination: 'Ubot', events: [] })).toEqual({ destination: 'Ubot', events: [] });
    expect(validateLineWebhook({ destination: '', events: [] })).toEqual({ events: [] });
  });

  it.each([
    ['null', null, 'the body must be an object'],
    ['no events', {}, 'events must be an array'],
    ['events an object', { events: {} }, 'events must be an array'],
    ['events [1]', { events: [1] }, 'events[0] must be an object'],
    ['an event with no type', { events: [{ type: 'follow' }, { source: {} }] }, 'events[1].type must be a non-empty string'],
    ['destination a number', { destination: 5, events: [] }, 'destination must be a string'],
    ['source a string', { events: [{ type: 'follow', source: 'x' }] }, 'events[0].source must be an object'],
    ['message a string', { events: [{ type: 'message', message: 'x' }] }, 'events[0].message must be an object'],
    ['message with no type', { events: [{ type: 'message', message: { id: '1' } }] }, 'events[0].message.type must be a non-empty string'],
    ['webhookEventId a number', { events: [{ type: 'follow', webhookEventId: 1 }] }, 'events[0].webhookEventId must be a string'],
  ])('refuses %s, naming the field', (_, body, message) => {
    expect(() => validateLineWebhook(body)).toThrow(message);
  });
});
