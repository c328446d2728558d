import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseDotenv, parseDuration, readConfigFile, readEnvironment } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const BOT = 'U0f3c9a1b2c3d4e5f60718293a4b5c6d7';
const base = {
  GENESYS_REGION: 'mypurecloud.jp',
  GENESYS_CLIENT_ID: 'cid',
  GENESYS_CLIENT_SECRET: 'csecret',
  GENESYS_INTEGRATION_ID: 'int-1',
  LINE_GENESYS_CHANNELS: 'th',
  LINE_TH_MARKET: 'TH',
  LINE_TH_BRAND: 'acme',
  LINE_TH_CHANNEL_SECRET: 'sec',
  LINE_TH_ACCESS_TOKEN: 'tok',
};
const dir = () => mkdtempSync(join(tmpdir(), 'lg-config-'));
const load = (env: Record<string, string | undefined>, cwd = dir(), extra = {}) => loadConfig({ cwd, env, dotenv: true, ...extra });

function error(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('no ConfigError');
}

describe('loadConfig', () => {
  it('runs from the environment alone (a container with no file), with defaults and sources', () => {
    const c = load(base);
    expect(c.genesys.apiBaseUrl).toBe('https://api.mypurecloud.jp');
    expect(c.genesys.loginBaseUrl).toBe('https://login.mypurecloud.jp');
    expect(c.line.apiBaseUrl).toBe('https://api.line.me');
    expect(c.channels).toEqual([{ id: 'th', market: 'TH', brand: 'acme', channelSecret: 'sec', accessToken: 'tok', integrationId: 'int-1' }]);
    expect(c.relay).toMatchObject({ port: 3000, store: 'sqlite', deadLetterAfterMs: 86_400_000, maxBodyBytes: 1_048_576 });
    expect(c.sources).toMatchObject({ 'genesys.region': 'env', 'relay.port': 'default', 'genesys.apiBaseUrl': 'default' });
  });

  it('reads the file for structure and the environment (and .env) for secrets; flags win', () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'line-genesys.config.json'),
      JSON.stringify({ genesys: { region: 'ap-northeast-1', integrationId: 'int-f' }, channels: [{ id: 'th', market: 'TH', brand: 'acme', botUserId: BOT, customAttributes: { tier: 'gold' } }], relay: { port: 4000 } }),
    );
    writeFileSync(join(cwd, '.env'), 'GENESYS_CLIENT_ID=cid\nGENESYS_CLIENT_SECRET="from dotenv"\nLINE_TH_CHANNEL_SECRET=sec # comment\nexport LINE_TH_ACCESS_TOKEN=tok\n');
    const c = loadConfig({ cwd, env: { PORT: '5000' }, flags: { 'relay.port': 6000 } });
    expect(c.genesys.clientSecret).toBe('from dotenv');
    expect(c.channels[0]).toMatchObject({ botUserId: BOT, integrationId: 'int-f', channelSecret: 'sec', customAttributes: { tier: 'gold' } });
    expect(c.relay.port).toBe(6000);
    expect(c.sources['relay.port']).toBe('flag');
    expect(c.sources['channels.th.market']).toBe('file');
  });

  it('delivery concurrency: starts at relay.concurrency, capped by relay.maxConcurrency (128 by default), never a cap below the start', () => {
    expect(load(base).relay).toMatchObject({ concurrency: 16, maxConcurrency: 128 });
    expect(load(base).sources['relay.maxConcurrency']).toBe('default');
    const cwd = dir();
    writeFileSync(join(cwd, 'line-genesys.config.json'), JSON.stringify({ relay: { maxConcurrency: 300 } }));
    expect(load(base, cwd).relay.maxConcurrency).toBe(300);
    expect(load({ ...base, LINE_GENESYS_MAX_CONCURRENCY: '64' }, cwd).relay.maxConcurrency).toBe(64);
    expect(load({ ...base, LINE_GENESYS_CONCURRENCY: '200' }).relay.maxConcurrency).toBe(200);
    const e = error(() => load({ ...base, LINE_GENESYS_CONCURRENCY: '32', LINE_GENESYS_MAX_CONCURRENCY: '8' }));
    expect(e.message).toMatch(/relay\.maxConcurrency.*8 is below relay\.concurrency \(32\)/);
    expect(e.hint).toMatch(/Raise the cap or lower the start/);
  });

  it('names the missing setting and how to fix it', () => {
    const e = error(() => load({ ...base, LINE_TH_ACCESS_TOKEN: undefined }));
    expect(e.message).toBe('channels.th.accessToken: is not set');
    expect(e.hint).toMatch(/LINE_TH_ACCESS_TOKEN/);
    expect(error(() => load({ ...base, LINE_GENESYS_CHANNELS: undefined })).message).toMatch(/^channels: no LINE channel/);
    expect(error(() => load({ ...base, GENESYS_CLIENT_SECRET: '' })).hint).toMatch(/GENESYS_CLIENT_SECRET/);
  });

  it('names every missing setting at once, each with its fix, and points to init and the sandbox', () => {
    const e = error(() => load({}));
    expect(e.message).toBe('configuration: 3 settings are not set: genesys.clientId, genesys.clientSecret, channels');
    const lines = e.hint!.split('\n').map((l) => l.trim());
    expect(lines[0]).toMatch(/^genesys\.clientId: Set GENESYS_CLIENT_ID /);
    expect(lines[1]).toMatch(/^genesys\.clientSecret: Set GENESYS_CLIENT_SECRET /);
    expect(lines[2]).toMatch(/^channels: Run `line-genesys init`/);
    expect(lines.at(-1)).toBe('Run `line-genesys init` to set them up, or `line-genesys dev --sandbox` to try it with emulated accounts.');
    const two = error(() => load({ ...base, LINE_TH_ACCESS_TOKEN: undefined, LINE_TH_CHANNEL_SECRET: undefined }));
    expect(two.message).toBe('configuration: 2 settings are not set: channels.th.channelSecret, channels.th.accessToken');
  });

  it('refuses malformed values with one clear line', () => {
    expect(error(() => load({ ...base, GENESYS_REGION: 'mars' })).message).toMatch(/genesys.region: "mars" is not a Genesys Cloud region/);
    expect(error(() => load({ ...base, LINE_TH_BOT_USER_ID: 'bot' })).message).toMatch(/botUserId/);
    expect(error(() => load({ ...base, PORT: 'eighty' })).message).toMatch(/relay.port/);
    expect(error(() => load({ ...base, LINE_GENESYS_DEAD_LETTER_AFTER: 'soon' })).message).toMatch(/not a duration/);
    expect(error(() => load({ ...base, LINE_API_BASE_URL: 'api.line.me' })).message).toMatch(/line.apiBaseUrl: "api.line.me" is not a URL/);
    expect(error(() => load({ ...base, LINE_GENESYS_CHANNELS: 'TH!' })).message).toMatch(/not a channel id/);
  });

  it('refuses a secret written in the config file, without echoing it', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'line-genesys.config.json'), JSON.stringify({ channels: [{ id: 'th', market: 'TH', brand: 'a', channelSecret: 'hunter2' }] }));
    const e = error(() => load(base, cwd));
    expect(e.message).toMatch(/channels.0.channelSecret: a secret is written in/);
    expect(e.message + e.hint).not.toMatch(/hunter2/);
  });

  it('reports invalid JSON in the file as a config error', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'line-genesys.config.json'), '{ nope');
    expect(error(() => load(base, cwd)).message).toMatch(/is not valid JSON/);
  });

  it("'partial' loads what is there without requiring the rest", () => {
    const c = load({ GENESYS_REGION: 'mypurecloud.de' }, dir(), { require: 'partial' });
    expect(c.channels).toEqual([]);
    expect(c.genesys.apiBaseUrl).toBe('https://api.mypurecloud.de');
  });
});

