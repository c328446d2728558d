/**
 * `line-genesys doctor`, the real CLI as a child process (run `npm run build` first), in a folder
 * set up by `line-genesys init` against the LINE and Genesys emulators; then broken one way at a
 * time: each break is one ✖ line with its fix, and exit 1.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGenesysEmulator, type GenesysEmulator } from '../../src/sandbox/genesys-api.js';
import type { LineEmulator } from '../../src/sandbox/line-api.js';
import { spawnCli, startAccountEmulators, type CliProcessRun } from '../helpers/cli-process.js';

const PUBLIC_URL = 'https://relay.example.test';
const TH = { token: 'th-access-token-doctor-0001', secret: 'th-channel-secret-doctor', bot: 'U0f3c9a1b2c3d4e5f60718293a4b5c6d7' };
/** TW has LINE's chat on: its messages show as read only when the relay marks them. */
const TW = { token: 'tw-access-token-doctor-0002', secret: 'tw-channel-secret-doctor', bot: 'Ubfae69cb9828e8817310a406b74bf8a2', markAsReadMode: 'manual' as const };
const CLIENT = { id: 'doctor-client-id', secret: 'doctor-client-secret-xyz' };

let line: LineEmulator;
let genesys: GenesysEmulator;
let dir: string;

function cli(args: string[], env: Record<string, string> = {}): Promise<CliProcessRun> {
  return spawnCli(args, { cwd: dir, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', GENESYS_API_BASE_URL: genesys.url, GENESYS_LOGIN_BASE_URL: genesys.url, LINE_API_BASE_URL: line.url, ...env } });
}

/** --json: one JSON object per line. */
function jsonLines(stdout: string): any[] {
  return stdout.trim().split('\n').map((l) => JSON.parse(l));
}

beforeAll(async () => {
  ({ line, genesys } = await startAccountEmulators(TH, TW, CLIENT));
});
afterAll(async () => {
  await Promise.all([line?.close(), genesys?.close()]);
});

beforeEach(async () => {
  genesys.reset();
  line.reset();
  line.webhookEndpoints.clear();
  dir = mkdtempSync(join(tmpdir(), 'lg-doctor-'));
  const init = await cli(
    ['init', '--yes', '--region', 'mypurecloud.jp', '--channel', 'th:TH:acme', '--channel', 'tw:TW:acme', '--public-url', PUBLIC_URL],
    { GENESYS_CLIENT_ID: CLIENT.id, GENESYS_CLIENT_SECRET: CLIENT.secret, LINE_TH_CHANNEL_SECRET: TH.secret, LINE_TH_ACCESS_TOKEN: TH.token, LINE_TW_CHANNEL_SECRET: TW.secret, LINE_TW_ACCESS_TOKEN: TW.token },
  );
  expect(init.code, init.stderr).toBe(0);
});

/** What doctor checks on the two channels init set up, in order: the setup's own, then each channel's upstream. */
const GOOD_CHECKS = [
  'config',
  'relay public URL',
  ...['GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET'].map((v) => `env ${v}`),
  ...['TH', 'TW'].flatMap((id) => [`LINE_${id}_CHANNEL_SECRET`, `LINE_${id}_ACCESS_TOKEN`, `GENESYS_${id}_OUTBOUND_SECRET`].map((v) => `env ${v}`)),
  'channel th',
  'channel tw',
  'Genesys credentials',
  'relay credentials',
  ...['th', 'tw'].flatMap((id) => [`LINE ${id} bot`, `LINE ${id} read marks`, `LINE ${id} webhook`, `Genesys integration ${id}`, `Genesys profiles ${id}`]),
];

describe('doctor on a good setup', () => {
  it('every check ✔, exit 0, secrets masked', async () => {
    const r = await cli(['doctor']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const checks = lines.filter((l) => /^[✔✖] /.test(l));
    expect(checks.map((l) => l.split(' — ')[0])).toEqual(GOOD_CHECKS.map((name) => `✔ ${name}`));
    expect(r.stdout).toMatch(/^✔ env LINE_TH_ACCESS_TOKEN — ••••0001 \(27 chars\) from \.env$/m);
    expect(r.stdout).toMatch(/^✔ LINE th webhook — https:\/\/relay\.example\.test\/webhook\/line\/th$/m);
    expect(r.stdout).toContain('✔ LINE th read marks — do not apply: chat is off (markAsReadMode auto), LINE marks messages read itself\n');
    expect(r.stdout).toContain('✔ LINE tw read marks — apply: chat is on (markAsReadMode manual), the relay marks messages read (relay.markAsRead agent-reply)\n');
    expect(r.stdout).toMatch(/^✔ Genesys integration tw — "LINE TW acme" → https:\/\/relay\.example\.test\/webhook\/genesys\/tw$/m);
    expect(lines.at(-1)).toBe(`All ${checks.length} checks passed.`);
    for (const s of [CLIENT.secret, TH.token, TH.secret]) expect(r.stdout + r.stderr).not.toContain(s);
  });

  it('says where each secret came from: the shell over .env, an empty shell variable is not set', async () => {
    const r = await cli(['doctor', '--offline'], { LINE_TH_ACCESS_TOKEN: 'th-token-from-the-shell', LINE_TW_ACCESS_TOKEN: '' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^✔ env LINE_TH_ACCESS_TOKEN — ••••hell \(23 chars\) from environment$/m);
    expect(r.stdout).toMatch(/^✔ env LINE_TW_ACCESS_TOKEN — ••••0002 \(27 chars\) from \.env$/m);
  });

  it('shows every setting, where it came from, secrets masked', async () => {
    const r = await cli(['doctor', '--offline'], { PORT: '3007', LINE_TH_ACCESS_TOKEN: 'th-token-from-the-shell' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Settings, and where each came from:');
    for (const [setting, value, source] of [
      ['genesys.region', 'mypurecloud.jp', 'config file'],
      ['relay.port', '3007', 'environment'],
      ['relay.publicUrl', PUBLIC_URL, 'config file'],
      ['relay.store', 'sqlite', 'default'],
      ['relay.mediaTtl', '7d', 'default'],
      ['relay.mediaMaxSize', 'image=10MB video=200MB audio=200MB file=1GB', 'default'],
      ['relay.headersTimeout', '10s', 'default'],
      ['channels.th.market', 'TH', 'config file'],
      ['channels.th.accessToken', '••••hell (23 chars)', 'environment'],
      ['channels.tw.accessToken', '••••0002 (27 chars)', '.env'],
    ] as const) {
      expect(r.stdout, setting).toMatch(new RegExp(`^  ${setting.replace(/\./g, '\\.')} +${value.replace(/[.()]/g, '\\$&')} +${source}$`, 'm'));
    }
    const json = JSON.parse((await cli(['--json', 'doctor', '--offline'])).stdout);
    expect(json.settings).toContainEqual({ setting: 'genesys.region', value: 'mypurecloud.jp', source: 'config file' });
    expect(json.settings).toContainEqual({ setting: 'channels.th.channelSecret', value: expect.stringMatching(/^••••/), source: '.env' });
    for (const s of [TH.token, TH.secret, CLIENT.secret]) expect(JSON.stringify(json)).not.toContain(s);
  });

  it('--json: one object {ok, checks}', async () => {
    const r = await cli(['--json', 'doctor']);
    expect(r.code).toBe(0);
    const [result, ...rest] = jsonLines(r.stdout);
    expect(rest).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.checks.every((c: any) => c.ok && typeof c.name === 'string' && typeof c.detail === 'string')).toBe(true);
    expect(result.checks.map((c: any) => c.name)).toEqual(GOOD_CHECKS);
  });

  it('--offline makes no network call', async () => {
    const before = [genesys.requests.length, line.requests.length];
    const r = await cli(['doctor', '--offline']);
    expect(r.code).toBe(0);
    expect([genesys.requests.length, line.requests.length]).toEqual(before);
    expect(r.stdout).toMatch(/offline: the network checks were skipped/);
    expect(r.stdout).not.toMatch(/LINE th bot|Genesys credentials/);
  });
});

describe('doctor on a broken setup: one ✖ line with the fix, exit 1', () => {
  it('a secret missing from .env', async () => {
    const envPath = join(dir, '.env');
    writeFileSync(envPath, readFileSync(envPath, 'utf8').replace(/^LINE_TH_ACCESS_TOKEN=.*\n/m, ''));
    const r = await cli(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✖ env LINE_TH_ACCESS_TOKEN — not set → Set LINE_TH_ACCESS_TOKEN in \.env or the environment: a long-lived channel access token/m);
    expect(r.stdout.match(/^✖/gm)).toHaveLength(1);
    expect(r.stderr).toMatch(/^✖ 1 of \d+ checks failed/m);

    const json = await cli(['--json', 'doctor']);
    expect(json.code).toBe(1);
    expect(jsonLines(json.stdout)).toHaveLength(1); // one object: the checks, with the error inside it
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ ok: false, error: 'DOCTOR_FAILED', exitCode: 1, message: expect.stringMatching(/^1 of \d+ checks failed$/) });
    expect(result.checks.filter((c: any) => !c.ok)).toEqual([
      { name: 'env LINE_TH_ACCESS_TOKEN', ok: false, detail: 'not set', fix: expect.stringContaining('Set LINE_TH_ACCESS_TOKEN') },
    ]);
  });

  it('a LINE webhook endpoint pointing elsewhere', async () => {
    line.webhookEndpoints.set(TW.bot, 'https://elsewhere.example/hook');
    const r = await cli(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ LINE tw webhook — points to https://elsewhere.example/hook, not https://relay.example.test/webhook/line/tw → run `line-genesys init` to set it');
    expect(r.stdout.match(/^✖/gm)).toHaveLength(1);
  });

  it('a Genesys integration sending agent replies elsewhere', async () => {
    const th = [...genesys.integrations.values()].find((i) => i.name === 'LINE TH acme')!;
    th.outboundNotificationWebhookUrl = 'https://old-relay.example/webhook/genesys';
    const r = await cli(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ Genesys integration th — "LINE TH acme" sends agent replies to https://old-relay.example/webhook/genesys, not https://relay.example.test/webhook/genesys/th');
  });

  it('an access token of another channel (bot user id does not match)', async () => {
    const r = await cli(['doctor'], { LINE_TH_ACCESS_TOKEN: TW.token });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^✖ LINE th bot — the access token is for ${TW.bot} \\("Acme TW"\\), the config says ${TH.bot} → Use the access token of the right channel`, 'm'));
  });

  it('refused Genesys credentials: says Genesys refuses the OAuth client, and what to set', async () => {
    const r = await cli(['doctor'], { GENESYS_CLIENT_SECRET: 'not-the-secret' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✖ Genesys credentials — Genesys refuses the OAuth client \(HTTP 401 from http:\/\/127\.0\.0\.1:\d+: client not found\); the relay cannot deliver to Genesys with it → Set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET to a Client Credentials OAuth client of region mypurecloud\.jp/m);
    expect(r.stdout).not.toContain('not-the-secret');
  });

  it('a running relay that counted refused credentials on its /metrics: says so, with what to do', async () => {
    const metrics = [
      '# TYPE line_genesys_auth_failures_total counter',
      'line_genesys_auth_failures_total{upstream="genesys"} 3',
      'line_genesys_line_messages_total{api="push",channel="th"} 2',
    ].join('\n');
    const relay: Server = createServer((req, res) => res.writeHead(req.url === '/metrics' ? 200 : 404, { 'content-type': 'text/plain' }).end(metrics));
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((relay.address() as AddressInfo).port);
      const r = await cli(['doctor'], { PORT: port });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`✖ relay credentials — the relay at http://localhost:${port}: Genesys refused its credentials 3 time(s) since it started → Genesys refuses the OAuth client the relay runs with: set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET`);
      expect(r.stdout.match(/^✖/gm)).toHaveLength(1);
    } finally {
      await new Promise((resolve) => relay.close(resolve));
    }
  });

  it('an integration without its profiles: says what agents lose without each', async () => {
    const th = [...genesys.integrations.values()].find((i) => i.name === 'LINE TH acme')!;
    delete th.supportedContent;
    delete th.messagingSetting;
    const r = await cli(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '✖ Genesys profiles th — "LINE TH acme" has no supported-content profile: Genesys\'s default applies, agents can send only jpg, png and gif (no video, audio or files); no messaging setting: typing indicators are off, customers never see the loading animation while an agent types → run `line-genesys init`: it creates both profiles and attaches them.',
    );
    expect(r.stdout.match(/^✖/gm)).toHaveLength(1);
    expect(r.stdout).toMatch(/^✔ Genesys profiles tw — supported content [0-9a-f-]{36}, messaging setting [0-9a-f-]{36}$/m);
  });

  it('a 403 from Genesys: names the permission the OAuth client lacks', async () => {
    genesys.faults.add({
      route: 'integration-get',
      status: 403,
      body: {
        message: 'Unable to perform the requested action. You are missing the following permission(s): [messaging:integration:view]',
        code: 'missing.any.permissions',
        status: 403,
        messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): {0}',
        messageParams: { 0: '[messaging:integration:view]' },
        contextId: '7f1c1c6e-4d5e-4a8e-9c1a-2f6b8c0d9e10',
        details: [],
        errors: [],
      },
    });
    const r = await cli(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✖ Genesys integration th — Genesys get integration failed: HTTP 403 .* → The OAuth client lacks the permission messaging:integration:view: add it to a role of the client/m);
  });

  it('a secret pasted into an …Env field is refused, never printed; an unknown key is named', async () => {
    const path = join(dir, 'line-genesys.config.json');
    const good = readFileSync(path, 'utf8');
    const file = JSON.parse(good);
    file.channels[0].channelSecretEnv = TH.secret;
    writeFileSync(path, JSON.stringify(file));
    for (const r of [await cli(['doctor']), await cli(['--json', 'doctor'])]) {
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toContain(TH.secret);
      expect(r.stdout).toContain('channels.0.channelSecretEnv: must name an environment variable');
    }
    writeFileSync(path, JSON.stringify({ ...JSON.parse(good), channel_secret: 'x' }));
    const unknown = await cli(['doctor']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/^✖ config — channel_secret: is not a setting of the config file → Known here: genesys, line, channels, relay\.$/m);
  });

  it('a config file that is not JSON', async () => {
    writeFileSync(join(dir, 'line-genesys.config.json'), '{ "genesys": ');
    const r = await cli(['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✖ config — config file: .*line-genesys\.config\.json is not valid JSON .* → Fix the JSON syntax\.$/m);
  });
});

describe('doctor --live: a test message per integration, its participant data read back, then disconnected', () => {
  it('--yes --json: reports market, brand and lineChannel as participant data, and disconnects', async () => {
    const r = await cli(['--json', 'doctor', '--live', '--yes']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const [result, ...rest] = jsonLines(r.stdout);
    expect(rest).toEqual([]);
    const ids = Object.fromEntries(JSON.parse(readFileSync(join(dir, 'line-genesys.config.json'), 'utf8')).channels.map((c: any) => [c.id, c.integrationId]));
    expect(result.live.map((l: any) => [l.channel, l.integrationId, l.attributes, l.disconnected])).toEqual([
      ['th', ids.th, { market: { sent: 'TH', received: 'TH', arrived: true }, brand: { sent: 'acme', received: 'acme', arrived: true }, lineChannel: { sent: 'th', received: 'th', arrived: true } }, true],
      ['tw', ids.tw, { market: { sent: 'TW', received: 'TW', arrived: true }, brand: { sent: 'acme', received: 'acme', arrived: true }, lineChannel: { sent: 'tw', received: 'tw', arrived: true } }, true],
    ]);
    expect(result.checks.filter((c: any) => c.name.startsWith('live ')).map((c: any) => [c.name, c.ok])).toEqual([['live th', true], ['live tw', true]]);
    // Genesys saw one labelled message per integration with prefetchConversationId, a read of each conversation, and its disconnect.
    const sent = genesys.requests.filter((q) => q.route === 'inbound-message');
    expect(sent.map((q) => q.path.endsWith('?prefetchConversationId=true'))).toEqual([true, true]);
    expect(genesys.messages.map((m) => m.body.text)).toEqual([expect.stringMatching(/^line-genesys doctor --live: a test message/), expect.stringMatching(/^line-genesys doctor --live: a test message/)]);
    const conversations = result.live.map((l: any) => l.conversationId);
    expect(genesys.requests.filter((q) => q.route === 'conversation-get').map((q) => q.path)).toEqual(conversations.map((id: string) => `/api/v2/conversations/${id}`));
    expect(genesys.requests.filter((q) => q.route === 'conversation-disconnect').map((q) => [q.path, q.status])).toEqual(conversations.map((id: string) => [`/api/v2/conversations/${id}/disconnect`, 202]));
    expect(conversations.map((id: string) => genesys.conversations.get(id)!.state)).toEqual(['disconnected', 'disconnected']);
    expect(genesys.violations).toEqual([]);
  });

  it('an organisation where custom attributes no longer become participant data: ✖ says which did not arrive, still disconnects', async () => {
    const other = await startGenesysEmulator({ clientId: CLIENT.id, clientSecret: CLIENT.secret, participantDataFromCustomAttributes: false });
    try {
      for (const [id, i] of genesys.integrations) other.integrations.set(id, { ...i, createStatus: 'Completed' });
      const r = await cli(['--json', 'doctor', '--live', '--yes'], { GENESYS_API_BASE_URL: other.url, GENESYS_LOGIN_BASE_URL: other.url });
      expect(r.code).toBe(1);
      const result = JSON.parse(r.stdout);
      const th = result.checks.find((c: any) => c.name === 'live th');
      expect(th.ok).toBe(false);
      expect(th.detail).toMatch(/: market, brand, lineChannel did not arrive as participant data \(market=\(none\), brand=\(none\), lineChannel=\(none\)\); Genesys no longer turns channel\.metadata\.customAttributes into participant data here; disconnected$/);
      expect(result.live.map((l: any) => l.disconnected)).toEqual([true, true]);
      expect(other.requests.filter((q) => q.route === 'conversation-disconnect')).toHaveLength(2);
    } finally {
      await other.close();
    }
  });

  it('without --yes and without a terminal: exit 2, says what it would do, sends nothing', async () => {
    const r = await cli(['doctor', '--live']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^✖ doctor --live sends one test message, labelled as such, to each Genesys integration \(th \([0-9a-f-]{36}\), tw \([0-9a-f-]{36}\)\), reads the conversation it opens back from Genesys, then disconnects that conversation; .* No terminal to ask on: nothing was sent\.$/m);
    expect(r.stderr).toContain('--yes');
    expect(genesys.requests.filter((q) => q.route === 'inbound-message')).toEqual([]);
  });
});
