import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatBanner, readyRecord, type ReadyInfo } from '../../../src/cli/commands/dev/banner.js';
import { loadConfig } from '../../../src/config.js';

const SECRETS = {
  GENESYS_CLIENT_ID: 'client-id-0123456789',
  GENESYS_CLIENT_SECRET: 'client-secret-abcdefghij',
  LINE_TH_CHANNEL_SECRET: 'th-channel-secret-0123456789abcdef',
  LINE_TH_ACCESS_TOKEN: 'th-access-token-very-long-value',
  GENESYS_TH_OUTBOUND_SECRET: 'th-outbound-secret-xyz',
};
const config = loadConfig({
  cwd: '/nonexistent-dir-for-banner-test',
  dotenv: false,
  env: { ...SECRETS, LINE_GENESYS_CHANNELS: 'th', LINE_TH_MARKET: 'TH', LINE_TH_BRAND: 'acme', LINE_TH_INTEGRATION_ID: 'a1b2c3d4-0000-4000-8000-000000000001', LINE_GENESYS_STORE: 'memory' },
});
const plain = new Chalk({ level: 0 });

const base: ReadyInfo = {
  config,
  localUrl: 'http://127.0.0.1:54321',
  publicUrl: 'https://dev.example.test',
  tunnel: 'public-url',
  webhooks: [
    { platform: 'line', id: 'th', channels: ['th'], url: 'https://dev.example.test/webhook/line/th', outcome: 'set', previous: 'https://prod.example/webhook/line' },
    { platform: 'genesys', id: 'a1b2c3d4-0000-4000-8000-000000000001', channels: ['th'], url: 'https://dev.example.test/webhook/genesys/th', outcome: 'failed', error: 'HTTP 403' },
  ],
  inspectorUrl: 'http://127.0.0.1:54322',
  sandbox: false,
};

describe('the Ready banner', () => {
  it('says where it listens, its public URL, where the webhooks go, the store and the inspector', () => {
    const text = formatBanner(base, plain);
    expect(text.split('\n')[0]).toMatch(/^Ready line-genesys dev/);
    expect(text).toMatch(/Local +http:\/\/127\.0\.0\.1:54321/);
    expect(text).toMatch(/Public +https:\/\/dev\.example\.test \(your --public-url\)/);
    expect(text).toMatch(/LINE +th +→ https:\/\/dev\.example\.test\/webhook\/line\/th \(set by dev, restored on exit\)/);
    expect(text).toMatch(/Genesys +th +→ https:\/\/dev\.example\.test\/webhook\/genesys\/th \(NOT SET/);
    expect(text).toMatch(/Store +memory/);
    expect(text).toMatch(/Inspector +http:\/\/127\.0\.0\.1:54322/);
    expect(text).not.toContain('\u001b[');
  });

  it('shows which secrets are loaded, masked, never in full', () => {
    const text = formatBanner(base, plain);
    expect(text).toContain('channel secret ••••cdef (34 chars)');
    expect(text).toContain('access token ••••alue (31 chars)');
    expect(text).toContain('client secret ••••ghij');
    const json = JSON.stringify(readyRecord(base));
    for (const secret of Object.values(SECRETS)) {
      expect(text).not.toContain(secret);
      expect(json).not.toContain(secret);
    }
  });

  it('without a public URL says LINE and Genesys cannot reach it, and shows the local webhook paths', () => {
    const text = formatBanner({ ...base, publicUrl: undefined, tunnel: 'none', webhooks: { skipped: 'not set: no public URL' }, inspectorUrl: undefined }, plain);
    expect(text).toMatch(/Public +none: LINE and Genesys cannot reach this relay/);
    expect(text).toContain('→ http://127.0.0.1:54321/webhook/line/th (not set: no public URL)');
    expect(text).not.toContain('Inspector');
  });

  it('as --json data: the same facts, the masked values kept (no key looks like a secret)', () => {
    const r = readyRecord(base);
    expect(r).toMatchObject({ event: 'ready', localUrl: 'http://127.0.0.1:54321', publicUrl: 'https://dev.example.test', tunnel: 'public-url', inspectorUrl: 'http://127.0.0.1:54322' });
    expect(r.webhooks).toContainEqual({ platform: 'line', channels: ['th'], url: 'https://dev.example.test/webhook/line/th', state: 'set by dev, restored on exit' });
    expect(r.credentials).toContainEqual({ name: 'th channel secret', value: '••••cdef (34 chars)' });
  });
});
