/**
 * The code an agent types (or keeps in a Genesys canned response) to send a LINE sticker, since Open
 * Messaging has no sticker content: `[sticker <packageId>/<stickerId>]`, e.g. `[sticker 446/1988]`.
 * Only a message that is nothing but one code becomes a sticker; inside a longer text it stays text,
 * so an agent can still write about the syntax. Pure: no I/O.
 */
import { isValidStickerId } from './sticker.js';

export interface StickerRef { packageId: string; stickerId: string }

/** Case-insensitive keyword; blanks allowed around the parts; ids are digits (isValidStickerId). */
const CODE = /^\[\s*sticker\s+(\d+)\s*\/\s*(\d+)\s*\]$/i;

/** The sticker a whole message (trimmed) names, or undefined when the text is anything else. */
export function parseStickerCode(text: unknown): StickerRef | undefined {
  if (typeof text !== 'string') return undefined;
  const m = CODE.exec(text.trim());
  if (!m || !isValidStickerId(m[1]) || !isValidStickerId(m[2])) return undefined;
  return { packageId: m[1], stickerId: m[2] };
}

/** The code for a sticker, as an agent types it. */
export function stickerCode(s: StickerRef): string {
  return `[sticker ${s.packageId}/${s.stickerId}]`;
}
