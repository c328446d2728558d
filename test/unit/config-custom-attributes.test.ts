import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const env = {
  GENESYS_REGION: 'mypurecloud.jp',
  GENESYS_CLIENT_ID: 'cid',
  GENESYS_CLIENT_SECRET: 'csecret',
  GENESYS_INTEGRATION_ID: 'int-1',
  LINE_TH_CHANNEL_SECRET: 'sec',
  LINE_TH_ACCESS_TOKEN: 'tok',
};

function withAttributes(customAttributes: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'lg-attrs-'));
  writeFileSync(join(cwd, 'line-genesys.config.json'), JSON.stringify({ channels: [{ id: 'th', market: 'TH', brand: 'acme', customAttributes }] }));
  return () => loadConfig({ cwd, env, dotenv: false });
}

describe('custom attributes in the config', () => {
  // As sent: {"tier":"…","market":"TH","brand":"acme","lineChannel":"th"} is 59 bytes of JSON plus the value.
  it('accepts attributes that fit in 2,048 bytes with market, brand and lineChannel', () => {
    expect(withAttributes({ tier: 'x'.repeat(2048 - 59) })().channels[0]!.customAttributes).toEqual({ tier: 'x'.repeat(1989) });
  });

  it('refuses attributes one byte over, naming the setting and the limit', () => {
    let caught: unknown;
    try {
      withAttributes({ tier: 'x'.repeat(2048 - 59 + 1) })();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toContain('channels.th.customAttributes');
    expect((caught as ConfigError).message).toContain('2048');
  });

  it('counts bytes, not characters: 700 Thai characters are 2,100 bytes', () => {
    expect(withAttributes({ note: 'ก'.repeat(700) })).toThrow(ConfigError);
  });
});