describe('precedence: flags > environment > .env > file > defaults; an empty value is not set', () => {
  /** One setting (relay.publicUrl) given at each level: flag, shell, .env, file; undefined = not given. */
  function publicUrl(levels: { flag?: string; shell?: string; dotenv?: string; file?: string }) {
    const cwd = dir();
    if (levels.dotenv !== undefined) writeFileSync(join(cwd, '.env'), `LINE_GENESYS_PUBLIC_URL=${levels.dotenv}\n`);
    if (levels.file !== undefined) writeFileSync(join(cwd, 'line-genesys.config.json'), JSON.stringify({ relay: { publicUrl: levels.file } }));
    const env = levels.shell === undefined ? {} : { LINE_GENESYS_PUBLIC_URL: levels.shell };
    const c = loadConfig({ cwd, env, require: 'partial', flags: { 'relay.publicUrl': levels.flag } });
    return [c.relay.publicUrl, c.sources['relay.publicUrl']];
  }
  const F = 'https://flag.example', S = 'https://shell.example', D = 'https://dotenv.example', P = 'https://file.example';

  it.each([
    [{ flag: F, shell: S, dotenv: D, file: P }, [F, 'flag']],
    [{ shell: S, dotenv: D, file: P }, [S, 'env']],
    [{ dotenv: D, file: P }, [D, 'dotenv']],
    [{ file: P }, [P, 'file']],
    [{}, [undefined, undefined]],
    [{ flag: '', shell: S }, [S, 'env']],
    [{ shell: '', dotenv: D, file: P }, [D, 'dotenv']],
    [{ shell: '', file: P }, [P, 'file']],
    [{ shell: '', dotenv: '', file: P }, [P, 'file']],
    [{ file: '' }, [undefined, undefined]],
  ])('%j reads %j', (levels, expected) => {
    expect(publicUrl(levels)).toEqual(expected);
  });

  it('readEnvironment: the process over .env, empty values left out, each with where it came from', () => {
    const cwd = dir();
    writeFileSync(join(cwd, '.env'), 'A=from-dotenv\nB=from-dotenv\nC=\nD=from-dotenv\n');
    const e = readEnvironment({ cwd, env: { A: 'from-shell', B: '', C: '', E: undefined } });
    expect(e.values).toEqual({ A: 'from-shell', B: 'from-dotenv', D: 'from-dotenv' });
    expect(['A', 'B', 'C', 'D', 'E'].map((n) => e.from(n))).toEqual(['env', 'dotenv', undefined, 'dotenv', undefined]);
    expect(readEnvironment({ cwd, env: {}, dotenv: false }).values).toEqual({});
  });
});

