/** The config file init writes: merged with what is there, structure only, loadable by loadConfig. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigFile } from '../../../src/config.js';
import { buildConfigFile, formatConfigFile } from '../../../src/cli/commands/init/config-file.js';

const TH = { id: 'th', market: 'TH', brand: 'acme', botUserId: 'U0f3c9a1b2c3d4e5f60718293a4b5c6d7', integrationId: 'a1b2c3d4-0000-4000-8000-000000000001' };

describe('buildConfigFile', () => {
  it('a new file: region, channels, public URL and nothing else', () => {
    expect(buildConfigFile(undefined, { region: 'mypurecloud.jp', publicUrl: 'https://relay.example.com', channels: [TH] })).toEqual({
      genesys: { region: 'mypurecloud.jp' },
      channels: [TH],
      relay: { publicUrl: 'https://relay.example.com' },
    });
  });

  it('keeps settings and channels it does not manage, and does not change its input', () => {
    const existing: ConfigFile = {
      genesys: { region: 'mypurecloud.com', clientIdEnv: 'MY_CLIENT_ID' },
      line: { apiBaseUrl: 'https://line.proxy.example' },
      channels: [
        { id: 'th', market: 'TH', brand: 'old', customAttributes: { tier: 'gold' }, accessTokenEnv: 'TH_TOKEN' },
        { id: 'tw', market: 'TW', brand: 'acme' },
      ],
      relay: { port: 8080, store: 'sqlite', publicUrl: 'https://old.example.com' },
    };
    const copy = structuredClone(existing);
    const next = buildConfigFile(existing, { region: 'mypurecloud.jp', publicUrl: 'https://relay.example.com', channels: [TH] });
    expect(existing).toEqual(copy);
    expect(next).toEqual({
      genesys: { region: 'mypurecloud.jp', clientIdEnv: 'MY_CLIENT_ID' },
      line: { apiBaseUrl: 'https://line.proxy.example' },
      channels: [{ ...TH, customAttributes: { tier: 'gold' }, accessTokenEnv: 'TH_TOKEN' }, { id: 'tw', market: 'TW', brand: 'acme' }],
      relay: { port: 8080, store: 'sqlite', publicUrl: 'https://relay.example.com' },
    });
  });

  it('what it writes loads with loadConfig (secrets from the environment) and holds no secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-config-'));
    const file = buildConfigFile(undefined, { region: 'mypurecloud.jp', publicUrl: 'https://relay.example.com', channels: [TH] });
    writeFileSync(join(dir, 'line-genesys.config.json'), formatConfigFile(file));
    const env = { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 's', LINE_TH_CHANNEL_SECRET: 'cs', LINE_TH_ACCESS_TOKEN: 'tok', GENESYS_TH_OUTBOUND_SECRET: 'out' };
    const config = loadConfig({ cwd: dir, env, dotenv: false });
    expect(config.channels[0]).toMatchObject({ ...TH, channelSecret: 'cs', accessToken: 'tok', outboundSecret: 'out' });
    expect(config.relay.publicUrl).toBe('https://relay.example.com');
    expect(JSON.stringify(file)).not.toMatch(/"(cs|tok|out|s)"/);
  });
});

describe('templates/config/line-genesys.config.json (the starter config)', () => {
  it('loads with loadConfig once the secrets are in the environment', () => {
    const path = new URL('../../../templates/config/line-genesys.config.json', import.meta.url).pathname;
    const env: Record<string, string> = { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 's' };
    for (const id of ['TH', 'TW']) Object.assign(env, { [`LINE_${id}_CHANNEL_SECRET`]: 'cs', [`LINE_${id}_ACCESS_TOKEN`]: 'tok', [`GENESYS_${id}_OUTBOUND_SECRET`]: 'out' });
    const config = loadConfig({ configPath: path, env, dotenv: false, cwd: mkdtempSync(join(tmpdir(), 'lg-config-')) });
    expect(config.channels.map((c) => [c.id, c.market, c.brand])).toEqual([['th', 'TH', 'acme'], ['tw', 'TW', 'acme']]);
    expect(config.channels[1]!.customAttributes).toEqual({ region: 'apac' });
    expect(config.genesys.apiBaseUrl).toBe('https://api.mypurecloud.jp');
  });
});
