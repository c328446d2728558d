import { describe, expect, it } from 'vitest';
import { jsonDepth, MAX_JSON_DEPTH, parseJson } from '../../../src/http/parse-json.js';

const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);

describe('jsonDepth: nesting counted on the raw bytes', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[{"b":[]}]}', 4],
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"\\"[[[[","b":[]}', 2],
    ['["\\\\",[]]', 2],
  ])('%s is %i deep', (text, depth) => {
    expect(jsonDepth(Buffer.from(text))).toBe(depth);
  });

  it('stops counting once past the limit', () => {
    expect(jsonDepth(Buffer.from(nest(100_000)), 10)).toBe(11);
  });
});

describe('parseJson', () => {
  it(`parses up to ${MAX_JSON_DEPTH} levels`, () => {
    expect(parseJson(Buffer.from(nest(MAX_JSON_DEPTH)))).toHaveLength(1);
  });

  it('refuses one level more, and 100,000, with 400 JSON_TOO_DEEP', () => {
    for (const n of [MAX_JSON_DEPTH + 1, 100_000]) {
      expect(() => parseJson(Buffer.from(nest(n)))).toThrow(expect.objectContaining({ code: 'JSON_TOO_DEEP', status: 400 }));
    }
  });

  it('refuses text that is not JSON with 400 MALFORMED_JSON', () => {
    expect(() => parseJson(Buffer.from('{"a":'))).toThrow(expect.objectContaining({ code: 'MALFORMED_JSON', status: 400 }));
  });
});
