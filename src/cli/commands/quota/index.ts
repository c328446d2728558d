/**
 * `line-genesys quota`: each channel's monthly LINE message limit and what is used of it (LINE's
 * quota endpoints), and how many messages the relay on this machine sent by reply (free) and by push.
 */
import type { ChannelConfig, Config } from '../../../config.js';
import { LineGenesysError } from '../../../errors.js';
import { LineClient } from '../../../line/client.js';
import type { CommandContext } from '../../context.js';
import { readSentCounts, type SentCounts } from '../../shared/relay-metrics.js';

interface ChannelQuota {
  channel: string;
  /** null: the plan has no monthly limit. */
  limit: number | null;
  used: number;
  /** Messages the relay sent since it started; null when no relay answered at relayUrl. */
  reply: number | null;
  push: number | null;
}

export default async function quota(_o: unknown, ctx: CommandContext): Promise<unknown> {
  const config = ctx.config('partial');
  const channels = config.channels.filter((c) => c.accessToken);
  if (!channels.length) throw new LineGenesysError('NO_CHANNELS', 'no LINE channel with an access token is configured', { hint: 'Run `line-genesys init`, or set LINE_<ID>_ACCESS_TOKEN.' });
  const relayUrl = `http://localhost:${config.relay.port}`;
  const [sent, ...rows] = await Promise.all([readSentCounts(relayUrl), ...channels.map((c) => channelQuota(config, c))]);
  const result = {
    ok: true,
    relayUrl,
    relayReachable: sent !== undefined,
    channels: rows.map((r) => withSent(r, sent)),
  };
  ctx.out.result(result, () => human(result.channels, relayUrl, sent !== undefined));
  return result;
}

async function channelQuota(config: Config, c: ChannelConfig): Promise<Omit<ChannelQuota, 'reply' | 'push'>> {
  const client = new LineClient({ accessToken: c.accessToken, apiBaseUrl: config.line.apiBaseUrl, timeoutMs: 8000 });
  return { channel: c.id, ...(await client.monthlyQuota()) };
}

function withSent(r: Omit<ChannelQuota, 'reply' | 'push'>, sent: SentCounts | undefined): ChannelQuota {
  const counts = sent ? (sent.get(r.channel) ?? { reply: 0, push: 0 }) : undefined;
  return { ...r, reply: counts?.reply ?? null, push: counts?.push ?? null };
}

function human(rows: ChannelQuota[], relayUrl: string, reachable: boolean): string {
  const lines = rows.map((r) => {
    const used = r.limit === null ? `${r.used} used, no monthly limit` : `${r.used} of ${r.limit} used (${Math.floor((r.used / r.limit) * 100)} %)`;
    const sent = r.reply === null ? '' : `; relay sent ${r.reply} by reply (free), ${r.push} by push`;
    return `${r.channel}: ${used}${sent}`;
  });
  if (!reachable) lines.push(`Reply and push counts are not available: no relay answered at ${relayUrl}/metrics.`);
  return lines.join('\n');
}
