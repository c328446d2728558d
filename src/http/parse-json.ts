/**
 * JSON.parse behind a nesting limit. The raw bytes are scanned for depth first (strings skipped), so
 * a body nested 100,000 deep is refused (400) before the parser recurses into it; webhook bodies of
 * LINE and Genesys are a handful of levels deep.
 */
import { RequestError } from '../errors.js';

export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }

/** The deepest nesting of arrays and objects in `bytes`, stopping as soon as it passes `limit`. */
export function jsonDepth(bytes: Uint8Array, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (OPEN.has(b)) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (CLOSE.has(b)) depth--;
  }
  return max;
}

export function parseJson(bytes: Buffer, maxDepth = MAX_JSON_DEPTH): unknown {
  if (jsonDepth(bytes, maxDepth) > maxDepth) {
    throw new RequestError('JSON_TOO_DEEP', 400, `body is nested deeper than ${maxDepth} levels`);
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RequestError('MALFORMED_JSON', 400, 'body is not valid JSON');
  }
}
