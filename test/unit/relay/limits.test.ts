import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, resolveLimits } from '../../../src/relay/limits.js';

describe('resolveLimits', () => {
  it('defaults each limit to a few seconds', () => {
    expect(resolveLimits()).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, bodyIdleTimeoutMs: 5_000, maxConnections: 1_000, refusalLogIntervalMs: 10_000 });
  });

  it('takes the limits given, leaving the others', () => {
    expect(resolveLimits({ bodyIdleTimeoutMs: 500 })).toEqual({ ...DEFAULT_LIMITS, bodyIdleTimeoutMs: 500 });
  });

  it.each([-1, Number.NaN])('refuses %s', (v) => {
    expect(() => resolveLimits({ requestTimeoutMs: v })).toThrow(/requestTimeoutMs must be a number of 0 or more/);
  });
});
