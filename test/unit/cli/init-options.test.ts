/** init's flag parsing: channel specs, id=value assignments, region and public URL checks. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { checkPublicUrl, checkRegion, ensure, normalisePublicUrl, parseAssignments, parseChannelSpec } from '../../../src/cli/commands/init/options.js';

describe('parseChannelSpec', () => {
  it.each([
    ['th:TH:acme', { id: 'th', market: 'TH', brand: 'acme' }],
    ['tw:TW:Acme Taiwan', { id: 'tw', market: 'TW', brand: 'Acme Taiwan' }],
    ['jp-2:JP:acme:pro', { id: 'jp-2', market: 'JP', brand: 'acme:pro' }],
  ])('%s', (spec, expected) => {
    expect(parseChannelSpec(spec)).toEqual(expected);
  });

  it.each(['th', 'th:TH', 'th:TH:', 'TH:TH:acme', ':TH:acme', 'th th:TH:acme'])('refuses %j with a usage error showing the shape', (spec) => {
    expect(() => parseChannelSpec(spec)).toThrow(UsageError);
    expect(() => parseChannelSpec(spec)).toThrow(/<id>:<market>:<brand>/);
  });
});

describe('parseAssignments', () => {
  it('maps channel ids to values; a value may contain =', () => {
    expect(parseAssignments('--line-token', ['th=abc', 'tw=a=b='], ['th', 'tw'])).toEqual({ th: 'abc', tw: 'a=b=' });
  });
  it('refuses a channel that was not declared, and a missing value', () => {
    expect(() => parseAssignments('--line-secret', ['jp=x'], ['th'])).toThrow(/names channel "jp", which is not one of the channels \(th\)/);
    expect(() => parseAssignments('--line-secret', ['th='], ['th'])).toThrow(/expects <channel id>=<value>/);
    expect(() => parseAssignments('--line-secret', ['secret'], ['th'])).toThrow(UsageError);
  });
});

describe('regions and public URLs', () => {
  it('accepts region names and domains', () => {
    expect(checkRegion('mypurecloud.jp')).toBe(true);
    expect(checkRegion('ap-northeast-1')).toBe(true);
    expect(checkRegion('mars-1')).toMatch(/not a Genesys Cloud region/);
  });

  it('wants https on port 443, without query', () => {
    expect(checkPublicUrl('https://relay.example.com')).toBe(true);
    expect(checkPublicUrl('https://relay.example.com:443/base')).toBe(true);
    expect(checkPublicUrl('http://relay.example.com')).toMatch(/https/);
    expect(checkPublicUrl('https://relay.example.com:8443')).toMatch(/port 443/);
    expect(checkPublicUrl('https://relay.example.com/?x=1')).toMatch(/query/);
    expect(checkPublicUrl('relay.example.com')).toMatch(/not a URL/);
    expect(normalisePublicUrl(' https://relay.example.com/base// ')).toBe('https://relay.example.com/base');
  });

  it('ensure throws a UsageError (exit 2) naming the flag and the value', () => {
    try {
      ensure('--public-url', 'http://x', checkPublicUrl, 'a hint');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).exitCode).toBe(2);
      expect((e as UsageError).message).toBe('--public-url "http://x": must be https (LINE and Genesys only call https webhooks)');
      expect((e as UsageError).hint).toBe('a hint');
    }
  });
});