describe('readConfigFile', () => {
  it('undefined when an optional file is missing; a ConfigError when a required one is, or when it is not a JSON object', () => {
    const cwd = dir();
    expect(readConfigFile(join(cwd, 'none.json'), { optional: true })).toBeUndefined();
    expect(error(() => readConfigFile(join(cwd, 'none.json'))).message).toMatch(/cannot read .*none\.json: ENOENT/);
    writeFileSync(join(cwd, 'bad.json'), '{ nope');
    expect(error(() => readConfigFile(join(cwd, 'bad.json'), { optional: true })).message).toMatch(/is not valid JSON/);
    writeFileSync(join(cwd, 'list.json'), '[]');
    expect(error(() => readConfigFile(join(cwd, 'list.json'))).message).toMatch(/must hold a JSON object/);
  });

  it.each(['clientSecret', 'clientId', 'channelSecret', 'accessToken', 'outboundSecret'])('refuses a %s written anywhere in it, without echoing it', (key) => {
    const cwd = dir();
    writeFileSync(join(cwd, 'c.json'), JSON.stringify({ genesys: { region: 'mypurecloud.jp' }, channels: [{ id: 'th', nested: { [key]: 'hunter2' } }] }));
    const e = error(() => readConfigFile(join(cwd, 'c.json'), { optional: true }));
    expect(e.message).toMatch(new RegExp(`^channels\\.0\\.nested\\.${key}: a secret is written in .*c\\.json$`));
    expect(e.hint).toBe(`Move it to the environment or .env and name the variable with "${key}Env" instead.`);
    expect(e.message + e.hint).not.toMatch(/hunter2/);
  });
});

