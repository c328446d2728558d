/**
 * The built CLI as users run it: --version, --help, usage errors (exit 2), --json errors, and
 * sign / verify checked against an independent HMAC; and which modules a run loads.
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/relay-process.js';

const cwd = mkdtempSync(join(tmpdir(), 'lg-cli-'));
const body = '{"destination":"U0f3c9a1b2c3d4e5f60718293a4b5c6d7","events":[{"type":"message","text":"สวัสดี 👋"}]}';
writeFileSync(join(cwd, 'body.json'), body);
const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1', LINE_GENESYS_CHANNELS: 'th', LINE_TH_CHANNEL_SECRET: 'th-secret', GENESYS_TH_OUTBOUND_SECRET: 'out-secret' };

/**
 * The modules of dist/ that `main(args)` loads, recorded by a module-resolution hook in a child
 * process (the built CLI, in-process there, with the help it renders).
 */
function loadedModules(args: string[]): string[] {
  const log = join(mkdtempSync(join(tmpdir(), 'lg-modules-')), 'loaded.txt');
  const hook = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(log, r.url + '\\n');
  return r;
}`;
  const script = `import { register } from 'node:module';
import { PassThrough } from 'node:stream';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}), 'file:///', { data: { log: ${JSON.stringify(log)} } });
const { main } = await import(${JSON.stringify(new URL('../../dist/cli/main.js', import.meta.url).href)});
const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: Object.assign(new PassThrough(), { isTTY: true }), env: ${JSON.stringify(env)}, cwd: ${JSON.stringify(cwd)} };
process.exitCode = await main(['node', 'line-genesys', ...${JSON.stringify(args)}], io);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8', timeout: 20_000 });
  expect(r.status, r.stderr).toBe(0);
  const dist = new URL('../../dist/', import.meta.url).href;
  return readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith(dist)).map((u) => u.slice(dist.length));
}

