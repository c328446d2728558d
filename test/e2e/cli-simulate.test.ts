/**
 * `line-genesys simulate` against a real relay between the LINE and Genesys emulators: every sample
 * of the catalogue goes over HTTP, signed, and arrives where it should (run in-process through
 * main(), concurrently); a few runs go through the real binary (`node bin/line-genesys.cjs`) to check
 * exit codes, stdout/stderr and that a printed curl command is accepted as it is.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { SAMPLES } from '../../src/cli/commands/simulate/catalogue.js';
import type { Activity } from '../../src/relay/activity.js';
import { CHANNELS, relayEnv, startBed, until, type Bed } from '../helpers/bed.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IN_CI = /^(1|true|yes)$/i.test(process.env['CI'] ?? '');
const HAS_CURL = spawnSync('/bin/sh', ['-c', 'command -v curl'], { stdio: 'ignore' }).status === 0;
const HOW_CURL = 'install curl (apt-get install curl) to run it';
if (!HAS_CURL && !IN_CI) process.stderr.write(`cli-simulate: the printed-curl test skipped: curl not found on PATH; ${HOW_CURL}\n`);
const BIN = join(ROOT, 'bin/line-genesys.cjs');
let bed: Bed;
let env: Record<string, string>;
let cwd: string;
const activity: Activity[] = [];

/** dist/ is built by `npm test` (pretest); when this file runs alone and dist/ is older than simulate's sources, build it. */
function ensureBuilt(): void {
  const built = join(ROOT, 'dist/cli/commands/simulate/index.js');
  const sources = ['src/cli/commands/simulate/index.ts', 'src/cli/main.ts', 'src/cli/commands/simulate/build.ts', 'src/cli/commands/simulate/catalogue.ts', 'src/cli/commands/simulate/curl.ts', 'src/cli/commands/simulate/options.ts', 'src/cli/commands/simulate/send.ts', 'src/cli/commands/simulate/target.ts'];
  const newest = Math.max(...sources.map((s) => statSync(join(ROOT, s)).mtimeMs));
  if (existsSync(built) && statSync(built).mtimeMs >= newest) return;
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  } catch {
    /* type errors elsewhere still emit; the runs below say whether the CLI works */
  }
}

beforeAll(async () => {
  ensureBuilt();
  bed = await startBed();
  bed.relay.activity.on('activity', (a) => activity.push(a));
  env = relayEnv(bed.line, bed.genesys);
  cwd = mkdtempSync(join(tmpdir(), 'lg-simulate-'));
}, 150_000);
afterAll(() => bed?.close());

/** A LINE user id of its own for each case, so that concurrent cases do not see each other's messages. */
function userFor(name: string): string {
  return `U${createHash('md5').update(`simulate:${name}`).digest('hex')}`;
}

/** Runs the CLI in-process; resolves to its exit code and output. */
const cli = (args: string[], extraEnv: Record<string, string | undefined> = env) => runCli(args, { env: extraEnv, cwd });

