/** What every command receives besides its own options. */
import { loadConfig, readEnvironment, type Config, type Environment, type LoadOptions } from '../config.js';
import type { CliIo } from './io.js';
import type { Output } from './output.js';
import { canPrompt, createAsker, type Asker } from './prompts.js';

export interface GlobalOptions {
  json: boolean;
  config?: string;
  color: boolean;
  verbose: boolean;
}

export interface CommandContext {
  io: CliIo;
  out: Output;
  globals: GlobalOptions;
  /** The configuration from these flags, the environment, .env, the config file and defaults (config.ts owns the order). */
  config(require?: LoadOptions['require'], flags?: LoadOptions['flags']): Config;
  /** The environment as config() reads it: the process's variables over ./.env's. */
  environment(): Environment;
  /** A person to ask, when there is one (see canPrompt). */
  asker(opts?: { yes?: boolean; nonInteractive?: boolean }): Asker;
  /** Aborted on Ctrl-C / SIGTERM: long-running commands stop cleanly. */
  signal: AbortSignal;
}

export function createContext(io: CliIo, out: Output, globals: GlobalOptions, signal: AbortSignal): CommandContext {
  return {
    io,
    out,
    globals,
    signal,
    config: (require = 'relay', flags) =>
      loadConfig({ cwd: io.cwd, env: io.env, require, ...(globals.config ? { configPath: globals.config } : {}), ...(flags ? { flags } : {}) }),
    environment: () => readEnvironment({ cwd: io.cwd, env: io.env }),
    asker: (opts = {}) => createAsker(io, canPrompt(io, opts)),
  };
}

