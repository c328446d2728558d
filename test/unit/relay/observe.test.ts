import { beforeEach, describe, expect, it } from 'vitest';
import type { ChannelConfig } from '../../../src/config.js';
import { UpstreamError } from '../../../src/errors.js';
import { createLogger } from '../../../src/log.js';
import { ActivityFeed, type Activity } from '../../../src/relay/activity.js';
import type { JobPayload } from '../../../src/relay/jobs.js';
import { Metrics } from '../../../src/relay/metrics.js';
import { createObserver, type Outcome } from '../../../src/relay/observe.js';
import type { Job } from '../../../src/store/store.js';

const USER = 'U4af4980629c5f1b2e1d4c3b2a1f0e9d8';
const NOW = 1_700_000_000_500;
const th: ChannelConfig = { id: 'th', market: 'TH', brand: 'acme', channelSecret: 's', accessToken: 't', integrationId: 'i-th' };
const event = { type: 'message', source: { type: 'user', userId: USER }, message: { id: '1', type: 'sticker' } };
const inbound = { kind: 'inbound', event } as JobPayload;
const reply = { id: 'm-1', channel: { id: 'i-th', to: { id: USER } }, type: 'Text', text: 'hello' };
const outbound = { kind: 'outbound', candidates: ['th'], message: reply } as JobPayload;
const job = (kind: Job['kind'], id: number): Job => ({
  id, kind, dedupeKey: `k${id}`, orderKey: 'o', channelId: 'th', payload: '{}', receivedAt: NOW - 120, state: 'running', attempts: 0, nextAt: 0, updatedAt: 0,
});

let metrics: Metrics;
let activity: ActivityFeed;
let seen: Array<Omit<Activity, 'at'>>;
let logs: Array<Record<string, unknown>>;
let observe: (o: Outcome) => void;

beforeEach(() => {
  metrics = new Metrics();
  activity = new ActivityFeed();
  seen = [];
  activity.on('activity', ({ at: _, ...a }) => seen.push(a));
  logs = [];
  const log = createLogger({ level: 'debug', write: (l) => logs.push(JSON.parse(l)) });
  observe = createObserver({ metrics, activity, log, now: () => NOW });
});

/** The log lines without their time. */
const lines = () => logs.map(({ time: _, ...l }) => l);