/** Runs the real binary; resolves to its exit code and output. */
function bin(args: string[], extraEnv: Record<string, string> = env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...extraEnv }, timeout: 20_000 }, (e, stdout, stderr) => {
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const messagesFrom = (user: string) => bed.genesys.messages.filter((m) => m.body.channel.from.id === user);
const oneMessageFrom = async (user: string) => {
  await until(() => messagesFrom(user).length > 0, `a Genesys message from ${user}`);
  return messagesFrom(user)[0]!.body;
};
/** What the relay's worker did with the event of this webhookEventId. */
const deliveryOf = async (webhookEventId: string) => {
  const find = () => activity.find((a) => a.stage === 'delivery' && (a.source as { webhookEventId?: string } | undefined)?.webhookEventId === webhookEventId);
  await until(() => find() !== undefined, `the relay's handling of event ${webhookEventId}`);
  return find()!;
};
const drained = () => until(async () => { const c = await bed.relay.context.store.counts(); return c.pending + c.running === 0; }, 'the queue to drain');
const agentDelivered = async (user: string, id: string) => {
  await until(() => bed.genesys.receipts.some((r) => r.body.id === id), `a receipt of agent message ${id}`);
  expect(bed.genesys.receipts.find((r) => r.body.id === id)!.body.status).toBe('Delivered');
  const pushes = bed.line.pushes.filter((p) => p.to === user);
  expect(pushes.length).toBeGreaterThan(0);
  expect(pushes[0]!.channelBotUserId).toBe(CHANNELS.th.botUserId);
  return pushes;
};
/** The type of a message LINE accepted (the emulator records the messages as unknown). */
const typeOf = (m: unknown) => (typeof m === 'object' && m !== null && 'type' in m ? m.type : undefined);

type Check = (user: string, results: any[]) => Promise<void>;
/** Per sample: its extra flags, how many webhooks it posts (1 unless told), and what must follow. */
const CASES: Record<string, { args?: string[]; posts?: number; check: Check }> = {
  text: { args: ['--text', 'สวัสดี from simulate'], check: async (u) => expect((await oneMessageFrom(u)).text).toBe('สวัสดี from simulate') },
  sticker: {
    check: async (u) => {
      const m = await oneMessageFrom(u);
      expect(m.text).toBe('[LINE STICKER: Heart, Love, Brown, Cony]');
      expect(m.content?.[0]?.attachment?.url).toContain('/sticker/1988/');
    },
  },
  location: { args: ['--lat', '25.0340', '--lng', '121.5645'], check: async (u) => expect((await oneMessageFrom(u)).text).toMatch(/25\.034,121\.5645/) },
  image: { check: async (u) => expect((await oneMessageFrom(u)).text).toMatch(/^\[LINE image: content could not be fetched \(message id \d{18}\)\]$/) },
  video: { check: async (u) => expect((await oneMessageFrom(u)).text).toMatch(/^\[LINE video: .*message id \d{18}/) },
  audio: { check: async (u) => expect((await oneMessageFrom(u)).text).toMatch(/^\[LINE audio: .*message id \d{18}/) },
  file: { check: async (u) => expect((await oneMessageFrom(u)).text).toMatch(/^\[LINE file "receipt\.pdf": .*message id \d{18}/) },
  follow: { check: async (_u, [r]) => expect(await deliveryOf(r.id)).toMatchObject({ status: 'ignored', type: 'follow', detail: 'customer added the account as a friend' }) },
  unblock: { check: async (_u, [r]) => expect(await deliveryOf(r.id)).toMatchObject({ status: 'ignored', type: 'follow', detail: 'customer unblocked the account' }) },
  unfollow: {
    check: async (u, [r]) => {
      expect(await deliveryOf(r.id)).toMatchObject({ status: 'ignored', type: 'unfollow' });
      expect(await bed.relay.context.store.isBlocked('th', u)).toBe(true);
    },
  },
  postback: { check: async (u) => expect((await oneMessageFrom(u)).text).toBe('[POSTBACK] action=track&order=TH-20931') },
  datetime: { check: async (u) => expect((await oneMessageFrom(u)).text).toBe('[POSTBACK] storeId=12345\ndatetime: 2017-12-25T01:00') },
  unsend: { check: async (u) => expect((await oneMessageFrom(u)).text).toMatch(/^\[LINE: the customer unsent a message \(id \d{18}\)\]$/) },
  redelivered: {
    posts: 2,
    check: async (u, results) => {
      expect(results.map((r) => [r.status, r.body, r.redelivery ?? false])).toEqual([
        [200, { accepted: 1, duplicates: 0 }, false],
        [200, { accepted: 0, duplicates: 1 }, true],
      ]);
      expect(results[0].id).toBe(results[1].id);
      await oneMessageFrom(u);
      await drained();
      expect(messagesFrom(u)).toHaveLength(1);
    },
  },
  verify: { check: async (_u, results) => expect(results[0].body).toEqual({ accepted: 0, duplicates: 0 }) },
  group: {
    check: async (u, results) => {
      expect(results[0].body).toEqual({ accepted: 1, duplicates: 0 });
      expect(await deliveryOf(results[0].id)).toMatchObject({ status: 'ignored', detail: expect.stringContaining('group chats are not relayed') });
      expect(messagesFrom(u)).toHaveLength(0);
    },
  },
  'agent-reply': {
    args: ['--text', 'Your parcel left the warehouse 🚚'],
    check: async (u, [r]) => expect((await agentDelivered(u, r.id))[0]!.messages).toEqual([{ type: 'text', text: 'Your parcel left the warehouse 🚚' }]),
  },
  'agent-quick-reply': { check: async (u, [r]) => expect(JSON.stringify((await agentDelivered(u, r.id))[0]!.messages)).toContain('quickReply') },
  'agent-card': { check: async (u, [r]) => expect((await agentDelivered(u, r.id))[0]!.messages.map(typeOf)).toEqual(['flex']) },
  'agent-image': { check: async (u, [r]) => expect(JSON.stringify((await agentDelivered(u, r.id))[0]!.messages)).toContain('"type":"image"') },
};

describe('simulate: every sample of the catalogue reaches the relay and does what it says', () => {
  it('every sample has a case here', () => {
    expect(Object.keys(CASES).sort()).toEqual(SAMPLES.map((s) => s.name).sort());
  });

  it.concurrent.each(SAMPLES.map((s) => s.name))('%s', async (name) => {
    const user = userFor(name);
    const c = CASES[name]!;
    const started = performance.now();
    const run = await cli(['--json', 'simulate', name, '--to', bed.url, '--channel', 'th', '--user', user, ...(c.args ?? [])]);
    const elapsed = performance.now() - started;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const results = run.json();
    expect(results).toHaveLength(c.posts ?? 1);
    for (const r of results) {
      expect(r).toMatchObject({ ok: true, event: name, status: 200, url: expect.stringMatching(/\/webhook\/(line|genesys)$/) });
      // Whole milliseconds, and no more than the whole run took.
      expect(Number.isInteger(r.latencyMs), `latencyMs ${r.latencyMs}`).toBe(true);
      expect(r.latencyMs).toBeLessThanOrEqual(Math.ceil(elapsed));
    }
    await c.check(user, results);
    expect(bed.genesys.violations).toEqual([]);
    expect(bed.line.violations).toEqual([]);
  });
});

describe('simulate: refusals and mistakes', () => {
  it('a wrong --secret: exit 1 with the relay\'s 401 reason, and the JSON result of the refusal', async () => {
    const run = await cli(['--json', 'simulate', 'text', '--to', bed.url, '--channel', 'th', '--secret', 'not-the-secret']);
    expect(run.code).toBe(1);
    expect(run.json()).toHaveLength(1); // one object: the refusal, with the error inside it
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ok: false, event: 'text', status: 401, body: { error: 'signature_invalid' }, error: 'RELAY_REFUSED', exitCode: 1 });
    expect(result.message).toMatch(/^the relay answered 401 signature_invalid: .* — is the channel secret the same as the relay's\?$/);
  });

  it('no secret anywhere: a ConfigError naming the variable to set', async () => {
    const run = await cli(['simulate', 'sticker', '--to', bed.url, '--channel', 'th'], { LINE_GENESYS_CHANNELS: 'th' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('LINE_TH_CHANNEL_SECRET');
    const agent = await cli(['simulate', 'agent-reply', '--to', bed.url], { LINE_GENESYS_CHANNELS: 'th', LINE_TH_CHANNEL_SECRET: 'x' });
    expect(agent.code).toBe(1);
    expect(agent.stderr).toContain('GENESYS_TH_OUTBOUND_SECRET');
  });

  it('bad usage exits 2 and says what to do', async () => {
    const typo = await cli(['simulate', 'stiker', '--to', bed.url]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean "sticker"');
    expect((await cli(['simulate', 'sticker', '--text', 'hi', '--to', bed.url])).stderr).toContain('--text does not apply to "sticker"');
    expect((await cli(['simulate', 'text', '--user', 'Ubad', '--to', bed.url])).code).toBe(2);
    expect((await cli(['simulate', 'location', '--lat', '100', '--lng', '1', '--to', bed.url])).stderr).toContain('--lat "100" is not a latitude');
    expect((await cli(['simulate'])).code).toBe(2);
  });

  it('--file sends a body as it is, signed with the secret of the channel named', async () => {
    const user = userFor('file-option');
    const body = `{"destination":"${CHANNELS.tw.botUserId}","events":[{"type":"message","mode":"active","timestamp":${Date.now()},"source":{"type":"user","userId":"${user}"},"webhookEventId":"01JZZZZZZZZZZZZZZZZZZZZZZZ","deliveryContext":{"isRedelivery":false},"message":{"id":"123456789012345678","type":"text","quoteToken":"q","text":"from a file"}}]}\n\n`;
    writeFileSync(join(cwd, 'body.json'), body);
    const run = await cli(['--json', 'simulate', '--file', 'body.json', '--to', bed.url, '--channel', 'tw']);
    expect(run.code).toBe(0);
    expect(run.json()[0]).toMatchObject({ ok: true, event: 'file', status: 200 });
    expect((await oneMessageFrom(user)).text).toBe('from a file');
    expect(bed.genesys.messages.find((m) => m.body.channel.from.id === user)!.integrationId).toBe(CHANNELS.tw.integrationId);
  });
});

describe('simulate: the real binary', () => {
  it('exit codes, output, and --print printing a curl command instead of sending', async () => {
    const refused = createServer();
    await new Promise<void>((r) => refused.listen(0, '127.0.0.1', r));
    const closedPort = (refused.address() as { port: number }).port;
    await new Promise((r) => refused.close(r));
    const user = userFor('binary');

    const [sticker, wrong, print, list, nobody] = await Promise.all([
      bin(['simulate', 'sticker', '--to', bed.url, '--channel', 'th', '--user', user]),
      bin(['simulate', 'text', '--to', bed.url, '--channel', 'th', '--secret', 'wrong-secret']),
      bin(['simulate', 'agent-reply', '--print', '--to', bed.url, '--channel', 'th', '--user', user, '--text', "it's printed"]),
      bin(['simulate', '--list', '--json']),
      bin(['simulate', 'text', '--to', `http://127.0.0.1:${closedPort}`, '--channel', 'th']),
    ]);

    expect(sticker.code, sticker.stderr).toBe(0);
    expect(sticker.stdout).toMatch(/-->\s+sticker\s+[0-9A-Z]{26}\s+200\s+\{"accepted":1,"duplicates":0\}\s+\d+ ms/);
    expect((await oneMessageFrom(user)).text).toBe('[LINE STICKER: Heart, Love, Brown, Cony]');

    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/the relay answered 401 signature_invalid: x-line-signature does not match channel "th" — is the channel secret the same as the relay's\?/);
    expect(wrong.stderr).not.toContain('wrong-secret');

    expect(list.code).toBe(0);
    const catalogue = JSON.parse(list.stdout);
    expect(catalogue.map((s: { name: string }) => s.name)).toEqual(SAMPLES.map((s) => s.name));
    expect(catalogue[0]).toEqual({ name: 'text', description: expect.any(String), target: 'line' });

    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain(`no relay at http://127.0.0.1:${closedPort}: start one with \`line-genesys dev\``);

    expect(print.code, print.stderr).toBe(0);
    expect(print.stdout).toMatch(/^curl -sS -X POST '.*\/webhook\/genesys' \\\n/);
    expect(bed.line.pushes.filter((p) => p.to === user)).toHaveLength(0); // printed, not sent
  });

  it.skipIf(!HAS_CURL && !IN_CI)('a printed curl command, pasted into a shell, is accepted by the relay as it is', async () => {
    expect(HAS_CURL, `curl not found on PATH (CI does not skip this test): ${HOW_CURL}`).toBe(true);
    const user = userFor('curl');
    const print = await bin(['simulate', 'agent-reply', '--print', '--to', bed.url, '--channel', 'th', '--user', user, '--text', "it's printed"]);
    expect(print.code, print.stderr).toBe(0);
    // Not execFileSync: the relay runs in this process and must keep answering.
    const answer = await new Promise<string>((resolve, reject) =>
      execFile('/bin/sh', ['-c', print.stdout], { encoding: 'utf8', timeout: 10_000 }, (e, out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve(out))),
    );
    expect(JSON.parse(answer)).toEqual({ accepted: 1, duplicates: 0 });
    await until(() => bed.line.pushes.some((p) => p.to === user), 'the printed agent reply to be pushed');
    expect(bed.line.pushes.find((p) => p.to === user)!.messages).toEqual([{ type: 'text', text: "it's printed" }]);
  });
});
