/** init's flag parsing: channel specs, id=value assignments, region and public URL checks. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { checkRegion, ensure, parseAssignments, parseChannelSpec, REGION_HINT } from '../../../src/cli/commands/init/options.js';
import { settingFlags } from '../../../src/cli/commands/init/inputs.js';
import { checkPublicUrl } from '../../../src/cli/shared/public-url.js';

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

  it.each([
    ['https://relay.example.com', 'https://relay.example.com'],
    [' https://relay.example.com/base// ', 'https://relay.example.com/base'],
    ['https://relay.example.com:443/base', 'https://relay.example.com:443/base'],
  ])('--public-url %j is the base URL %j', (flag, base) => {
    expect(settingFlags({ publicUrl: flag })['relay.publicUrl']).toBe(base);
  });

  it.each([
    ['http://relay.example.com', 'must be https'],
    ['https://relay.example.com:8443', 'must be on port 443'],
    ['https://relay.example.com/?x=1', 'must have no query or fragment'],
    ['relay.example.com', 'is not a URL'],
  ])('--public-url %j is bad usage: %s', (flag, reason) => {
    expect(() => settingFlags({ publicUrl: flag })).toThrow(UsageError);
    expect(() => settingFlags({ publicUrl: flag })).toThrow(`--public-url "${flag}" ${reason}`);
    expect(checkPublicUrl(flag)).toBe(`${reason} (LINE and Genesys call webhooks only over https, on port 443)`);
  });

  it('--region that is no region is bad usage, listing the known ones', () => {
    expect(() => settingFlags({ region: 'mars-1' })).toThrow(UsageError);
    expect(() => settingFlags({ region: 'mars-1' })).toThrow('--region "mars-1": not a Genesys Cloud region');
    expect(settingFlags({ region: 'ap-northeast-1' })['genesys.region']).toBe('ap-northeast-1');
    expect(REGION_HINT).toMatch(/mypurecloud\.jp/);
  });

  it('ensure throws a UsageError (exit 2) naming the flag and the value', () => {
    try {
      ensure('--region', 'mars-1', checkRegion, 'a hint');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).exitCode).toBe(2);
      expect((e as UsageError).message).toBe('--region "mars-1": not a Genesys Cloud region (e.g. mypurecloud.jp or ap-northeast-1)');
      expect((e as UsageError).hint).toBe('a hint');
    }
  });
});
