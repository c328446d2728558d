/**
 * `line-genesys quota` against the LINE emulator: each channel's monthly limit and use, and the
 * reply/push counts of the relay at the configured local port — or, with no relay there, a plain
 * "not available" rather than numbers.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentMessage, CHANNELS, lineTemplate, relayEnv, startBed, type Bed } from '../helpers/bed.js';
import { runCli } from '../helpers/cli.js';

let bed: Bed;
let cwd: string;

beforeAll(async () => {
  bed = await startBed();
  cwd = mkdtempSync(join(tmpdir(), 'lg-quota-'));
  bed.line.setQuota(CHANNELS.th.botUserId, { limit: 500, totalUsage: 120 });
  // A customer writes; the first answer goes by reply (fresh token), the second by push.
  const text = lineTemplate('text');
  text.events[0].timestamp = Date.now();
  expect((await bed.postLine(text)).status).toBe(200);
  await bed.genesys.waitFor((g) => g.messages.length === 1);
  for (const m of [agentMessage('text'), agentMessage('text')]) {
    expect((await bed.postGenesys(m)).status).toBe(200);
    await bed.genesys.waitFor((g) => g.receipts.some((r) => r.body.id === m.id));
  }
  expect(bed.line.replies).toHaveLength(1);
  expect(bed.line.pushes).toHaveLength(1);
});
afterAll(async () => {
  await bed?.close();
});

const portOf = (url: string) => new URL(url).port;

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return String(port);
}

describe('line-genesys quota', () => {
  it('shows limit, use and the running relay’s reply and push counts per channel', async () => {
    const r = await runCli(['quota'], { cwd, env: relayEnv(bed.line, bed.genesys, { PORT: portOf(bed.url) }) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('th: 121 of 500 used (24 %); relay sent 1 by reply (free), 1 by push');
    expect(r.stdout).toContain('tw: 0 used, no monthly limit; relay sent 0 by reply (free), 0 by push');
    expect(r.stdout).not.toContain('not available');
  });

  it('--json: one object with the same figures', async () => {
    const r = await runCli(['--json', 'quota'], { cwd, env: relayEnv(bed.line, bed.genesys, { PORT: portOf(bed.url) }) });
    expect(r.code, r.stderr).toBe(0);
    const [result, ...rest] = r.json();
    expect(rest).toEqual([]);
    expect(result).toMatchObject({ ok: true, relayReachable: true });
    expect(result.channels).toEqual([
      { channel: 'th', limit: 500, used: 121, reply: 1, push: 1 },
      { channel: 'tw', limit: null, used: 0, reply: 0, push: 0 },
    ]);
  });

  it('with no relay at the local URL: LINE’s figures, and the counts said to be not available', async () => {
    const port = await closedPort();
    const r = await runCli(['--json', 'quota'], { cwd, env: relayEnv(bed.line, bed.genesys, { PORT: port }) });
    expect(r.code, r.stderr).toBe(0);
    const [result] = r.json();
    expect(result.relayReachable).toBe(false);
    expect(result.channels[0]).toEqual({ channel: 'th', limit: 500, used: 121, reply: null, push: null });
    const text = await runCli(['quota'], { cwd, env: relayEnv(bed.line, bed.genesys, { PORT: port }) });
    expect(text.stdout).toContain('th: 121 of 500 used (24 %)\n');
    expect(text.stdout).toContain(`Reply and push counts are not available: no relay answered at http://localhost:${port}/metrics.`);
  });
});
