/**
 * Output for people or machines. Results go to stdout: readable text, or with --json one JSON object
 * per result. Progress and logs go to stderr. NO_COLOR and --no-color are honoured (chalk 5 does not
 * read NO_COLOR itself).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { LineGenesysError } from '../errors.js';
import { jsonLine, printable, redact } from '../log.js';
import type { CliIo } from './io.js';

export interface Output {
  readonly json: boolean;
  readonly color: ChalkInstance;
  /**
   * A command's result: `human` for people, `data` for --json. Secret-looking fields are redacted
   * unless `reveal` says the result is made of them on purpose (`sign` prints a signature).
   */
  result(data: unknown, human?: string | (() => string), opts?: { reveal?: boolean }): void;
  /** A line of progress for people (stderr); nothing in --json mode unless `always`. */
  info(line: string): void;
  warn(line: string): void;
  /** A check mark line: ✔ ok / ✖ not ok. */
  check(ok: boolean, label: string, detail?: string): void;
  /**
   * A result that is a failure: printed for people like a result; with --json kept, so that error()
   * prints one object, the result with the error's fields (ok: false, error, message, hint, exitCode)
   * in it. Returns `e`, to throw.
   */
  failure<E extends LineGenesysError>(data: Record<string, unknown>, human: string | (() => string) | undefined, e: E): E;
  error(e: unknown): number;
}

export function createOutput(io: CliIo, opts: { json: boolean; color?: boolean; verbose?: boolean }): Output {
  const colorOn = opts.color !== false && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '') && (io.stdout.isTTY ?? false) && !opts.json;
  const color = new Chalk({ level: colorOn ? 1 : 0 });
  const errColorOn = opts.color !== false && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '') && (io.stderr.isTTY ?? false);
  const errColor = new Chalk({ level: errColorOn ? 1 : 0 });
  const out = (s: string) => io.stdout.write(s.endsWith('\n') ? s : s + '\n');
  const err = (s: string) => io.stderr.write(s.endsWith('\n') ? s : s + '\n');
  // The failed result that error() prints its error into (--json), and the error it belongs to.
  let failed: { data: Record<string, unknown>; error: unknown } | undefined;

  return {
    json: opts.json,
    color,
    result(data, human, o) {
      if (opts.json) out(jsonLine(o?.reveal ? data : redact(data)));
      else if (human !== undefined) out(typeof human === 'function' ? human() : human);
      else out(typeof data === 'string' ? data : JSON.stringify(data, null, 2));
    },
    info(line) {
      if (!opts.json) err(line);
    },
    warn(line) {
      err(errColor.yellow(`! ${line}`));
    },
    check(ok, label, detail) {
      if (opts.json) return;
      out(`${ok ? color.green('✔') : color.red('✖')} ${label}${detail ? color.dim(` — ${detail}`) : ''}`);
    },
    failure(data, human, e) {
      if (opts.json) failed = { data: redact(data) as Record<string, unknown>, error: e };
      else if (human !== undefined) out(typeof human === 'function' ? human() : human);
      return e;
    },
    error(e) {
      const known = e instanceof LineGenesysError;
      const code = known ? e.exitCode : 1;
      const message = known ? e.message : e instanceof Error ? e.message : String(e);
      const hint = known ? e.hint : undefined;
      if (opts.json) {
        const result = failed && failed.error === e ? failed.data : {};
        out(jsonLine({ ...result, ok: false, error: known ? e.code : 'INTERNAL', message, ...(hint ? { hint } : {}), exitCode: code }));
      } else {
        err(`${errColor.red('✖')} ${printable(message)}${hint ? `\n  ${errColor.dim(printable(hint))}` : ''}`);
        if (!known && opts.verbose && e instanceof Error && e.stack) err(errColor.dim(e.stack));
      }
      return code;
    },
  };
}
