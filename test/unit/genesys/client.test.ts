/** The Genesys client's inbound posts against the Genesys emulator (real HTTP, schema-checked). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenesysClient } from '../../../src/genesys/client.js';
import type { OpenInboundNormalizedMessage } from '../../../src/genesys/types.js';
import { startGenesysEmulator, type GenesysEmulator } from '../../../src/sandbox/genesys-api.js';

const INTEGRATION = 'a1b2c3d4-0000-4000-8000-000000000001';
let genesys: GenesysEmulator;
let client: GenesysClient;
beforeAll(async () => {
  genesys = await startGenesysEmulator({
    clientId: 'cid',
    clientSecret: 'csecret',
    allowHttpWebhooks: true,
    integrations: [{ id: INTEGRATION, name: 'LINE th', outboundNotificationWebhookUrl: 'http://127.0.0.1:9/webhook/genesys', outboundNotificationWebhookSignatureSecretToken: 'out-secret-0123456789' }],
  });
  client = new GenesysClient({ apiBaseUrl: genesys.url, loginBaseUrl: genesys.url, clientId: 'cid', clientSecret: 'csecret' });
});
afterAll(() => genesys.close());

const message = (messageId: string, text: string): OpenInboundNormalizedMessage => ({
  channel: { messageId, from: { id: 'U4af4980629c5f1b2e1d4c3b2a1f0e9d8', idType: 'Opaque', nickname: 'Somchai' }, time: new Date().toISOString() },
  text,
});

describe('GenesysClient inbound messages', () => {
  it('sendInboundMessage posts the message and resolves with Genesys’s copy of it', async () => {
    const sent = await client.sendInboundMessage(INTEGRATION, message('m-1', 'first'));
    expect(sent).toMatchObject({ text: 'first', direction: 'Inbound', channel: { messageId: 'm-1' } });
    expect(typeof sent.id).toBe('string');
    expect(genesys.messages.map((m) => m.body.text)).toEqual(['first']);
    expect(genesys.violations).toEqual([]);
  });

  it('sendInboundMessage fails on a refusal, as a permanent UpstreamError', async () => {
    genesys.faults.add({ route: 'inbound-message', status: 400 });
    await expect(client.sendInboundMessage(INTEGRATION, message('m-3', 'third'))).rejects.toMatchObject({ upstreamStatus: 400, retriable: false });
  });

  it.each([
    ['the login answers 401', 'token', 401, 401, true],
    ['the login answers 403', 'token', 403, 403, true],
    ['the login answers 400', 'token', 400, 400, false],
    ['the API answers 401 (to the old token and to a new one)', 'inbound-message', 401, 401, true],
    ['the API answers 403', 'inbound-message', 403, 403, false],
  ] as const)('%s: an authentication failure is marked as one (the worker retries it for a while)', async (_, route, status, upstreamStatus, authentication) => {
    client.tokens.invalidate();
    genesys.faults.add({ route, status, times: 2 });
    try {
      await expect(client.sendInboundMessage(INTEGRATION, message(`m-${route}-${status}`, 'x'))).rejects.toMatchObject({ upstreamStatus, retriable: false, authentication });
    } finally {
      genesys.faults.clear();
    }
  });
});