describe('readConfigFile checks every key and type', () => {
  const write = (content: unknown) => {
    const path = join(dir(), 'c.json');
    writeFileSync(path, JSON.stringify(content));
    return path;
  };
  const PASTED = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';

  it.each([
    ['genesys.clientSecretEnv', { genesys: { clientSecretEnv: PASTED + '-x' } }],
    ['genesys.clientIdEnv', { genesys: { clientIdEnv: `${PASTED} ` } }],
    ['channels.0.channelSecretEnv', { channels: [{ id: 'th', market: 'TH', brand: 'a', channelSecretEnv: `1${PASTED}` }] }],
    ['channels.0.accessTokenEnv', { channels: [{ id: 'th', market: 'TH', brand: 'a', accessTokenEnv: `tok/${PASTED}=` }] }],
  ])('refuses a %s that is not a variable name, without echoing the value', (path, content) => {
    const e = error(() => readConfigFile(write(content)));
    expect(e.setting).toBe(path);
    expect(e.message).toBe(`${path}: must name an environment variable (letters, digits and _, not starting with a digit)`);
    expect(e.message + e.hint).not.toContain(PASTED);
  });

  it('refuses an unknown key, listing the known ones', () => {
    const top = error(() => readConfigFile(write({ secret: 'x' })));
    expect(top.message).toBe('secret: is not a setting of the config file');
    expect(top.hint).toBe('Known here: genesys, line, channels, relay.');
    const channel = error(() => readConfigFile(write({ channels: [{ id: 'th', market: 'TH', brand: 'a', channel_secret: 'x' }] })));
    expect(channel.message).toBe('channels.0.channel_secret: is not a setting of the config file');
    expect(channel.hint).toBe('Known here: id, market, brand, botUserId, integrationId, channelSecretEnv, accessTokenEnv, outboundSecretEnv, customAttributes.');
    expect(error(() => readConfigFile(write({ relay: { prot: 3000 } }))).message).toBe('relay.prot: is not a setting of the config file');
  });

  it.each([
    ['accessToken', { accessToken: 12345 }, 'accessToken: a secret is written in'],
    ['relay.port', { relay: { port: '3000' } }, 'relay.port: must be a number, not a string'],
    ['genesys.region', { genesys: { region: 7 } }, 'genesys.region: must be a string, not a number'],
    ['genesys', { genesys: 'mypurecloud.jp' }, 'genesys: must be an object, not a string'],
    ['channels', { channels: { id: 'th' } }, 'channels: must be a list, not an object'],
    ['channels.1', { channels: [{ id: 'th', market: 'TH', brand: 'a' }, 'tw'] }, 'channels.1: must be an object, not a string'],
    ['channels.0.customAttributes.tier', { channels: [{ id: 'th', market: 'TH', brand: 'a', customAttributes: { tier: 1 } }] }, 'channels.0.customAttributes.tier: must be a string, not a number'],
  ])('refuses a value of the wrong type at %s', (_path, content, message) => {
    expect(error(() => readConfigFile(write(content))).message).toMatch(new RegExp(`^${message.replace(/[.[\]]/g, '\\$&')}`));
  });

  it('accepts the starter config as it is', () => {
    const starter = new URL('../../templates/config/line-genesys.config.json', import.meta.url);
    expect(readConfigFile(starter.pathname).channels).toHaveLength(2);
  });
});

describe('parsers', () => {
  it('parses durations', () => {
    expect(parseDuration('24h', 'x')).toBe(86_400_000);
    expect(parseDuration('500ms', 'x')).toBe(500);
    expect(parseDuration('1.5s', 'x')).toBe(1500);
    expect(() => parseDuration('-1h', 'x')).toThrow(ConfigError);
  });
  it('parses .env files', () => {
    expect(parseDotenv('A=1\n# c\nB="x y"\nC=\'z\'\nexport D=4\nbad line\n')).toEqual({ A: '1', B: 'x y', C: 'z', D: '4' });
    expect(parseDotenv('K="x # y" # note\nL=\'a b\'   \nM=v # c\n')).toEqual({ K: 'x # y', L: 'a b', M: 'v' });
  });
});

describe("the relay door's limits", () => {
  it('default to 10 s for headers, 30 s for a request, 5 s of body silence, 1,000 connections, a summary every 10 s', () => {
    expect(load(base).relay.limits).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, bodyIdleTimeoutMs: 5_000, maxConnections: 1000, refusalLogIntervalMs: 10_000 });
  });

  it('come from the environment as durations, 0 logging every refusal', () => {
    const c = load({ ...base, LINE_GENESYS_HEADERS_TIMEOUT: '2s', LINE_GENESYS_REQUEST_TIMEOUT: '1m', LINE_GENESYS_BODY_IDLE_TIMEOUT: '1500ms', LINE_GENESYS_MAX_CONNECTIONS: '50', LINE_GENESYS_REFUSAL_LOG_INTERVAL: '0' });
    expect(c.relay.limits).toEqual({ headersTimeoutMs: 2000, requestTimeoutMs: 60_000, bodyIdleTimeoutMs: 1500, maxConnections: 50, refusalLogIntervalMs: 0 });
  });

  it('refuse what is not a duration, naming the setting', () => {
    expect(error(() => load({ ...base, LINE_GENESYS_BODY_IDLE_TIMEOUT: 'soon' })).message).toContain('relay.bodyIdleTimeout');
  });
});

