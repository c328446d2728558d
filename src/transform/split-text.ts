/**
 * Text helpers that count the way LINE counts (developers.line.biz/en/docs/messaging-api/text-character-count/):
 * message text, altText and URLs in UTF-16 code units (what `String.length` gives);
 * action `label`, postback `displayText` and message-action `text` in grapheme clusters.
 * Pure functions, no I/O.
 */

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** ICU word breaks also find boundaries in scripts written without spaces (Thai, Chinese, Japanese). */
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Break opportunities after these characters (not the no-break spaces U+00A0, U+2007, U+202F). */
const BREAKING_SPACE = /[ \t\r\f\v\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]/;

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** `at`, moved one code unit back when it would fall between the two halves of a surrogate pair. */
function surrogateSafe(text: string, at: number): number {
  if (at > 0 && at < text.length && isHighSurrogate(text.charCodeAt(at - 1)) && isLowSurrogate(text.charCodeAt(at))) {
    return at - 1;
  }
  return at;
}

/** The last boundary of `segmenter` within [lo, hi] (absolute offsets), or -1. Looks a little past both ends for context. */
function lastBoundary(segmenter: Intl.Segmenter, text: string, lo: number, hi: number, floor: number): number {
  const from = Math.max(floor, lo - 32);
  const to = Math.min(text.length, hi + 32);
  let best = -1;
  for (const { index } of segmenter.segment(text.slice(from, to))) {
    const at = from + index;
    if (at > hi) break;
    // The slice's own start is a boundary only if it is the real start of the text being cut.
    if (at >= lo && (at > from || from === floor)) best = at;
  }
  return best;
}

/** Where to end the chunk that starts at `start` and may reach `end` (exclusive), `end < text.length`. */
function findCut(text: string, start: number, end: number, max: number): number {
  const lo = Math.max(start + 1, end - Math.max(1, Math.floor(max / 10)));
  // 1. After a newline in the last ~10%.
  for (let i = end - 1; i + 1 >= lo; i--) {
    if (text.charCodeAt(i) === 0x0a) return i + 1;
  }
  // 2. After a space in the last ~10%.
  for (let i = end - 1; i + 1 >= lo; i--) {
    if (BREAKING_SPACE.test(text.charAt(i))) return i + 1;
  }
  // 3. At a word boundary in the last ~10% (Thai and CJK have no spaces between words).
  const word = lastBoundary(wordSegmenter, text, lo, end, start);
  if (word > start) return word;
  // 4. At the last grapheme boundary (never separate a base letter from its marks, nor the parts of an emoji).
  const grapheme = lastBoundary(graphemeSegmenter, text, Math.max(start + 1, end - 64), end, start);
  if (grapheme > start) return grapheme;
  // 5. At `end`, unless that splits a surrogate pair.
  return surrogateSafe(text, end);
}

/**
 * Splits `text` into chunks of at most `max` UTF-16 code units (LINE's text limit is 5,000), in order,
 * so that `chunks.join('') === text`. A chunk never ends between the two halves of a surrogate pair; it
 * ends preferably after a newline, else after a space, else at a word boundary, found in its last ~10%,
 * else at a grapheme boundary. An empty text gives no chunk.
 */
export function splitText(text: string, max = 5000): string[] {
  if (!Number.isInteger(max) || max < 2) {
    throw new RangeError(`splitText: max must be an integer of at least 2 (a surrogate pair), got ${max}`);
  }
  const chunks: string[] = [];
  let start = 0;
  while (text.length - start > max) {
    const cut = findCut(text, start, start + max, max);
    chunks.push(text.slice(start, cut));
    start = cut;
  }
  if (start < text.length) chunks.push(text.slice(start));
  return chunks;
}

/**
 * `text` cut to at most `max` UTF-16 code units, ending with `ellipsis` when cut; never splits a
 * surrogate pair and, where it can, no grapheme cluster. For LINE fields counted in code units (altText, location title).
 */
export function truncateCodeUnits(text: string, max: number, ellipsis = '…'): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - ellipsis.length);
  const cut = lastBoundary(graphemeSegmenter, text, Math.max(1, room - 64), room, 0);
  const at = cut > 0 ? cut : surrogateSafe(text, room);
  return text.slice(0, at) + ellipsis.slice(0, max);
}

/** The number of grapheme clusters in `text`, as LINE counts action labels. */
export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of graphemeSegmenter.segment(text)) n++;
  return n;
}

/**
 * `text` cut to at most `max` grapheme clusters, the last being `ellipsis` when cut. For LINE fields counted
 * in grapheme clusters: action `label` (20), postback `displayText` and message-action `text` (300).
 */
export function truncateGraphemes(text: string, max: number, ellipsis = '…'): string {
  const kept: string[] = [];
  let count = 0;
  for (const { segment } of graphemeSegmenter.segment(text)) {
    count++;
    if (count > max) {
      const room = Math.max(0, max - (ellipsis ? 1 : 0));
      return kept.slice(0, room).join('') + (max > 0 ? ellipsis : '');
    }
    kept.push(segment);
  }
  return text;
}
