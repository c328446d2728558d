import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../../src/relay/adaptive-limit.js';

function limit(min = 4, max = 64) {
  const clock = { t: 0 };
  return { clock, l: new AdaptiveLimit({ min, max, now: () => clock.t }) };
}

/** `n` answers of `latencyMs`, each with the limit's slots all in use, the clock moving by the latency. */
function answers(x: ReturnType<typeof limit>, n: number, latencyMs: number) {
  for (let i = 0; i < n; i++) {
    x.clock.t += latencyMs;
    x.l.succeeded(latencyMs, x.l.current);
  }
}

describe('AdaptiveLimit', () => {
  it('starts at the floor and grows one slot per answer while latency holds (slow start), up to the cap', () => {
    const x = limit(4, 64);
    expect(x.l.current).toBe(4);
    answers(x, 10, 100);
    expect(x.l.current).toBe(14);
    answers(x, 100, 100);
    expect(x.l.current).toBe(64);
  });

  it('does not grow while its slots are mostly unused', () => {
    const x = limit(8, 64);
    for (let i = 0; i < 20; i++) x.l.succeeded(100, 3);
    expect(x.l.current).toBe(8);
  });

  it('halves on overload, once per round trip, then grows by √limit slots per round trip', () => {
    const x = limit(4, 64);
    answers(x, 28, 100);
    expect(x.l.current).toBe(32);
    x.l.overloaded();
    x.l.overloaded();
    x.clock.t += 150;
    x.l.overloaded();
    expect(x.l.current).toBe(16);
    x.clock.t += 100;
    x.l.overloaded();
    expect(x.l.current).toBe(8);
    // Congestion avoidance: one round trip at 8 slots (8 answers) adds √8 ≈ 2.6 slots, the next
    // (10 answers at 10 to 13) √10 ≈ 2.9 more.
    answers(x, 8, 100);
    expect(x.l.current).toBe(10);
    answers(x, 10, 100);
    expect(x.l.current).toBe(13);
  });

  it('after an outage (restart), doubles again instead of one slot per round trip', () => {
    const x = limit(4, 64);
    answers(x, 4, 100);
    for (let i = 0; i < 5; i++) {
      x.clock.t += 1000;
      x.l.overloaded();
    }
    expect(x.l.current).toBe(4);
    x.l.restart();
    answers(x, 8, 100);
    expect(x.l.current).toBe(12);
  });

  it('never shrinks below the floor', () => {
    const x = limit(4, 64);
    for (let i = 0; i < 10; i++) {
      x.clock.t += 1000;
      x.l.overloaded();
    }
    expect(x.l.current).toBe(4);
  });

  it('takes a tenth off when the smoothed latency rises well above the usual (one slow answer is jitter), and stops growing', () => {
    const x = limit(4, 64);
    answers(x, 36, 100);
    expect(x.l.current).toBe(40);
    // Smoothed (a fifth of each answer): 160, 208, 246 ms — under 2 × 100 + 50: still growing.
    for (let i = 0; i < 3; i++) x.l.succeeded(400, 64);
    expect(x.l.current).toBe(43);
    // 277 ms: over.
    x.clock.t += 400;
    x.l.succeeded(400, 43);
    expect(x.l.current).toBe(38);
    // Still slow within the cooldown: no second cut, no growth.
    x.clock.t += 50;
    x.l.succeeded(400, 38);
    expect(x.l.current).toBe(38);
  });

  it('a latency within tolerance plus slack still counts as holding', () => {
    const x = limit(4, 64);
    answers(x, 4, 100);
    expect(x.l.current).toBe(8);
    answers(x, 4, 240);
    expect(x.l.current).toBe(12);
  });

  it('relearns the usual latency each window: a platform that became slower for good is not cut forever', () => {
    const x = limit(4, 64);
    answers(x, 10, 10);
    // Slow from now on: cut toward the floor while the fast window is the baseline (two windows of 10 s).
    answers(x, 70, 300);
    const low = x.l.current;
    expect(low).toBeLessThanOrEqual(5);
    answers(x, 20, 300);
    expect(x.l.current).toBeGreaterThan(low);
  });

  it('after a 429 grows back only to 0.9 × the limit that met it, lower again at each 429, until 30 s pass without one', () => {
    const x = limit(4, 128);
    answers(x, 60, 100);
    expect(x.l.current).toBe(64);
    x.l.rateLimited();
    expect(x.l.current).toBe(32);
    // Back up to 0.9 × 64 = 57.6 (√limit a round trip: about 17 s), and no further while it lasts.
    answers(x, 250, 100);
    expect(x.l.current).toBe(57);
    x.l.rateLimited();
    expect(x.l.current).toBe(28);
    answers(x, 250, 100);
    expect(x.l.current).toBe(51); // 0.9 × 57.6 = 51.8
    // 30 s after the last 429 (the 250 answers took 25 s): the ceiling lifts, growth goes on.
    answers(x, 100, 100);
    expect(x.l.current).toBeGreaterThan(55);
  });

  it('a 5xx halves without a ceiling: the platform was down, not limiting the rate', () => {
    const x = limit(4, 128);
    answers(x, 60, 100);
    x.l.overloaded();
    expect(x.l.current).toBe(32);
    // 25 s: within the 30 s a 429's ceiling (57) would last, and past it.
    answers(x, 250, 100);
    expect(x.l.current).toBeGreaterThan(58);
  });

  it('refuses a cap below the floor', () => {
    expect(() => new AdaptiveLimit({ min: 8, max: 4, now: () => 0 })).toThrow(/min <= max/);
  });
});
