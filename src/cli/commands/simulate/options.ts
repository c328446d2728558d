/** Checks simulate's override flags and turns them into overrides for the sample asked for. */
import { UsageError } from '../../../errors.js';
import { USER_ID } from '../../../line/ids.js';
import { SAMPLES, type Override, type Sample } from './catalogue.js';

export interface OverrideFlags {
  user?: string;
  text?: string;
  packageId?: string;
  stickerId?: string;
  lat?: string;
  lng?: string;
}

export interface ParsedOverrides {
  user?: string;
  text?: string;
  packageId?: string;
  stickerId?: string;
  lat?: number;
  lng?: number;
}

/** The customer of every sample unless --user: the user of templates/ (the sandbox knows their profile). */
export const DEFAULT_USER = 'U4af4980629c5f1b2e1d4c3b2a1f0e9d8';

function coordinate(flag: string, value: string, limit: number): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < -limit || n > limit) {
    throw new UsageError(`${flag} "${value}" is not a ${flag === '--lat' ? 'latitude' : 'longitude'}`, {
      hint: `Give decimal degrees from -${limit} to ${limit}, e.g. --lat 13.7563 --lng 100.5018.`,
    });
  }
  return n;
}

function digits(flag: string, value: string): string {
  if (!/^[0-9]{1,20}$/.test(value)) throw new UsageError(`${flag} "${value}" is not a LINE sticker id`, { hint: 'Sticker and package ids are digits, e.g. --package-id 446 --sticker-id 1988.' });
  return value;
}

/** Which flags set which override. */
const FLAGS: Record<Override, Array<keyof OverrideFlags>> = {
  text: ['text'],
  sticker: ['packageId', 'stickerId'],
  location: ['lat', 'lng'],
};
const FLAG_NAME: Record<keyof OverrideFlags, string> = { user: '--user', text: '--text', packageId: '--package-id', stickerId: '--sticker-id', lat: '--lat', lng: '--lng' };

/** Validates the flags; a flag the sample does not take is a usage error naming the samples that do. */
export function parseOverrides(flags: OverrideFlags, sample: Sample | undefined): ParsedOverrides {
  for (const [override, keys] of Object.entries(FLAGS) as Array<[Override, Array<keyof OverrideFlags>]>) {
    const given = keys.find((k) => flags[k] !== undefined);
    if (given === undefined) continue;
    if (!sample) throw new UsageError(`--file sends the body as it is: ${FLAG_NAME[given]} cannot change it`, { hint: 'Edit the file, or simulate a sample event instead.' });
    if (!sample.accepts.includes(override)) {
      const takers = SAMPLES.filter((s) => s.accepts.includes(override)).map((s) => s.name);
      throw new UsageError(`${FLAG_NAME[given]} does not apply to "${sample.name}"`, { hint: `${FLAG_NAME[given]} applies to: ${takers.join(', ')}.` });
    }
  }
  if (flags.user !== undefined && !sample) throw new UsageError('--file sends the body as it is: --user cannot change it', { hint: 'Edit the file, or simulate a sample event instead.' });
  const out: ParsedOverrides = {};
  if (flags.user !== undefined) {
    if (!USER_ID.test(flags.user)) throw new UsageError(`--user "${flags.user}" is not a LINE user id`, { hint: `It is U followed by 32 lowercase hex digits, e.g. ${DEFAULT_USER}.` });
    out.user = flags.user;
  }
  if (flags.text !== undefined) {
    if (flags.text === '') throw new UsageError('--text is empty', { hint: 'LINE sends no empty text message: give some text.' });
    out.text = flags.text;
  }
  if (flags.packageId !== undefined) out.packageId = digits('--package-id', flags.packageId);
  if (flags.stickerId !== undefined) out.stickerId = digits('--sticker-id', flags.stickerId);
  if ((flags.lat === undefined) !== (flags.lng === undefined)) {
    throw new UsageError('give --lat and --lng together', { hint: 'e.g. --lat 25.0340 --lng 121.5645' });
  }
  if (flags.lat !== undefined) out.lat = coordinate('--lat', flags.lat, 90);
  if (flags.lng !== undefined) out.lng = coordinate('--lng', flags.lng, 180);
  return out;
}

/** "did you mean …" for a mistyped sample name. */
export function closestSample(name: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const s of SAMPLES) {
    const d = distance(name.toLowerCase(), s.name);
    if (!best || d < best.d) best = { name: s.name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
