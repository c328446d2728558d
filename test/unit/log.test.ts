import { describe, expect, it } from 'vitest';
import { createLogger, maskSecret, redact } from '../../src/log.js';

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
