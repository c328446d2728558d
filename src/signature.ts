/**
 * Signing and verifying webhook bodies for both platforms. Pure functions, no I/O.
 * LINE:    x-line-signature     = base64(HMAC-SHA256(channelSecret, rawBody))
 * Genesys: X-Hub-Signature-256  = "sha256=" + base64(HMAC-SHA256(outboundSecret, rawBody))
 * Always computed over the raw bytes received; compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Body = string | Uint8Array;

function hmac(secret: string, body: Body): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

function equalDigest(expected: Buffer, givenBase64: string): boolean {
  // Decode what was given; a different length cannot match (and timingSafeEqual needs equal lengths).
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(givenBase64)) return false;
  const given = Buffer.from(givenBase64, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The `x-line-signature` value for a body. */
export function signLine(body: Body, channelSecret: string): string {
  return hmac(channelSecret, body).toString('base64');
}

/** True when `signature` is the LINE signature of `body` under `channelSecret`. */
export function verifyLine(body: Body, channelSecret: string, signature: string | undefined): boolean {
  if (!signature || !channelSecret) return false;
  return equalDigest(hmac(channelSecret, body), signature.trim());
}

/** The `X-Hub-Signature-256` value for a body: "sha256=" + base64 digest. */
export function signGenesys(body: Body, secret: string): string {
  return `sha256=${hmac(secret, body).toString('base64')}`;
}

/** True when `signature` ("sha256=<base64>") is the Genesys signature of `body` under `secret`. */
export function verifyGenesys(body: Body, secret: string, signature: string | undefined): boolean {
  if (!signature || !secret) return false;
  const value = signature.trim();
  if (!value.toLowerCase().startsWith('sha256=')) return false;
  return equalDigest(hmac(secret, body), value.slice(7));
}

export type Platform = 'line' | 'genesys';

/** The header each platform signs its webhooks in. */
export const SIGNATURE_HEADER: Record<Platform, string> = { line: 'x-line-signature', genesys: 'x-hub-signature-256' };

/** The signature `platform` would send for `body`. */
export function signFor(platform: Platform, body: Body, secret: string): string {
  return platform === 'line' ? signLine(body, secret) : signGenesys(body, secret);
}

/** Does `signature` match what `platform` would send for `body`? */
export function verifyFor(platform: Platform, body: Body, secret: string, signature: string | undefined): boolean {
  return platform === 'line' ? verifyLine(body, secret, signature) : verifyGenesys(body, secret, signature);
}