function run(args: string[], input?: string, o: { env?: Record<string, string>; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: o.cwd ?? cwd, env: { ...env, ...o.env }, input: input ?? '', encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the CLI', () => {
  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const r = run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('--help lists every command, and each command has examples', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['init', 'dev', 'start', 'simulate', 'sign', 'verify', 'doctor', 'queue']) expect(r.stdout).toMatch(new RegExp(`\\n  ${c}\\b`));
    for (const c of ['init', 'dev', 'start', 'simulate', 'sign', 'verify', 'doctor', 'queue', 'queue list', 'queue show', 'queue retry', 'queue drop']) {
      const h = run([...c.split(' '), '--help']);
      expect(h.code, c).toBe(0);
      expect(h.stdout, c).toMatch(/Examples:\n {2}\$ line-genesys/);
    }
  });

  it('--help prints the help the build rendered; it is what the CLI itself renders, and the CLI renders it when the copy is missing', () => {
    const fast = run(['--help']);
    expect(fast.code).toBe(0);
    expect(fast.stdout).toBe(readFileSync(new URL('../../dist/cli/help.txt', import.meta.url), 'utf8'));
    expect(run(['-h']).stdout).toBe(fast.stdout);
    // `help` is commander's own rendering, through the whole CLI.
    const live = run(['help']);
    expect(live.code).toBe(0);
    expect(live.stdout).toBe(fast.stdout);

    // A bin beside a dist/ without help.txt: the CLI is loaded and renders the same text.
    const root = mkdtempSync(join(tmpdir(), 'lg-bin-'));
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
    copyFileSync(BIN, join(root, 'bin', 'line-genesys.cjs'));
    symlinkSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)), join(root, 'dist', 'cli', 'main.js'));
    const r = spawnSync(process.execPath, [join(root, 'bin', 'line-genesys.cjs'), '--help'], { cwd, env, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(fast.stdout);
  });

  it('--help loads no command module and no configuration; a command loads its own module only', () => {
    for (const args of [['--help'], ['init', '--help'], ['queue', 'list', '--help']]) {
      const loaded = loadedModules(args);
      expect(loaded, args.join(' ')).toContain('cli/main.js');
      expect(loaded.filter((m) => m.startsWith('cli/commands/') || m === 'config.js'), args.join(' ')).toEqual([]);
    }
    const sign = loadedModules(['sign', '--secret', 's', 'body.json']);
    expect(sign.filter((m) => m.startsWith('cli/commands/'))).toEqual(['cli/commands/sign/index.js']);
  });

  it("each command's help lists the global options", () => {
    for (const c of ['init', 'dev', 'simulate', 'doctor', 'queue show']) {
      const h = run([...c.split(' '), '--help']);
      expect(h.stdout, c).toMatch(/Global Options:\n/);
      for (const flag of ['--json', '-c, --config <path>', '--verbose']) expect(h.stdout, `${c} ${flag}`).toContain(flag);
    }
  });

  it("a missing argument points to that command's help", () => {
    const r = run(['queue', 'show']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument 'id'/);
    expect(r.stderr).toContain('line-genesys queue show --help');
    const j = run(['verify', 'body.json', '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).hint).toContain('line-genesys verify --help');
    // An unknown command has no help of its own: the top-level help.
    expect(run(['frobnicate']).stderr).toContain('line-genesys --help');
  });

  it('simulate posts to the port start listens on: PORT from the shell, else from .env', () => {
    const url = (r: { code: number | null; stdout: string; stderr: string }) => {
      expect(r.code, r.stderr).toBe(0);
      return /^curl .*'(http:\/\/[^']+)'/m.exec(r.stdout)?.[1];
    };
    const folder = mkdtempSync(join(tmpdir(), 'lg-cli-port-'));
    writeFileSync(join(folder, '.env'), 'PORT=8124\n');
    expect(url(run(['simulate', 'text', '--print'], '', { env: { PORT: '8123' } }))).toBe('http://localhost:8123/webhook/line/th');
    expect(url(run(['simulate', 'text', '--print'], '', { env: { PORT: '' }, cwd: folder }))).toBe('http://localhost:8124/webhook/line/th');
  });

  it('bad usage exits 2 with one readable line; --json makes it an object', () => {
    const r = run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    const j = run(['sign', '--line', '--genesys', 'body.json', '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, error: 'USAGE', exitCode: 2 });
  });

  it('sign --line over a file equals an independent base64 HMAC-SHA256 with the channel secret', () => {
    const r = run(['sign', 'body.json', '--channel', 'th']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(createHmac('sha256', 'th-secret').update(Buffer.from(body)).digest('base64'));
  });

  it('sign --genesys over stdin is sha256= plus base64, with --json', () => {
    const r = run(['sign', '--genesys', '--json'], body);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, platform: 'genesys', header: 'X-Hub-Signature-256', bytes: Buffer.byteLength(body) });
    expect(out.signature).toBe('sha256=' + createHmac('sha256', 'out-secret').update(body).digest('base64'));
  });

  it('verify: 0 when the signature matches, 1 when it does not', () => {
    const good = createHmac('sha256', 'explicit').update(body).digest('base64');
    expect(run(['verify', 'body.json', '--secret', 'explicit', '--signature', good]).code).toBe(0);
    const bad = run(['verify', 'body.json', '--secret', 'explicit', '--signature', good.replace(/^./, good[0] === 'A' ? 'B' : 'A')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/does not match/);
  });

  it('sign and verify read a file whose name holds # or %, or is absolute', () => {
    const expected = createHmac('sha256', 'th-secret').update(Buffer.from(body)).digest('base64');
    for (const name of ['body#1.json', 'body%20.json', '100%.json', join(cwd, 'sub dir#x', 'b%41.json')]) {
      mkdirSync(join(cwd, 'sub dir#x'), { recursive: true });
      writeFileSync(name.startsWith('/') ? name : join(cwd, name), body);
      const signed = run(['sign', name, '--channel', 'th']);
      expect(signed.stderr).toBe('');
      expect(signed.stdout.trim()).toBe(expected);
      expect(run(['verify', name, '--channel', 'th', '--signature', expected]).code).toBe(0);
    }
  });

  it('a missing secret names the variable to set (exit 1); no secret is ever printed', () => {
    const r = spawnSync(process.execPath, [BIN, 'sign', 'body.json'], { cwd, env: { PATH: env.PATH, NO_COLOR: '1' }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/LINE_<ID>_CHANNEL_SECRET|--secret/);
    const all = run(['sign', 'body.json', '--channel', 'th', '--json']).stdout + run(['verify', 'body.json', '--channel', 'th', '--signature', 'x']).stderr;
    expect(all).not.toMatch(/th-secret/);
  });
});
