/**
 * LINE's webhookEventId is a ULID (github.com/ulid/spec): 10 Crockford base32 characters of
 * milliseconds since the epoch, then 16 of randomness (80 bits). Pure: the clock and the random
 * bytes come in, so a transform can read the time and a sample can make one.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID as written: 26 characters, the first at most 7 (48 bits of time). */
export const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

/** The ULID of `now` (ms) and the first 10 bytes of `random`. */
export function ulid(now: number, random: Uint8Array): string {
  if (!Number.isInteger(now) || now < 0 || now > 2 ** 48 - 1) throw new RangeError(`ulid: ${now} is not a 48-bit time`);
  if (random.length < 10) throw new RangeError('ulid: needs 10 random bytes');
  let time = '';
  for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32]! + time;
  let bits = 0n;
  for (const b of random.subarray(0, 10)) bits = (bits << 8n) | BigInt(b);
  let rand = '';
  for (let i = 0; i < 16; i++, bits >>= 5n) rand = CROCKFORD[Number(bits & 31n)]! + rand;
  return time + rand;
}

/** The time part of a ULID in ms since the epoch (either case), or undefined when `id` is not a ULID. */
export function ulidTime(id: string | undefined): number | undefined {
  const upper = id?.toUpperCase();
  if (upper === undefined || !ULID.test(upper)) return undefined;
  let ms = 0;
  for (const c of upper.slice(0, 10)) ms = ms * 32 + CROCKFORD.indexOf(c);
  return ms;
}
