/**
 * The channels whose secret signed a webhook's bytes. Several channels may share a secret (one
 * Genesys integration for two LINE channels): each distinct secret is verified once, an HMAC of the
 * bytes compared in constant time.
 */
import type { ChannelConfig } from '../config.js';
import { verifyFor, type Platform } from '../signature.js';

export function signersOf(
  platform: Platform,
  channels: readonly ChannelConfig[],
  secretOf: (c: ChannelConfig) => string | undefined,
  body: Buffer,
  signature: string,
): ChannelConfig[] {
  const verdicts = new Map<string, boolean>();
  return channels.filter((c) => {
    const secret = secretOf(c);
    if (!secret) return false;
    if (!verdicts.has(secret)) verdicts.set(secret, verifyFor(platform, body, secret, signature));
    return verdicts.get(secret);
  });
}
