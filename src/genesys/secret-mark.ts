/**
 * Which outbound secret an Open Messaging integration signs with, without reading the secret.
 *
 * Genesys never returns `outboundNotificationWebhookSignatureSecretToken` (write-only), so a relay
 * whose secret another configuration replaced (project B's `init` on an integration project A
 * made) looks healthy until every agent message fails its signature check. The integration's only
 * free field in the official model is `webhookHeaders` ("the user specified headers", returned by
 * GET, sent on each outbound webhook): `init` writes a mark of the secret there whenever it sets or
 * keeps one, and `init` and `doctor` compare it with the mark of the secret they hold.
 * dateModified/modifiedBy were considered and refused: `dev` rewrites the URL (and so the date) on
 * every run, and two projects often share one OAuth client (the same modifiedBy).
 * The mark is a truncated SHA-256 of a 256-bit random secret: it tells two secrets apart and gives
 * nothing away about either.
 */
import { createHash } from 'node:crypto';
import type { OpenIntegration } from './types.js';

export const SECRET_MARK_HEADER = 'X-Line-Genesys-Secret-Mark';

export function secretMark(secret: string): string {
  return `sha256:${createHash('sha256').update(`line-genesys:outbound-secret:${secret}`).digest('hex').slice(0, 16)}`;
}

/** The integration's headers with the mark of `secret` (its other headers kept). */
export function markedHeaders(headers: Record<string, string> | undefined, secret: string): Record<string, string> {
  const kept = Object.fromEntries(Object.entries(headers ?? {}).filter(([k]) => k.toLowerCase() !== SECRET_MARK_HEADER.toLowerCase()));
  return { ...kept, [SECRET_MARK_HEADER]: secretMark(secret) };
}

/**
 * 'same': the integration signs with `secret`; 'changed': it carries the mark of another secret
 * (another configuration set its own); 'unmarked': no mark (made by hand or by an older init).
 */
export type SecretDrift = 'same' | 'changed' | 'unmarked';

export function secretDrift(integration: Pick<OpenIntegration, 'webhookHeaders'>, secret: string): SecretDrift {
  const entry = Object.entries(integration.webhookHeaders ?? {}).find(([k]) => k.toLowerCase() === SECRET_MARK_HEADER.toLowerCase());
  if (!entry) return 'unmarked';
  return entry[1] === secretMark(secret) ? 'same' : 'changed';
}
