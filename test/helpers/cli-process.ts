/**
 * The real CLI as a child process (run `npm run build` first), and the LINE and Genesys emulators
 * the CLI tests point it at: two LINE accounts (TH, TW) and one Genesys OAuth client.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startGenesysEmulator, type GenesysEmulator } from '../../src/sandbox/genesys-api.js';
import { startLineEmulator, type LineEmulator } from '../../src/sandbox/line-api.js';
import { BIN } from './relay-process.js';

export interface CliProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `line-genesys <args>`; `answers` are typed one by one, each when its question shows on stderr. */
export function spawnCli(args: string[], opts: { cwd: string; env: Record<string, string>; answers?: Array<[question: string, answer: string]> }): Promise<CliProcessRun> {
  const answers = [...(opts.answers ?? [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let seen = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`line-genesys ${args.join(' ')} did not finish in 20 s.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 20_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      const next = answers[0];
      // eslint-disable-next-line no-control-regex
      const plain = stderr.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
      const at = next ? plain.indexOf(`? ${next[0]}`, seen) : -1;
      if (next && at >= 0) {
        seen = at + 1;
        answers.shift();
        setTimeout(() => child.stdin.write(`${next[1]}\n`), 20);
      }
    });
    if (!answers.length) child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Account {
  token: string;
  secret: string;
  bot: string;
  /** LINE's chat setting of the account (bot info); the emulator's default is 'auto'. */
  markAsReadMode?: 'auto' | 'manual';
}

/** The emulators for two LINE accounts and a Genesys client; fails at once when dist/ is missing. */
export async function startAccountEmulators(th: Account, tw: Account, client: { id: string; secret: string }): Promise<{ line: LineEmulator; genesys: GenesysEmulator }> {
  if (!existsSync(BIN.replace(/bin\/line-genesys\.cjs$/, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const mode = (a: Account) => (a.markAsReadMode ? { markAsReadMode: a.markAsReadMode } : {});
  const line = await startLineEmulator({ channels: [{ accessToken: th.token, botUserId: th.bot, displayName: 'Acme TH', ...mode(th) }, { accessToken: tw.token, botUserId: tw.bot, displayName: 'Acme TW', ...mode(tw) }] });
  const genesys = await startGenesysEmulator({ clientId: client.id, clientSecret: client.secret });
  return { line, genesys };
}
