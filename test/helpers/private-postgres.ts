/**
 * A PostgreSQL server of the test's own (initdb into a temp dir, pg_ctl on a random port), for a test
 * that stops and restarts the server: the shared one at LINE_GENESYS_TEST_DATABASE_URL serves other
 * test files at the same time. The binaries are found by path (/usr/lib/postgresql/<version>/bin, the
 * newest first, then `pg_config --bindir`), not by PATH. initdb refuses root: as root the server runs
 * as the `postgres` user, through runuser, in a temp dir that user owns.
 * When no server can be made, the test skips with one line saying why; under CI=true it fails instead.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust auth). */
  url: string;
  /** Stops the server (fast shutdown: every connection cut). */
  stop(): Promise<void>;
  /** Starts it again, on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl restart -m fast`. */
  restart(): Promise<void>;
  /** Stops it (immediate) and removes its files. */
  destroy(): Promise<void>;
  /** The server's log, for a failure message. */
  log(): string;
  /** Its temp dir (data, socket, log, and the owner.pid that lets a later run clean up after a killed one). */
  dir: string;
}

/** The directory holding initdb and pg_ctl: /usr/lib/postgresql/<newest>/bin, else pg_config's bindir. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const candidates = versions.map((v) => join(root, v, 'bin'));
  for (const pgConfig of ['/usr/bin/pg_config', '/usr/local/bin/pg_config']) {
    if (!existsSync(pgConfig)) continue;
    try {
      candidates.push(execFileSync(pgConfig, ['--bindir'], { encoding: 'utf8' }).trim());
    } catch {
      // not a working pg_config: the next one
    }
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const OWNER = 'owner.pid';

/** Runs a tool of the PostgreSQL bin dir (initdb, pg_ctl) with these arguments. */
type PgTool = (tool: string, args: string[]) => Promise<unknown>;

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A test run killed before its cleanup (Ctrl-C, a timeout) leaves its server running and its files
 * in the temp dir. Each server's dir names the test process that made it: those whose process is
 * gone are stopped (immediate) and removed. A dir without that file is left alone.
 */
async function stopAbandoned(as: PgTool): Promise<void> {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith('lg-pg-'))) {
    const dir = join(tmpdir(), name);
    const owner = Number(existsSync(join(dir, OWNER)) ? readFileSync(join(dir, OWNER), 'utf8') : NaN);
    if (!Number.isInteger(owner) || alive(owner)) continue;
    await as('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', '-t', '10', 'stop']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Makes and starts a private server; a reason string when this machine cannot. */
async function make(): Promise<PrivatePostgres | string> {
  const bin = findPostgresBin();
  if (!bin) return 'no PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin or pg_config --bindir';
  const root = process.getuid?.() === 0;
  const runuser = RUNUSER.find((p) => existsSync(p));
  if (root && !runuser) return 'running as root, and no runuser to run initdb as the postgres user';
  // A PostgreSQL tool, run as the postgres user when we are root (initdb refuses root).
  const as: PgTool = (tool, args) => (root ? run(runuser!, ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args));
  await stopAbandoned(as);
  const dir = mkdtempSync(join(tmpdir(), 'lg-pg-'));
  // Which test process made this server: a later run stops it if that process died without stopping it.
  writeFileSync(join(dir, OWNER), String(process.pid));
  if (root) {
    try {
      const uid = Number(execFileSync('/usr/bin/id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('/usr/bin/id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(dir, uid, gid);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      return `running as root, and no postgres user to run the server as (${(e as Error).message.split('\n')[0]})`;
    }
  }
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const port = await freePort();
  // fsync off: a test server, thrown away afterwards; the socket in the temp dir, not /var/run.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const ctl = (...args: string[]) => as('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '30', ...args]).then(() => undefined);
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  try {
    await as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await ctl('-o', options, 'start');
  } catch (e) {
    const why = `${(e as Error).message.split('\n')[0]} ${log().slice(-300)}`.trim();
    rmSync(dir, { recursive: true, force: true });
    return `a private server could not be started (${why})`;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => ctl('-m', 'fast', 'stop'),
    start: () => ctl('-o', options, 'start'),
    restart: () => ctl('-m', 'fast', '-o', options, 'restart'),
    async destroy() {
      await ctl('-m', 'immediate', 'stop').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
    log,
    dir,
  };
}

/** A private PostgreSQL server, or undefined (after one line saying why) when this machine cannot make one; CI=true fails instead. */
export async function privatePostgres(): Promise<PrivatePostgres | undefined> {
  const made = await make();
  if (typeof made !== 'string') return made;
  if (process.env.CI === 'true') throw new Error(`this PostgreSQL test cannot run, and CI=true does not let it skip: ${made} (user ${userInfo().username})`);
  console.log(`PostgreSQL fault tests skipped: ${made}.`);
  return undefined;
}
