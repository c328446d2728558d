import { describe, expect, it } from 'vitest';
import { setBounded } from '../../../src/relay/bounded-map.js';

describe('setBounded', () => {
  it('keeps at most `max` entries, dropping the oldest set first', () => {
    const m = new Map<string, number>();
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 3], ['d', 4]] as const) setBounded(m, k, v, 3);
    expect([...m]).toEqual([['b', 2], ['c', 3], ['d', 4]]);
  });

  it('setting a key again makes it the newest, without evicting another', () => {
    const m = new Map<string, number>([['a', 1], ['b', 2], ['c', 3]]);
    setBounded(m, 'a', 10, 3);
    expect([...m]).toEqual([['b', 2], ['c', 3], ['a', 10]]);
    setBounded(m, 'd', 4, 3);
    expect([...m]).toEqual([['c', 3], ['a', 10], ['d', 4]]);
  });
});
