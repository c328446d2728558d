/**
 * `line-genesys init`, the real CLI as a child process (run `npm run build` first), in a temporary
 * folder, against the LINE and Genesys emulators on loopback: flags, idempotence, dry run, missing
 * flags without a terminal, prompts answered on stdin, refused credentials; and that init reads its
 * settings as `start` does.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, parseDotenv } from '../../src/config.js';
import type { GenesysEmulator } from '../../src/sandbox/genesys-api.js';
import type { LineEmulator } from '../../src/sandbox/line-api.js';
import { spawnCli, startAccountEmulators, type CliProcessRun } from '../helpers/cli-process.js';
import { startRelayProcess, waitForExit } from '../helpers/relay-process.js';

const PUBLIC_URL = 'https://relay.example.test';
const TH = { token: 'th-access-token-0123456789', secret: 'th-channel-secret-0123456789abcdef', bot: 'U0f3c9a1b2c3d4e5f60718293a4b5c6d7' };
const TW = { token: 'tw-access-token-0123456789', secret: 'tw-channel-secret-fedcba9876543210', bot: 'Ubfae69cb9828e8817310a406b74bf8a2' };
const CLIENT = { id: 'init-client-id', secret: 'init-client-secret-xyz' };
const FLAGS = ['--region', 'mypurecloud.jp', '--client-id', CLIENT.id, '--client-secret', CLIENT.secret, '--channel', 'th:TH:acme', '--channel', 'tw:TW:acme-tw', '--public-url', PUBLIC_URL];

let line: LineEmulator;
let genesys: GenesysEmulator;

beforeAll(async () => {
  ({ line, genesys } = await startAccountEmulators(TH, TW, CLIENT));
});
afterAll(async () => {
  await Promise.all([line?.close(), genesys?.close()]);
});
beforeEach(() => {
  genesys.reset();
  line.reset();
  line.webhookEndpoints.clear();
});

/** The emulators' base URLs and the channel secrets: what a CI job would have in its environment. */
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NO_COLOR: '1',
    GENESYS_API_BASE_URL: genesys.url,
    GENESYS_LOGIN_BASE_URL: genesys.url,
    LINE_API_BASE_URL: line.url,
    ...extra,
  };
}
const secretsEnv = (extra: Record<string, string> = {}) => baseEnv({ LINE_TH_CHANNEL_SECRET: TH.secret, LINE_TH_ACCESS_TOKEN: TH.token, LINE_TW_CHANNEL_SECRET: TW.secret, LINE_TW_ACCESS_TOKEN: TW.token, ...extra });

