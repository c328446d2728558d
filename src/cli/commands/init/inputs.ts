/**
 * What `init` needs, from flags, then the environment (and .env), then the existing config file,
 * then a person at the terminal. With no one to ask, everything still missing is listed in one
 * UsageError (exit 2) naming the flags to give.
 */
import { channelEnvNames, type ConfigFile, type Env } from '../../../config.js';
import { UsageError } from '../../../errors.js';
import type { Asker } from '../../prompts.js';
import { missingFlags } from '../../prompts.js';
import { fileChannel } from './config-file.js';
import {
  checkChannelId,
  checkPublicUrl,
  checkRegion,
  ensure,
  normalisePublicUrl,
  parseAssignments,
  parseChannelSpec,
  REGION_HINT,
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
  publicUrl: string;
  prefix: string;
  /** Environment variable names of the Genesys client credentials. */
  env: { clientId: string; clientSecret: string };
}

type Missing = { flag: string; env?: string; what: string };

const MARKET = /^[A-Za-z0-9_-]{1,16}$/;
const checkMarket = (v: string): true | string => (MARKET.test(v) ? true : 'a market code such as TH (letters, digits, _ or -)');
const nonEmpty = (v: string): true | string => (v.trim() ? true : 'required');

export async function gatherInputs(o: InitOptions, env: Env, existing: ConfigFile | undefined, asker: Asker): Promise<InitInputs> {
  const missing: Missing[] = [];
  /** The value, else an answer, else a note of what is missing. */
  const need = async (value: string | undefined, m: Missing, ask: () => Promise<string>): Promise<string> => {
    if (value !== undefined && value !== '') return value;
    if (asker.interactive) return (await ask()).trim();
    missing.push(m);
    return '';
  };
  const g = existing?.genesys ?? {};
  const idEnv = g.clientIdEnv ?? 'GENESYS_CLIENT_ID';
  const secretEnv = g.clientSecretEnv ?? 'GENESYS_CLIENT_SECRET';

  const regionGiven = o.region ?? env.GENESYS_REGION ?? g.region;
  const region = await need(regionGiven && ensure('--region', regionGiven, checkRegion, REGION_HINT), { flag: '--region <region>', env: 'GENESYS_REGION', what: 'Genesys Cloud region, e.g. mypurecloud.jp' }, () =>
    asker.input({ message: 'Genesys Cloud region (e.g. mypurecloud.jp or ap-northeast-1)', validate: checkRegion }),
  );
  const clientId = await need(o.clientId ?? env[idEnv], { flag: '--client-id <id>', env: idEnv, what: 'OAuth client id (Client Credentials grant)' }, () =>
    asker.input({ message: 'Genesys OAuth client id', validate: nonEmpty }),
  );
  const clientSecret = await need(o.clientSecret ?? env[secretEnv], { flag: '--client-secret <secret>', env: secretEnv, what: 'OAuth client secret' }, () =>
    asker.password({ message: 'Genesys OAuth client secret', validate: nonEmpty }),
  );

  const specs = await channelSpecs(o, env, existing, asker, missing);
  const ids = specs.map((s) => s.id);
  const secrets = parseAssignments('--line-secret', o.lineSecret, ids);
  const tokens = parseAssignments('--line-token', o.lineToken, ids);
  const channels: ChannelInput[] = [];
  for (const s of specs) {
    const fc = fileChannel(existing, s.id);
    const n = channelEnvNames(s.id);
    const names = { channelSecret: fc?.channelSecretEnv ?? n.channelSecret, accessToken: fc?.accessTokenEnv ?? n.accessToken, outboundSecret: fc?.outboundSecretEnv ?? n.outboundSecret };
    const channelSecret = await need(secrets[s.id] ?? env[names.channelSecret], { flag: `--line-secret ${s.id}=<secret>`, env: names.channelSecret, what: `channel secret of LINE channel "${s.id}"` }, () =>
      asker.password({ message: `LINE channel "${s.id}": channel secret (Basic settings)`, validate: nonEmpty }),
    );
    const accessToken = await need(tokens[s.id] ?? env[names.accessToken], { flag: `--line-token ${s.id}=<token>`, env: names.accessToken, what: `channel access token of LINE channel "${s.id}"` }, () =>
      asker.password({ message: `LINE channel "${s.id}": long-lived channel access token (Messaging API tab)`, validate: nonEmpty }),
    );
    channels.push({ ...s, channelSecret, accessToken, env: names });
  }

  const urlGiven = o.publicUrl ?? env.LINE_GENESYS_PUBLIC_URL ?? existing?.relay?.publicUrl;
  const publicUrl = await need(urlGiven && ensure('--public-url', urlGiven, checkPublicUrl), { flag: '--public-url <url>', env: 'LINE_GENESYS_PUBLIC_URL', what: 'public https URL of the relay (for the webhooks)' }, () =>
    asker.input({ message: 'Public https URL of the relay (where LINE and Genesys will call it)', validate: checkPublicUrl }),
  );

  if (missing.length) throw missingFlags('init', missing);
  return { region, clientId, clientSecret, channels, publicUrl: normalisePublicUrl(publicUrl), prefix: (o.integrationPrefix ?? 'LINE').trim() || 'LINE', env: { clientId: idEnv, clientSecret: secretEnv } };
}

/** Channels from --channel, else the config file, else LINE_GENESYS_CHANNELS, else asked. */
async function channelSpecs(o: InitOptions, env: Env, existing: ConfigFile | undefined, asker: Asker, missing: Missing[]): Promise<ChannelSpec[]> {
  let specs: ChannelSpec[];
  if (o.channel?.length) specs = o.channel.map(parseChannelSpec);
  else if (existing?.channels?.length) specs = existing.channels.map((c) => ({ id: String(c.id), market: String(c.market ?? ''), brand: String(c.brand ?? '') }));
  else {
    const ids = (env.LINE_GENESYS_CHANNELS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    specs = ids.map((id) => {
      const n = channelEnvNames(id);
      return { id, market: env[n.market] ?? '', brand: env[n.brand] ?? '' };
    });
  }
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
