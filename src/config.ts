/** Configuration types; the loader follows below. */
export interface ChannelConfig {
  /** Short id used in paths and logs: th, tw, jp … */
  id: string;
  market: string;
  brand: string;
  /** LINE bot user id (the webhook `destination`), `U` + 32 hex. */
  botUserId?: string;
  channelSecret: string;
  accessToken: string;
  /** Genesys Open Messaging integration this channel's messages go to. */
  integrationId: string;
  /** Secret Genesys signs this integration's outbound webhooks with. */
  outboundSecret?: string;
  /** Extra custom attributes sent with every inbound message. */
  customAttributes?: Record<string, string>;
}

import { CONTENT_KINDS, LINE_CONTENT_MAX, type ContentCaps, type ContentKind } from './line/content-limits.js';
import { chatSettings, type ChatSettings } from './relay/chat-settings.js';
import type { RelayLimits } from './relay/limits.js';
import { checkCustomAttributes } from './genesys/custom-attributes.js';
import { customAttributesOf } from './transform/to-genesys.js';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { regionDomain } from './genesys/regions.js';
import { USER_ID } from './line/ids.js';
import { parseLogLevel, type LogLevel } from './log.js';
import { checkUrl } from './url.js';

export const CONFIG_FILE = 'line-genesys.config.json';

/** A channel id: short, lowercase, usable in paths and environment variable names (th, tw, jp-2). */
export const CHANNEL_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

export interface GenesysConfig {
  /** AWS region name or domain, e.g. "ap-northeast-1" / "mypurecloud.jp". */
  region: string;
  clientId: string;
  clientSecret: string;
  /** Default integration for channels that name none. */
  integrationId?: string;
  /** Default outbound webhook secret for integrations whose channel names none. */
  outboundSecret?: string;
  apiBaseUrl: string;
  loginBaseUrl: string;
}

export interface RelayConfig {
  host: string;
  port: number;
  /** Public base URL of the relay (https://…): media links given to Genesys, webhook URLs set by init/dev. */
  publicUrl?: string;
  store: 'sqlite' | 'memory' | 'postgres';
  storePath: string;
  /** PostgreSQL only (store: postgres): a standard connection URL, sslmode included; from DATABASE_URL (it may hold a password). */
  databaseUrl?: string;
  /** PostgreSQL only: connections in the pool. */
  databasePoolSize?: number;
  /** PostgreSQL only: a replica's claim on a job, renewed while it holds the job; another replica may take it over once it runs out. */
  leaseMs?: number;
  /** 'full' costs an fsync per commit. */
  storeSync: 'normal' | 'full';
  maxBodyBytes: number;
  mediaTtlMs: number;
  /** The largest media downloaded from LINE, per kind, as written (`image=10MB video=200MB …`); larger content becomes the placeholder text. */
  mediaMaxSize: string;
  /** The same in bytes. */
  mediaMaxBytes: ContentCaps;
  deadLetterAfterMs: number;
  /** How long after a job was received refused credentials (a secret being rotated) are still retried. */
  authRetryWindowMs: number;
  /** How long a dedupe key (webhookEventId, Genesys message id) is kept: longer than any sender retries, and than maxMessageAgeMs. */
  dedupeRetentionMs: number;
  /** An agent message whose channel.time is older than this is refused (400 message_too_old). */
  maxMessageAgeMs: number;
  /** Deliveries to one platform that run at once to start with, and never fewer. */
  concurrency: number;
  /** The most deliveries to one platform that may run at once: the limit grows toward it while the platform keeps up. */
  maxConcurrency: number;
  logLevel: LogLevel;
  /** Timeouts and the connection cap of the relay's door, and how often a repeated refusal is logged. */
  limits: RelayLimits;
  /** Free replies and read marks. */
  chat: ChatSettings;
  /** How often each channel's LINE message quota is read for /metrics; 0: never. */
  quotaRefreshMs: number;
  /** /readyz lists channels, markets, brands, the store and the queue (and why the store is out); off: status only. */
  healthDetail: boolean;
}

export interface Config {
  genesys: GenesysConfig;
  line: { apiBaseUrl: string; dataApiBaseUrl: string };
  channels: ChannelConfig[];
  relay: RelayConfig;
  /** Where each setting came from, by dotted path. */
  sources: Record<string, ValueSource>;
  /** The config file read, if any. */
  file?: string;
}