/** Runs the CLI; `answers` are typed one by one, each when its question shows on stderr. */
function cli(cwd: string, args: string[], env: Record<string, string>, answers: Array<[question: string, answer: string]> = []): Promise<CliProcessRun> {
  return spawnCli(args, { cwd, env, answers });
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lg-init-'));
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const writes = () => genesys.requests.filter((r) => r.method !== 'GET' && r.route !== 'token');

describe('init with flags (--yes)', () => {
  it('creates one integration per channel, sets the LINE webhooks and writes config, .env, .gitignore and the flow', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), '# mine\nOTHER_SETTING=keep-me\n');
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
    const r = await cli(dir, ['init', '--yes', ...FLAGS], secretsEnv());
    expect(r.code, r.stderr).toBe(0);

    const integrations = [...genesys.integrations.values()];
    expect(integrations.map((i) => i.name).sort()).toEqual(['LINE TH acme', 'LINE TW acme-tw']);
    const th = integrations.find((i) => i.name === 'LINE TH acme')!;
    expect(th.outboundNotificationWebhookUrl).toBe(`${PUBLIC_URL}/webhook/genesys/th`);
    expect(line.webhookEndpoints.get(TH.bot)).toBe(`${PUBLIC_URL}/webhook/line/th`);
    expect(line.webhookEndpoints.get(TW.bot)).toBe(`${PUBLIC_URL}/webhook/line/tw`);
    expect(line.requests.filter((q) => q.route === 'webhook-test')).toHaveLength(2);
    expect([...genesys.violations, ...line.violations]).toEqual([]);

    const env = parseDotenv(read(dir, '.env'));
    expect(env).toMatchObject({
      OTHER_SETTING: 'keep-me',
      GENESYS_CLIENT_ID: CLIENT.id,
      GENESYS_CLIENT_SECRET: CLIENT.secret,
      LINE_TH_CHANNEL_SECRET: TH.secret,
      LINE_TH_ACCESS_TOKEN: TH.token,
      LINE_TW_ACCESS_TOKEN: TW.token,
      GENESYS_TH_OUTBOUND_SECRET: th.outboundNotificationWebhookSignatureSecretToken,
    });
    expect(env.GENESYS_TH_OUTBOUND_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(read(dir, '.env')).toMatch(/^# mine\nOTHER_SETTING=keep-me\n/);
    expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
    expect(read(dir, '.gitignore')).toBe('node_modules\n.env\n.line-genesys/\n'); // the secrets and the store (customers' messages)

    const configText = read(dir, 'line-genesys.config.json');
    for (const secret of Object.entries(env).filter(([k]) => k !== 'OTHER_SETTING').map(([, v]) => v!)) expect(configText).not.toContain(secret);
    const config = loadConfig({ cwd: dir, env: baseEnv() });
    expect(config.channels.map((c) => [c.id, c.market, c.brand, c.botUserId, c.integrationId])).toEqual([
      ['th', 'TH', 'acme', TH.bot, th.id],
      ['tw', 'TW', 'acme-tw', TW.bot, integrations.find((i) => i.name === 'LINE TW acme-tw')!.id],
    ]);
    expect(config.relay.publicUrl).toBe(PUBLIC_URL);
    expect(config.channels[0]!.outboundSecret).toBe(env.GENESYS_TH_OUTBOUND_SECRET);

    const flow = parseYaml(read(dir, 'architect/inbound-message-flow.yaml'));
    const actions = flow.inboundShortMessage.states[0].state.actions;
    expect(actions.filter((a: any) => a.decision).map((a: any) => a.decision.outputs.yes.actions[0].transferToAcd.targetQueue.lit.name)).toEqual(['LINE TH', 'LINE TW']);

    // The starter stickers as Genesys canned responses, and how to import them.
    const canned = JSON.parse(read(dir, 'genesys-canned-responses.json'));
    expect(canned).toHaveLength(4);
    expect(canned[0]).toMatchObject({ libraries: [{ id: 'LIBRARY_ID' }], texts: [{ content: '[sticker 446/1988]' }] });
    expect(r.stdout).toMatch(/4\. Give agents the starter stickers as canned responses: .*POST \/api\/v2\/responsemanagement\/libraries.*genesys-canned-responses\.json/);

    expect(r.stdout).toMatch(/✔ Genesys integration "LINE TH acme" created/);
    // The summary names the recipient of each integration, the one the flow is attached to.
    const recipient = (name: string) => integrations.find((i) => i.name === name)!.recipient!.id;
    expect(r.stdout).toContain(`in the division "Home", publish architect/inbound-message-flow.yaml with Archy, and make it the flow of each integration's recipient (th: ${recipient('LINE TH acme')}, tw: ${recipient('LINE TW acme-tw')})`);
    expect(r.stdout + r.stderr).not.toContain(CLIENT.secret);
    expect(r.stdout + r.stderr).not.toContain(TH.token);
  });

  it('creates the supported-content profile and the messaging setting, named after the prefix, and attaches both to each integration', async () => {
    const dir = tempDir();
    const r = await cli(dir, ['--json', 'init', '--yes', ...FLAGS, '--integration-prefix', 'Acme LINE', '--division', 'APAC'], secretsEnv());
    expect(r.code, r.stderr).toBe(0);
    expect([...genesys.supportedContents.values()].map((p) => p.name)).toEqual(['Acme LINE supported content']);
    expect([...genesys.messagingSettings.values()].map((p) => p.name)).toEqual(['Acme LINE messaging setting']);
    const content = [...genesys.supportedContents.values()][0]!;
    const setting = [...genesys.messagingSettings.values()][0]!;
    // What LINE carries: images, video, audio and files each way (Genesys's default sends only jpg, png and gif).
    const types = (dir: 'inbound' | 'outbound') => content.mediaTypes!.allow![dir]!.map((t) => t.type);
    expect(types('inbound')).toEqual(['image/*', 'video/*', 'audio/*', 'application/*', 'text/*']);
    for (const t of ['image/jpeg', 'image/png', 'video/mp4', 'audio/mp4', 'audio/mpeg', 'application/*']) expect(types('outbound')).toContain(t);
    expect(setting.event).toEqual({ typing: { on: { inbound: 'Enabled', outbound: 'Enabled' } } });
    const integrations = [...genesys.integrations.values()];
    expect(integrations).toHaveLength(2);
    for (const i of integrations) {
      expect(i.supportedContent?.id).toBe(content.id);
      expect(i.messagingSetting?.id).toBe(setting.id);
    }
    const result = JSON.parse(r.stdout);
    expect(result.profiles).toEqual({
      supportedContent: { id: content.id, name: 'Acme LINE supported content', action: 'created' },
      messagingSetting: { id: setting.id, name: 'Acme LINE messaging setting', action: 'created' },
    });
    // The flow's recipient is the integration's recipient.id: the summary gives it.
    expect(result.channels.map((c: any) => c.recipientId)).toEqual(result.channels.map((c: any) => genesys.integrations.get(c.integrationId)!.recipient!.id));
    expect(result.channels[0].recipientId).toMatch(/^[0-9a-f-]{36}$/);
    // The division is a parameter init fills in the flow.
    expect(result.division).toBe('APAC');
    expect(parseYaml(read(dir, 'architect/inbound-message-flow.yaml')).inboundShortMessage.division).toBe('APAC');
    expect([...genesys.violations, ...line.violations]).toEqual([]);
  });

  it('corrects a profile of that name that lacks typing indicators, and reuses the other', async () => {
    const dir = tempDir();
    await cli(dir, ['init', '--yes', ...FLAGS], secretsEnv()).then((r) => expect(r.code, r.stderr).toBe(0));
    const setting = [...genesys.messagingSettings.values()][0]!;
    setting.event = { typing: { on: { inbound: 'Enabled', outbound: 'Disabled' } } };
    genesys.requests.length = 0;
    const r = await cli(dir, ['init', '--yes', ...FLAGS], secretsEnv());
    expect(r.code, r.stderr).toBe(0);
    expect(writes().map((w) => `${w.method} ${w.route}`)).toEqual(['PATCH messagingsetting-update']);
    expect(genesys.messagingSettings.get(setting.id)!.event).toEqual({ typing: { on: { inbound: 'Enabled', outbound: 'Enabled' } } });
    expect(r.stdout).toMatch(/✔ Genesys profile "LINE supported content" reused/);
    expect(r.stdout).toMatch(/✔ Genesys profile "LINE messaging setting" updated/);
  });

  it('refuses an outbound secret of 15 characters (Genesys wants more) with exit 2 before any call; takes one of 16', async () => {
    const short = await cli(tempDir(), ['init', '--yes', ...FLAGS], secretsEnv({ GENESYS_TH_OUTBOUND_SECRET: 'a'.repeat(15) }));
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/^✖ GENESYS_TH_OUTBOUND_SECRET is 15 characters long; Genesys requires more than 15/m);
    expect(short.stderr).not.toContain('a'.repeat(15));
    expect(genesys.requests).toEqual([]);

    const dir = tempDir();
    const ok = await cli(dir, ['init', '--yes', ...FLAGS], secretsEnv({ GENESYS_TH_OUTBOUND_SECRET: 'b'.repeat(16) }));
    expect(ok.code, ok.stderr).toBe(0);
    expect([...genesys.integrations.values()].find((i) => i.name === 'LINE TH acme')!.outboundNotificationWebhookSignatureSecretToken).toBe('b'.repeat(16));
  });

  it('run twice: the same integrations and profiles, no write to Genesys the second time, secrets kept, files unchanged (--json)', async () => {
    const dir = tempDir();
    const first = await cli(dir, ['--json', 'init', '--yes', ...FLAGS], secretsEnv());
    expect(first.code, first.stderr).toBe(0);
    const before = { ids: [...genesys.integrations.keys()].sort(), env: read(dir, '.env'), config: read(dir, 'line-genesys.config.json'), gitignore: read(dir, '.gitignore') };
    const firstResult = JSON.parse(first.stdout);
    expect(firstResult.channels.map((c: any) => c.integration)).toEqual(['created', 'created']);

    genesys.requests.length = 0;
    const second = await cli(dir, ['--json', 'init', '--yes', ...FLAGS], secretsEnv());
    expect(second.code, second.stderr).toBe(0);
    const result = JSON.parse(second.stdout);
    expect(result).toMatchObject({ ok: true, dryRun: false, config: join(dir, 'line-genesys.config.json'), env: join(dir, '.env') });
    expect(result.channels.map((c: any) => [c.id, c.integration, c.signingKey, c.webhook.set, c.webhook.test.success])).toEqual([
      ['th', 'unchanged', 'kept', true, true],
      ['tw', 'unchanged', 'kept', true, true],
    ]);
    expect([result.profiles.supportedContent.action, result.profiles.messagingSetting.action]).toEqual(['reused', 'reused']);
    expect([...genesys.integrations.keys()].sort()).toEqual(before.ids);
    expect(result.channels.map((c: any) => c.integrationId).sort()).toEqual(before.ids);
    expect(genesys.requests.length).toBeGreaterThan(0);
    expect(writes()).toEqual([]);
    expect(genesys.supportedContents.size).toBe(1);
    expect(genesys.messagingSettings.size).toBe(1);
    expect(read(dir, '.env')).toBe(before.env);
    expect(read(dir, 'line-genesys.config.json')).toBe(before.config);
    expect(read(dir, '.gitignore')).toBe(before.gitignore);

    // A third time with no settings at all: everything comes from the config file and .env.
    const third = await cli(dir, ['init', '--yes'], baseEnv());
    expect(third.code, third.stderr).toBe(0);
    expect([...genesys.integrations.keys()].sort()).toEqual(before.ids);
    expect(read(dir, '.env')).toBe(before.env);
    expect(read(dir, 'line-genesys.config.json')).toBe(before.config);
    expect(third.stdout).toMatch(/✔ Genesys integration "LINE TW acme-tw" unchanged/);
  });

  it('finds an integration made elsewhere by name; with its secret unknown, sets a new one and says so', async () => {
    const dir = tempDir();
    genesys.integrations.set('0e1f2a3b-0000-4000-8000-00000000aaaa', {
      id: '0e1f2a3b-0000-4000-8000-00000000aaaa', name: 'LINE TH acme', outboundNotificationWebhookUrl: 'https://old.example.test/hook', outboundNotificationWebhookSignatureSecretToken: 'old-secret', createStatus: 'Completed',
    });
    const r = await cli(dir, ['init', '--yes', ...FLAGS.slice(0, 8), '--public-url', PUBLIC_URL], secretsEnv());
    expect(r.code, r.stderr).toBe(0);
    expect(genesys.integrations.size).toBe(1);
    const i = genesys.integrations.get('0e1f2a3b-0000-4000-8000-00000000aaaa')!;
    expect(i.outboundNotificationWebhookUrl).toBe(`${PUBLIC_URL}/webhook/genesys/th`);
    expect(i.outboundNotificationWebhookSignatureSecretToken).not.toBe('old-secret');
    expect(parseDotenv(read(dir, '.env')).GENESYS_TH_OUTBOUND_SECRET).toBe(i.outboundNotificationWebhookSignatureSecretToken);
    expect(r.stderr).toMatch(/outbound secret was not in \.env.*new one \(GENESYS_TH_OUTBOUND_SECRET\)/);
  });

  it("a failed LINE webhook test is a warning, not a failure", async () => {
    const dir = tempDir();
    line.setWebhookTestResult(TH.bot, { success: false, statusCode: 502, reason: 'Bad Gateway', detail: 'connection refused' });
    const r = await cli(dir, ['init', '--yes', ...FLAGS], secretsEnv());
    line.setWebhookTestResult(TH.bot, { success: true, statusCode: 200, reason: 'OK', detail: '200' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/LINE channel th: LINE's test of https:\/\/relay\.example\.test\/webhook\/line\/th failed \(502 Bad Gateway/);
  });
});

describe('init --dry-run', () => {
  it('prints every call with redacted bodies and changes nothing', async () => {
    const dir = tempDir();
    const r = await cli(dir, ['init', '--dry-run', '--yes', ...FLAGS], secretsEnv());
    expect(r.code, r.stderr).toBe(0);
    expect(genesys.integrations.size).toBe(0);
    expect(writes()).toEqual([]);
    expect(line.requests.filter((q) => q.method !== 'GET')).toEqual([]);
    expect(line.webhookEndpoints.size).toBe(0);
    for (const f of ['.env', '.gitignore', 'line-genesys.config.json', 'architect']) expect(existsSync(join(dir, f))).toBe(false);
    expect(r.stdout).toMatch(/^ +POST +http:\/\/127\.0\.0\.1:\d+\/api\/v2\/conversations\/messaging\/integrations\/open \{"name":"LINE TH acme",.*"outboundNotificationWebhookSignatureSecretToken":"\[redacted\]","webhookHeaders":\{[^}]*\},"supportedContent":\{"id":"\(new\)"\},"messagingSetting":\{"id":"\(new\)"\}\} +\(not made: dry run\)$/m);
    expect(r.stdout).toMatch(/^ +POST +http:\/\/127\.0\.0\.1:\d+\/api\/v2\/conversations\/messaging\/supportedcontent \{"name":"LINE supported content","mediaTypes":\{"allow":\{"inbound":\[\{"type":"image\/\*"\}.*\} +\(not made: dry run\)$/m);
    expect(r.stdout).toMatch(/^ +POST +http:\/\/127\.0\.0\.1:\d+\/api\/v2\/conversations\/messaging\/settings \{"name":"LINE messaging setting","event":\{"typing":\{"on":\{"inbound":"Enabled","outbound":"Enabled"\}\}\}\} +\(not made: dry run\)$/m);
    expect(genesys.supportedContents.size + genesys.messagingSettings.size).toBe(0);
    expect(r.stdout).toMatch(/^ +PUT +http:\/\/127\.0\.0\.1:\d+\/v2\/bot\/channel\/webhook\/endpoint \{"endpoint":"https:\/\/relay\.example\.test\/webhook\/line\/tw"\} +\(not made: dry run\)$/m);
    expect(r.stdout).toMatch(/would write \.env/);
    for (const s of [CLIENT.secret, TH.secret, TH.token]) expect(r.stdout + r.stderr).not.toContain(s);
  });
});

describe('init without a terminal', () => {
  it('lists every missing flag and exits 2', async () => {
    const dir = tempDir();
    const r = await cli(dir, ['init'], baseEnv());
    expect(r.code).toBe(2);
    for (const flag of ['--region <region> (or GENESYS_REGION)', '--client-id <id> (or GENESYS_CLIENT_ID)', '--client-secret <secret> (or GENESYS_CLIENT_SECRET)', '--channel <id:market:brand>']) {
      expect(r.stderr).toContain(flag);
    }
    // No public URL is not missing: `dev` provides one (see "init before dev").
    expect(r.stderr).not.toContain('--public-url');
    expect(genesys.requests).toEqual([]);
    expect(existsSync(join(dir, '.env'))).toBe(false);
  });

  it('names the missing LINE secrets of a declared channel', async () => {
    const r = await cli(tempDir(), ['init', '--yes', ...FLAGS], baseEnv({ LINE_TH_CHANNEL_SECRET: TH.secret, LINE_TH_ACCESS_TOKEN: TH.token }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--line-secret tw=<secret> (or LINE_TW_CHANNEL_SECRET)');
    expect(r.stderr).toContain('--line-token tw=<token> (or LINE_TW_ACCESS_TOKEN)');
    expect(r.stderr).not.toContain('LINE_TH_');
  });

  it('two channels that would share one integration name: exit 2 before any call', async () => {
    const flags = [...FLAGS.slice(0, 8), '--channel', 'th2:TH:acme', '--line-secret', `th2=${TW.secret}`, '--line-token', `th2=${TW.token}`, '--public-url', PUBLIC_URL];
    const r = await cli(tempDir(), ['init', '--yes', ...flags], secretsEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('two channels would share the Genesys integration "LINE TH acme"');
    expect(genesys.requests).toEqual([]);
  });

  it('a refused Genesys client secret: exit 1 with one readable line, nothing written', async () => {
    const dir = tempDir();
    const flags = FLAGS.map((f) => (f === CLIENT.secret ? 'wrong-secret' : f));
    const r = await cli(dir, ['init', '--yes', ...flags], secretsEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^✖ Genesys OAuth token failed: HTTP 401/m);
    expect(r.stderr).toMatch(/GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET/);
    expect(r.stderr).not.toContain('wrong-secret');
    expect(existsSync(join(dir, '.env'))).toBe(false);
    expect(genesys.integrations.size).toBe(0);
  });
});

describe('init with prompts', () => {
  it('asks for what is missing, one question at a time (answers typed on stdin)', async () => {
    const dir = tempDir();
    const r = await cli(dir, ['init'], baseEnv({ LINE_GENESYS_FORCE_PROMPT: '1' }), [
      ['Genesys Cloud region', 'ap-northeast-1'],
      ['Genesys OAuth client id', CLIENT.id],
      ['Genesys OAuth client secret', CLIENT.secret],
      ['LINE channel id', 'th'],
      ['Market of "th"', 'TH'],
      ['Brand of "th"', 'acme'],
      ['Add another LINE channel?', 'n'],
      ['LINE channel "th": channel secret', TH.secret],
      ['LINE channel "th": long-lived channel access token', TH.token],
      ['Public https URL of the relay', PUBLIC_URL],
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect([...genesys.integrations.values()].map((i) => i.name)).toEqual(['LINE TH acme']);
    const config = JSON.parse(read(dir, 'line-genesys.config.json'));
    expect(config.genesys.region).toBe('ap-northeast-1');
    // The region is a choice from the region table (typing jumps to it), not free text.
    expect(r.stderr).toContain('ap-northeast-1 (mypurecloud.jp)');
    expect(r.stderr).not.toContain('(e.g. mypurecloud.jp or ap-northeast-1)');
    expect(config.channels).toEqual([{ id: 'th', market: 'TH', brand: 'acme', botUserId: TH.bot, integrationId: [...genesys.integrations.keys()][0] }]);
    expect(parseDotenv(read(dir, '.env'))).toMatchObject({ GENESYS_CLIENT_SECRET: CLIENT.secret, LINE_TH_ACCESS_TOKEN: TH.token });
    expect(r.stderr).not.toContain(CLIENT.secret);
  });
});

describe('init reads its settings as start does (config.ts)', () => {
  /** A complete configuration in the environment alone, as a container has it. */
  const containerEnv = (extra: Record<string, string> = {}) => ({
    ...secretsEnv(),
    GENESYS_REGION: 'mypurecloud.jp',
    GENESYS_CLIENT_ID: CLIENT.id,
    GENESYS_CLIENT_SECRET: CLIENT.secret,
    LINE_GENESYS_CHANNELS: 'th',
    LINE_TH_MARKET: 'TH',
    LINE_TH_BRAND: 'acme',
    LINE_TH_INTEGRATION_ID: 'a1b2c3d4-0000-4000-8000-00000000c0f1',
    LINE_GENESYS_STORE: 'memory',
    ...extra,
  });

  /** The public URL `start` runs with, from its "relay listening" log line. */
  async function startPublicUrl(env: Record<string, string>, cwd: string): Promise<unknown> {
    const relay = await startRelayProcess(env, cwd);
    relay.child.kill('SIGTERM');
    await waitForExit(relay.child);
    const logs = relay.stderr().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; publicUrl?: string });
    const listening = logs.find((l) => l.msg === 'relay listening');
    expect(listening, relay.stderr()).toBeDefined();
    return listening!.publicUrl;
  }

  it('a variable set empty in the shell reads the same in init and in start: the value in .env', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'LINE_GENESYS_PUBLIC_URL=https://from-dotenv.example.test\n');
    const env = containerEnv({ LINE_GENESYS_PUBLIC_URL: '' });

    const r = await cli(dir, ['init', '--dry-run', '--yes', '--skip-webhook', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!).publicUrl).toBe('https://from-dotenv.example.test');
    expect(await startPublicUrl(env, dir)).toBe('https://from-dotenv.example.test');
  });

  it('refuses a secret written in the config file, as start does, and leaves the file as it was', async () => {
    const dir = tempDir();
    const file = JSON.stringify({ genesys: { region: 'mypurecloud.jp' }, channels: [{ id: 'th', market: 'TH', brand: 'acme', channelSecret: 'hunter2-in-the-file' }] }, null, 2);
    writeFileSync(join(dir, 'line-genesys.config.json'), file);

    const r = await cli(dir, ['init', '--yes', '--public-url', PUBLIC_URL], containerEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/channels\.0\.channelSecret: a secret is written in .*line-genesys\.config\.json/);
    expect(r.stdout + r.stderr).not.toMatch(/hunter2/);
    expect(read(dir, 'line-genesys.config.json')).toBe(file);
    expect(writes()).toEqual([]);

    const start = await cli(dir, ['start', '--port', '0'], containerEnv());
    expect(start.code).toBe(1);
    expect(start.stderr).toMatch(/channels\.0\.channelSecret: a secret is written in/);
  });
});

describe('init before dev (issue 14)', () => {
  const NO_URL_FLAGS = FLAGS.slice(0, 8); // region, client, channels: no --public-url

  it('works without a public URL: says dev will provide one, creates the integrations, sets no LINE webhook, records what dev needs', async () => {
    const dir = tempDir();
    const r = await cli(dir, ['init', '--yes', ...NO_URL_FLAGS], secretsEnv());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('No public URL yet: that is fine for `line-genesys dev`');
    expect(r.stdout).toContain('2. Run line-genesys dev');
    expect(line.webhookEndpoints.size).toBe(0);
    const th = [...genesys.integrations.values()].find((i) => i.name === 'LINE TH acme')!;
    expect(th.outboundNotificationWebhookUrl).toBe('https://no-public-url-yet.invalid/webhook/genesys/th');
    const config = JSON.parse(read(dir, 'line-genesys.config.json'));
    expect(config.relay).toBeUndefined();
    expect(config.channels.find((c: any) => c.id === 'th')).toEqual({ id: 'th', market: 'TH', brand: 'acme', botUserId: TH.bot, integrationId: th.id });
    expect(parseDotenv(read(dir, '.env')).GENESYS_TH_OUTBOUND_SECRET).toBe(th.outboundNotificationWebhookSignatureSecretToken);
    expect([...genesys.violations, ...line.violations]).toEqual([]);
  });

  it('with an ngrok static domain (NGROK_DOMAIN) uses it as the public URL', async () => {
    const dir = tempDir();
    const r = await cli(dir, ['init', '--yes', ...NO_URL_FLAGS], { ...secretsEnv(), NGROK_DOMAIN: 'acme-dev.ngrok-free.app' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('Public URL https://acme-dev.ngrok-free.app: your ngrok static domain (NGROK_DOMAIN)');
    expect(line.webhookEndpoints.get(TH.bot)).toBe('https://acme-dev.ngrok-free.app/webhook/line/th');
    expect(JSON.parse(read(dir, 'line-genesys.config.json')).relay.publicUrl).toBe('https://acme-dev.ngrok-free.app');
  });
});

describe('init checks credentials as they are entered (issue 14)', () => {
  it('a refused client secret or access token is asked again at once, before the next question', async () => {
    const dir = tempDir();
    const r = await cli(dir, ['init'], baseEnv({ LINE_GENESYS_FORCE_PROMPT: '1' }), [
      ['Genesys Cloud region', 'ap-northeast-1'],
      ['Genesys OAuth client id', CLIENT.id],
      ['Genesys OAuth client secret', 'wrong-secret'],
      ['Genesys Cloud region', 'ap-northeast-1'],
      ['Genesys OAuth client id', CLIENT.id],
      ['Genesys OAuth client secret', CLIENT.secret],
      ['LINE channel id', 'th'],
      ['Market of "th"', 'TH'],
      ['Brand of "th"', 'acme'],
      ['Add another LINE channel?', 'n'],
      ['LINE channel "th": channel secret', TH.secret],
      ['LINE channel "th": long-lived channel access token', 'not-a-token'],
      ['LINE channel "th": long-lived channel access token', TH.token],
      ['Public https URL of the relay', PUBLIC_URL],
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout + r.stderr;
    // Each refusal shows before the next question is asked.
    const refusedGenesys = out.indexOf('enter the region, client id and secret again');
    expect(refusedGenesys).toBeGreaterThan(0);
    expect(refusedGenesys).toBeLessThan(out.indexOf('? LINE channel id'));
    const refusedToken = out.indexOf('enter the access token of LINE channel "th" again');
    expect(refusedToken).toBeGreaterThan(0);
    expect(refusedToken).toBeLessThan(out.indexOf('? Public https URL'));
    expect(out).not.toContain('wrong-secret');
    expect(parseDotenv(read(dir, '.env'))).toMatchObject({ GENESYS_CLIENT_SECRET: CLIENT.secret, LINE_TH_ACCESS_TOKEN: TH.token });
  });
});

describe('outbound-secret drift (issue 14)', () => {
  it("project B's init on A's integration takes it over and says so; A's init and doctor then report it with the fix", async () => {
    const a = tempDir();
    const b = tempDir();
    const flags = [...FLAGS.slice(0, 8), '--public-url', PUBLIC_URL];
    expect((await cli(a, ['init', '--yes', ...flags], secretsEnv())).code).toBe(0);
    const th = [...genesys.integrations.values()].find((i) => i.name === 'LINE TH acme')!;
    const secretA = parseDotenv(read(a, '.env')).GENESYS_TH_OUTBOUND_SECRET;
    expect(th.outboundNotificationWebhookSignatureSecretToken).toBe(secretA);

    const rb = await cli(b, ['init', '--yes', ...flags], secretsEnv());
    expect(rb.code, rb.stderr).toBe(0);
    expect(th.outboundNotificationWebhookSignatureSecretToken).not.toBe(secretA);
    expect(rb.stderr).toContain('carried the outbound secret of another configuration');

    const ra = await cli(a, ['init', '--yes'], baseEnv());
    expect(ra.code).toBe(1);
    expect(ra.stderr).toMatch(/^✖ Genesys integration "LINE TH acme" \(.+\) signs agent messages with an outbound secret that is not this project's GENESYS_TH_OUTBOUND_SECRET/m);
    expect(ra.stderr).toContain('Copy GENESYS_TH_OUTBOUND_SECRET from the other project');
    // A's init changed nothing of B's: the secret Genesys holds is still B's.
    expect(th.outboundNotificationWebhookSignatureSecretToken).toBe(parseDotenv(read(b, '.env')).GENESYS_TH_OUTBOUND_SECRET);

    const doctor = await cli(a, ['doctor'], baseEnv());
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/^✖ Genesys integration th — "LINE TH acme" \(.+\) signs agent messages with an outbound secret that is not this project's GENESYS_TH_OUTBOUND_SECRET.* → Copy GENESYS_TH_OUTBOUND_SECRET/m);
    expect((await cli(b, ['doctor'], baseEnv())).stdout).toMatch(/^✔ Genesys integration th/m);
  });
});
