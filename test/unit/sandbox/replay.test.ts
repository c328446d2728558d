/**
 * The inspector's replay over real HTTP: a LINE event the relay saw is sent again as a new event
 * (a relay that saw the same webhookEventId would call it a duplicate), signed with the channel
 * secret; a Genesys message is sent again with a new id, signed with the outbound secret.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import type { Activity } from '../../../src/relay/activity.js';
import { createRelay, type Relay } from '../../../src/relay/server.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { ReplayError, replay } from '../../../src/sandbox/inspector/replay.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

let sandbox: Sandbox;
let relay: Relay;

beforeAll(async () => {
  sandbox = await startSandbox();
  const config = loadConfig({ env: sandbox.env, dotenv: false, cwd: mkdtempSync(join(tmpdir(), 'lg-replay-')) });
  relay = await createRelay({ config, log: createLogger({ level: 'silent' }), backoff: { baseMs: 10, maxMs: 100 } });
  sandbox.connect(await relay.listen(0, '127.0.0.1'));
});
afterAll(async () => {
  await relay?.close();
  await sandbox?.close();
});
beforeEach(() => {
  sandbox.line.reset();
  sandbox.genesys.reset();
});

async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const seen = (direction: Activity['direction'], source: unknown): Activity => ({ at: 0, direction, stage: 'webhook', status: 'accepted', type: 'message', channelId: 'th', source });

describe('replay', () => {
  it('a LINE event: accepted as a new event, and Genesys gets the text again under a new message id', async () => {
    const sent = await sandbox.sendCustomer({ channelId: 'th', kind: 'text', text: 'อีกครั้ง' });
    await sandbox.genesys.waitFor((g) => g.messages.length === 1);
    const again = await replay(relay, seen('in', sent.event));
    expect(again).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    await sandbox.genesys.waitFor((g) => g.messages.length === 2);
    const [first, second] = sandbox.genesys.messages.map((m) => m.body);
    expect(second!.text).toBe('อีกครั้ง');
    expect(second!.channel.messageId).not.toBe(first!.channel.messageId);
  });

  it('an image: its content is copied from the old message id to the new one', async () => {
    const sent = await sandbox.sendCustomer({ channelId: 'th', kind: 'image', image: { bytes: PNG, contentType: 'image/png' } });
    const copies: Array<[string, string]> = [];
    const again = await replay(relay, seen('in', sent.event), { copyContent: (from, to) => copies.push([from, to]) });
    expect(again.status).toBe(200);
    const oldId = (sent.event['message'] as { id: string }).id;
    expect(copies).toEqual([[oldId, expect.stringMatching(/^\d{18}$/)]]);
    expect(copies[0]![1]).not.toBe(oldId);
  });

  it('a Genesys message: accepted under a new id and pushed to LINE', async () => {
    const to = sandbox.customers[0]!.userId;
    const integrationId = sandbox.channels[0]!.integrationId;
    const id = '0f3c9a1e5b7d4c2a8e6f1b3d5a7c9e21';
    const message = { id, channel: { id: integrationId, platform: 'Open', type: 'Private', to: { id: to }, from: { id: integrationId, idType: 'Opaque', nickname: 'Agent' }, time: '2025-03-14T09:21:07.412Z', messageId: id }, type: 'Text', text: 'replay me', direction: 'Outbound' };
    expect(await replay(relay, seen('out', message))).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    await until(() => sandbox.genesys.receipts.length === 1, 'the receipt of the push');
    expect(sandbox.line.pushes.map((p) => [p.to, p.messages])).toEqual([[to, [{ type: 'text', text: 'replay me' }]]]);
    expect(sandbox.genesys.receipts[0]!.body.id).not.toBe(id);
  });

  it('refuses an event with no payload, or of a channel the relay does not know', async () => {
    await expect(replay(relay, { ...seen('in', undefined) })).rejects.toThrow(ReplayError);
    await expect(replay(relay, { ...seen('in', { type: 'message' }), channelId: 'jp' })).rejects.toThrow(/channel "jp" is not configured/);
  });
});