export type ValueSource = 'flag' | 'env' | 'dotenv' | 'file' | 'default';
export type Env = Record<string, string | undefined>;

/** The config file's shape: structure only, secrets are named by environment variable. */
export interface ConfigFile {
  genesys?: {
    region?: string;
    integrationId?: string;
    clientIdEnv?: string;
    clientSecretEnv?: string;
    outboundSecretEnv?: string;
    apiBaseUrl?: string;
    loginBaseUrl?: string;
  };
  line?: { apiBaseUrl?: string; dataApiBaseUrl?: string };
  channels?: Array<{
    id: string;
    market: string;
    brand: string;
    botUserId?: string;
    integrationId?: string;
    channelSecretEnv?: string;
    accessTokenEnv?: string;
    outboundSecretEnv?: string;
    customAttributes?: Record<string, string>;
  }>;
  relay?: Partial<Pick<RelayConfig, 'host' | 'port' | 'publicUrl' | 'store' | 'storePath' | 'storeSync' | 'concurrency' | 'maxConcurrency'>> & {
    maxBodyBytes?: number;
    mediaTtl?: string;
    mediaMaxSize?: string;
    deadLetterAfter?: string;
    authRetryWindow?: string;
    databasePoolSize?: number;
    lease?: string;
    headersTimeout?: string;
    requestTimeout?: string;
    bodyIdleTimeout?: string;
    maxConnections?: number;
    refusalLogInterval?: string;
    reply?: string;
    replyFreshness?: string;
    markAsRead?: string;
    quotaRefresh?: string;
    healthDetail?: boolean;
    maxMessageAge?: string;
  };
}

export interface LoadOptions {
  cwd?: string;
  /** Path of the config file; default ./line-genesys.config.json when it exists. */
  configPath?: string;
  /** The config file's contents when the caller has read it already (with readConfigFile); configPath is not read then. */
  file?: ConfigFile;
  env?: Env;
  /** Read ./.env under the environment (see readEnvironment). Default true. */
  dotenv?: boolean;
  /** Values from command-line flags, by dotted path ('relay.port', 'relay.publicUrl', …). */
  flags?: Record<string, string | number | undefined>;
  /** 'relay' (default) requires everything the relay needs; 'partial' only checks what is present. */
  require?: 'relay' | 'partial';
}

export const SECRET_KEYS: readonly string[] = ['clientSecret', 'channelSecret', 'accessToken', 'outboundSecret', 'clientId', 'databaseUrl'];

/** Environment variable names for a channel's settings, derived from its id: th → LINE_TH_…. */
export function channelEnvNames(id: string) {
  const up = id.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return {
    channelSecret: `LINE_${up}_CHANNEL_SECRET`,
    accessToken: `LINE_${up}_ACCESS_TOKEN`,
    outboundSecret: `GENESYS_${up}_OUTBOUND_SECRET`,
    market: `LINE_${up}_MARKET`,
    brand: `LINE_${up}_BRAND`,
    botUserId: `LINE_${up}_BOT_USER_ID`,
    integrationId: `LINE_${up}_INTEGRATION_ID`,
  };
}

/** The variables that hold the secrets: as the config file names them ("clientSecretEnv", …), else the defaults. */
export function secretEnvNames(file: ConfigFile | undefined) {
  const g = file?.genesys ?? {};
  return {
    clientId: g.clientIdEnv ?? 'GENESYS_CLIENT_ID',
    clientSecret: g.clientSecretEnv ?? 'GENESYS_CLIENT_SECRET',
    outboundSecret: g.outboundSecretEnv ?? 'GENESYS_OUTBOUND_SECRET',
    channel(id: string) {
      const fc = file?.channels?.find((c) => c?.id === id);
      const n = channelEnvNames(id);
      return { channelSecret: fc?.channelSecretEnv ?? n.channelSecret, accessToken: fc?.accessTokenEnv ?? n.accessToken, outboundSecret: fc?.outboundSecretEnv ?? n.outboundSecret };
    },
  };
}

/** Parses "24h", "90m", "30s", "500ms", "2d" or a number of milliseconds. */
export function parseDuration(value: string, setting: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!m) throw new ConfigError(setting, `"${value}" is not a duration`, { hint: 'Write it like 30s, 15m, 24h or 2d.' });
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return Math.round(n * unit);
}

