/**
 * The relay killed with SIGKILL in the middle of a burst of 500 signed webhooks from several users,
 * then restarted on the same store: Genesys ends with exactly the 500 messages, each user's in order.
 * LINE's part is played as LINE plays it: a webhook that got no 200 is sent again (isRedelivery).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, signedRequest } from '../../src/samples.js';
import type { GenesysEmulator } from '../../src/sandbox/genesys-api.js';
import type { LineEmulator } from '../../src/sandbox/line-api.js';
import { CHANNELS, relayEnv, startUpstreams, textWebhook } from '../helpers/bed.js';
import { startRelayProcess, waitForExit, type RelayProcess } from '../helpers/relay-process.js';
import { assertBuilt } from '../../src/store/thread-script.js';

const USERS = Array.from({ length: 10 }, (_, i) => `U${String(i).padStart(2, '0')}${'a'.repeat(30)}`);
const PER_USER = 50;

let line: LineEmulator;
let genesys: GenesysEmulator;
let relay: RelayProcess | undefined;
// The relay runs as `line-genesys start`, from dist/: refuse a build older than the sources.
beforeAll(() => assertBuilt(fileURLToPath(new URL('../../', import.meta.url)), '', 'the relay process runs'));
afterAll(async () => {
  relay?.child.kill('SIGKILL');
  await Promise.all([line?.close(), genesys?.close()]);
});

function webhook(user: string, seq: number, redelivery: boolean): string {
  return textWebhook({
    userId: user,
    eventId: `01JE${String(USERS.indexOf(user)).padStart(2, '0')}${String(seq).padStart(4, '0')}`.padEnd(26, 'Z'),
    messageId: `7${String(USERS.indexOf(user)).padStart(3, '0')}${String(seq).padStart(6, '0')}`,
    text: `${user.slice(0, 3)}#${seq}`,
    timestamp: 1764000000000 + seq,
    redelivery,
  });
}

describe('crash safety', () => {
  it('SIGKILL mid-burst, restart on the same store: exactly 500 messages, each user in order', async () => {
    ({ line, genesys } = await startUpstreams());
    const dir = mkdtempSync(join(tmpdir(), 'lg-crash-'));
    const env = relayEnv(line, genesys, { LINE_GENESYS_STORE: 'sqlite', LINE_GENESYS_STORE_PATH: join(dir, 'relay.db'), LINE_GENESYS_LOG_LEVEL: 'warn' });
    relay = await startRelayProcess(env, dir);

    let accepted = 0;
    let refusedOrLost = 0;
    let killed = false;
    const killAt = 200;

    // LINE sends each user's events one after the other and redelivers what got no 200.
    async function sendUser(user: string) {
      for (let seq = 0; seq < PER_USER; seq++) {
        for (let attempt = 0; ; attempt++) {
          const body = webhook(user, seq, attempt > 0);
          const target = relay!.url;
          try {
            const res = await postWebhook(signedRequest('line', `${target}/webhook/line`, body, CHANNELS.th.secret), { timeoutMs: 5000 });
            if (res.status === 200) {
              accepted++;
              break;
            }
            throw new Error(`status ${res.status}`);
          } catch {
            refusedOrLost++;
            if (attempt > 200) throw new Error('relay never came back');
            await new Promise((r) => setTimeout(r, 50));
          }
        }
        if (!killed && accepted >= killAt) {
          killed = true;
          const old = relay!;
          old.child.kill('SIGKILL');
          await waitForExit(old.child);
          relay = await startRelayProcess(env, dir);
        }
      }
    }
    await Promise.all(USERS.map(sendUser));
    expect(killed).toBe(true);

    await genesys.waitFor((g) => g.messages.length >= USERS.length * PER_USER, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    const texts = genesys.messages.map((m) => m.body.text!);
    expect(new Set(texts).size).toBe(USERS.length * PER_USER);
    expect(texts).toHaveLength(USERS.length * PER_USER);
    for (const user of USERS) {
      const seqs = genesys.messages.filter((m) => m.body.channel.from.id === user).map((m) => Number(m.body.text!.split('#')[1]));
      expect(seqs).toEqual(Array.from({ length: PER_USER }, (_, i) => i));
    }
    expect(genesys.violations).toEqual([]);
    // How many inbound posts Genesys saw beyond the 500 (a message in flight at the kill is posted again
    // and deduplicated by Genesys on channel.messageId): at most one per worker slot.
    const posts = genesys.requests.filter((r) => r.route === 'inbound-message' && r.status === 200).length;
    expect(posts - USERS.length * PER_USER).toBeLessThanOrEqual(16);
    console.log(`crash test: ${refusedOrLost} webhook attempts lost to the kill and redelivered; ${posts - 500} inbound posts repeated after restart`);
  }, 120_000);
});
