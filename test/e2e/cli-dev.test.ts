/**
 * `line-genesys dev` for real: in-process (runDev with an AbortSignal standing for Ctrl-C, main() for
 * its wiring) and as a child process stopped with SIGINT. LINE and Genesys are the emulators; the
 * tunnel service is replaced only at the TunnelProvider boundary (there is no network here).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDev, type DevDeps, type DevOptions } from '../../src/cli/commands/dev/index.js';
import { createContext, type GlobalOptions } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { createOutput } from '../../src/cli/output.js';
import { LineGenesysError } from '../../src/errors.js';
import { startGenesysEmulator, type GenesysEmulator } from '../../src/sandbox/genesys-api.js';
import { startLineEmulator, type LineEmulator } from '../../src/sandbox/line-api.js';
import { postWebhook, signedRequest } from '../../src/samples.js';
import type { ProviderOpenOptions, TunnelProvider } from '../../src/tunnel/index.js';
import { CHANNELS, USER, lineTemplate, relayEnv, until } from '../helpers/bed.js';
import { captureIo } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PUBLIC = 'https://dev.example.test';
const PROD_LINE = 'https://relay.example.com/webhook/line';
const PROD_GENESYS = 'https://relay.example.com/webhook/genesys';

let line: LineEmulator;
let genesys: GenesysEmulator;

beforeAll(async () => {
  line = await startLineEmulator({
    channels: Object.values(CHANNELS).map((c) => ({ accessToken: c.token, botUserId: c.botUserId })),
    profiles: [{ userId: USER, displayName: 'Somchai' }],
    defaultProfiles: true,
  });
  genesys = await startGenesysEmulator({
    clientId: 'test-client-id',
    clientSecret: 'test-client-secret',
    integrations: Object.values(CHANNELS).map((c) => ({ id: c.integrationId, name: `LINE ${c.market}`, outboundNotificationWebhookUrl: PROD_GENESYS, outboundNotificationWebhookSignatureSecretToken: c.outboundSecret })),
  });
});
afterAll(async () => {
  await Promise.all([line?.close(), genesys?.close()]);
});
beforeEach(() => {
  line.reset();
  genesys.reset();
  line.webhookEndpoints.clear();
  line.webhookEndpoints.set(CHANNELS.th.botUserId, PROD_LINE);
  line.webhookEndpoints.set(CHANNELS.tw.botUserId, PROD_LINE);
});

function capture(extraEnv: Record<string, string> = {}) {
  return captureIo(relayEnv(line, genesys, { LINE_GENESYS_STORE: 'memory', ...extraEnv }), mkdtempSync(join(tmpdir(), 'lg-dev-')));
}

/** Starts `dev` in-process; `stop()` is Ctrl-C. */
function startDev(options: DevOptions, deps: DevDeps, opts: { json?: boolean; verbose?: boolean; env?: Record<string, string> } = {}) {
  const c = capture(opts.env);
  const controller = new AbortController();
  const globals: GlobalOptions = { json: opts.json ?? false, color: true, verbose: opts.verbose ?? false };
  const ctx = createContext(c.io, createOutput(c.io, globals), globals, controller.signal);
  const run = runDev({ port: '0', inspect: false, ...options }, ctx, deps);
  run.catch(() => {}); // observed by the tests that expect a rejection
  return { ...c, run, stop: () => controller.abort() };
}

/** The tunnel service is not used when --public-url or --no-tunnel is given. */
const noProvider: TunnelProvider = { name: 'ngrok', open: () => Promise.reject(new Error('the tunnel provider must not be used here')) };

function fakeNgrok(url: string) {
  const state = { calls: [] as ProviderOpenOptions[], closed: 0 };
  const provider: TunnelProvider = {
    name: 'ngrok',
    async open(o) {
      state.calls.push(o);
      return { url, close: async () => void state.closed++ };
    },
  };
  return { provider, state, drop: () => state.calls[0]!.onStatus('down') };
}

