/**
 * createRelay's wiring of the worker's verdicts: a failed attempt and a dead letter reach the
 * activity feed and the counters, as `dev`'s live lines and GET /metrics show them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../../src/relay/activity.js';
import { lineTemplate, startBed, until, type Bed } from '../../helpers/bed.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

async function deliveries(b: Bed, last: Activity['status']): Promise<Activity[]> {
  const seen: Activity[] = [];
  b.relay.activity.on('activity', (a) => a.stage === 'delivery' && seen.push(a));
  expect((await b.postLine(lineTemplate('text'))).status).toBe(200);
  await until(() => seen.some((a) => a.status === last), `a ${last} delivery`, 5000);
  return seen;
}

describe('the worker reports through observe', () => {
  it('a 503 from Genesys: retrying, then delivered', async () => {
    bed = await startBed();
    bed.genesys.faults.add({ route: 'inbound-message', status: 503, times: 1 });
    const seen = await deliveries(bed, 'delivered');
    // The retry line names the event's type and the upstream's status, as the delivery line does.
    expect(seen.map((a) => [a.direction, a.status, a.type, a.channelId, a.httpStatus])).toEqual([
      ['in', 'retrying', 'message/text', 'th', 503],
      ['in', 'delivered', 'message/text', 'th', 200],
    ]);
    expect(seen[1]!.id).toEqual(expect.any(String));
    expect(seen[0]!.id).toBe(seen[1]!.id);
    expect(seen[0]!.detail).toMatch(/^Genesys .*HTTP 503.* \(retry in \d+ ms\)$/);
    const m = bed.relay.context.metrics;
    expect(m.get('line_genesys_deliveries_total', { direction: 'inbound', result: 'retrying' })).toBe(1);
    expect(m.get('line_genesys_deliveries_total', { direction: 'inbound', result: 'delivered' })).toBe(1);
  });

  it('a 400 from Genesys: dead at once', async () => {
    bed = await startBed();
    bed.genesys.faults.add({ route: 'inbound-message', status: 400, body: { message: 'bad request', code: 'bad.request', status: 400 } });
    const seen = await deliveries(bed, 'dead');
    expect(seen.map((a) => [a.direction, a.status, a.type])).toEqual([['in', 'dead', 'message/text']]);
    expect(seen[0]!.detail).toMatch(/HTTP 400/);
    expect(bed.relay.context.metrics.get('line_genesys_deliveries_total', { direction: 'inbound', result: 'dead' })).toBe(1);
  });

  it('a job whose payload does not decode is a dead letter at once, with the reason, and nothing is sent', async () => {
    bed = await startBed();
    const { store } = bed.relay.context;
    await store.enqueue([{ kind: 'outbound', dedupeKey: 'x', orderKey: 'o', channelId: 'th', payload: '{"candidates":["th"],"message":{"id":"m"}}', receivedAt: Date.now() }]);
    bed.relay.context.kick();
    await until(async () => (await store.counts()).dead === 1, 'a dead letter');
    const [dead] = await store.list('dead');
    expect(dead).toMatchObject({ attempts: 1, lastError: `the job's outbound payload has no "message" with an id and a type (Inspect it with \`line-genesys queue show <id>\`; drop it with \`line-genesys queue drop <id>\`.)` });
    expect(bed.line.requests).toEqual([]);
    expect(bed.genesys.requests).toEqual([]);
  });
});
