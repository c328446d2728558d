/**
 * How far an agent message's `channel.time` lies behind the relay's clock, when that is more than
 * `relay.maxMessageAge`. Genesys retries a webhook for about a minute; a message hours or days old
 * is a replay of captured bytes (its signature is still valid) or a sender gone wrong, and once its
 * dedupe key has expired nothing else would stop it reaching the customer again. The age limit is
 * never above the dedupe retention (config.ts), so whatever is young enough to pass is still deduped.
 * A time that does not parse, or lies ahead (clock skew), is not judged. Pure.
 */
export function ageOverLimit(time: unknown, now: number, maxAgeMs: number): number | undefined {
  const at = typeof time === 'string' ? Date.parse(time) : NaN;
  if (Number.isNaN(at)) return undefined;
  const age = now - at;
  return age > maxAgeMs ? age : undefined;
}
