/**
 * X-Line-Retry-Key values derived from the Genesys message id: the same message (and push index)
 * always gives the same UUID, so no retry — ours or Genesys's — can deliver it twice.
 * A name-based UUID (version 5 layout over SHA-256 truncated, RFC 9562 §5.8 style custom hashing).
 */
import { createHash } from 'node:crypto';

export function retryKeyFor(messageId: string, pushIndex = 0): string {
  const h = createHash('sha256').update(`line-genesys:push:${messageId}:${pushIndex}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
