/**
 * Where a simulated webhook goes and what signs it: the relay URL (--to, else localhost on the
 * configured port), the channel (--channel, else the first configured), and its secret (--secret,
 * else the channel's LINE secret, or for agent replies its Genesys outbound secret).
 */
import { channelEnvNames, type ChannelConfig, type Config } from '../../../config.js';
import { ConfigError } from '../../../errors.js';
import { checkUrl } from '../../../url.js';

export interface TargetFlags {
  to?: string;
  channel?: string;
  secret?: string;
  /** --file: the body's `destination` is whatever the file says, so a named --channel goes in the path. */
  file?: string;
}

export interface Target {
  /** Full URL posted to: <base>/webhook/line or /webhook/genesys (with /<channelId> when only the id is known). */
  url: string;
  secret: string;
  /** The channel id, when one was named or configured. */
  channelId?: string;
  /** LINE: the channel's bot user id (the body's `destination`). */
  destination?: string;
  /** Genesys: the channel's integration id (the message's `channel.id`). */
  integrationId?: string;
}

/** --to, else the relay on this machine at the configured port (PORT, .env, the file, 3000: config.ts). */
export function relayBaseUrl(flags: TargetFlags, config: Pick<Config, 'relay'>): string {
  const raw = flags.to ?? `http://localhost:${config.relay.port}`;
  return checkUrl(raw, { flag: '--to', hint: 'Give the base URL of the relay, e.g. --to http://localhost:3000.' });
}

function channelOf(flags: TargetFlags, config: Pick<Config, 'channels'>): ChannelConfig | undefined {
  if (flags.channel === undefined) return config.channels[0];
  const found = config.channels.find((c) => c.id === flags.channel);
  if (!found && !flags.secret) {
    const configured = config.channels.map((c) => c.id).join(', ') || 'none';
    const n = channelEnvNames(flags.channel);
    throw new ConfigError('--channel', `no channel "${flags.channel}" is configured (configured: ${configured})`, {
      hint: `Configure it (line-genesys init, or LINE_GENESYS_CHANNELS=${flags.channel} and ${n.channelSecret}), or sign with --secret.`,
    });
  }
  return found;
}

/** Resolves the relay URL, channel and secret for a LINE webhook or a Genesys agent reply. */
export function resolveTarget(kind: 'line' | 'genesys', flags: TargetFlags, config: Pick<Config, 'channels' | 'relay' | 'genesys'>): Target {
  const base = relayBaseUrl(flags, config);
  const channel = channelOf(flags, config);
  const channelId = flags.channel ?? channel?.id;
  const n = channelEnvNames(channelId ?? 'id');
  const scoped = (path: string, routable: boolean) => (routable || channelId === undefined ? `${base}${path}` : `${base}${path}/${channelId}`);

  if (kind === 'line') {
    const secret = flags.secret || channel?.channelSecret;
    if (!secret) {
      throw new ConfigError(channelId ? n.channelSecret : 'channel secret', channelId ? 'is not set: no LINE channel secret to sign with' : 'no LINE channel is configured to sign with', {
        hint: channelId
          ? `Set ${n.channelSecret} (LINE Developers console > Basic settings > Channel secret) in the environment or .env, or pass --secret.`
          : 'Set LINE_GENESYS_CHANNELS=th and LINE_TH_CHANNEL_SECRET (or run `line-genesys init`), or pass --secret; against `dev --sandbox`, add --sandbox.',
      });
    }
    const destination = channel?.botUserId;
    // Without the bot user id the relay cannot route by `destination`, nor when a file's body sets it: name the channel in the path.
    const byDestination = destination !== undefined && (flags.file === undefined || flags.channel === undefined);
    return { url: scoped('/webhook/line', byDestination), secret, ...(channelId ? { channelId } : {}), ...(destination ? { destination } : {}) };
  }

  const secret = flags.secret || channel?.outboundSecret || config.genesys.outboundSecret;
  if (!secret) {
    const name = channelId ? n.outboundSecret : 'GENESYS_OUTBOUND_SECRET';
    throw new ConfigError(name, 'is not set: no Genesys outbound secret to sign the agent reply with', {
      hint: `Set ${name}${channelId ? ' (or GENESYS_OUTBOUND_SECRET)' : ''} to the integration's outbound webhook secret, or pass --secret.`,
    });
  }
  const integrationId = channel?.integrationId || config.genesys.integrationId || undefined;
  return { url: scoped('/webhook/genesys', channel?.integrationId ? true : false), secret, ...(channelId ? { channelId } : {}), ...(integrationId ? { integrationId } : {}) };
}
