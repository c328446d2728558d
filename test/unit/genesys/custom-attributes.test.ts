import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { checkCustomAttributes, customAttributesBytes } from '../../../src/genesys/custom-attributes.js';

/** Attributes whose JSON is exactly `bytes` long: {"k":"xxx…"} is 8 bytes plus the value. */
const sized = (bytes: number, char = 'x') => ({ k: char.repeat(bytes - 8) });

describe('checkCustomAttributes: at most 2,048 bytes of JSON (Web Messaging)', () => {
  it('measures UTF-8 bytes of the JSON, not characters', () => {
    expect(customAttributesBytes({ market: 'TH' })).toBe(15);
    expect(customAttributesBytes({ city: 'กรุงเทพ' })).toBe(11 + 7 * 3);
  });

  it('takes 2,048 bytes and answers the size', () => {
    expect(checkCustomAttributes(sized(2048), 'channels.th.customAttributes')).toBe(2048);
  });

  it('refuses more (2,049 bytes already) with an error naming the setting, the size, the limit and the largest attributes', () => {
    expect(() => checkCustomAttributes(sized(2049), 'channels.th.customAttributes')).toThrow(ConfigError);
    const attributes = { ...sized(2000), market: 'TH', brand: 'acme', note: 'n'.repeat(30) };
    const size = customAttributesBytes(attributes);
    expect(size).toBe(2069);
    let error: unknown;
    try {
      checkCustomAttributes(attributes, 'channels.th.customAttributes');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe('channels.th.customAttributes');
    expect((error as ConfigError).message).toBe(
      "channels.th.customAttributes: the custom attributes sent with each message take 2069 bytes as JSON; Genesys takes at most 2048 (Web Messaging's documented limit)",
    );
    expect((error as ConfigError).hint).toBe(
      'Shorten or remove some of them; the largest are k (2000 bytes), note (41 bytes), brand (16 bytes). market, brand and lineChannel are always sent.',
    );
  });

  it('counts multi-byte characters: 700 Thai characters are over the limit', () => {
    expect(() => checkCustomAttributes(sized(8 + 700, 'ก'), 'channels.th.customAttributes')).toThrow(/take 2108 bytes/);
  });
});
