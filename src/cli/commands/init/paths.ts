/** Where `init` reads and writes, and the settings it reads. */
import { resolve } from 'node:path';
import { CONFIG_FILE, loadConfig, type Config, type ConfigFile } from '../../../config.js';
import type { CommandContext } from '../../context.js';
import { FLOW_FILE } from './flow.js';

export interface InitPaths {
  config: string;
  env: string;
  gitignore: string;
  flow: string;
}

export function initPaths(ctx: Pick<CommandContext, 'io' | 'globals'>): InitPaths {
  const cwd = ctx.io.cwd;
  return {
    config: resolve(cwd, ctx.globals.config ?? CONFIG_FILE),
    env: resolve(cwd, '.env'),
    gitignore: resolve(cwd, '.gitignore'),
    flow: resolve(cwd, FLOW_FILE),
  };
}

/**
 * init's settings, read by config.ts's rules: flags (settingFlags), environment, .env, the config
 * file (`existing`, read once by init, which merges into it) and defaults; nothing is required yet.
 */
export function readSettings(ctx: Pick<CommandContext, 'io'>, existing: ConfigFile | undefined, flags: Record<string, string | undefined>): Config {
  return loadConfig({ cwd: ctx.io.cwd, env: ctx.io.env, require: 'partial', file: existing ?? {}, flags });
}
