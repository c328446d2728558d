/** Runs the CLI in-process through main() with captured output: fast, and the same code path as the binary. */
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Every stdout line parsed as JSON (for --json runs). */
  json(): any[];
}

export async function runCli(args: string[], opts: { env?: Record<string, string | undefined>; cwd: string }): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const stdin = Object.assign(Readable.from([]), { isTTY: false });
  const code = await main(['node', 'line-genesys', ...args], { stdout, stderr, stdin, env: { ...opts.env }, cwd: opts.cwd });
  return { code, stdout: out, stderr: err, json: () => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}
