import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/relay/circuit-breaker.js';

function breaker(threshold = 3, probeEveryMs = 1000) {
  const clock = { t: 0 };
  return { clock, b: new CircuitBreaker({ threshold, probeEveryMs, now: () => clock.t }) };
}

describe('CircuitBreaker', () => {
  it('opens after `threshold` failures in a row, not before; an answer in between starts the count again', () => {
    const { b } = breaker(3);
    expect(b.failed()).toBe(false);
    expect(b.failed()).toBe(false);
    expect(b.succeeded()).toBeUndefined();
    expect(b.failed()).toBe(false);
    expect(b.failed()).toBe(false);
    expect(b.state).toBe('closed');
    expect(b.tryStart()).toBe('go');
    expect(b.failed()).toBe(true);
    expect(b.state).toBe('open');
  });

  it('while open, lets one probe go every probeEveryMs, and none while one is out', () => {
    const { b, clock } = breaker(1, 1000);
    clock.t = 5000;
    b.failed();
    expect(b.nextProbeAt).toBe(6000);
    expect(b.tryStart()).toBeUndefined();
    clock.t = 6000;
    expect(b.canStart()).toBe(true);
    expect(b.tryStart()).toBe('probe');
    expect(b.tryStart()).toBeUndefined();
    clock.t = 9000;
    expect(b.tryStart()).toBeUndefined();
    // The probe fails: the next one a probe interval later.
    expect(b.failed(true)).toBe(false);
    expect(b.nextProbeAt).toBe(10_000);
    expect(b.tryStart()).toBeUndefined();
    clock.t = 10_000;
    expect(b.tryStart()).toBe('probe');
  });

  it('a job started before it opened failing late does not move the probe', () => {
    const { b, clock } = breaker(1, 1000);
    b.failed();
    clock.t = 1000;
    expect(b.tryStart()).toBe('probe');
    b.failed(false);
    expect(b.tryStart()).toBeUndefined();
    expect(b.nextProbeAt).toBe(1000);
  });

  it('closes on the first answer and says so once, with when the failures began; every job may go again', () => {
    const { b, clock } = breaker(2, 1000);
    clock.t = 500;
    b.failed();
    clock.t = 700;
    b.failed();
    clock.t = 1700;
    b.tryStart();
    b.failed(true);
    clock.t = 2700;
    b.tryStart();
    expect(b.succeeded()).toBe(500);
    expect(b.state).toBe('closed');
    expect(b.nextProbeAt).toBeUndefined();
    expect(b.succeeded()).toBeUndefined();
    expect([b.tryStart(), b.tryStart(), b.tryStart()]).toEqual(['go', 'go', 'go']);
  });
});
