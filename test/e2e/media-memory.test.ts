/**
 * Issue 13 §2: media passes through the relay in bounded memory. The relay runs as its own process
 * (`line-genesys start`, SQLite store, from dist/); four customers send a 150 MB video each at once,
 * which LINE's emulator makes as it sends it; then Genesys's part is played: each video is downloaded
 * from the relay. The relay's peak resident memory (VmHWM) must stay within 100 MB of its resident
 * memory once idle. A bound on memory, not on time. Linux only (it reads /proc).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, signedRequest } from '../../src/samples.js';
import type { GenesysEmulator } from '../../src/sandbox/genesys-api.js';
import type { LineEmulator } from '../../src/sandbox/line-api.js';
import { assertBuilt } from '../../src/store/thread-script.js';
import { CHANNELS, relayEnv, startUpstreams } from '../helpers/bed.js';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.js';

const MB = 1024 * 1024;
const VIDEO_BYTES = 150 * MB;
const USERS = Array.from({ length: 4 }, (_, i) => `U${String(i).padStart(2, '0')}${'b'.repeat(30)}`);
const canMeasure = existsSync('/proc/self/status');
if (!canMeasure) {
  if (process.env.CI === 'true') throw new Error('the media memory test reads /proc, and CI=true does not let it skip');
  console.log('media memory test skipped: no /proc on this system.');
}

let line: LineEmulator;
let genesys: GenesysEmulator;
let relay: RelayProcess | undefined;
let dir: string | undefined;
beforeAll(() => assertBuilt(fileURLToPath(new URL('../../', import.meta.url)), '', 'the relay process runs'));
afterAll(async () => {
  relay?.child.kill('SIGKILL');
  await Promise.all([line?.close(), genesys?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A field of /proc/<pid>/status in bytes (VmRSS: resident now; VmHWM: the peak resident since start). */
function memory(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

function event(user: string, n: number, message: Record<string, unknown>) {
  return {
    destination: CHANNELS.th.botUserId,
    events: [
      {
        type: 'message',
        mode: 'active',
        timestamp: 1764000000000 + n,
        source: { type: 'user', userId: user },
        webhookEventId: `01JEMEM${String(n).padStart(4, '0')}`.padEnd(26, 'Z'),
        deliveryContext: { isRedelivery: false },
        message: { id: `8${String(n).padStart(17, '0')}`, quoteToken: 'q', ...message },
      },
    ],
  };
}

async function post(body: object): Promise<void> {
  const res = await postWebhook(signedRequest('line', `${relay!.url}/webhook/line`, JSON.stringify(body), CHANNELS.th.secret), { timeoutMs: 10_000 });
  expect(res.status).toBe(200);
}

/** Downloads `url` as Genesys would, on a connection of its own: its size and sha256, nothing kept. */
function download(url: string): Promise<{ status: number; size: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      const hash = createHash('sha256');
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        hash.update(d);
      });
      res.on('end', () => resolve({ status: res.statusCode!, size, sha256: hash.digest('hex') }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** The sha256 of the emulator's generated content (every byte 0x4c), computed here in pieces. */
function expectedSha256(size: number): string {
  const hash = createHash('sha256');
  const piece = Buffer.alloc(MB, 0x4c);
  for (let at = 0; at < size; at += MB) hash.update(size - at >= MB ? piece : piece.subarray(0, size - at));
  return hash.digest('hex');
}

describe.skipIf(!canMeasure)('media in bounded memory', () => {
  it('4 × 150 MB videos in and out of a relay on SQLite: peak RSS within 100 MB of idle', async () => {
    ({ line, genesys } = await startUpstreams());
    dir = mkdtempSync(join(tmpdir(), 'lg-media-rss-'));
    relay = await startRelayProcess(relayEnv(line, genesys, { LINE_GENESYS_STORE: 'sqlite', LINE_GENESYS_STORE_PATH: join(dir, 'relay.db'), LINE_GENESYS_LOG_LEVEL: 'warn' }), dir);
    const pid = relay.child.pid!;

    // Warm up every path once (a text, a small image in and out), then take the idle figure.
    await post(event(USERS[0]!, 0, { type: 'text', text: 'hello' }));
    line.setContent(`8${'1'.padStart(17, '0')}`, { body: Buffer.alloc(1000, 1), contentType: 'image/jpeg' });
    await post(event(USERS[0]!, 1, { type: 'image', contentProvider: { type: 'line' } }));
    await genesys.waitFor((g) => g.messages.length === 2, 30_000);
    expect((await download(genesys.messages[1]!.body.content![0]!.attachment.url)).size).toBe(1000);
    const idle = memory(pid, 'VmRSS');

    const videos = USERS.map((user, i) => ({ user, n: 10 + i, id: `8${String(10 + i).padStart(17, '0')}` }));
    for (const v of videos) line.setContent(v.id, { body: { generate: VIDEO_BYTES }, contentType: 'video/mp4' });
    await Promise.all(videos.map((v) => post(event(v.user, v.n, { type: 'video', duration: 60_000, contentProvider: { type: 'line' } }))));
    await genesys.waitFor((g) => g.messages.length === 6, 300_000);
    const attachments = genesys.messages.slice(2).map((m) => m.body.content![0]!.attachment);
    expect(attachments.map((a) => a.mediaType)).toEqual(['Video', 'Video', 'Video', 'Video']);

    const served = await Promise.all(attachments.map((a) => download(a.url)));
    const sha256 = expectedSha256(VIDEO_BYTES);
    expect(served).toEqual(attachments.map(() => ({ status: 200, size: VIDEO_BYTES, sha256 })));
    expect(attachments.map((a) => a.sha256)).toEqual(attachments.map(() => sha256));

    const peak = memory(pid, 'VmHWM');
    console.log(`media memory: idle RSS ${(idle / MB).toFixed(1)} MB, peak RSS ${(peak / MB).toFixed(1)} MB, +${((peak - idle) / MB).toFixed(1)} MB for 4 × 150 MB in and out`);
    expect(peak - idle).toBeLessThan(100 * MB);
  }, 600_000);
});
