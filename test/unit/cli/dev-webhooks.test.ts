import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelConfig } from '../../../src/config.js';
import { GenesysClient } from '../../../src/genesys/client.js';
import { LineClient } from '../../../src/line/client.js';
import { describePointed, describeRestored, pointWebhooks, restoreWebhooks, webhookTargets, type WebhookClients } from '../../../src/cli/commands/dev/webhooks.js';
import { startGenesysEmulator, type GenesysEmulator } from '../../../src/sandbox/genesys-api.js';
import { startLineEmulator, type LineEmulator } from '../../../src/sandbox/line-api.js';

const TH = { id: 'th', market: 'TH', brand: 'acme', botUserId: 'U0f3c9a1b2c3d4e5f60718293a4b5c6d7', channelSecret: 's-th', accessToken: 'token-th', integrationId: 'a1b2c3d4-0000-4000-8000-000000000001' };
const TW = { id: 'tw', market: 'TW', brand: 'acme', botUserId: 'Ubfae69cb9828e8817310a406b74bf8a2', channelSecret: 's-tw', accessToken: 'token-tw', integrationId: 'a1b2c3d4-0000-4000-8000-000000000002' };
const channels: ChannelConfig[] = [TH, TW];
const PROD_LINE = 'https://relay.example.com/webhook/line';
const PROD_GENESYS = 'https://relay.example.com/webhook/genesys';
const PUBLIC = 'https://dev.example.test';

let line: LineEmulator;
let genesys: GenesysEmulator;
let clients: WebhookClients;

beforeAll(async () => {
  line = await startLineEmulator({ channels: [TH, TW].map((c) => ({ accessToken: c.accessToken, botUserId: c.botUserId })) });
  genesys = await startGenesysEmulator({
    clientId: 'cid',
    clientSecret: 'csecret',
    integrations: [TH, TW].map((c) => ({ id: c.integrationId, name: `LINE ${c.market}`, outboundNotificationWebhookUrl: PROD_GENESYS, outboundNotificationWebhookSignatureSecretToken: `${c.id}-outbound-secret-0123` })),
  });
  const lines = new Map([TH, TW].map((c) => [c.id, new LineClient({ accessToken: c.accessToken, apiBaseUrl: line.url, dataApiBaseUrl: line.url })]));
  clients = { line: (id) => lines.get(id)!, genesys: new GenesysClient({ apiBaseUrl: genesys.url, loginBaseUrl: genesys.url, clientId: 'cid', clientSecret: 'csecret' }) };
});
afterAll(async () => {
  await Promise.all([line?.close(), genesys?.close()]);
});
beforeEach(() => {
  line.reset();
  genesys.reset(); // integrations back to PROD_GENESYS
  line.webhookEndpoints.clear();
  line.webhookEndpoints.set(TH.botUserId, PROD_LINE); // tw has none yet
});

const endpoint = (c: typeof TH) => line.webhookEndpoints.get(c.botUserId);
const outboundUrl = (c: typeof TH) => genesys.integrations.get(c.integrationId)!.outboundNotificationWebhookUrl;

describe('webhookTargets', () => {
  it('gives each LINE channel and each integration its path on the public URL', () => {
    expect(webhookTargets(channels, `${PUBLIC}/`).map((t) => [t.platform, t.id, t.url])).toEqual([
      ['line', 'th', `${PUBLIC}/webhook/line/th`],
      ['line', 'tw', `${PUBLIC}/webhook/line/tw`],
      ['genesys', TH.integrationId, `${PUBLIC}/webhook/genesys/th`],
      ['genesys', TW.integrationId, `${PUBLIC}/webhook/genesys/tw`],
    ]);
  });

  it('an integration shared by two channels gets the path without a channel id', () => {
    const shared = webhookTargets([TH, { ...TW, integrationId: TH.integrationId }], PUBLIC).filter((t) => t.platform === 'genesys');
    expect(shared).toEqual([{ platform: 'genesys', id: TH.integrationId, channels: ['th', 'tw'], url: `${PUBLIC}/webhook/genesys` }]);
  });
});

