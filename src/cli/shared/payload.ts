/** Shared by sign and verify: the payload bytes (file or stdin) and the secret to use. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';

export interface SignatureOptions {
  args?: string[];
  line?: boolean;
  genesys?: boolean;
  secret?: string;
  channel?: string;
}

export async function readPayload(ctx: CommandContext, file: string | undefined): Promise<Buffer> {
  if (file && file !== '-') {
    try {
      return await readFile(resolve(ctx.io.cwd, file)); // a path, not a URL: # and % are plain characters in it
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  if (ctx.io.stdin.isTTY) throw new UsageError('no payload: give a file, or pipe the body on stdin');
  const chunks: Buffer[] = [];
  for await (const c of ctx.io.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

/** Which platform, and the secret: --secret, else the channel's (LINE secret or Genesys outbound secret) from the config. */
export function resolveSecret(ctx: CommandContext, o: SignatureOptions): { platform: 'line' | 'genesys'; secret: string } {
  if (o.line && o.genesys) throw new UsageError('give --line or --genesys, not both');
  const platform = o.genesys ? 'genesys' : 'line';
  if (o.secret) return { platform, secret: o.secret };
  const config = ctx.config('partial');
  const channel = o.channel ? config.channels.find((c) => c.id === o.channel) : config.channels[0];
  if (o.channel && !channel) throw new ConfigError('--channel', `no channel "${o.channel}" is configured`, { hint: `Configured: ${config.channels.map((c) => c.id).join(', ') || 'none'}.` });
  const secret = platform === 'line' ? channel?.channelSecret : channel?.outboundSecret ?? config.genesys.outboundSecret;
  if (!secret) {
    const what = platform === 'line' ? 'LINE channel secret' : 'Genesys outbound secret';
    throw new ConfigError(platform === 'line' ? 'channel secret' : 'outbound secret', `no ${what} to sign with`, {
      hint: `Pass --secret, or configure a channel (${platform === 'line' ? 'LINE_<ID>_CHANNEL_SECRET' : 'GENESYS_<ID>_OUTBOUND_SECRET'}) and pick it with --channel.`,
    });
  }
  return { platform, secret };
}