describe('observe: one outcome, one counter, one activity entry, one log line', () => {
  it('a refused LINE webhook', () => {
    observe({ kind: 'refused', source: 'line', status: 401, error: 'signature_invalid', message: 'x-line-signature does not match', channel: th });
    expect(metrics.render()).toBe(
      '# TYPE line_genesys_webhooks_total counter\nline_genesys_webhooks_total{source="line",result="401"} 1\n' +
        '# TYPE line_genesys_refusals_total counter\nline_genesys_refusals_total{source="line",reason="signature_invalid"} 1\n',
    );
    expect(seen).toEqual([
      { direction: 'in', stage: 'webhook', status: 'refused', type: 'signature_invalid', httpStatus: 401, detail: 'x-line-signature does not match', channelId: 'th', market: 'TH' },
    ]);
    expect(lines()).toEqual([{ level: 'warn', msg: 'LINE webhook refused', status: 401, reason: 'x-line-signature does not match', channel: 'th' }]);
  });

  it('a refused Genesys webhook, no channel known', () => {
    observe({ kind: 'refused', source: 'genesys', status: 400, error: 'malformed_json', message: 'body is not valid JSON' });
    expect(metrics.get('line_genesys_webhooks_total', { source: 'genesys', result: '400' })).toBe(1);
    expect(seen).toEqual([{ direction: 'out', stage: 'webhook', status: 'refused', type: 'malformed_json', httpStatus: 400, detail: 'body is not valid JSON' }]);
    expect(lines()).toEqual([{ level: 'warn', msg: 'Genesys webhook refused', status: 400, reason: 'body is not valid JSON' }]);
  });

  it('a LINE webhook of two events, one a duplicate: counted, one entry each, no log line', () => {
    observe({ kind: 'received', source: 'line', channel: th, payloads: [inbound, { kind: 'inbound', event: { type: 'follow' } } as JobPayload], ids: [7, null] });
    expect(metrics.render()).toBe(
      [
        '# TYPE line_genesys_webhooks_total counter',
        'line_genesys_webhooks_total{source="line",result="200"} 1',
        '# TYPE line_genesys_events_total counter',
        'line_genesys_events_total{source="line",result="accepted"} 1',
        'line_genesys_events_total{source="line",result="duplicate"} 1',
        '',
      ].join('\n'),
    );
    expect(seen).toEqual([
      { direction: 'in', stage: 'webhook', httpStatus: 200, channelId: 'th', market: 'TH', type: 'message/sticker', source: event, userId: USER, status: 'accepted', jobId: 7 },
      { direction: 'in', stage: 'webhook', httpStatus: 200, channelId: 'th', market: 'TH', type: 'follow', source: { type: 'follow' }, status: 'duplicate' },
    ]);
    expect(logs).toEqual([]);
  });

  it("LINE's verify call (no events): one 'verify' entry", () => {
    observe({ kind: 'received', source: 'line', channel: th, payloads: [], ids: [] });
    expect(metrics.render()).toBe('# TYPE line_genesys_webhooks_total counter\nline_genesys_webhooks_total{source="line",result="200"} 1\n');
    expect(seen).toEqual([{ direction: 'in', stage: 'webhook', httpStatus: 200, channelId: 'th', market: 'TH', status: 'accepted', type: 'verify' }]);
  });

  it('an agent message received: its customer and label', () => {
    observe({ kind: 'received', source: 'genesys', channel: th, payloads: [outbound], ids: [9] });
    expect(metrics.get('line_genesys_events_total', { source: 'genesys', result: 'accepted' })).toBe(1);
    expect(seen).toEqual([{ direction: 'out', stage: 'webhook', httpStatus: 200, channelId: 'th', market: 'TH', type: 'Text', id: 'm-1', source: reply, userId: USER, status: 'accepted', jobId: 9 }]);
  });

  it('nobody watching: counted all the same', () => {
    activity.removeAllListeners();
    observe({ kind: 'received', source: 'line', channel: th, payloads: [inbound], ids: [1] });
    expect(metrics.get('line_genesys_events_total', { source: 'line', result: 'accepted' })).toBe(1);
  });

  it('an inbound delivery: latency from receipt, what Genesys got, a debug line', () => {
    const produced = { text: 'hi' };
    observe({ kind: 'delivered', job: job('inbound', 3), payload: inbound, channel: th, httpStatus: 200, produced });
    expect(metrics.get('line_genesys_deliveries_total', { direction: 'inbound', result: 'delivered' })).toBe(1);
    expect(seen).toEqual([
      { direction: 'in', stage: 'delivery', jobId: 3, channelId: 'th', market: 'TH', type: 'message/sticker', source: event, userId: USER, status: 'delivered', latencyMs: 120, httpStatus: 200, produced },
    ]);
    expect(lines()).toEqual([{ level: 'debug', msg: 'inbound delivered', job: 3, channel: 'th', type: 'message/sticker', latencyMs: 120 }]);
  });

  it('an outbound delivery that failed: the reason the agent reads', () => {
    const receipt = { id: 'm-1', status: 'Failed' };
    observe({ kind: 'failed', job: job('outbound', 4), payload: outbound, channel: th, reason: 'The customer has blocked this LINE account.', produced: receipt });
    expect(metrics.get('line_genesys_deliveries_total', { direction: 'outbound', result: 'failed' })).toBe(1);
    expect(seen).toEqual([
      { direction: 'out', stage: 'delivery', jobId: 4, channelId: 'th', market: 'TH', type: 'Text', id: 'm-1', source: reply, userId: USER, status: 'failed', latencyMs: 120, detail: 'The customer has blocked this LINE account.', produced: receipt },
    ]);
    expect(lines()).toEqual([{ level: 'info', msg: 'outbound not delivered', job: 4, channel: 'th', type: 'Text', reason: 'The customer has blocked this LINE account.' }]);
  });

  it.each([
    ['follow', 'customer followed the account'],
    ['unfollow', 'customer blocked the account'],
  ] as const)('a %s recorded: shown as ignored, logged as "%s"', (kind, msg) => {
    const recorded = { type: kind, source: { type: 'user', userId: USER } };
    const payload = { kind: 'inbound', event: recorded } as JobPayload;
    observe({ kind, job: job('inbound', 5), payload, channel: th, reason: 'why' });
    expect(metrics.get('line_genesys_deliveries_total', { direction: 'inbound', result: kind })).toBe(1);
    expect(seen).toEqual([{ direction: 'in', stage: 'delivery', jobId: 5, channelId: 'th', market: 'TH', type: kind, source: recorded, userId: USER, status: 'ignored', detail: 'why' }]);
    expect(lines()).toEqual([{ level: 'info', msg, channel: 'th' }]);
  });

  it.each([
    ['inbound', inbound, 'LINE event not relayed', 'message/sticker'],
    ['outbound', outbound, 'Genesys message not sent to LINE', 'Text'],
  ] as const)('an %s job ignored: counted, shown with its reason, logged at debug', (kind, payload, msg, type) => {
    observe({ kind: 'ignored', job: job(kind, 6), payload, channel: th, reason: 'not relayed' });
    expect(metrics.get('line_genesys_deliveries_total', { direction: kind, result: 'ignored' })).toBe(1);
    expect(seen).toMatchObject([{ stage: 'delivery', status: 'ignored', detail: 'not relayed', type }]);
    expect(lines()).toEqual([{ level: 'debug', msg, job: 6, channel: 'th', type, reason: 'not relayed' }]);
  });

  it('a typing indicator shown: delivered, no log line', () => {
    observe({ kind: 'typing', job: job('outbound', 8), payload: outbound, channel: th });
    expect(metrics.get('line_genesys_deliveries_total', { direction: 'outbound', result: 'typing' })).toBe(1);
    expect(seen).toMatchObject([{ direction: 'out', stage: 'delivery', status: 'delivered', latencyMs: 120 }]);
    expect(logs).toEqual([]);
  });

  it("the worker's retry and dead letter: counted, shown and logged with the error", () => {
    const error = new UpstreamError({ upstream: 'genesys', operation: 'inbound', status: 503, retriable: true, message: 'Service Unavailable' });
    // The payloads as the store holds them: the live line shows their type and id, not the job's kind.
    observe({ kind: 'retrying', job: { ...job('inbound', 10), payload: JSON.stringify({ event }) }, error, delayMs: 1500 });
    observe({ kind: 'dead', job: { ...job('outbound', 11), payload: JSON.stringify({ candidates: ['th'], message: reply }) }, error: 'gone for good' });
    expect(metrics.get('line_genesys_deliveries_total', { direction: 'inbound', result: 'retrying' })).toBe(1);
    expect(metrics.get('line_genesys_deliveries_total', { direction: 'outbound', result: 'dead' })).toBe(1);
    expect(seen).toEqual([
      { direction: 'in', stage: 'delivery', status: 'retrying', type: 'message/sticker', httpStatus: 503, channelId: 'th', jobId: 10, detail: 'Genesys inbound failed: HTTP 503 — Service Unavailable (retry in 1500 ms)' },
      { direction: 'out', stage: 'delivery', status: 'dead', type: 'Text', id: 'm-1', channelId: 'th', jobId: 11, detail: 'gone for good' },
    ]);
    expect(lines()).toEqual([
      { level: 'warn', msg: 'delivery failed; will retry', job: 10, kind: 'inbound', attempt: 1, retryInMs: 1500, error: 'Genesys inbound failed: HTTP 503 — Service Unavailable' },
      { level: 'error', msg: 'job moved to the dead-letter list', job: 11, kind: 'outbound', attempts: 1, error: 'gone for good' },
    ]);
  });
});

describe('observe: how an agent’s message reached LINE', () => {
  it('counts each accepted request by API and channel, and labels the delivery "reply (free)" or "push"', () => {
    observe({ kind: 'line-request', api: 'reply', channel: th });
    observe({ kind: 'line-request', api: 'push', channel: th });
    observe({ kind: 'line-request', api: 'push', channel: th });
    expect(metrics.render()).toBe(
      '# TYPE line_genesys_line_messages_total counter\n' +
        'line_genesys_line_messages_total{api="push",channel="th"} 2\nline_genesys_line_messages_total{api="reply",channel="th"} 1\n',
    );
    observe({ kind: 'delivered', job: job('outbound', 7), payload: outbound, channel: th, api: 'reply' });
    observe({ kind: 'delivered', job: job('outbound', 8), payload: outbound, channel: th, api: 'push' });
    expect(seen.map((a) => [a.jobId, a.api, a.detail])).toEqual([
      [7, 'reply', 'reply (free)'],
      [8, 'push', 'push'],
    ]);
  });
});
