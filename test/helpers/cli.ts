/** Runs the CLI in-process through main() with captured output: fast, and the same code path as the binary. */
import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Every stdout line parsed as JSON (for --json runs). */
  json(): any[];
}

/** A CliIo whose stdout and stderr are captured, with no terminal on stdin. */
export function captureIo(env: Record<string, string | undefined>, cwd: string): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const stdin = Object.assign(Readable.from([]), { isTTY: false });
  return { io: { stdout, stderr, stdin, env: { ...env }, cwd }, out: () => out, err: () => err };
}

export async function runCli(args: string[], opts: { env?: Record<string, string | undefined>; cwd: string }): Promise<CliRun> {
  const c = captureIo(opts.env ?? {}, opts.cwd);
  const code = await main(['node', 'line-genesys', ...args], c.io);
  const out = c.out();
  return { code, stdout: out, stderr: c.err(), json: () => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}
