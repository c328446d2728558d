/**
 * Every command reads its configuration by config.ts's rules. The real CLI as child processes (run
 * `npm run build` first), `init` against the LINE and Genesys emulators, `start` as the relay.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenesysEmulator } from '../../src/sandbox/genesys-api.js';
import type { LineEmulator } from '../../src/sandbox/line-api.js';
import { spawnCli, startAccountEmulators } from '../helpers/cli-process.js';
import { startRelayProcess, waitForExit } from '../helpers/relay-process.js';

const TH = { token: 'th-access-token-cfg-0123456789', secret: 'th-channel-secret-cfg-0123456789', bot: 'U0f3c9a1b2c3d4e5f60718293a4b5c6d7' };
const TW = { token: 'tw-access-token-cfg-0123456789', secret: 'tw-channel-secret-cfg-0123456789', bot: 'Ubfae69cb9828e8817310a406b74bf8a2' };
const CLIENT = { id: 'cfg-client-id', secret: 'cfg-client-secret-xyz' };
const FROM_DOTENV = 'https://from-dotenv.example.test';

let line: LineEmulator;
let genesys: GenesysEmulator;

beforeAll(async () => {
  ({ line, genesys } = await startAccountEmulators(TH, TW, CLIENT));
});
afterAll(async () => {
  await Promise.all([line?.close(), genesys?.close()]);
});

/** A complete configuration in the environment alone (no config file), as a container has it. */
function env(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NO_COLOR: '1',
    GENESYS_API_BASE_URL: genesys.url,
    GENESYS_LOGIN_BASE_URL: genesys.url,
    LINE_API_BASE_URL: line.url,
    GENESYS_REGION: 'mypurecloud.jp',
    GENESYS_CLIENT_ID: CLIENT.id,
    GENESYS_CLIENT_SECRET: CLIENT.secret,
    LINE_GENESYS_CHANNELS: 'th',
    LINE_TH_MARKET: 'TH',
    LINE_TH_BRAND: 'acme',
    LINE_TH_CHANNEL_SECRET: TH.secret,
    LINE_TH_ACCESS_TOKEN: TH.token,
    LINE_TH_INTEGRATION_ID: 'a1b2c3d4-0000-4000-8000-00000000c0f1',
    LINE_GENESYS_STORE: 'memory',
    ...extra,
  };
}

/** The public URL `start` runs with, from its "relay listening" log line. */
async function startPublicUrl(e: Record<string, string>, cwd: string): Promise<unknown> {
  const relay = await startRelayProcess(e, cwd);
  relay.child.kill('SIGTERM');
  await waitForExit(relay.child);
  const listening = relay
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; publicUrl?: string })
    .find((l) => l.msg === 'relay listening');
  expect(listening, relay.stderr()).toBeDefined();
  return listening!.publicUrl;
}

describe('one precedence for every command', () => {
  it('a variable set empty in the shell reads the same in init and in start: the value in .env', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lg-cfg-'));
    writeFileSync(join(cwd, '.env'), `LINE_GENESYS_PUBLIC_URL=${FROM_DOTENV}\n`);
    const shell = env({ LINE_GENESYS_PUBLIC_URL: '' });

    const init = await spawnCli(['init', '--dry-run', '--yes', '--skip-webhook', '--json'], { cwd, env: shell });
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(init.stdout.trim().split('\n').at(-1)!).publicUrl).toBe(FROM_DOTENV);

    expect(await startPublicUrl(shell, cwd)).toBe(FROM_DOTENV);
  });
});

describe('one config-file reader for every command', () => {
  it('init refuses a secret written in the config file, as start does, and leaves the file as it was', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lg-cfg-'));
    const file = JSON.stringify({ genesys: { region: 'mypurecloud.jp' }, channels: [{ id: 'th', market: 'TH', brand: 'acme', channelSecret: 'hunter2-in-the-file' }] }, null, 2);
    writeFileSync(join(cwd, 'line-genesys.config.json'), file);

    const init = await spawnCli(['init', '--yes', '--public-url', 'https://relay.example.test'], { cwd, env: env({}) });
    expect(init.code).toBe(1);
    expect(init.stderr).toMatch(/channels\.0\.channelSecret: a secret is written in .*line-genesys\.config\.json/);
    expect(init.stdout + init.stderr).not.toMatch(/hunter2/);
    expect(readFileSync(join(cwd, 'line-genesys.config.json'), 'utf8')).toBe(file);
    expect(genesys.requests.filter((r) => r.method !== 'GET' && r.route !== 'token')).toEqual([]);

    const start = await spawnCli(['start', '--port', '0'], { cwd, env: env({}) });
    expect(start.code).toBe(1);
    expect(start.stderr).toMatch(/channels\.0\.channelSecret: a secret is written in/);
  });
});
