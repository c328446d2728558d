/**
 * The relay reads each channel's LINE message quota on start and every `relay.quotaRefresh`, shows it
 * as gauges in /metrics, and warns at 80 % and 95 % of the limit — once per threshold and month.
 * The LINE emulator's setQuota moves the figures; a short interval makes the refreshes quick.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createRelay, type Relay } from '../../src/relay/server.js';
import { startGenesysEmulator, type GenesysEmulator } from '../../src/sandbox/genesys-api.js';
import { startLineEmulator, type LineEmulator } from '../../src/sandbox/line-api.js';
import { CHANNELS, relayEnv, until } from '../helpers/bed.js';

const TH = CHANNELS.th.botUserId;
let line: LineEmulator;
let genesys: GenesysEmulator;
let relay: Relay;
let url: string;
const logs: Array<{ level: string; msg: string; channel?: string }> = [];
/** The relay's clock: the last day of a month, moved to the next month by a test. */
let clock = Date.UTC(2026, 10, 30, 12);

const quotaReads = () => line.requests.filter((r) => r.route === 'quota-consumption').length;
/** Waits for two more full readings of both channels, so that what they log is in. */
async function twoMoreRefreshes(): Promise<void> {
  const target = quotaReads() + 4;
  await until(() => quotaReads() >= target, 'two more quota refreshes');
  await new Promise((r) => setTimeout(r, 20));
}
async function metrics(): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}
const warnings = (re: RegExp) => logs.filter((l) => l.level === 'warn' && re.test(l.msg));

beforeAll(async () => {
  line = await startLineEmulator({ channels: Object.values(CHANNELS).map((c) => ({ accessToken: c.token, botUserId: c.botUserId, quota: c.id === 'th' ? 1000 : undefined })) });
  genesys = await startGenesysEmulator({ clientId: 'test-client-id', clientSecret: 'test-client-secret' });
  line.setQuota(TH, { totalUsage: 100 });
  // The first read answers only after 300 ms: the relay must be up before it.
  line.faults.add({ route: 'quota', delayMs: 300, times: 2 });
  const config = loadConfig({
    cwd: mkdtempSync(join(tmpdir(), 'lg-quota-watch-')),
    dotenv: false,
    env: relayEnv(line, genesys, { LINE_GENESYS_STORE: 'memory', LINE_GENESYS_QUOTA_REFRESH: '100ms' }),
  });
  const log = createLogger({ level: 'info', format: 'json', write: (l) => logs.push(JSON.parse(l)) });
  const started = Date.now();
  relay = await createRelay({ config, log, now: () => clock });
  url = await relay.listen(0, '127.0.0.1');
  expect(Date.now() - started).toBeLessThan(250);
});
afterAll(async () => {
  await relay?.close();
  await Promise.all([line?.close(), genesys?.close()]);
});

describe('LINE quota in /metrics', () => {
  it('gauges per channel: the limit where there is one, the use always', async () => {
    await until(async () => /quota_used\{channel="th"\} 100\n[^]*quota_used\{channel="tw"\} 0\n/.test(await metrics()), 'the first reading of both channels');
    const text = await metrics();
    expect(text).toContain('# TYPE line_genesys_line_quota_limit gauge\nline_genesys_line_quota_limit{channel="th"} 1000\n');
    expect(text).not.toContain('line_genesys_line_quota_limit{channel="tw"}');
    expect(text).toContain('line_genesys_line_quota_used{channel="tw"} 0');
    expect(warnings(/quota/)).toEqual([]);
  });

  it('refreshed: a new figure shows without a restart', async () => {
    line.setQuota(TH, { totalUsage: 500 });
    await until(async () => (await metrics()).includes('line_genesys_line_quota_used{channel="th"} 500'), 'the new use');
    expect(warnings(/quota/)).toEqual([]);
  });

  it('warns at 80 % once, then at 95 % once', async () => {
    line.setQuota(TH, { totalUsage: 800 });
    await until(() => warnings(/80 %/).length > 0, 'the 80 % warning');
    await twoMoreRefreshes();
    expect(warnings(/quota .* used/).map((l) => [l.msg, l.channel])).toEqual([['LINE message quota 80 % used', 'th']]);
    line.setQuota(TH, { totalUsage: 960 });
    await until(() => warnings(/95 %/).length > 0, 'the 95 % warning');
    await twoMoreRefreshes();
    expect(warnings(/quota .* used/).map((l) => l.msg)).toEqual(['LINE message quota 80 % used', 'LINE message quota 95 % used']);
  });

  it('a new month warns again', async () => {
    clock = Date.UTC(2026, 11, 1, 0, 5);
    await until(() => warnings(/95 %/).length > 1, 'the warning of the new month');
    await twoMoreRefreshes();
    expect(warnings(/quota .* used/).map((l) => l.msg)).toEqual(['LINE message quota 80 % used', 'LINE message quota 95 % used', 'LINE message quota 95 % used']);
  });

  it('a channel whose quota cannot be read is logged once, not at every refresh', async () => {
    line.faults.add({ route: 'quota-consumption', status: 500, times: 1000 });
    await until(() => warnings(/cannot read/).length >= 2, 'the failure logs');
    await twoMoreRefreshes();
    expect(warnings(/cannot read/).map((l) => l.channel).sort()).toEqual(['th', 'tw']);
    line.faults.clear();
  });
});
