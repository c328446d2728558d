import { describe, expect, it } from 'vitest';
import { deliveryError } from '../../../src/cli/commands/simulate/wait.js';

describe('simulate --wait: which deliveries are failures', () => {
  it.each([
    ['delivered', true, undefined],
    ['ignored', true, undefined],
    ['failed', true, 'DELIVERY_FAILED'],
    ['dead', true, 'DELIVERY_FAILED'],
    ['retrying', false, 'DELIVERY_PENDING'],
    ['accepted', false, 'DELIVERY_PENDING'],
  ] as const)('%s (settled: %s) -> %s', (state, settled, code) => {
    expect(deliveryError({ state, settled, detail: 'why' }, 30_000)?.code).toBe(code);
  });

  it('says how long it waited and where the delivery stood', () => {
    expect(deliveryError({ state: 'retrying', settled: false, detail: 'LINE push answered 503' }, 30_000)?.message).toBe('not delivered after 30 s: still retrying (LINE push answered 503)');
  });
});
