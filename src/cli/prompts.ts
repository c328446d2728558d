/**
 * Questions for a person at a terminal. With no TTY there is no prompt: the caller gets a UsageError
 * listing the flags to give instead (a CI job must never hang waiting for an answer).
 */
import { UsageError } from '../errors.js';
import type { CliIo } from './io.js';

export interface Asker {
  readonly interactive: boolean;
  input(o: { message: string; default?: string; validate?: (v: string) => true | string }): Promise<string>;
  password(o: { message: string; validate?: (v: string) => true | string }): Promise<string>;
  confirm(o: { message: string; default?: boolean }): Promise<boolean>;
  select<T extends string>(o: { message: string; choices: Array<{ name: string; value: T }>; default?: T }): Promise<T>;
}

/** Prompts with inquirer (loaded only when a question is asked), on the injected streams. */
export function createAsker(io: CliIo, interactive: boolean): Asker {
  type Question = Record<string, unknown> & { type: string; message: string };
  let prompt: ((q: Question[]) => Promise<Record<string, unknown>>) | undefined;
  const ask = async <T>(q: Question): Promise<T> => {
    if (!interactive) throw new UsageError(`cannot ask "${q.message}": no terminal`);
    if (!prompt) {
      const inquirer = (await import('inquirer')).default;
      prompt = inquirer.createPromptModule({ input: io.stdin as NodeJS.ReadStream, output: io.stderr as NodeJS.WriteStream }) as unknown as typeof prompt;
    }
    const answers = await prompt!([{ ...q, name: 'value' }]);
    return answers.value as T;
  };
  return {
    interactive,
    input: (o) => ask<string>({ type: 'input', message: o.message, ...(o.default !== undefined ? { default: o.default } : {}), ...(o.validate ? { validate: o.validate } : {}) }),
    password: (o) => ask<string>({ type: 'password', mask: '•', message: o.message, ...(o.validate ? { validate: o.validate } : {}) }),
    confirm: (o) => ask<boolean>({ type: 'confirm', message: o.message, default: o.default ?? true }),
    select: (o) => ask({ type: 'select', message: o.message, choices: o.choices, ...(o.default !== undefined ? { default: o.default } : {}) }),
  };
}

/** True when a person can answer: a TTY on stdin, not CI, not --yes/--non-interactive. */
export function canPrompt(io: CliIo, opts: { yes?: boolean; nonInteractive?: boolean }): boolean {
  if (opts.yes || opts.nonInteractive) return false;
  if (io.env.CI && io.env.CI !== 'false' && io.env.LINE_GENESYS_FORCE_PROMPT !== '1') return false;
  return Boolean(io.stdin.isTTY) || io.env.LINE_GENESYS_FORCE_PROMPT === '1';
}

export function missingFlags(command: string, missing: Array<{ flag: string; env?: string; what: string }>): UsageError {
  const lines = missing.map((m) => `  ${m.flag}${m.env ? ` (or ${m.env})` : ''}: ${m.what}`).join('\n');
  return new UsageError(`${command}: no terminal to ask on, and these are missing:\n${lines}`, {
    hint: `Give them as flags or environment variables, or run \`line-genesys ${command}\` in a terminal.`,
  });
}
