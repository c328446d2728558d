import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogThrottle } from '../../../src/relay/log-throttle.js';

let lines: Array<[string, Record<string, unknown>]>;
beforeEach(() => {
  lines = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());
const write = (msg: string, fields: Record<string, unknown>) => lines.push([msg, fields]);

describe('createLogThrottle: one line per key per interval', () => {
  it('writes the first at once and the count of the rest when the interval ends', () => {
    const warn = createLogThrottle(10_000, write);
    for (let i = 0; i < 100; i++) warn('line:signature_missing', 'LINE webhook refused', { status: 401 });
    expect(lines).toEqual([['LINE webhook refused', { status: 401 }]]);
    vi.advanceTimersByTime(10_000);
    expect(lines).toEqual([
      ['LINE webhook refused', { status: 401 }],
      ['LINE webhook refused (and 99 more like it within 10000 ms)', { status: 401, repeated: 99 }],
    ]);
  });

  it('keeps reasons apart, writes no summary for a single one, and starts over after the interval', () => {
    const warn = createLogThrottle(1000, write);
    warn('a', 'A', {});
    warn('b', 'B', {});
    vi.advanceTimersByTime(1000);
    warn('a', 'A', {});
    expect(lines.map(([m]) => m)).toEqual(['A', 'B', 'A']);
  });

  it('an interval of 0 writes every line', () => {
    const warn = createLogThrottle(0, write);
    for (let i = 0; i < 3; i++) warn('a', 'A', {});
    expect(lines).toHaveLength(3);
  });
});
