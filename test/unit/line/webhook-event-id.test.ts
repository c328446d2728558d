/**
 * ULIDs against written-down vectors: the spec's own example (github.com/ulid/spec, and the
 * encodeTime test of ulid/javascript), LINE's example webhookEventIds, whose time part is the
 * event's timestamp, and the largest 48-bit time.
 */
import { describe, expect, it } from 'vitest';
import { ULID, ulid, ulidTime } from '../../../src/line/webhook-event-id.js';

describe('ulid', () => {
  it('encodes the time in the first 10 characters and 80 random bits in the last 16', () => {
    expect(ulid(1469918176385, Buffer.alloc(10))).toBe('01ARYZ6S410000000000000000');
    expect(ulid(0, Buffer.alloc(10, 0xff))).toBe('0000000000ZZZZZZZZZZZZZZZZ');
    expect(ulid(1732435200000, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))).toBe('01JDEJYJ00000G40R40M30E209');
    expect(ulid(2 ** 48 - 1, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 4, 5]))).toBe('7ZZZZZZZZZVTPVXVR004106105');
  });

  it('uses the first 10 random bytes only', () => {
    expect(ulid(0, Buffer.concat([Buffer.alloc(10), Buffer.alloc(6, 0xff)]))).toBe('00000000000000000000000000');
  });

  it('refuses a time that does not fit 48 bits, and too few random bytes', () => {
    expect(() => ulid(2 ** 48, Buffer.alloc(10))).toThrow(RangeError);
    expect(() => ulid(-1, Buffer.alloc(10))).toThrow(RangeError);
    expect(() => ulid(1.5, Buffer.alloc(10))).toThrow(RangeError);
    expect(() => ulid(0, Buffer.alloc(9))).toThrow(/10 random bytes/);
  });
});

describe('ulidTime', () => {
  it.each([
    ['01ARYZ6S41TSV4RRFFQ69G5FAV', 1469918176385], // the spec's example
    ['01AJ5R5DDKQYAJSJV19QZ8HPE5', 1462629479859], // LINE's file message example: its timestamp
    ['01JDEJYJ00V1DE0H05TEDM4A6B', 1732435200000], // templates/line/video.json: 2024-11-24T08:00:00Z
    ['01jdejyj00v1de0h05tedm4a6b', 1732435200000], // either case
    ['7ZZZZZZZZZZZZZZZZZZZZZZZZZ', 281474976710655], // 2^48 - 1
  ])('%s is %d ms', (id, ms) => {
    expect(ulidTime(id)).toBe(ms);
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['too short', '01ARYZ6S41TSV4RRFFQ69G5FA'],
    ['past 48 bits', '80000000000000000000000000'],
    ['a letter outside Crockford base32 (U)', '01ARYZ6S41TSV4RRFFQ69G5FAU'],
  ])('%s: not a ULID', (_, id) => {
    expect(ulidTime(id)).toBeUndefined();
  });

  it('ULID matches what ulid makes and nothing longer', () => {
    expect('01ARYZ6S410000000000000000').toMatch(ULID);
    expect('01ARYZ6S4100000000000000000').not.toMatch(ULID);
    expect('01arYZ6S410000000000000000').not.toMatch(ULID);
  });
});
