import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingSources } from '../../../src/cli/commands/doctor/settings.js';
import { loadConfig } from '../../../src/config.js';

const env = {
  GENESYS_REGION: 'mypurecloud.jp',
  GENESYS_CLIENT_ID: 'cid-0123456789',
  GENESYS_CLIENT_SECRET: 'csecret-0123456789',
  GENESYS_INTEGRATION_ID: 'int-1',
  LINE_GENESYS_CHANNELS: 'th',
  LINE_TH_MARKET: 'TH',
  LINE_TH_BRAND: 'acme',
  LINE_TH_CHANNEL_SECRET: 'chsecret-0123456789',
  LINE_TH_ACCESS_TOKEN: 'token-0123456789',
  LINE_GENESYS_STORE: 'postgres',
  DATABASE_URL: 'postgres://relay:hunter2-password@db.internal:5432/relay',
  LINE_GENESYS_LEASE: '45s',
};

describe("doctor's settings table", () => {
  const rows = settingSources(loadConfig({ cwd: mkdtempSync(join(tmpdir(), 'lg-doctor-')), env, dotenv: false }));
  const row = (setting: string) => rows.find((r) => r.setting === setting);

  it('masks the database URL: it holds a password', () => {
    expect(row('relay.databaseUrl')?.source).toBe('environment');
    expect(JSON.stringify(rows)).not.toContain('hunter2');
  });

  it('masks every secret and shows the rest as written', () => {
    for (const secret of ['csecret-0123456789', 'chsecret-0123456789', 'token-0123456789']) expect(JSON.stringify(rows)).not.toContain(secret);
    expect(row('relay.store')).toEqual({ setting: 'relay.store', value: 'postgres', source: 'environment' });
    expect(row('relay.lease')).toEqual({ setting: 'relay.lease', value: '45s', source: 'environment' });
  });
});
