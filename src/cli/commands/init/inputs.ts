/**
 * What `init` needs: the settings as config.ts reads them (flags, environment, .env, the existing
 * config file), then a person at the terminal. With no one to ask, everything still missing is
 * listed in one UsageError (exit 2) naming the flags to give.
 */
import { secretEnvNames, type Config, type ConfigFile, type Env } from '../../../config.js';
import { UsageError } from '../../../errors.js';
import type { Asker } from '../../prompts.js';
import { missingFlags } from '../../prompts.js';
import { checkPublicUrl, publicUrlFlag } from '../../shared/public-url.js';
import {
  checkChannelId,
  checkRegion,
  ensure,
  parseAssignments,
  parseChannelSpec,
  REGION_HINT,
  regionChoices,
  type ChannelSpec,
  type InitOptions,
} from './options.js';

export interface ChannelInput extends ChannelSpec {
  channelSecret: string;
  accessToken: string;
  /** Environment variable names of this channel's secrets (the config may rename them). */
  env: { channelSecret: string; accessToken: string; outboundSecret: string };
}

export interface InitInputs {
  region: string;
  clientId: string;
  clientSecret: string;
  channels: ChannelInput[];
  /** undefined: none yet, `dev` will open a tunnel and point the webhooks at it. */
  publicUrl: string | undefined;
  /** Where the public URL came from: a flag, the environment or an answer; NGROK_DOMAIN; or nowhere yet. */
  publicUrlFrom: 'given' | 'ngrok-domain' | 'none';
  prefix: string;
  /** Environment variable names of the Genesys client credentials. */
  env: { clientId: string; clientSecret: string };
}

type Missing = { flag: string; env?: string; what: string };

/**
 * Credentials checked as they are entered, so a wrong answer is asked again at once rather than
 * after every other question. Each resolves with true, or the reason the platform refused.
 */
export interface InputChecks {
  genesys(region: string, clientId: string, clientSecret: string): Promise<true | string>;
  line(channelId: string, accessToken: string): Promise<true | string>;
  /** Shows a refusal before the question is asked again. */
  refused(reason: string): void;
}

const MARKET = /^[A-Za-z0-9_-]{1,16}$/;
const checkMarket = (v: string): true | string => (MARKET.test(v) ? true : 'a market code such as TH (letters, digits, _ or -)');
const nonEmpty = (v: string): true | string => (v.trim() ? true : 'required');

/**
 * init's flags as config settings, for loadConfig: checked first, so a bad flag is bad usage (exit 2).
 * Channels declared with --channel are not settings: gatherInputs takes them as they are.
 */
export function settingFlags(o: InitOptions): Record<string, string | undefined> {
  if (o.region !== undefined) ensure('--region', o.region, checkRegion, REGION_HINT);
  return {
    'genesys.region': o.region,
    'genesys.clientId': o.clientId,
    'genesys.clientSecret': o.clientSecret,
    'relay.publicUrl': o.publicUrl === undefined ? undefined : publicUrlFlag(o.publicUrl),
  };
}

/**
 * `known`: the settings loaded with settingFlags(o); `env`: the environment as config.ts reads it,
 * for the secrets of channels named only by a flag or an answer.
 */
