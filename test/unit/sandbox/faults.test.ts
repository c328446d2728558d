import { describe, expect, it } from 'vitest';
import { FaultPlan, type Fault } from '../../../src/sandbox/faults.js';

function plan() {
  const clock = { t: 10_000 };
  return { clock, p: new FaultPlan(() => clock.t) };
}

describe('FaultPlan rate limit', () => {
  it('lets `ratePerSecond` requests through in any second and answers the rest 429 with Retry-After', () => {
    const { p, clock } = plan();
    p.add({ route: 'inbound-message', ratePerSecond: 3, retryAfterSeconds: 2 });
    const seen = [0, 100, 200, 300, 400].map((dt) => {
      clock.t = 10_000 + dt;
      return p.take('inbound-message');
    });
    expect(seen.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(seen[3]).toEqual({ route: 'inbound-message', status: 429, headers: { 'Retry-After': '2' } });
    expect(seen[4]).toMatchObject({ status: 429 });
    // Another route is not limited.
    expect(p.take('token')).toBeUndefined();
    // One second after the first request, one slot is free again (a sliding window), not three.
    clock.t = 11_000;
    expect(p.take('inbound-message')).toBeUndefined();
    expect(p.take('inbound-message')).toMatchObject({ status: 429 });
    clock.t = 11_200;
    expect(p.take('inbound-message')).toBeUndefined();
  });

  it('lasts until cleared, or for `times` refusals; Retry-After defaults to 1 s', () => {
    const { p } = plan();
    p.add({ route: '*', ratePerSecond: 1, times: 2 });
    expect(p.take('push')).toBeUndefined();
    expect(p.take('push')).toMatchObject({ status: 429, headers: { 'Retry-After': '1' } });
    expect(p.take('push')).toMatchObject({ status: 429 });
    expect(p.take('push')).toBeUndefined();
    p.add({ route: 'push', ratePerSecond: 1 });
    p.take('push');
    for (let i = 0; i < 50; i++) expect(p.take('push')).toMatchObject({ status: 429 });
    p.clear('push');
    expect(p.take('push')).toBeUndefined();
  });

  it('requests within the rate go on to the next fault (a slow platform with a rate limit)', () => {
    const { p } = plan();
    p.add({ route: 'inbound-message', ratePerSecond: 1 });
    p.add({ route: '*', delayMs: 100, times: Infinity });
    expect(p.take('inbound-message')).toMatchObject({ delayMs: 100 });
    expect(p.take('inbound-message')).toMatchObject({ status: 429 });
  });
});

describe('FaultPlan validation', () => {
  it.each<[Fault, RegExp]>([
    [{ route: '', status: 500 }, /route must name a route/],
    [{ route: 'push', status: 42 }, /status must be an HTTP status/],
    [{ route: 'push', status: 500, times: 0 }, /times must be a whole number from 1/],
    [{ route: 'push', status: 500, times: 1.5 }, /times must be a whole number/],
    [{ route: 'push', delayMs: -1 }, /delayMs must be a number of milliseconds/],
    [{ route: 'push', ratePerSecond: 0 }, /ratePerSecond must be a number above 0/],
    [{ route: 'push', ratePerSecond: Number.NaN }, /ratePerSecond must be a number above 0/],
    [{ route: 'push', ratePerSecond: 10, destroy: true }, /cannot be combined with destroy or delayMs/],
    [{ route: 'push', ratePerSecond: 10, delayMs: 100 }, /cannot be combined with destroy or delayMs/],
    [{ route: 'push', ratePerSecond: 10, retryAfterSeconds: -1 }, /retryAfterSeconds must be a whole number/],
    [{ route: 'push', status: 429, retryAfterSeconds: 3 }, /applies only with ratePerSecond/],
  ])('refuses %j', (fault, message) => {
    expect(() => new FaultPlan().add(fault)).toThrow(message);
  });

  it('accepts what existing tests give', () => {
    const p = new FaultPlan();
    p.add({ route: 'push', status: 503, times: Infinity, headers: { 'Retry-After': '3' } });
    p.add({ route: '*', delayMs: 0 });
    p.add({ route: 'token', destroy: true });
    expect(p.take('push')).toMatchObject({ status: 503 });
  });
});
