/** Where `init` reads and writes, and the base URLs it calls (the emulators in tests). */
import { resolve } from 'node:path';
import { CONFIG_FILE, type ConfigFile, type Env } from '../../../config.js';
import { regionDomain } from '../../../genesys/regions.js';
import type { CommandContext } from '../../context.js';
import { readDotenvFile } from './env-file.js';
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

/** The environment as loadConfig sees it: the process environment over the .env file. */
export function envView(processEnv: Env, dotenvPath: string): Env {
  const out: Env = { ...readDotenvFile(dotenvPath) };
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

export interface BaseUrls {
  genesysApi: string;
  genesysLogin: string;
  lineApi: string;
}

/** Environment (GENESYS_API_BASE_URL, …) over the config file over the region's defaults. */
export function baseUrls(region: string, env: Env, file: ConfigFile | undefined): BaseUrls {
  const domain = regionDomain(region) ?? region;
  const strip = (u: string) => u.replace(/\/+$/, '');
  return {
    genesysApi: strip(env.GENESYS_API_BASE_URL || file?.genesys?.apiBaseUrl || `https://api.${domain}`),
    genesysLogin: strip(env.GENESYS_LOGIN_BASE_URL || file?.genesys?.loginBaseUrl || `https://login.${domain}`),
    lineApi: strip(env.LINE_API_BASE_URL || file?.line?.apiBaseUrl || 'https://api.line.me'),
  };
}