export async function gatherInputs(o: InitOptions, known: Config, env: Env, existing: ConfigFile | undefined, asker: Asker, checks?: InputChecks): Promise<InitInputs> {
  const missing: Missing[] = [];
  /** The value, else an answer, else a note of what is missing. */
  const need = async (value: string | undefined, m: Missing, ask: () => Promise<string>): Promise<string> => {
    if (value !== undefined && value !== '') return value;
    if (asker.interactive) return (await ask()).trim();
    missing.push(m);
    return '';
  };
  const secretNames = secretEnvNames(existing);
  const { clientId: idEnv, clientSecret: secretEnv } = secretNames;

  // Asked again (given values forgotten) for as long as Genesys refuses them, when someone can answer.
  let given: { region?: string; clientId?: string; clientSecret?: string } = { region: known.sources['genesys.region'] === 'default' ? undefined : known.genesys.region, clientId: known.genesys.clientId, clientSecret: known.genesys.clientSecret };
  let region = '', clientId = '', clientSecret = '';
  for (;;) {
    region = await need(given.region && ensure('--region', given.region, checkRegion, REGION_HINT), { flag: '--region <region>', env: 'GENESYS_REGION', what: 'Genesys Cloud region, e.g. mypurecloud.jp' }, () =>
      asker.select({ message: 'Genesys Cloud region (type its start to jump to it)', choices: regionChoices(), ...(region ? { default: region } : {}) }),
    );
    clientId = await need(given.clientId, { flag: '--client-id <id>', env: idEnv, what: 'OAuth client id (Client Credentials grant)' }, () =>
      asker.input({ message: 'Genesys OAuth client id', validate: nonEmpty, ...(clientId ? { default: clientId } : {}) }),
    );
    clientSecret = await need(given.clientSecret, { flag: '--client-secret <secret>', env: secretEnv, what: 'OAuth client secret' }, () =>
      asker.password({ message: 'Genesys OAuth client secret', validate: nonEmpty }),
    );
    const verdict = asker.interactive && checks ? await checks.genesys(region, clientId, clientSecret) : true;
    if (verdict === true) break;
    checks!.refused(`${verdict} — enter the region, client id and secret again`);
    given = {};
  }

  const specs = await channelSpecs(o, known, asker, missing);
  const ids = specs.map((s) => s.id);
  const secrets = parseAssignments('--line-secret', o.lineSecret, ids);
  const tokens = parseAssignments('--line-token', o.lineToken, ids);
  const channels: ChannelInput[] = [];
  for (const s of specs) {
    const names = secretNames.channel(s.id);
    const channelSecret = await need(secrets[s.id] ?? env[names.channelSecret], { flag: `--line-secret ${s.id}=<secret>`, env: names.channelSecret, what: `channel secret of LINE channel "${s.id}"` }, () =>
      asker.password({ message: `LINE channel "${s.id}": channel secret (Basic settings)`, validate: nonEmpty }),
    );
    let tokenGiven = tokens[s.id] ?? env[names.accessToken];
    let accessToken: string;
    for (;;) {
      accessToken = await need(tokenGiven, { flag: `--line-token ${s.id}=<token>`, env: names.accessToken, what: `channel access token of LINE channel "${s.id}"` }, () =>
        asker.password({ message: `LINE channel "${s.id}": long-lived channel access token (Messaging API tab)`, validate: nonEmpty }),
      );
      const verdict = asker.interactive && checks ? await checks.line(s.id, accessToken) : true;
      if (verdict === true) break;
      checks!.refused(`${verdict} — enter the access token of LINE channel "${s.id}" again`);
      tokenGiven = undefined;
    }
    channels.push({ ...s, channelSecret, accessToken, env: names });
  }

  const urlGiven = known.relay.publicUrl;
  const ngrokDomain = env['NGROK_DOMAIN']?.trim();
  let publicUrl: string | undefined;
  let publicUrlFrom: InitInputs['publicUrlFrom'] = 'given';
  if (urlGiven) publicUrl = publicUrlFlag(urlGiven);
  else if (ngrokDomain) {
    // `dev` opens its tunnel on this domain: the webhooks can point there now and stay so.
    publicUrl = publicUrlFlag(`https://${ngrokDomain}`);
    publicUrlFrom = 'ngrok-domain';
  } else if (asker.interactive) {
    const answer = (await asker.input({ message: 'Public https URL of the relay (leave empty if `line-genesys dev` will open a tunnel)', validate: (v) => (v.trim() ? checkPublicUrl(v.trim()) : true) })).trim();
    publicUrl = answer ? publicUrlFlag(answer) : undefined;
  }
  if (!publicUrl) publicUrlFrom = 'none';

  if (missing.length) throw missingFlags('init', missing);
  return { region, clientId, clientSecret, channels, publicUrl, publicUrlFrom, prefix: (o.integrationPrefix ?? 'LINE').trim() || 'LINE', env: { clientId: idEnv, clientSecret: secretEnv } };
}

/** Channels from --channel, else configured (the config file, or LINE_GENESYS_CHANNELS), else asked. */
async function channelSpecs(o: InitOptions, known: Config, asker: Asker, missing: Missing[]): Promise<ChannelSpec[]> {
  let specs: ChannelSpec[];
  if (o.channel?.length) specs = o.channel.map(parseChannelSpec);
  else specs = known.channels.map((c) => ({ id: c.id, market: c.market, brand: c.brand }));
  if (!specs.length) {
    if (!asker.interactive) {
      missing.push({ flag: '--channel <id:market:brand>', what: 'a LINE channel, e.g. th:TH:acme (repeat for several)' });
      return [];
    }
    specs = await askChannels(asker);
  }
  for (const s of specs) {
    ensure('channel id', s.id, checkChannelId);
    if (!s.market || !s.brand) {
      throw new UsageError(`channel "${s.id}" has no ${s.market ? 'brand' : 'market'}`, { hint: `Give it with --channel ${s.id}:<market>:<brand>.` });
    }
    ensure(`market of channel "${s.id}"`, s.market, checkMarket);
  }
  const dup = specs.find((s, i) => specs.findIndex((t) => t.id === s.id) !== i);
  if (dup) throw new UsageError(`channel "${dup.id}" is given twice`);
  return specs;
}

async function askChannels(asker: Asker): Promise<ChannelSpec[]> {
  const specs: ChannelSpec[] = [];
  do {
    const id = await asker.input({ message: 'LINE channel id (short, e.g. th)', validate: (v) => (specs.some((s) => s.id === v.trim()) ? 'already added' : checkChannelId(v.trim())) });
    const market = await asker.input({ message: `Market of "${id.trim()}" (e.g. TH)`, validate: (v) => checkMarket(v.trim()) });
    const brand = await asker.input({ message: `Brand of "${id.trim()}"`, validate: nonEmpty });
    specs.push({ id: id.trim(), market: market.trim(), brand: brand.trim() });
  } while (await asker.confirm({ message: 'Add another LINE channel?', default: false }));
  return specs;
}
