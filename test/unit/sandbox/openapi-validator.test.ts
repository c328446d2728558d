import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkLineRequest, prepareSchemas, validateLineRequest, validateLineWebhook } from '../../../src/sandbox/openapi-validator.js';
import webhookSpec from '../../../src/sandbox/line-webhook-schema.json' with { type: 'json' };

/**
 * LINE's own documented webhook bodies, normalised to validate against webhook.yml, are read where
 * they are kept current (../shared/line-openapi/samples), not copied; every template is validated by
 * test/contract. The broken bodies below start from a template.
 */
const samples = fileURLToPath(new URL('../../../../shared/line-openapi/samples/', import.meta.url));
const templates = fileURLToPath(new URL('../../../templates/line/', import.meta.url));
const examples = readdirSync(samples).filter((f) => f.endsWith('.json') && f !== 'signature-vectors.json');
const load = (name: string): any => JSON.parse(readFileSync(templates + name, 'utf8'));
const USER = 'U80696558e1aa831c5ada74573f5ac699';

describe('validateLineWebhook', () => {
  it("reads LINE's 26 documented bodies and the two one-to-one text extras", () => {
    expect(examples).toHaveLength(28);
  });

  it.each(examples)("accepts LINE's example %s", (name) => {
    expect(validateLineWebhook(JSON.parse(readFileSync(samples + name, 'utf8')))).toEqual([]);
  });

  it('rejects a broken body with readable violations', () => {
    const body = load('text.json');
    body.destination = 'xxxxxxxxxx';
    delete body.events[0].message.id;
    body.events[0].source = { type: 'user', userId: 42 };
    const v = validateLineWebhook(body);
    expect(v).toContain('destination: Must be a user id (U followed by 32 hex digits)');
    expect(v).toContain('events[0].message.id: Must be specified');
    expect(v).toContain('events[0].source.userId: Must be of type string');
    expect(validateLineWebhook({ events: 'none' })).toEqual(['destination: Must be specified', 'events: Must be of type array']);
  });

  it('checks the concrete event type through the discriminator', () => {
    const body = load('follow.json');
    delete body.events[0].follow;
    expect(validateLineWebhook(body)).toEqual(['events[0].follow: Must be specified']);
  });

  it('tolerates an unknown event type (messageEdited is not in this webhook.yml) but checks the common fields', () => {
    const body = load('message-edited-group.json');
    expect(body.events[0].type).toBe('messageEdited');
    delete body.events[0].timestamp;
    expect(validateLineWebhook(body)).toEqual(['events[0].timestamp: Must be specified']);
  });
});

describe('validateLineRequest', () => {
  it('accepts a valid push', () => {
    expect(validateLineRequest('PushMessageRequest', { to: USER, messages: [{ type: 'text', text: 'hi' }, { type: 'sticker', packageId: '446', stickerId: '1988' }] })).toEqual([]);
  });

  it('reports LINE-style properties and messages', () => {
    expect(checkLineRequest('PushMessageRequest', { to: USER, messages: [{ type: 'text', text: '' }, { type: 'fax' }] })).toEqual([
      { property: 'messages[0].text', message: 'May not be empty' },
      { property: 'messages[1].type', message: 'Must be one of the following values: [text, textV2, sticker, image, video, audio, location, imagemap, template, flex, coupon]' },
    ]);
    expect(validateLineRequest('PushMessageRequest', { to: USER, messages: [] })).toEqual(['messages: Size must be between 1 and 5']);
    expect(validateLineRequest('ShowLoadingAnimationRequest', { chatId: USER, loadingSeconds: 65 })).toEqual(['loadingSeconds: Must be between 5 and 60']);
  });

  it('checks nested discriminators (flex components, actions)', () => {
    const flex = { type: 'flex', altText: 'card', contents: { type: 'bubble', body: { type: 'box', layout: 'sideways', contents: [] } } };
    expect(validateLineRequest('PushMessageRequest', { to: USER, messages: [flex] })).toEqual([
      'messages[0].contents.body.layout: Must be one of the following values: [horizontal, vertical, baseline]',
    ]);
    const quick = { type: 'text', text: 'pick', quickReply: { items: [{ type: 'action', action: { type: 'uri', label: 'x' } }] } };
    expect(validateLineRequest('PushMessageRequest', { to: USER, messages: [quick] })).toEqual([]);
    const badAction = { ...quick, quickReply: { items: [{ type: 'action', action: { type: 'teleport' } }] } };
    expect(validateLineRequest('PushMessageRequest', { to: USER, messages: [badAction] })[0]).toMatch(/^messages\[0\]\.quickReply\.items\[0\]\.action\.type: Must be one of/);
  });

  it('throws on an unknown schema name', () => {
    expect(() => validateLineRequest('NoSuchRequest', {})).toThrow(/no schema named NoSuchRequest/);
  });
});

describe('prepareSchemas', () => {
  it('keeps a base copy, dispatches on the mapping and points children at the base', () => {
    const s = prepareSchemas(webhookSpec, false);
    expect(s.Event__base.discriminator).toBeUndefined();
    expect(s.Event.allOf[0]).toEqual({ $ref: '#/components/schemas/Event__base' });
    expect(s.Event.allOf).toContainEqual({ if: { properties: { type: { const: 'message' } }, required: ['type'] }, then: { $ref: '#/components/schemas/MessageEvent' } });
    expect(s.MessageEvent.allOf[0]).toEqual({ $ref: '#/components/schemas/Event__base' });
  });

  it('turns nullable into a null type', () => {
    const s = prepareSchemas({ components: { schemas: { A: { type: 'integer', nullable: true } } } }, true);
    expect(s.A).toEqual({ type: ['integer', 'null'] });
  });
});
