import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatBanner, readyRecord, type ReadyInfo } from '../../../src/cli/commands/dev/banner.js';
import { formatQuotaWarning, quotaText, quotaWarningRecord } from '../../../src/cli/commands/dev/quota.js';
import { loadConfig } from '../../../src/config.js';

const ESC = '\u001b[';
const plain = new Chalk({ level: 0 });
const colour = new Chalk({ level: 1 });
const config = loadConfig({
  cwd: '/nonexistent-dir-for-dev-quota-test',
  dotenv: false,
  env: { GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 'secret', LINE_GENESYS_CHANNELS: 'th', LINE_TH_MARKET: 'TH', LINE_TH_BRAND: 'acme', LINE_TH_INTEGRATION_ID: 'a1b2c3d4-0000-4000-8000-000000000001', LINE_TH_CHANNEL_SECRET: 's', LINE_TH_ACCESS_TOKEN: 't', LINE_GENESYS_STORE: 'memory' },
});
const base: ReadyInfo = { config, localUrl: 'http://127.0.0.1:54321', publicUrl: undefined, tunnel: 'none', webhooks: { skipped: 'not set: no public URL' }, sandbox: false };
const at = new Date(2026, 10, 30, 21, 5, 7).getTime();

describe("dev: each channel's LINE quota", () => {
  it('in the banner: used / limit and the share, no limit, or not read yet', () => {
    const text = formatBanner({ ...base, quota: [{ channel: 'th', reading: { limit: 500, used: 120 } }, { channel: 'tw', reading: { limit: null, used: 3 } }, { channel: 'jp', reading: undefined }] }, plain);
    expect(text).toMatch(/\n {2}Quota +th 120 \/ 500 \(24 %\) · tw 3 sent, no limit · jp not read yet(\n|$)/);
  });

  it('no quota row when quota reads are off; null in --json', () => {
    expect(formatBanner(base, plain)).not.toContain('Quota');
    expect(readyRecord(base).quota).toBeNull();
    expect(readyRecord({ ...base, quota: [{ channel: 'th', reading: { limit: 500, used: 120 } }, { channel: 'tw', reading: undefined }] }).quota).toEqual([
      { channel: 'th', limit: 500, used: 120 },
      { channel: 'tw', limit: null, used: null },
    ]);
  });

  it('a limit of 0 is full, not a division by zero', () => {
    expect(quotaText({ limit: 0, used: 0 })).toBe('0 / 0 (100 %)');
  });

  it('the live line when the watcher warns: time, channel, share, figures; yellow at 80 %, red at 95 %', () => {
    const n80 = { channel: 'th', percent: 80, used: 400, limit: 500, month: '2026-11' };
    expect(formatQuotaWarning(n80, at, plain)).toBe('21:05:07 !!! th LINE quota 80 % used: 400 / 500 messages this month (2026-11)');
    expect(formatQuotaWarning(n80, at, colour)).toContain(`${ESC}33mLINE quota 80 % used`);
    expect(formatQuotaWarning({ ...n80, percent: 95, used: 480 }, at, colour)).toContain(`${ESC}31mLINE quota 95 % used`);
    expect(quotaWarningRecord(n80)).toEqual({ event: 'quota', channel: 'th', percent: 80, used: 400, limit: 500, month: '2026-11' });
  });
});
