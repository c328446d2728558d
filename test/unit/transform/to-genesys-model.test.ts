/**
 * Every inbound message to-genesys builds, held against Genesys's own model of it: the interfaces of
 * ../shared/genesys-sdk/models.d.ts (OpenInboundNormalizedMessage and what it holds) and the enums of enums.md.
 * The one property the model does not name, channel.metadata.customAttributes, is the documented exception.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { webhook } from '@line/bot-sdk';
import { lineEventToGenesys, type InboundContext } from '../../../src/transform/to-genesys.js';
import { readSdkEnums, readSdkModels } from '../../helpers/genesys-sdk.js';

const TEMPLATES = new URL('../../../templates/line/', import.meta.url);
const models = readSdkModels();
const enums = readSdkEnums();
const EXCEPTIONS = new Set(['/channel/metadata/customAttributes']);

/** Where `value` departs from `model`: a property the model does not name, a required one missing, a value off its enum. */
function departures(value: unknown, model: string, at = ''): string[] {
  const properties = models.get(model);
  if (!properties) return [`${at}: no model ${model} in models.d.ts`];
  const out: string[] = [];
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const p = properties.find((x) => x.name === key);
    const path = `${at}/${key}`;
    if (EXCEPTIONS.has(path)) continue;
    if (!p) {
      out.push(`${path} is not in ${model}`);
      continue;
    }
    const allowed = enums.get(`${model}.${key}`);
    if (allowed && !allowed.includes(object[key] as string)) out.push(`${path} = ${JSON.stringify(object[key])} is not one of ${allowed.join(', ')}`);
    if (p.map) for (const [k, v] of Object.entries(object[key] as object)) if (typeof v !== 'string') out.push(`${path}/${k} is not a string`);
    if (p.model && p.list) (object[key] as unknown[]).forEach((item, i) => out.push(...departures(item, p.model!, `${path}/${i}`)));
    else if (p.model) out.push(...departures(object[key], p.model, path));
  }
  for (const p of properties) if (!p.optional && !(p.name in object)) out.push(`${at}/${p.name} is required by ${model}`);
  return out;
}

const files = readdirSync(TEMPLATES).filter((f) => f.endsWith('.json'));
const channel = { id: 'th', market: 'TH', brand: 'acme', customAttributes: { tier: 'gold' } };
const withMedia: InboundContext = {
  channel,
  profile: { displayName: 'Somchai', pictureUrl: 'https://profile.line-scdn.net/x', language: 'th' },
  media: { url: 'https://relay.example.test/media/x', mime: 'image/jpeg', filename: 'photo.jpg', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
};
const events = (f: string) => (JSON.parse(readFileSync(new URL(f, TEMPLATES), 'utf8')) as webhook.CallbackRequest).events;
/** One-to-one versions of every template event, so that each reaches a `send` where it can. */
const sent = files.flatMap((f) => events(f).flatMap((e, i) => {
  const oneToOne = { ...e, source: { type: 'user', userId: (e.source as { userId?: string } | undefined)?.userId ?? 'U4af498062994960253319d61a3234c2b' } } as webhook.Event;
  return [withMedia, { channel }].map((ctx, c) => ({ name: `${f}#${i}${c ? ' (no media)' : ''}`, decision: lineEventToGenesys(oneToOne, ctx) }));
}));
const messages = sent.flatMap(({ name, decision }) => (decision.action === 'send' ? [{ name, message: decision.message }] : []));

describe('to-genesys output is OpenInboundNormalizedMessage to the letter', () => {
  it('models.d.ts is read: OpenInboundMessageContent holds attachment only', () => {
    expect(models.get('OpenInboundMessageContent')).toEqual([{ name: 'attachment', optional: true, model: 'OpenContentAttachment', list: false, map: false }]);
    expect(messages.length).toBeGreaterThan(30);
  });

  it.each(files)('%s: every message it becomes', (f) => {
    for (const { name, message } of messages.filter((m) => m.name.startsWith(`${f}#`))) {
      expect({ name, departures: departures(message, 'OpenInboundNormalizedMessage') }).toEqual({ name, departures: [] });
    }
  });

  it('content items carry {attachment} and no contentType; custom attributes stay in channel.metadata', () => {
    const withContent = messages.filter((m) => m.message.content);
    expect(withContent.length).toBeGreaterThan(10);
    for (const { message } of withContent) for (const item of message.content!) expect(Object.keys(item)).toEqual(['attachment']);
    for (const { message } of messages) {
      expect(message.metadata).toBeUndefined();
      expect(message.channel.metadata!.customAttributes).toMatchObject({ tier: 'gold', market: 'TH', brand: 'acme', lineChannel: 'th' });
    }
  });

  it('a location is text plus its maps link as a Link attachment', () => {
    const location = messages.find((m) => m.name === 'location.json#0')!.message;
    expect(location.content).toEqual([
      { attachment: { mediaType: 'Link', url: 'https://www.google.com/maps/search/?api=1&query=13.746264,100.534871', mime: 'text/html', text: 'Siam Paragon' } },
    ]);
    const noCoordinates = lineEventToGenesys(
      { ...events('location.json')[0]!, message: { type: 'location', id: '1', title: 'Somewhere' } } as unknown as webhook.Event,
      { channel },
    );
    expect(noCoordinates).toMatchObject({ action: 'send', message: { text: 'Somewhere' } });
    expect(noCoordinates.action === 'send' && noCoordinates.message.content).toBe(undefined);
  });
});