describe('the postgres store settings', () => {
  it('DATABASE_URL with LINE_GENESYS_STORE=postgres, a pool of 4 and a 30 s lease by default', () => {
    const c = load({ ...base, LINE_GENESYS_STORE: 'postgres', DATABASE_URL: 'postgres://relay:pw@db.internal:5432/relay?sslmode=require' });
    expect(c.relay).toMatchObject({ store: 'postgres', databaseUrl: 'postgres://relay:pw@db.internal:5432/relay?sslmode=require', databasePoolSize: 4, leaseMs: 30_000 });
  });

  it('takes the pool size and lease from the environment', () => {
    const c = load({ ...base, LINE_GENESYS_STORE: 'postgres', DATABASE_URL: 'postgres://db/relay', LINE_GENESYS_DATABASE_POOL_SIZE: '12', LINE_GENESYS_LEASE: '45s' });
    expect(c.relay).toMatchObject({ databasePoolSize: 12, leaseMs: 45_000 });
  });

  it('refuses postgres without DATABASE_URL, naming the setting', () => {
    expect(error(() => load({ ...base, LINE_GENESYS_STORE: 'postgres' })).message).toContain('relay.databaseUrl');
  });

  it('refuses a database URL written in the config file: it may hold a password', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'line-genesys.config.json'), JSON.stringify({ relay: { store: 'postgres', databaseUrl: 'postgres://relay:pw@db/relay' } }));
    const e = error(() => load(base, cwd));
    expect(e.message).not.toContain('pw@');
    expect(e.message).toContain('databaseUrl');
  });

  it('has no postgres fields for sqlite', () => {
    expect(load({ ...base, DATABASE_URL: 'postgres://db/relay' }).relay).not.toHaveProperty('databaseUrl');
  });
});

describe('relay.authRetryWindow', () => {
  it('is 10 minutes by default, LINE_GENESYS_AUTH_RETRY_WINDOW or the config file otherwise', () => {
    expect(load(base).relay.authRetryWindowMs).toBe(600_000);
    expect(load({ ...base, LINE_GENESYS_AUTH_RETRY_WINDOW: '30m' }).relay.authRetryWindowMs).toBe(1_800_000);
    const cwd = dir();
    writeFileSync(join(cwd, 'line-genesys.config.json'), JSON.stringify({ relay: { authRetryWindow: '2m' } }));
    expect(load(base, cwd).relay.authRetryWindowMs).toBe(120_000);
  });

  it('refuses what is not a duration, naming the setting', () => {
    expect(error(() => load({ ...base, LINE_GENESYS_AUTH_RETRY_WINDOW: 'a while' })).message).toContain('relay.authRetryWindow');
  });
});

describe('relay.mediaMaxSize', () => {
  const MB = 1_048_576;
  it("defaults to LINE's maxima per kind: image 10 MB, video and audio 200 MB, file 1 GB", () => {
    const c = load(base);
    expect(c.relay.mediaMaxBytes).toEqual({ image: 10 * MB, video: 200 * MB, audio: 200 * MB, file: 1024 * MB });
    expect(c.relay.mediaMaxSize).toBe('image=10MB video=200MB audio=200MB file=1GB');
    expect(c.sources['relay.mediaMaxSize']).toBe('default');
  });

  it('one size caps every kind; named kinds change only those, from the environment or the file', () => {
    expect(load({ ...base, LINE_GENESYS_MEDIA_MAX_SIZE: '50MB' }).relay.mediaMaxBytes).toEqual({ image: 50 * MB, video: 50 * MB, audio: 50 * MB, file: 50 * MB });
    const named = load({ ...base, LINE_GENESYS_MEDIA_MAX_SIZE: 'video=100MB, file=512KB' });
    expect(named.relay.mediaMaxBytes).toEqual({ image: 10 * MB, video: 100 * MB, audio: 200 * MB, file: 512 * 1024 });
    expect(named.relay.mediaMaxSize).toBe('image=10MB video=100MB audio=200MB file=512KB');
    const cwd = dir();
    writeFileSync(join(cwd, 'line-genesys.config.json'), JSON.stringify({ relay: { mediaMaxSize: 'audio=1.5MB' } }));
    const fromFile = load(base, cwd);
    expect(fromFile.relay.mediaMaxBytes.audio).toBe(1_572_864);
    expect(fromFile.sources['relay.mediaMaxSize']).toBe('file');
  });

  it.each([
    ['movie=10MB', /"movie" is not a kind of media/],
    ['video=lots', /"lots" is not a size/],
    ['video=0', /must be at least 1 byte/],
  ])('refuses %s, naming the setting', (value, message) => {
    const e = error(() => load({ ...base, LINE_GENESYS_MEDIA_MAX_SIZE: value }));
    expect(e.message).toMatch(message);
    expect(e.setting).toBe('relay.mediaMaxSize');
  });
});
