/** The one URL checker: each rule as a table of accepted and refused values. */
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../src/errors.js';
import { checkUrl, judgeUrl, type UrlRules } from '../../src/url.js';

const PUBLIC: UrlRules = { protocols: ['https:'], port443: true, bare: true };

describe('judgeUrl', () => {
  it.each<[unknown, UrlRules, string | true]>([
    // no rules: any http(s) URL
    ['https://api.line.me', {}, true],
    ['http://127.0.0.1:4010/', {}, true],
    ['  https://api.line.me  ', {}, true],
    ['api.line.me', {}, 'is not a URL'],
    ['', {}, 'is not a URL'],
    ['   ', {}, 'is not a URL'],
    [undefined, {}, 'is not a URL'],
    [42, {}, 'is not a URL'],
    ['ftp://files.example.com', {}, 'must be http or https'],
    ['line://nv/chat', {}, 'must be http or https'],
    // protocols
    ['http://relay.example.com', { protocols: ['https:'] }, 'must be https'],
    ['tel:+66212345678', { protocols: ['http:', 'https:', 'line:', 'tel:'] }, true],
    ['mailto:a@example.com', { protocols: ['http:', 'https:', 'line:', 'tel:'] }, 'must be http, https, line or tel'],
    // port443
    ['https://relay.example.com:443/x', PUBLIC, true],
    ['https://relay.example.com:8443', PUBLIC, 'must be on port 443'],
    ['http://relay.example.com:8080', { port443: true }, true],
    // bare
    ['https://relay.example.com/base', PUBLIC, true],
    ['https://relay.example.com/?x=1', PUBLIC, 'must have no query or fragment'],
    ['https://relay.example.com/#top', PUBLIC, 'must have no query or fragment'],
    ['https://relay.example.com/?x=1', {}, true],
    // maxLength counts the percent-encoded href
    ['https://a.example/xyz', { maxLength: 21 }, true],
    ['https://a.example/xyz', { maxLength: 20 }, 'must be at most 20 characters'],
    ['https://a.example/x y', { maxLength: 21 }, 'must be at most 21 characters'],
    // httpOnlyOnLoopback
    ['http://127.0.0.1:4010', { httpOnlyOnLoopback: true }, true],
    ['http://127.9.9.9', { httpOnlyOnLoopback: true }, true],
    ['http://localhost:3000', { httpOnlyOnLoopback: true }, true],
    ['http://[::1]:3000', { httpOnlyOnLoopback: true }, true],
    ['https://api.line.me', { httpOnlyOnLoopback: true }, true],
    ['http://10.0.0.5:8080', { httpOnlyOnLoopback: true }, 'is plain http to another machine'],
    ['http://127.0.0.1.example.com', { httpOnlyOnLoopback: true }, 'is plain http to another machine'],
  ])('%j with %j: %s', (value, rules, expected) => {
    const verdict = judgeUrl(value, rules);
    expect(verdict.ok ? true : verdict.reason).toBe(expected);
  });

  it('gives the parsed URL, normalised', () => {
    const verdict = judgeUrl(' https://cdn.example.com/a b.jpg ', { protocols: ['https:'] });
    expect(verdict.ok && verdict.url.href).toBe('https://cdn.example.com/a%20b.jpg');
  });
});

describe('checkUrl', () => {
  it.each([
    ['https://api.line.me', 'https://api.line.me'],
    ['https://api.line.me/', 'https://api.line.me'],
    [' http://127.0.0.1:4010/base// ', 'http://127.0.0.1:4010/base'],
  ])('%j is the base URL %j', (value, base) => {
    expect(checkUrl(value, { setting: 'line.apiBaseUrl' })).toBe(base);
  });

  it('a setting refused is a ConfigError (exit 1) naming the setting, the value and the rule', () => {
    const e = catchError(() => checkUrl('ftp://x.example', { setting: 'line.apiBaseUrl', hint: 'the hint' }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e).toMatchObject({ message: 'line.apiBaseUrl: "ftp://x.example" must be http or https', hint: 'the hint', exitCode: 1 });
  });

  it('a flag refused is a UsageError (exit 2) naming the flag', () => {
    const e = catchError(() => checkUrl('http://relay.example.com', { flag: '--public-url', ...PUBLIC }));
    expect(e).toBeInstanceOf(UsageError);
    expect(e).toMatchObject({ message: '--public-url "http://relay.example.com" must be https', exitCode: 2 });
    expect((e as UsageError).hint).toBe('Write a full URL such as https://example.com.');
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('it did not throw');
}
