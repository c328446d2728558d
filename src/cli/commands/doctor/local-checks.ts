/**
 * The checks `doctor` makes without the network: the config loads, the relay has a public URL,
 * every secret is set (shown masked, with where it came from), every channel is complete.
 */
import { secretEnvNames, type Config, type ConfigFile, type Environment } from '../../../config.js';
import { maskSecret } from '../../../log.js';
import { checkPublicUrl } from '../../shared/public-url.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export const RUN_INIT = 'run `line-genesys init`';

/** The environment variable holding each secret, as the config file names them. */
export interface SecretVar {
  /** Dotted config path, e.g. channels.th.accessToken. */
  setting: string;
  names: string[];
  value: string | undefined;
  fix: string;
}

export function secretVars(config: Config, file: ConfigFile | undefined): SecretVar[] {
  const names = secretEnvNames(file);
  const vars: SecretVar[] = [
    { setting: 'genesys.clientId', names: [names.clientId], value: config.genesys.clientId, fix: 'the OAuth client id of a Client Credentials grant (Admin > Integrations > OAuth)' },
    { setting: 'genesys.clientSecret', names: [names.clientSecret], value: config.genesys.clientSecret, fix: "that OAuth client's secret" },
  ];
  for (const c of config.channels) {
    const n = names.channel(c.id);
    vars.push(
      { setting: `channels.${c.id}.channelSecret`, names: [n.channelSecret], value: c.channelSecret, fix: 'the channel secret (LINE Developers console > Basic settings)' },
      { setting: `channels.${c.id}.accessToken`, names: [n.accessToken], value: c.accessToken, fix: 'a long-lived channel access token (LINE Developers console > Messaging API)' },
      { setting: `channels.${c.id}.outboundSecret`, names: [n.outboundSecret, names.outboundSecret], value: c.outboundSecret, fix: `the outbound secret of the Genesys integration (${RUN_INIT} to set a new one)` },
    );
  }
  return vars;
}

const WHERE = { env: 'environment', dotenv: '.env' } as const;

export function envChecks(vars: SecretVar[], environment: Environment): Check[] {
  return vars.map((v) => {
    const name = v.names.find((n) => environment.from(n)) ?? v.names[0]!;
    const from = environment.from(name);
    if (v.value) return { name: `env ${name}`, ok: true, detail: `${maskSecret(v.value)} from ${from ? WHERE[from] : 'config'}` };
    return { name: `env ${name}`, ok: false, detail: 'not set', fix: `Set ${name} in .env or the environment: ${v.fix}.` };
  });
}

export function configCheck(config: Config, short: (p: string) => string): Check {
  const where = config.file ? short(config.file) : 'no config file (environment only)';
  if (!config.channels.length) {
    return { name: 'config', ok: false, detail: `${where}: no LINE channel`, fix: `${RUN_INIT}, or set LINE_GENESYS_CHANNELS=th,… with LINE_TH_* variables.` };
  }
  return { name: 'config', ok: true, detail: `${where}: ${config.channels.length} channel(s) ${config.channels.map((c) => c.id).join(', ')}, region ${config.genesys.region}` };
}

export function publicUrlCheck(config: Config): Check {
  const url = config.relay.publicUrl;
  if (!url) return { name: 'relay public URL', ok: false, detail: 'not set', fix: `None is needed for line-genesys dev (it opens a tunnel, or takes --public-url); for start, run line-genesys init --public-url <https URL>, or set relay.publicUrl or LINE_GENESYS_PUBLIC_URL.` };
  const verdict = checkPublicUrl(url);
  if (verdict !== true) return { name: 'relay public URL', ok: false, detail: `${url}: ${verdict}`, fix: 'Serve the relay behind https on port 443 (a tunnel or a reverse proxy), then run `line-genesys init` with --public-url.' };
  return { name: 'relay public URL', ok: true, detail: url };
}

export function channelChecks(config: Config): Check[] {
  return config.channels.map((c) => {
    const missing = [!c.market && 'market', !c.brand && 'brand', !c.integrationId && 'integrationId', !c.botUserId && 'botUserId'].filter(Boolean);
    if (missing.length) {
      return { name: `channel ${c.id}`, ok: false, detail: `no ${missing.join(', ')}`, fix: `${RUN_INIT} (it fills them in), or set them for "${c.id}" in the config file.` };
    }
    return { name: `channel ${c.id}`, ok: true, detail: `market ${c.market}, brand ${c.brand}, bot ${c.botUserId}, integration ${c.integrationId}` };
  });
}