describe('pointing the webhooks at the tunnel and back', () => {
  it('points LINE endpoints and Genesys outbound URLs at the public URL, then restores them', async () => {
    const pointed = await pointWebhooks(webhookTargets(channels, PUBLIC), clients);
    expect(pointed.map((p) => p.outcome)).toEqual(['set', 'set', 'set', 'set']);
    expect(endpoint(TH)).toBe(`${PUBLIC}/webhook/line/th`);
    expect(endpoint(TW)).toBe(`${PUBLIC}/webhook/line/tw`);
    expect(outboundUrl(TH)).toBe(`${PUBLIC}/webhook/genesys/th`);
    expect(outboundUrl(TW)).toBe(`${PUBLIC}/webhook/genesys/tw`);
    expect(genesys.integrations.get(TH.integrationId)!.name).toBe('LINE TH'); // the update carried the name
    expect(genesys.violations).toEqual([]);
    expect(line.violations).toEqual([]);
    expect(pointed[0]).toMatchObject({ previous: PROD_LINE });
    expect(describePointed(pointed[0]!)).toEqual({ ok: true, text: `LINE webhook of channel th → ${PUBLIC}/webhook/line/th (was ${PROD_LINE}; restored on exit)` });

    const restored = await restoreWebhooks(pointed, clients);
    expect(restored.map((r) => [r.webhook.id, r.outcome])).toEqual([
      ['th', 'restored'],
      ['tw', 'kept'], // LINE has no way to unset an endpoint: it stays, and the user is told
      [TH.integrationId, 'restored'],
      [TW.integrationId, 'restored'],
    ]);
    expect(endpoint(TH)).toBe(PROD_LINE);
    expect(endpoint(TW)).toBe(`${PUBLIC}/webhook/line/tw`);
    expect(outboundUrl(TH)).toBe(PROD_GENESYS);
    expect(outboundUrl(TW)).toBe(PROD_GENESYS);
    expect(describeRestored(restored[1]!).ok).toBe(false);
    expect(describeRestored(restored[1]!).text).toContain('LINE Developers console');
  });

  it('changes nothing that already points at the URL (a re-run), and so restores nothing', async () => {
    line.webhookEndpoints.set(TH.botUserId, `${PUBLIC}/webhook/line/th`);
    const pointed = await pointWebhooks(webhookTargets([TH], PUBLIC), clients);
    expect(pointed[0]!.outcome).toBe('already');
    expect(line.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    expect(await restoreWebhooks(pointed.slice(0, 1), clients)).toEqual([]);
  });

  it('leaves alone a webhook someone changed while dev ran', async () => {
    const pointed = await pointWebhooks(webhookTargets([TH], PUBLIC), clients);
    line.webhookEndpoints.set(TH.botUserId, 'https://colleague.example/webhook/line');
    genesys.integrations.get(TH.integrationId)!.outboundNotificationWebhookUrl = 'https://colleague.example/webhook/genesys';
    const restored = await restoreWebhooks(pointed, clients);
    expect(restored.map((r) => r.outcome)).toEqual(['moved', 'moved']);
    expect(endpoint(TH)).toBe('https://colleague.example/webhook/line');
    expect(outboundUrl(TH)).toBe('https://colleague.example/webhook/genesys');
  });

  it('reports a refusal instead of throwing, and does not try to restore it', async () => {
    line.faults.add({ route: 'webhook-endpoint-put', status: 403, body: { message: 'Access to this API is not available for your account' } });
    genesys.faults.add({ route: 'integration-update', status: 403 });
    const pointed = await pointWebhooks(webhookTargets([TH], PUBLIC), clients);
    expect(pointed.map((p) => p.outcome)).toEqual(['failed', 'failed']);
    expect(endpoint(TH)).toBe(PROD_LINE);
    expect(outboundUrl(TH)).toBe(PROD_GENESYS);
    const said = describePointed(pointed[0]!);
    expect(said.ok).toBe(false);
    expect(said.text).toMatch(/could not point the LINE webhook of channel th .*403.*LINE Developers console/);
    expect(describePointed(pointed[1]!).text).toMatch(/Genesys integration .* \(th\)/);
    expect(await restoreWebhooks(pointed, clients)).toEqual([]);
  });

  it('reports a restore that fails, saying to set it back by hand', async () => {
    const pointed = await pointWebhooks(webhookTargets([TH], PUBLIC), clients);
    line.faults.add({ route: 'webhook-endpoint-put', status: 403 });
    const restored = await restoreWebhooks(pointed, clients);
    expect(restored.map((r) => r.outcome)).toEqual(['failed', 'restored']);
    expect(describeRestored(restored[0]!)).toMatchObject({ ok: false });
    expect(describeRestored(restored[0]!).text).toContain(`could not restore the LINE webhook of channel th to ${PROD_LINE}`);
  });
});

describe("the integration's headers (init's secret mark)", () => {
  it('are sent back as they are when dev points an integration at the tunnel and restores it', async () => {
    const headers = { 'X-Line-Genesys-Secret-Mark': 'sha256:0123456789abcdef', 'X-Tenant': 'acme' };
    genesys.integrations.get(TH.integrationId)!.webhookHeaders = { ...headers };
    const pointed = await pointWebhooks(webhookTargets([TH], PUBLIC), clients);
    await restoreWebhooks(pointed, clients);
    const patches = genesys.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(TH.integrationId));
    expect(patches.map((p) => (p.body as { webhookHeaders?: unknown }).webhookHeaders)).toEqual([headers, headers]);
    expect(outboundUrl(TH)).toBe(PROD_GENESYS);
  });
});
