/**
 * The CLI in a folder with nothing configured: dev and start name every missing setting at once
 * and point to init and the sandbox; commands that only read the queue create no store.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
const empty = () => mkdtempSync(join(tmpdir(), 'lg-empty-'));

describe('in an empty folder', () => {
  it.each([['dev', '--no-tunnel', '--no-inspect', '--port', '0'], ['start', '--port', '0']])('%s names every missing setting and points to init and dev --sandbox', async (...args) => {
    const r = await runCli(args, { env, cwd: empty() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('3 settings are not set: genesys.clientId, genesys.clientSecret, channels');
    expect(r.stderr).toContain('GENESYS_CLIENT_SECRET');
    expect(r.stderr).toContain('`line-genesys init`');
    expect(r.stderr).toContain('`line-genesys dev --sandbox`');
  });

  it.each([['queue', 'list'], ['queue', 'show', '1'], ['queue', 'list', '--json']])('%s %s creates no store and says there is none yet', async (...args) => {
    const cwd = empty();
    const r = await runCli(args, { env, cwd });
    expect(existsSync(join(cwd, '.line-genesys')), readdirSync(cwd).join(',')).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('no store yet');
    expect(r.stdout + r.stderr).toContain(join('.line-genesys', 'relay.db'));
  });
});
