/**
 * `line-genesys start` through main(): what it says when it cannot listen, and bad usage (exit 2).
 * The platforms' base URLs point at a closed port: start makes no call before it listens.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayEnv } from '../helpers/bed.js';
import { runCli } from '../helpers/cli.js';

const nowhere = { url: 'http://127.0.0.1:9' };
const env = relayEnv(nowhere, nowhere, { LINE_GENESYS_STORE: 'memory' });
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => busy.close(() => r())));

describe('start', () => {
  it('on a port in use: exit 1 saying so and what to do, as dev does (PORT_UNAVAILABLE with --json)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lg-start-'));
    const text = await runCli(['start', '--port', String(busyPort), '--host', '127.0.0.1'], { env, cwd });
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`✖ cannot listen on 127.0.0.1:${busyPort}: the port is in use`);
    expect(text.stderr).toContain('pass --port <another port>');
    expect(text.stderr).not.toContain('EADDRINUSE');

    const json = await runCli(['--json', 'start', '--port', String(busyPort), '--host', '127.0.0.1'], { env, cwd });
    expect(json.code).toBe(1);
    expect(json.json()).toEqual([expect.objectContaining({ ok: false, error: 'PORT_UNAVAILABLE', exitCode: 1 })]);
  });

  it('a --port that is not a port number is bad usage (exit 2), as in dev', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lg-start-'));
    const r = await runCli(['start', '--port', 'abc'], { env, cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port must be a port number from 0 to 65535 (got "abc")');
  });
});