async function postLine(base: string, channel: 'th' | 'tw', body: object) {
  const res = await postWebhook(signedRequest('line', `${base}/webhook/line/${channel}`, JSON.stringify(body), CHANNELS[channel].secret));
  return res.status;
}

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const endpoint = (c: 'th' | 'tw') => line.webhookEndpoints.get(CHANNELS[c].botUserId);
const outboundUrl = (c: 'th' | 'tw') => genesys.integrations.get(CHANNELS[c].integrationId)!.outboundNotificationWebhookUrl;
const localUrlOf = (text: string) => /Local +(http:\/\/[\d.]+:\d+)/.exec(text)?.[1];

describe('dev, in-process', () => {
  it('serves, points the webhooks at the public URL, prints each event live, and restores the webhooks on Ctrl-C', async () => {
    const dev = startDev({ publicUrl: PUBLIC }, { tunnel: noProvider });
    await until(() => dev.out().includes('Ready'), 'the Ready banner', 10_000);
    const local = localUrlOf(dev.out());
    expect(local).toMatch(/^http:\/\/127\.0\.0\.1:(?!0\b)\d+$/); // the actual port, not 0
    expect(dev.out()).toContain(`Public     ${PUBLIC}`);
    expect(dev.out()).toContain('••••cdef (34 chars)');
    expect(dev.out()).not.toContain(CHANNELS.th.secret);

    expect(endpoint('th')).toBe(`${PUBLIC}/webhook/line/th`);
    expect(endpoint('tw')).toBe(`${PUBLIC}/webhook/line/tw`);
    expect(outboundUrl('th')).toBe(`${PUBLIC}/webhook/genesys/th`);
    expect(genesys.violations).toEqual([]);
    expect(dev.err()).toContain(`LINE webhook of channel th → ${PUBLIC}/webhook/line/th (was ${PROD_LINE}; restored on exit)`);

    const text = lineTemplate('text', 'th');
    expect(await postLine(local!, 'th', text)).toBe(200);
    await until(() => /--> th TH +message\/text +200 accepted/.test(dev.out()), 'the live line of the webhook');
    await until(() => /--> th TH +message\/text +200 delivered +\d+ ms/.test(dev.out()), 'the live line of the delivery');
    expect(genesys.messages).toHaveLength(1);
    expect(dev.out()).not.toContain('\u001b['); // not a terminal: no colour
    // The event's webhookEventId, on its webhook line and its delivery line.
    expect(dev.out().split('\n').filter((l) => l.includes(text.events[0].webhookEventId))).toHaveLength(2);

    // A refused webhook: its live line, and no second line in the log.
    const refused = await fetch(`${local}/webhook/line/th`, { method: 'POST', headers: { 'x-line-signature': 'forged' }, body: '{}' });
    expect(refused.status).toBe(401);
    await until(() => dev.out().includes('signature_invalid'), 'the live line of the refusal');
    expect(dev.out().split('\n').filter((l) => l.includes('401 refused'))).toHaveLength(1);
    expect(dev.err()).not.toContain('refused');

    dev.stop();
    await expect(dev.run).resolves.toEqual({ ok: true });
    expect(endpoint('th')).toBe(PROD_LINE);
    expect(endpoint('tw')).toBe(PROD_LINE);
    expect(outboundUrl('th')).toBe(PROD_GENESYS);
    expect(outboundUrl('tw')).toBe(PROD_GENESYS);
    expect(dev.err()).toContain(`LINE webhook of channel th restored to ${PROD_LINE}`);
    expect(dev.out().trimEnd().endsWith('dev stopped')).toBe(true);
    await expect(fetch(`${local}/healthz`)).rejects.toThrow(); // the relay is closed
  });

  it('--verbose: the bodies in and out under each line, in the terminal', async () => {
    const dev = startDev({ tunnel: false }, { tunnel: noProvider }, { verbose: true });
    await until(() => dev.out().includes('Ready'), 'the Ready banner', 10_000);
    const text = lineTemplate('text', 'th');
    expect(await postLine(localUrlOf(dev.out())!, 'th', text)).toBe(200);
    await until(() => /message\/text +200 delivered/.test(dev.out()), 'the live line of the delivery');
    expect(dev.out()).toContain(`    in   ${JSON.stringify(text.events[0])}`);
    expect(dev.out()).toMatch(new RegExp(`    out  \\{.*"text":${JSON.stringify(JSON.stringify(text.events[0].message.text)).slice(1, -1)}`));
    dev.stop();
    await dev.run;
  });

  it('opens an ngrok tunnel through the provider, and exits with an error when the tunnel drops for good', async () => {
    const ngrok = fakeNgrok('https://ab12cd34.ngrok-free.app');
    const dev = startDev({}, { tunnel: ngrok.provider, reconnectTimeoutMs: 150 }, { env: { NGROK_AUTHTOKEN: 'tok_test_123', NGROK_DOMAIN: 'ab12cd34.ngrok-free.app' } });
    await until(() => dev.out().includes('Ready'), 'the Ready banner', 10_000);
    const port = new URL(localUrlOf(dev.out())!).port;
    expect(ngrok.state.calls[0]).toMatchObject({ addr: `127.0.0.1:${port}`, authtoken: 'tok_test_123', domain: 'ab12cd34.ngrok-free.app' });
    expect(dev.out()).toContain('https://ab12cd34.ngrok-free.app (ngrok tunnel)');
    expect(endpoint('th')).toBe('https://ab12cd34.ngrok-free.app/webhook/line/th');
    expect(dev.out()).not.toContain('tok_test_123');

    ngrok.drop();
    const e = (await dev.run.catch((x: unknown) => x)) as LineGenesysError;
    expect(e).toBeInstanceOf(LineGenesysError);
    expect(e.code).toBe('TUNNEL_LOST');
    expect(e.exitCode).toBe(1);
    expect(dev.err()).toContain('the tunnel dropped: reconnecting');
    expect(ngrok.state.closed).toBe(1);
    expect(endpoint('th')).toBe(PROD_LINE); // restored on the way out
    expect(outboundUrl('tw')).toBe(PROD_GENESYS);
  });

  it('--json: one JSON object per line on stdout; --no-update-webhooks leaves the webhooks alone', async () => {
    const dev = startDev({ publicUrl: PUBLIC, updateWebhooks: false }, { tunnel: noProvider }, { json: true });
    await until(() => dev.out().includes('"event":"ready"'), 'the ready object', 10_000);
    const ready = JSON.parse(dev.out().split('\n')[0]!);
    expect(ready).toMatchObject({ event: 'ready', publicUrl: PUBLIC, tunnel: 'public-url', inspectorUrl: null });
    expect(ready.credentials).toContainEqual({ name: 'th channel secret', value: '••••cdef (34 chars)' });
    expect(endpoint('th')).toBe(PROD_LINE);
    expect(outboundUrl('th')).toBe(PROD_GENESYS);

    expect(await postLine(ready.localUrl, 'tw', lineTemplate('sticker', 'tw'))).toBe(200);
    await until(() => dev.out().includes('"status":"delivered"'), 'the delivery as JSON');
    dev.stop();
    await dev.run;
    const lines = dev.out().trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.event}:${l.status ?? ''}`)).toEqual(['ready:', 'activity:accepted', 'activity:delivered', 'stopped:']);
    expect(lines[1]).toMatchObject({ direction: 'in', stage: 'webhook', type: 'message/sticker', channelId: 'tw', market: 'TW', httpStatus: 200 });
    expect(dev.err()).not.toContain('restored');
  });

  it('--sandbox: no account and no tunnel; the inspector page plays the customer and each event shows live', async () => {
    const c = capture();
    c.io.env = { PATH: process.env.PATH ?? '' }; // nothing configured at all
    const controller = new AbortController();
    const globals: GlobalOptions = { json: false, color: false, verbose: false };
    const ctx = createContext(c.io, createOutput(c.io, globals), globals, controller.signal);
    const run = runDev({ port: '0', sandbox: true, tunnel: true, inspect: true, updateWebhooks: true }, ctx, { tunnel: noProvider });
    run.catch(() => {});
    await until(() => c.out().includes('Ready') || c.err().includes('✖'), 'the Ready banner', 10_000);
    expect(c.out(), c.err()).toContain('(sandbox: LINE and Genesys emulated)');
    const local = localUrlOf(c.out())!;
    const inspector = /Inspector +(http:\/\/\S+)/.exec(c.out())?.[1];
    expect(inspector, c.err()).toBeDefined();
    expect(c.out()).toContain('Public     none');
    expect(c.out()).toContain('Store      memory');

    const info = await (await fetch(`${inspector}/api/info`)).json();
    expect(info).toMatchObject({ sandbox: true, relayUrl: local });
    const sent = await fetch(`${inspector}/api/customer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channelId: 'th', kind: 'text', text: 'สวัสดี' }) });
    expect(sent.status).toBe(200);
    await until(() => /--> th TH +message\/text +200 delivered/.test(c.out()), 'the delivery to the emulated Genesys');

    controller.abort();
    await expect(run).resolves.toEqual({ ok: true });
    await expect(fetch(`${inspector}/api/info`)).rejects.toThrow(); // the inspector is closed too
  });

  it("shows each channel's LINE quota in the banner, and a live line when the watcher warns", async () => {
    line.setQuota(CHANNELS.th.botUserId, { limit: 500, totalUsage: 400 });
    try {
      const dev = startDev({ tunnel: false }, { tunnel: noProvider }, { env: { LINE_GENESYS_QUOTA_REFRESH: '100ms', LINE_GENESYS_LOG_LEVEL: 'warn' } });
      await until(() => dev.out().includes('Ready'), 'the Ready banner', 10_000);
      expect(dev.out()).toMatch(/Quota +th 400 \/ 500 \(80 %\) · tw 0 sent, no limit\n/);
      await until(() => dev.out().includes('!!! th LINE quota 80 % used: 400 / 500 messages this month'), 'the 80 % line');
      line.setQuota(CHANNELS.th.botUserId, { totalUsage: 480 });
      await until(() => dev.out().includes('!!! th LINE quota 95 % used: 480 / 500 messages this month'), 'the 95 % line');
      // Each warning once: the live line, not also the relay's log line on stderr.
      expect(dev.out().match(/LINE quota 80 % used/g)).toHaveLength(1);
      expect(dev.err()).not.toMatch(/quota/i);
      dev.stop();
      await expect(dev.run).resolves.toEqual({ ok: true });
    } finally {
      line.setQuota(CHANNELS.th.botUserId, { limit: null });
    }
  });

  it('a channel id forged with control characters is printed escaped, in the live line and the log', async () => {
    const dev = startDev({ tunnel: false }, { tunnel: noProvider }, { env: { LINE_GENESYS_LOG_LEVEL: 'warn' } });
    await until(() => dev.out().includes('Ready'), 'the Ready banner', 10_000);
    const local = localUrlOf(dev.out())!;
    // ESC ] 0 ; title BEL (retitle), ESC [2J (clear), a newline and a fake event line, DEL, C1 CSI, LS, RLO.
    const forged = encodeURIComponent('\u001b]0;pwned\u0007\u001b[2J\n12:00:00 --> th TH  message/text  200 delivered\u007f\u009b\u2028\u202e');
    const res = await fetch(`${local}/webhook/line/${forged}`, { method: 'POST', headers: { 'x-line-signature': 'anything' }, body: '{}' });
    expect(res.status).toBe(401);
    await until(() => dev.out().includes('unknown_channel'), 'the refusal, live');
    // The live line is the refusal's one line: the log leaves it out.
    expect(dev.err()).not.toContain('refused');
    const printed = dev.out();
    expect(printed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(printed).toContain('\\x1b]0;pwned\\x07\\x1b[2J\\x0a12:00:00 --> th TH');
    expect(printed).toContain('delivered\\x7f\\x9b\\u2028\\u202e');
    dev.stop();
    await dev.run;
  });

  it('through main(): no NGROK_AUTHTOKEN and no --public-url is exit 1 saying what to do', async () => {
    const c = capture();
    const code = await main(['node', 'line-genesys', 'dev', '--port', '0', '--no-inspect'], c.io);
    expect(code).toBe(1);
    expect(c.err()).toContain('NGROK_AUTHTOKEN');
    expect(c.err()).toMatch(/--public-url.*--no-tunnel/);
    expect(c.out()).not.toContain('Ready');
  });

  it('through main(): a port that is not a number is bad usage (exit 2)', async () => {
    const c = capture();
    expect(await main(['node', 'line-genesys', 'dev', '--port', 'eighty', '--no-tunnel', '--no-inspect'], c.io)).toBe(2);
    expect(c.err()).toContain('--port must be a port number');
  });

  it('through main(): a --public-url that is not a URL is bad usage (exit 2), like a bad --port', async () => {
    const c = capture();
    expect(await main(['node', 'line-genesys', 'dev', '--port', '0', '--public-url', 'notaurl', '--no-inspect'], c.io)).toBe(2);
    expect(c.err()).toContain('--public-url "notaurl" is not a URL');
    expect(c.out()).not.toContain('Ready');
  });
});

