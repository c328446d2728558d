/** `simulate --sandbox` signs as the sandbox's fixed channels, so it works against `dev --sandbox`. */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createRelay, type Relay } from '../../src/relay/server.js';
import { sandboxChannels } from '../../src/sandbox/identities.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';

let sandbox: Sandbox;
let relay: Relay;
let url: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  relay = await createRelay({ config: loadConfig({ env: sandbox.env, dotenv: false, cwd: mkdtempSync(join(tmpdir(), 'lg-sb-')) }), log: createLogger({ level: 'silent' }) });
  url = await relay.listen(0, '127.0.0.1');
  sandbox.connect(url);
});
afterAll(async () => {
  await relay.close();
  await sandbox.close();
});

async function simulate(args: string[]) {
  const r = await runCli(['simulate', ...args, '--to', url, '--json'], { env: { PATH: '' }, cwd: tmpdir() });
  return { code: r.code, out: r.stdout };
}

describe('simulate --sandbox', () => {
  it('the sandbox channels are the same in every process: fixed values, written down here', () => {
    expect(sandbox.channels).toEqual(sandboxChannels());
    expect(sandbox.channels.map((c) => [c.id, c.botUserId])).toEqual([
      ['th', 'Ub47577b11eb52f9946abf8c3407efd30'],
      ['tw', 'U1e21827a5e2d9fdb26e28666b52eee29'],
    ]);
  });

  it('a sticker and an image reach the emulated Genesys; an agent reply reaches the emulated LINE', async () => {
    expect((await simulate(['sticker', '--sandbox'])).code).toBe(0);
    expect((await simulate(['image', '--sandbox', '--channel', 'tw'])).code).toBe(0);
    await sandbox.genesys.waitFor((g) => g.messages.length === 2);
    // Two customers on two channels: delivered in parallel, in either order.
    const sticker = sandbox.genesys.messages.find((m) => m.body.text !== undefined);
    const image = sandbox.genesys.messages.find((m) => m.body.content?.[0]?.attachment.mediaType === 'Image' && m.body.text === undefined);
    expect(sticker!.body.text).toMatch(/^\[LINE STICKER: /);
    expect(image!.body.content![0]!.attachment).toMatchObject({ mediaType: 'Image', mime: 'image/png' });
    expect(image!.integrationId).toBe(sandboxChannels()[1]!.integrationId);
    expect((await simulate(['agent-reply', '--sandbox'])).code).toBe(0);
    await sandbox.genesys.waitFor((g) => g.receipts.length === 1);
    expect(sandbox.line.pushes).toHaveLength(1);
  });

  it('--file with --channel goes to that channel, whatever destination the file names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-file-'));
    // The template's destination is no sandbox bot's.
    copyFileSync(join(process.cwd(), 'templates/line/location.json'), join(dir, 'location.json'));
    const before = sandbox.genesys.messages.length;
    const r = await runCli(['simulate', '--file', 'location.json', '--sandbox', '--channel', 'tw', '--to', url, '--json'], { env: { PATH: '' }, cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).url).toBe(`${url}/webhook/line/tw`);
    await sandbox.genesys.waitFor((g) => g.messages.length === before + 1);
    expect(sandbox.genesys.messages.at(-1)!.integrationId).toBe(sandboxChannels()[1]!.integrationId);
  });

  it('a body addressed to no configured bot is refused, naming its destination', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-file-'));
    copyFileSync(join(process.cwd(), 'templates/line/location.json'), join(dir, 'location.json'));
    const r = await runCli(['simulate', '--file', 'location.json', '--sandbox', '--to', url, '--json'], { env: { PATH: '' }, cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).message).toContain('U0f3c9a1b2c3d4e5f60718293a4b5c6d7');
  });

  it('--wait follows the delivery: an agent reply to a customer who blocked the account exits 1; the next follow lifts the block', async () => {
    expect((await simulate(['unfollow', '--sandbox', '--wait'])).code).toBe(0);
    const blocked = await simulate(['agent-reply', '--sandbox', '--wait']);
    expect(blocked.code).toBe(1);
    const failed = JSON.parse(blocked.out);
    expect(failed).toMatchObject({ ok: false, event: 'agent-reply', delivery: { state: 'failed' } });
    expect(failed.delivery.detail).toMatch(/blocked/);
    expect(failed.hint).toContain('simulate follow');
    expect((await simulate(['follow', '--sandbox', '--wait'])).code).toBe(0);
    const again = await simulate(['agent-reply', '--sandbox', '--wait']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ ok: true, delivery: { state: 'delivered' } });
  });

  it("the relay's GET /deliveries/<id> knows only the events it saw, and says nothing of their content", async () => {
    const r = await simulate(['text', '--sandbox', '--text', 'private words', '--wait']);
    const { id } = JSON.parse(r.out);
    const seen = await fetch(`${url}/deliveries/${id}`);
    expect(seen.status).toBe(200);
    expect(await seen.json()).toEqual({ id, state: 'delivered', httpStatus: 200 });
    expect((await fetch(`${url}/deliveries/01ABCDEFGHJKMNPQRSTVWXYZ00`)).status).toBe(404);
  });

  it('--list says which samples change the customer\'s state', async () => {
    const r = await runCli(['simulate', '--list', '--json'], { env: {}, cwd: tmpdir() });
    const rows = JSON.parse(r.stdout) as Array<{ name: string; changes?: string }>;
    expect(rows.filter((s) => s.changes).map((s) => [s.name, s.changes])).toEqual([
      ['follow', 'unblocks the customer'],
      ['unblock', 'unblocks the customer'],
      ['unfollow', 'blocks the customer'],
    ]);
    const text = await runCli(['simulate', '--list'], { env: { NO_COLOR: '1' }, cwd: tmpdir() });
    expect(text.stdout).toMatch(/unfollow .*blocks the customer/);
  });

  it('without --sandbox and no configuration, it says how to sign', async () => {
    const r = await simulate(['sticker']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out.trim().split('\n').at(-1)!).hint).toMatch(/--sandbox/);
  });
});
