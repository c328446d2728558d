/**
 * LINE location messages, as text an agent can read and click. Pure: no I/O.
 *
 * A location travels as text (to-genesys adds the maps link as a Link attachment too): the title,
 * the address and a Google Maps link, one per line; a missing (or blank) title
 * or address is left out (an address equal to the title is not repeated), and so is the link
 * when the coordinates are not finite numbers.
 * When nothing at all is usable the text is `[LINE location]`, so the message is never empty.
 */
import type { webhook } from '@line/bot-sdk';

/**
 * Google Maps "search" URL for a point (maps URLs API: `api=1&query=<lat>,<lng>`).
 * Numbers are written as JavaScript prints them (no rounding).
 * @throws RangeError when a coordinate is not a finite number.
 */
export function mapsUrl(lat: number, lng: number): string {
  if (typeof lat !== 'number' || typeof lng !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lng)) {
    throw new RangeError(`invalid coordinates ${String(lat)},${String(lng)}`);
  }
  return `https://www.google.com/maps/search/?api=1&query=${String(lat)},${String(lng)}`;
}

function line(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t ? t : undefined;
}

/** Title, address and maps link, one per line (absent parts omitted). */
export function locationText(m: webhook.LocationMessageContent): string {
  const lines: string[] = [];
  const title = line((m as { title?: unknown }).title);
  const address = line((m as { address?: unknown }).address);
  if (title) lines.push(title);
  if (address && address !== title) lines.push(address);
  const lat: unknown = m.latitude;
  const lng: unknown = m.longitude;
  if (typeof lat === 'number' && typeof lng === 'number' && Number.isFinite(lat) && Number.isFinite(lng)) {
    lines.push(mapsUrl(lat, lng));
  }
  return lines.length > 0 ? lines.join('\n') : '[LINE location]';
}