/** `line-genesys dev <args>` as a child process, in `cwd`, with the emulators' environment and `env` over it. */
function spawnDev(args: string[], o: { cwd?: string; env?: Record<string, string> } = {}) {
  const env = { ...process.env, ...relayEnv(line, genesys, { LINE_GENESYS_STORE: 'memory', ...o.env }) } as Record<string, string>;
  delete env.NO_COLOR;
  return spawn(process.execPath, [join(ROOT, 'bin/line-genesys.cjs'), 'dev', ...args], {
    cwd: o.cwd ?? mkdtempSync(join(tmpdir(), 'lg-dev-proc-')),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('dev, as a process', () => {
  it('prints the Ready banner with the actual port, stops cleanly on SIGINT and exits 130 as Ctrl-C does', async () => {
    expect(existsSync(join(ROOT, 'dist/cli/commands/dev/index.js')), 'dist/ is missing: run `npm run build` (npm test does)').toBe(true);
    const child = spawnDev(['--port', '0', '--no-tunnel', '--no-inspect']);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await until(() => out.includes('Ready') || child.exitCode !== null, 'the Ready banner', 15_000);
      expect(out, err).toContain('Ready');
      const local = localUrlOf(out);
      expect(local).toMatch(/^http:\/\/127\.0\.0\.1:(?!0\b)\d+$/);
      expect(out).toContain('Public     none');
      expect((await fetch(`${local}/healthz`)).status).toBe(200);

      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000))]);
      expect(code, err).toBe(130); // 'timeout' when it took 5 s or more
      expect(out).toContain('dev stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('with no --port, listens where start would: PORT from .env when the shell has it empty', async () => {
    const free = await freePort();
    const cwd = mkdtempSync(join(tmpdir(), 'lg-dev-proc-'));
    writeFileSync(join(cwd, '.env'), `PORT=${free}\n`);
    const child = spawnDev(['--no-tunnel', '--no-inspect'], { cwd, env: { PORT: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    try {
      await until(() => out.includes('Ready') || child.exitCode !== null, 'the Ready banner', 15_000);
      expect(localUrlOf(out), err).toBe(`http://127.0.0.1:${free}`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
