import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { webhook } from '@line/bot-sdk';
import { locationText, mapsUrl } from '../../../src/transform/location.js';

function locationFixture(): webhook.LocationMessageContent {
  const url = new URL('../../../templates/line/location.json', import.meta.url);
  const body = JSON.parse(readFileSync(url, 'utf8')) as webhook.CallbackRequest;
  const event = body.events[0] as webhook.MessageEvent;
  return event.message as webhook.LocationMessageContent;
}

describe('mapsUrl', () => {
  it('is a Google Maps search URL', () => {
    expect(mapsUrl(13.746264, 100.534871)).toBe(
      'https://www.google.com/maps/search/?api=1&query=13.746264,100.534871',
    );
    expect(mapsUrl(-33.8688, 151.2093)).toBe('https://www.google.com/maps/search/?api=1&query=-33.8688,151.2093');
    expect(mapsUrl(0, 0)).toBe('https://www.google.com/maps/search/?api=1&query=0,0');
  });

  it('refuses coordinates that are not finite numbers', () => {
    expect(() => mapsUrl(Number.NaN, 1)).toThrow(RangeError);
    expect(() => mapsUrl(1, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => mapsUrl('1' as unknown as number, 2)).toThrow(RangeError);
  });
});

describe('locationText', () => {
  it('title, address and link, one per line', () => {
    expect(locationText(locationFixture())).toBe(
      'Siam Paragon\n991 Rama I Rd, Pathum Wan, Bangkok 10330, Thailand\n' +
        'https://www.google.com/maps/search/?api=1&query=13.746264,100.534871',
    );
  });

  it('leaves out a missing title', () => {
    const m = { ...locationFixture() };
    delete m.title;
    expect(locationText(m)).toBe(
      '991 Rama I Rd, Pathum Wan, Bangkok 10330, Thailand\nhttps://www.google.com/maps/search/?api=1&query=13.746264,100.534871',
    );
  });

  it('leaves out a missing or blank address', () => {
    const m = { ...locationFixture(), address: '  ' };
    expect(locationText(m)).toBe('Siam Paragon\nhttps://www.google.com/maps/search/?api=1&query=13.746264,100.534871');
  });

  it('only the link when there is neither title nor address', () => {
    const { title: _t, address: _a, ...m } = locationFixture();
    expect(locationText(m)).toBe('https://www.google.com/maps/search/?api=1&query=13.746264,100.534871');
  });

  it('does not repeat an address equal to the title', () => {
    const m = { ...locationFixture(), title: 'Bangkok', address: 'Bangkok' };
    expect(locationText(m)).toBe('Bangkok\nhttps://www.google.com/maps/search/?api=1&query=13.746264,100.534871');
  });

  it('partial event: no link without coordinates, never empty, never throws', () => {
    const m = { ...locationFixture(), latitude: undefined as unknown as number };
    expect(locationText(m)).toBe('Siam Paragon\n991 Rama I Rd, Pathum Wan, Bangkok 10330, Thailand');
    expect(locationText({ type: 'location', id: '1' } as webhook.LocationMessageContent)).toBe('[LINE location]');
  });
});