/** Parses "10MB", "512KB", "1GB", "1.5MB" or a number of bytes (a KB is 1024 bytes, as LINE's limits are read). */
export function parseSize(value: string, setting: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?\s*$/i.exec(value);
  if (!m) throw new ConfigError(setting, `"${value}" is not a size`, { hint: 'Write it like 500KB, 50MB or 1GB.' });
  return Math.floor(Number(m[1]) * { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[(m[2] ?? 'B').toUpperCase() as 'B']);
}

/** 209715200 -> "200MB". */
function formatSize(bytes: number): string {
  for (const [unit, size] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) if (bytes !== 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  return `${bytes}B`;
}

/**
 * relay.mediaMaxSize: one size for every kind ("50MB"), or kinds named ("video=100MB,file=20MB");
 * a kind not named keeps LINE's own maximum (line/content-limits.ts).
 */
function mediaMaxSize(value: string): Pick<RelayConfig, 'mediaMaxSize' | 'mediaMaxBytes'> {
  const setting = 'relay.mediaMaxSize';
  const caps: ContentCaps = { ...LINE_CONTENT_MAX };
  const parts = value.split(/[,\s]+/).filter(Boolean);
  for (const part of parts) {
    const [kind, size] = part.includes('=') ? part.split('=', 2) : [undefined, part];
    if (kind !== undefined && !CONTENT_KINDS.includes(kind as ContentKind)) {
      throw new ConfigError(setting, `"${kind}" is not a kind of media`, { hint: `Name ${CONTENT_KINDS.join(', ')}, e.g. video=100MB,file=20MB; or give one size for all.` });
    }
    const bytes = parseSize(size!, setting);
    if (bytes < 1) throw new ConfigError(setting, `"${part}" must be at least 1 byte`);
    for (const k of kind ? [kind as ContentKind] : CONTENT_KINDS) caps[k] = bytes;
  }
  return { mediaMaxSize: CONTENT_KINDS.map((k) => `${k}=${formatSize(caps[k])}`).join(' '), mediaMaxBytes: caps };
}

/** Reads KEY=VALUE lines (quotes and `export ` allowed, # comments). */
export function parseDotenv(text: string): Env {
  const out: Env = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2] ?? '';
    const quoted = /^(["'])(.*)\1\s*(?:#.*)?$/.exec(v);
    if (quoted) {
      v = quoted[2]!;
      if (quoted[1] === '"') v = v.replace(/\\n/g, '\n');
    } else {
      v = v.replace(/\s+#.*$/, '');
    }
    out[m[1]!] = v;
  }
  return out;
}

/**
 * The config file, parsed; refuses a secret written in it (secrets belong in the environment or .env).
 * With `optional`, a file that does not exist is undefined rather than an error.
 */
export function readConfigFile(path: string): ConfigFile;
export function readConfigFile(path: string, o: { optional: true }): ConfigFile | undefined;
export function readConfigFile(path: string, o: { optional?: boolean } = {}): ConfigFile | undefined {
  if (o.optional && !existsSync(path)) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError('config file', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`, {
      hint: 'Run `line-genesys init` to write one, or pass --config <path>.',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('config file', `${path} is not valid JSON (${(e as Error).message})`, { hint: 'Fix the JSON syntax.' });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('config file', `${path} must hold a JSON object`);
  }
  findSecrets(parsed, '', path);
  checkShape(parsed as Record<string, unknown>, FILE_SHAPE, '');
  return parsed as ConfigFile;
}

/*
 * The config file's shape, key by key (the ConfigFile type above, for the reader): an unknown key
 * or a value of the wrong type is refused, so a misspelt setting or a secret under another name
 * never passes unnoticed. An …Env value must be a variable name: a value pasted there instead is
 * refused without being repeated.
 */
type Rule = 'string' | 'number' | 'envName' | 'stringMap' | { object: Shape } | { list: Shape };
interface Shape {
  [key: string]: Rule;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GENESYS_SHAPE: Shape = { region: 'string', integrationId: 'string', clientIdEnv: 'envName', clientSecretEnv: 'envName', outboundSecretEnv: 'envName', apiBaseUrl: 'string', loginBaseUrl: 'string' };
const CHANNEL_SHAPE: Shape = {
  id: 'string',
  market: 'string',
  brand: 'string',
  botUserId: 'string',
  integrationId: 'string',
  channelSecretEnv: 'envName',
  accessTokenEnv: 'envName',
  outboundSecretEnv: 'envName',
  customAttributes: 'stringMap',
};
const RELAY_SHAPE: Shape = {
  host: 'string',
  port: 'number',
  publicUrl: 'string',
  store: 'string',
  storePath: 'string',
  storeSync: 'string',
  concurrency: 'number',
  maxConcurrency: 'number',
  maxBodyBytes: 'number',
  mediaTtl: 'string',
  mediaMaxSize: 'string',
  deadLetterAfter: 'string',
  authRetryWindow: 'string',
  databasePoolSize: 'number',
  lease: 'string',
  headersTimeout: 'string',
  requestTimeout: 'string',
  bodyIdleTimeout: 'string',
  maxConnections: 'number',
  refusalLogInterval: 'string',
  reply: 'string',
  replyFreshness: 'string',
  markAsRead: 'string',
  quotaRefresh: 'string',
};
const FILE_SHAPE: Shape = {
  genesys: { object: GENESYS_SHAPE },
  line: { object: { apiBaseUrl: 'string', dataApiBaseUrl: 'string' } },
  channels: { list: CHANNEL_SHAPE },
  relay: { object: RELAY_SHAPE },
};

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function checkShape(value: Record<string, unknown>, shape: Shape, at: string): void {
  for (const [key, v] of Object.entries(value)) {
    const here = at ? `${at}.${key}` : key;
    const rule = shape[key];
    if (!rule) throw new ConfigError(here, 'is not a setting of the config file', { hint: `Known here: ${Object.keys(shape).join(', ')}.` });
    checkValue(v, rule, here);
  }
}

function checkValue(v: unknown, rule: Rule, here: string): void {
  const wrong = (what: string) => new ConfigError(here, `must be ${what}, not ${kindOf(v)}`);
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (rule === 'string' || rule === 'envName') {
    if (typeof v !== 'string') throw wrong('a string');
    if (rule === 'envName' && !ENV_NAME.test(v)) {
      throw new ConfigError(here, 'must name an environment variable (letters, digits and _, not starting with a digit)', {
        hint: 'Put the secret itself in .env under a name such as LINE_TH_CHANNEL_SECRET, and write that name here.',
      });
    }
  } else if (rule === 'number') {
    if (typeof v !== 'number') throw wrong('a number');
  } else if (rule === 'stringMap') {
    if (!isObject(v)) throw wrong('an object');
    for (const [k, s] of Object.entries(v)) if (typeof s !== 'string') throw new ConfigError(`${here}.${k}`, `must be a string, not ${kindOf(s)}`);
  } else if ('object' in rule) {
    if (!isObject(v)) throw wrong('an object');
    checkShape(v, rule.object, here);
  } else {
    if (!Array.isArray(v)) throw wrong('a list');
    v.forEach((item, i) => checkValue(item, { object: rule.list }, `${here}.${i}`));
  }
}

function findSecrets(value: unknown, at: string, file: string): void {
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    const here = at ? `${at}.${k}` : k;
    if (SECRET_KEYS.includes(k) && v !== null && v !== '' && typeof v !== 'object') {
      throw new ConfigError(here, `a secret is written in ${file}`, {
        hint: `Move it to the environment or .env and name the variable with "${k}Env" instead.`,
      });
    }
    findSecrets(v, here, file);
  }
}

/*
 * Precedence, highest first: command-line flags > the process environment > the .env file > the
 * config file > defaults. Every command reads its settings through this module, so they agree.
 *
 * An empty value counts as not set, at every level. `FOO=` in the shell (as Docker Compose and CI
 * runners pass a variable nobody filled in) neither hides FOO in .env nor the config file's value,
 * and cannot clear them: remove the line from .env or the file instead.
 */

/** The environment a command reads: the process environment over ./.env, empty values left out. */
export interface Environment {
  /** Every variable that is set, to its value. */
  readonly values: Env;
  /** Where a variable's value comes from: 'env' (the process) or 'dotenv' (./.env); undefined when it is not set. */
  from(name: string): 'env' | 'dotenv' | undefined;
}

export function readEnvironment(o: { cwd: string; env: Env; dotenv?: boolean }): Environment {
  const values: Env = {};
  const from = new Map<string, 'env' | 'dotenv'>();
  const dotenvPath = resolve(o.cwd, '.env');
  const layers: Array<['env' | 'dotenv', Env]> = [['env', o.env]];
  if (o.dotenv !== false && existsSync(dotenvPath)) layers.push(['dotenv', parseDotenv(readFileSync(dotenvPath, 'utf8'))]);
  for (const [source, layer] of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined || v === '' || from.has(k)) continue;
      values[k] = v;
      from.set(k, source);
    }
  }
  return { values, from: (name) => from.get(name) };
}

/**
 * Builds the configuration by the precedence above, remembering where each value came from. Throws
 * ConfigError naming the first setting that is malformed, or every setting that is missing.
 */
export function loadConfig(opts: LoadOptions = {}): Config {
  const cwd = opts.cwd ?? process.cwd();
  const environment = readEnvironment({ cwd, env: opts.env ?? process.env, dotenv: opts.dotenv !== false });
  const env = environment.values;
  const flags = opts.flags ?? {};
  const filePath = opts.configPath ? resolve(cwd, opts.configPath) : resolve(cwd, CONFIG_FILE);
  const file: ConfigFile = opts.file ?? (opts.configPath ? readConfigFile(filePath) : readConfigFile(filePath, { optional: true })) ?? {};
  const sources: Record<string, ValueSource> = {};
  const required = (opts.require ?? 'relay') === 'relay';

  function pick(path: string, envName: string | undefined, fileValue: unknown, dflt?: string): string | undefined {
    const f = flags[path];
    if (f !== undefined && f !== '') return (sources[path] = 'flag'), String(f);
    const e = envName ? env[envName] : undefined;
    if (e !== undefined) return (sources[path] = environment.from(envName!)!), e;
    if (fileValue !== undefined && fileValue !== null && fileValue !== '') return (sources[path] = 'file'), String(fileValue);
    if (dflt !== undefined) return (sources[path] = 'default'), dflt;
    return undefined;
  }
  // What is missing is collected, to be named all at once (a first run misses several).
  const missing: Array<{ path: string; how: string; message?: string }> = [];
  function need(path: string, value: string | undefined, how: string): string {
    if (value === undefined || value === '') {
      if (required) missing.push({ path, how });
      return '';
    }
    return value;
  }

  const g = file.genesys ?? {};
  const region = pick('genesys.region', 'GENESYS_REGION', g.region, 'mypurecloud.com')!;
  const domain = regionDomain(region);
  const apiBase = pick('genesys.apiBaseUrl', 'GENESYS_API_BASE_URL', g.apiBaseUrl);
  const loginBase = pick('genesys.loginBaseUrl', 'GENESYS_LOGIN_BASE_URL', g.loginBaseUrl);
  if (!domain && (!apiBase || !loginBase)) {
    throw new ConfigError('genesys.region', `"${region}" is not a Genesys Cloud region`, {
      hint: 'Use a region such as mypurecloud.jp or ap-northeast-1 (see README), or set GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL.',
    });
  }
  const secretNames = secretEnvNames(file);
  const { clientId: clientIdEnv, clientSecret: clientSecretEnv } = secretNames;
  const genesys: GenesysConfig = {
    region,
    clientId: need('genesys.clientId', pick('genesys.clientId', clientIdEnv, undefined), `Set ${clientIdEnv} (the OAuth client id of a Client Credentials grant) in the environment or .env.`),
    clientSecret: need('genesys.clientSecret', pick('genesys.clientSecret', clientSecretEnv, undefined), `Set ${clientSecretEnv} in the environment or .env.`),
    integrationId: pick('genesys.integrationId', 'GENESYS_INTEGRATION_ID', g.integrationId),
    outboundSecret: pick('genesys.outboundSecret', secretNames.outboundSecret, undefined),
    apiBaseUrl: baseUrl('genesys.apiBaseUrl', apiBase ?? `https://api.${domain}`),
    loginBaseUrl: baseUrl('genesys.loginBaseUrl', loginBase ?? `https://login.${domain}`),
  };
  sources['genesys.apiBaseUrl'] ??= 'default';
  sources['genesys.loginBaseUrl'] ??= 'default';

  const l = file.line ?? {};
  const line = {
    apiBaseUrl: baseUrl('line.apiBaseUrl', pick('line.apiBaseUrl', 'LINE_API_BASE_URL', l.apiBaseUrl, 'https://api.line.me')!),
    dataApiBaseUrl: baseUrl('line.dataApiBaseUrl', pick('line.dataApiBaseUrl', 'LINE_DATA_API_BASE_URL', l.dataApiBaseUrl, 'https://api-data.line.me')!),
  };

  // Channels: from the file, or from LINE_GENESYS_CHANNELS=th,tw and LINE_<ID>_* variables.
  const fileChannels = file.channels ?? [];
  const envIds = (env.LINE_GENESYS_CHANNELS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const ids = fileChannels.length ? fileChannels.map((c) => c?.id) : envIds;
  const channels: ChannelConfig[] = [];
  ids.forEach((id, i) => {
    const at = `channels[${i}]`;
    if (typeof id !== 'string' || !CHANNEL_ID.test(id)) {
      throw new ConfigError(`${at}.id`, `"${String(id)}" is not a channel id`, { hint: 'Use a short lowercase id such as th or tw (letters, digits, -).' });
    }
    if (channels.some((c) => c.id === id)) throw new ConfigError(`${at}.id`, `channel "${id}" is listed twice`);
    const fc = fileChannels[i] ?? { id, market: '', brand: '' };
    const n = channelEnvNames(id);
    const p = `channels.${id}`;
    const { channelSecret: secretEnv, accessToken: tokenEnv, outboundSecret: outboundEnv } = secretNames.channel(id);
    const market = need(`${p}.market`, pick(`${p}.market`, n.market, fc.market), `Give channel "${id}" a market (e.g. TH) in ${CONFIG_FILE} or ${n.market}.`);
    const brand = need(`${p}.brand`, pick(`${p}.brand`, n.brand, fc.brand), `Give channel "${id}" a brand in ${CONFIG_FILE} or ${n.brand}.`);
    const botUserId = pick(`${p}.botUserId`, n.botUserId, fc.botUserId);
    if (botUserId && !USER_ID.test(botUserId)) {
      throw new ConfigError(`${p}.botUserId`, `"${botUserId}" is not a LINE bot user id`, { hint: 'It is U followed by 32 hex digits: run `line-genesys init` or read it from GET /v2/bot/info.' });
    }
    const integrationId = pick(`${p}.integrationId`, n.integrationId, fc.integrationId) ?? genesys.integrationId;
    channels.push({
      id,
      market,
      brand,
      ...(botUserId ? { botUserId } : {}),
      channelSecret: need(`${p}.channelSecret`, pick(`${p}.channelSecret`, secretEnv, undefined), `Set ${secretEnv} to the channel secret (LINE Developers console > Basic settings).`),
      accessToken: need(`${p}.accessToken`, pick(`${p}.accessToken`, tokenEnv, undefined), `Set ${tokenEnv} to a long-lived channel access token (Messaging API tab).`),
      integrationId: need(`${p}.integrationId`, integrationId, `Set the Genesys integration id for channel "${id}" (run \`line-genesys init\`, or set ${n.integrationId} or GENESYS_INTEGRATION_ID).`),
      ...optional('outboundSecret', pick(`${p}.outboundSecret`, outboundEnv, undefined) ?? genesys.outboundSecret),
      ...(fc.customAttributes ? { customAttributes: stringMap(fc.customAttributes, `${p}.customAttributes`) } : {}),
    });
    checkCustomAttributes(customAttributesOf(channels[channels.length - 1]!), `${p}.customAttributes`);
  });
  if (required && channels.length === 0) {
    missing.push({
      path: 'channels',
      message: 'no LINE channel is configured',
      how: `Run \`line-genesys init\`, or list channels in ${CONFIG_FILE}, or set LINE_GENESYS_CHANNELS=th,tw with LINE_TH_CHANNEL_SECRET, LINE_TH_ACCESS_TOKEN, … in the environment.`,
    });
  }
  if (missing.length === 1) throw new ConfigError(missing[0]!.path, missing[0]!.message ?? 'is not set', { hint: missing[0]!.how });
  if (missing.length > 1) {
    throw new ConfigError('configuration', `${missing.length} settings are not set: ${missing.map((m) => m.path).join(', ')}`, {
      hint: [...missing.map((m) => `${m.path}: ${m.how}`), 'Run `line-genesys init` to set them up, or `line-genesys dev --sandbox` to try it with emulated accounts.'].join('\n  '),
    });
  }
  const seenBots = new Set<string>();
  for (const c of channels) {
    if (c.botUserId && seenBots.has(c.botUserId)) throw new ConfigError(`channels.${c.id}.botUserId`, 'two channels have the same bot user id');
    if (c.botUserId) seenBots.add(c.botUserId);
  }

  const r = file.relay ?? {};
  const num = (path: string, envName: string, fileValue: unknown, dflt: number, min: number, max: number): number => {
    const v = pick(path, envName, fileValue, String(dflt))!;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(path, `"${v}" must be a whole number from ${min} to ${max}`);
    return n;
  };
  const duration = (path: string, envName: string, fileValue: unknown, dflt: string): number => parseDuration(pick(path, envName, fileValue, dflt)!, path);
  const bool = (path: string, envName: string, fileValue: unknown, dflt: boolean): boolean => {
    const v = pick(path, envName, fileValue, String(dflt))!;
    if (v !== 'true' && v !== 'false') throw new ConfigError(path, `"${v}" must be true or false`);
    return v === 'true';
  };
  const store = pick('relay.store', 'LINE_GENESYS_STORE', r.store, 'sqlite')!;
  if (store !== 'sqlite' && store !== 'memory' && store !== 'postgres') {
    throw new ConfigError('relay.store', `"${store}" is not a store`, { hint: 'Use sqlite (durable, one machine, the default), postgres (several replicas; set DATABASE_URL) or memory (tests and demos only).' });
  }
  const databaseUrl = pick('relay.databaseUrl', 'DATABASE_URL', undefined);
  if (store === 'postgres' && !databaseUrl) {
    throw new ConfigError('relay.databaseUrl', 'the postgres store needs a database URL', { hint: 'Set DATABASE_URL, e.g. postgres://user@host:5432/db?sslmode=require.' });
  }
  const storeSync = pick('relay.storeSync', 'LINE_GENESYS_STORE_SYNC', r.storeSync, 'normal')!;
  if (storeSync !== 'normal' && storeSync !== 'full') throw new ConfigError('relay.storeSync', `"${storeSync}" must be normal or full`);
  const publicUrl = pick('relay.publicUrl', 'LINE_GENESYS_PUBLIC_URL', r.publicUrl);
  const logLevelRaw = pick('relay.logLevel', 'LINE_GENESYS_LOG_LEVEL', undefined, 'info')!;
  const logLevel = parseLogLevel(logLevelRaw);
  if (!logLevel) throw new ConfigError('relay.logLevel', `"${logLevelRaw}" is not a log level`, { hint: 'Use debug, info, warn, error or silent.' });
  const concurrency = num('relay.concurrency', 'LINE_GENESYS_CONCURRENCY', r.concurrency, 16, 1, 512);
  // The default is the relay's HTTP connections per host (src/upstream.ts): more would only queue there.
  const maxConcurrency = num('relay.maxConcurrency', 'LINE_GENESYS_MAX_CONCURRENCY', r.maxConcurrency, Math.max(128, concurrency), 1, 4096);
  if (maxConcurrency < concurrency) {
    throw new ConfigError('relay.maxConcurrency', `${maxConcurrency} is below relay.concurrency (${concurrency})`, {
      hint: 'relay.concurrency is where the limit starts and its floor; relay.maxConcurrency is its cap. Raise the cap or lower the start.',
    });
  }
  const relay: RelayConfig = {
    host: pick('relay.host', 'LINE_GENESYS_HOST', r.host, '0.0.0.0')!,
    port: num('relay.port', 'PORT', r.port, 3000, 0, 65535),
    ...(publicUrl ? { publicUrl: baseUrl('relay.publicUrl', publicUrl) } : {}),
    store,
    ...(store === 'postgres'
      ? {
          databaseUrl: databaseUrl!,
          databasePoolSize: num('relay.databasePoolSize', 'LINE_GENESYS_DATABASE_POOL_SIZE', r.databasePoolSize, 4, 1, 100),
          leaseMs: duration('relay.lease', 'LINE_GENESYS_LEASE', r.lease, '30s'),
        }
      : {}),
    storePath: resolve(cwd, pick('relay.storePath', 'LINE_GENESYS_STORE_PATH', r.storePath, '.line-genesys/relay.db')!),
    storeSync,
    maxBodyBytes: num('relay.maxBodyBytes', 'LINE_GENESYS_MAX_BODY_BYTES', r.maxBodyBytes, 1_048_576, 1024, 50_000_000),
    mediaTtlMs: parseDuration(pick('relay.mediaTtl', 'LINE_GENESYS_MEDIA_TTL', r.mediaTtl, '7d')!, 'relay.mediaTtl'),
    ...mediaMaxSize(pick('relay.mediaMaxSize', 'LINE_GENESYS_MEDIA_MAX_SIZE', r.mediaMaxSize, '')!),
    deadLetterAfterMs: parseDuration(pick('relay.deadLetterAfter', 'LINE_GENESYS_DEAD_LETTER_AFTER', r.deadLetterAfter, '24h')!, 'relay.deadLetterAfter'),
    authRetryWindowMs: duration('relay.authRetryWindow', 'LINE_GENESYS_AUTH_RETRY_WINDOW', r.authRetryWindow, '10m'),
    dedupeRetentionMs: DEDUPE_RETENTION_MS,
    maxMessageAgeMs: maxMessageAge(duration('relay.maxMessageAge', 'LINE_GENESYS_MAX_MESSAGE_AGE', r.maxMessageAge, '1h')),
    concurrency,
    maxConcurrency,
    logLevel,
    limits: {
      headersTimeoutMs: duration('relay.headersTimeout', 'LINE_GENESYS_HEADERS_TIMEOUT', r.headersTimeout, '10s'),
      requestTimeoutMs: duration('relay.requestTimeout', 'LINE_GENESYS_REQUEST_TIMEOUT', r.requestTimeout, '30s'),
      bodyIdleTimeoutMs: duration('relay.bodyIdleTimeout', 'LINE_GENESYS_BODY_IDLE_TIMEOUT', r.bodyIdleTimeout, '5s'),
      maxConnections: num('relay.maxConnections', 'LINE_GENESYS_MAX_CONNECTIONS', r.maxConnections, 1000, 1, 1_000_000),
      refusalLogIntervalMs: duration('relay.refusalLogInterval', 'LINE_GENESYS_REFUSAL_LOG_INTERVAL', r.refusalLogInterval, '10s'),
    },
    chat: chatSettings({
      reply: pick('relay.reply', 'LINE_GENESYS_REPLY', r.reply, 'first')!,
      replyFreshnessMs: duration('relay.replyFreshness', 'LINE_GENESYS_REPLY_FRESHNESS', r.replyFreshness, '50s'),
      markAsRead: pick('relay.markAsRead', 'LINE_GENESYS_MARK_AS_READ', r.markAsRead, 'agent-reply')!,
    }),
    quotaRefreshMs: duration('relay.quotaRefresh', 'LINE_GENESYS_QUOTA_REFRESH', r.quotaRefresh, '5m'),
    healthDetail: bool('relay.healthDetail', 'LINE_GENESYS_HEALTH_DETAIL', r.healthDetail, false),
  };
  return { genesys, line, channels, relay, sources, ...(existsSync(filePath) ? { file: filePath } : {}) };
}

/** Dedupe keys are kept 48 h: LINE redelivers and Genesys retries within minutes, our own retries stop at relay.deadLetterAfter (24 h). */
const DEDUPE_RETENTION_MS = 48 * 3_600_000;

/** Up to the dedupe retention: a replay young enough to pass the age check then always meets its dedupe key. */
function maxMessageAge(ms: number): number {
  if (ms < 60_000 || ms > DEDUPE_RETENTION_MS) {
    throw new ConfigError('relay.maxMessageAge', `must be from 1m to 48h (the time dedupe keys are kept)`, { hint: 'Genesys retries a webhook for about a minute; 1h (the default) leaves room for clock skew.' });
  }
  return ms;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

function stringMap(value: unknown, setting: string): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(setting, 'must be an object of strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new ConfigError(`${setting}.${k}`, 'must be a string');
    out[k] = v;
  }
  return out;
}

/** A base URL of an API or of the relay: http(s), no trailing slash (paths are appended to it). */
function baseUrl(setting: string, value: string): string {
  return checkUrl(value, { setting, hint: 'Write a full URL such as https://api.line.me.' });
}
