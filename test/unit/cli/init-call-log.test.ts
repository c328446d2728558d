/** The call log behind --dry-run: reads are made, writes are recorded with redacted bodies and not made. */
import { describe, expect, it } from 'vitest';
import { CallLog, formatCall } from '../../../src/cli/commands/init/call-log.js';

describe('CallLog', () => {
  it('dry run: a write is recorded, redacted and not run', async () => {
    const printed: string[] = [];
    const log = new CallLog(true, (l) => printed.push(l));
    let ran = 0;
    expect(await log.read('GET', 'https://api.example/x', async () => ++ran)).toBe(1);
    const body = { name: 'LINE TH acme', outboundNotificationWebhookSignatureSecretToken: 's3cret' };
    expect(await log.write('POST', 'https://api.example/y', body, async () => ++ran)).toBeUndefined();
    expect(ran).toBe(1);
    expect(log.calls).toEqual([
      { method: 'GET', url: 'https://api.example/x', made: true },
      { method: 'POST', url: 'https://api.example/y', body: { name: 'LINE TH acme', outboundNotificationWebhookSignatureSecretToken: '[redacted]' }, made: false },
    ]);
    expect(printed[1]).toBe('POST  https://api.example/y {"name":"LINE TH acme","outboundNotificationWebhookSignatureSecretToken":"[redacted]"}  (not made: dry run)');
    expect(printed.join('\n')).not.toContain('s3cret');
  });

  it('for real: a write runs and is recorded as made', async () => {
    const log = new CallLog(false);
    expect(await log.write('PUT', 'https://api.example/z', { endpoint: 'https://r' }, async () => 'done')).toBe('done');
    expect(log.calls[0]!.made).toBe(true);
    expect(formatCall(log.calls[0]!)).toBe('PUT   https://api.example/z {"endpoint":"https://r"}');
  });
});
