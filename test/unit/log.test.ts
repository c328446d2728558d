import { describe, expect, it } from 'vitest';
import { createLogger, jsonLine, maskSecret, printable, redact } from '../../src/log.js';

describe('logs never carry secrets', () => {
  it('redacts secret-looking fields at any depth', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) });
    log.info('x', { channelSecret: 'abc', nested: { authorization: 'Bearer t', headers: { 'x-line-signature': 'sig' } }, ok: 'visible' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/abc|Bearer t|"sig"/);
    expect(lines[0]).toMatch(/visible/);
    expect(redact({ accessToken: 'a', list: [{ clientSecret: 'b' }] })).toEqual({ accessToken: '[redacted]', list: [{ clientSecret: '[redacted]' }] });
  });
  it('masks a secret to its last four characters', () => {
    expect(maskSecret('0123456789abcdef0123')).toBe('••••0123 (20 chars)');
    expect(maskSecret('short')).toBe('•••• (5 chars)');
    expect(maskSecret(undefined)).toBe('(not set)');
  });
  it('honours the level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', write: (l) => lines.push(l) });
    log.info('hidden');
    log.warn('shown');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/shown/);
  });
});

describe('nothing forged on a terminal', () => {
  const hostile = 'a\u001b[2J\r\nb\u007f\u009b\u2028\u2029\u202a\u202e\u2066\u2069c';
  it('printable escapes C0, DEL, C1, the line separators and the bidi controls, and keeps the rest', () => {
    expect(printable(hostile)).toBe('a\\x1b[2J\\x0d\\x0ab\\x7f\\x9b\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069c');
    expect(printable('สวัสดี 👋 é')).toBe('สวัสดี 👋 é');
  });
  it('jsonLine escapes what JSON.stringify leaves raw, and parses back to the same value', () => {
    const line = jsonLine({ v: hostile });
    expect(line).toMatch(/^[\u0020-\u007e]*$/);
    expect(JSON.parse(line)).toEqual({ v: hostile });
  });
  it('the readable and the JSON log print no control character from a field or the message', () => {
    const lines: string[] = [];
    createLogger({ format: 'pretty', write: (l) => lines.push(l) }).warn(`m${hostile}`, { reason: hostile });
    createLogger({ format: 'json', write: (l) => lines.push(l) }).warn(`m${hostile}`, { reason: hostile });
    for (const l of lines) expect(l).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(lines[0]).toContain('reason=a\\x1b[2J');
  });
});
