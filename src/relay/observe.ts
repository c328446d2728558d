/**
 * What the relay tells about each webhook and delivery, in one place: an outcome becomes a counter
 * for GET /metrics, an entry of the activity feed (`dev`'s live lines, the inspector) and a log line.
 */
import type { ChannelConfig } from '../config.js';
import { UpstreamError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Job } from '../store/store.js';
import { eventCustomerId } from '../transform/to-genesys.js';
import type { Activity, ActivityFeed } from './activity.js';
import { decode, label, type JobPayload } from './jobs.js';
import { createLogThrottle } from './log-throttle.js';
import type { Metrics } from './metrics.js';
import { eventIdOf, RecentOutcomes, type DeliveryOutcome } from './outcomes.js';

/** `http`: refused at the door, before any receiver (a body too large, too slow, cut off; a bad path). */
type Source = 'line' | 'genesys' | 'http';

/** A job the worker finished with, what it carried and the channel it went through. */
interface Delivery {
  job: Job;
  payload: JobPayload;
  channel: ChannelConfig | undefined;
}

export type Outcome =
  /** A webhook answered with an error. */
  | { kind: 'refused'; source: Source; status: number; error: string; message: string; channel?: ChannelConfig }
  /** A webhook answered 200: the jobs it carried and, in the same order, their ids (null: a duplicate). None is LINE's verify call. */
  | { kind: 'received'; source: Source; channel: ChannelConfig | undefined; payloads: JobPayload[]; ids: Array<number | null> }
  /** `api`: how an agent's message reached LINE (its first request): the free reply API or a push. */
  | (Delivery & { kind: 'delivered'; httpStatus?: number; produced?: unknown; api?: LineApi })
  /** The agent is told the message did not go out. */
  | (Delivery & { kind: 'failed'; reason: string; produced?: unknown })
  | (Delivery & { kind: 'follow' | 'unfollow'; reason: string })
  | (Delivery & { kind: 'ignored'; reason: string })
  | (Delivery & { kind: 'typing' })
  /** A request LINE accepted for a customer: a reply is free, a push counts against the monthly quota. */
  | { kind: 'line-request'; api: LineApi; channel: ChannelConfig }
  /** The worker's verdict on a failed attempt (the worker writes its own log line). */
  | { kind: 'retrying'; job: Job; error: unknown; delayMs: number }
  | { kind: 'dead'; job: Job; error: unknown };

export interface ObserverOptions {
  metrics: Metrics;
  activity: ActivityFeed;
  /** Where each recent event stands, for GET /deliveries/<id>. */
  outcomes?: RecentOutcomes;
  log: Logger;
  now(): number;
  /** A refusal repeated for the same reason is logged once per interval, with its count (0: each). */
  refusalLogIntervalMs?: number;
  /** false when something else prints each refusal (dev's live lines): no second line for it. */
  logRefusals?: boolean;
}

type LineApi = 'reply' | 'push';
const API_LABEL = { reply: 'reply (free)', push: 'push' } as const;

const DIRECTION = { line: 'in', genesys: 'out', http: 'in', inbound: 'in', outbound: 'out' } as const;
const NAME = { line: 'LINE', genesys: 'Genesys', http: 'HTTP' } as const;

export function createObserver({ metrics, activity, outcomes = new RecentOutcomes(), log, now, refusalLogIntervalMs = 0, logRefusals = true }: ObserverOptions): (o: Outcome) => void {
  const warnRefused = createLogThrottle(refusalLogIntervalMs, (msg, fields) => log.warn(msg, fields));
  return function observe(o) {
    switch (o.kind) {
      case 'refused':
        metrics.inc('line_genesys_webhooks_total', { source: o.source, result: String(o.status) });
        metrics.inc('line_genesys_refusals_total', { source: o.source, reason: o.error });
        activity.report({
          direction: DIRECTION[o.source],
          stage: 'webhook',
          status: 'refused',
          type: o.error,
          httpStatus: o.status,
          detail: o.message,
          ...where(o.channel),
        });
        if (logRefusals) warnRefused(`${o.source}:${o.error}`, `${NAME[o.source]} ${o.source === 'http' ? 'request' : 'webhook'} refused`, {
          status: o.status,
          reason: o.message,
          ...(o.channel ? { channel: o.channel.id } : {}),
        });
        return;
      case 'received': {
        const duplicates = o.ids.reduce<number>((n, id) => n + (id === null ? 1 : 0), 0);
        metrics.inc('line_genesys_webhooks_total', { source: o.source, result: '200' });
        if (o.payloads.length) metrics.inc('line_genesys_events_total', { source: o.source, result: 'accepted' }, o.payloads.length - duplicates);
        if (duplicates) metrics.inc('line_genesys_events_total', { source: o.source, result: 'duplicate' }, duplicates);
        o.payloads.forEach((payload, i) => {
          if (o.ids[i] != null) outcomes.set(eventIdOf(payload), { state: 'accepted' });
        });
        // Built only when someone watches: a webhook costs no allocation here otherwise.
        if (!activity.watched) return;
        const base = { direction: DIRECTION[o.source], stage: 'webhook', httpStatus: 200, ...where(o.channel) } as const;
        if (o.payloads.length === 0) activity.report({ ...base, status: 'accepted', type: 'verify' });
        o.payloads.forEach((payload, i) => {
          const id = o.ids[i] ?? null;
          activity.report({ ...base, ...about(payload), status: id === null ? 'duplicate' : 'accepted', ...(id !== null ? { jobId: id } : {}) });
        });
        return;
      }
      case 'line-request':
        metrics.inc('line_genesys_line_messages_total', { api: o.api, channel: o.channel.id });
        return;
      case 'retrying':
      case 'dead': {
        const error = o.error instanceof Error ? o.error.message : String(o.error);
        const payload = readPayload(o.job);
        if (o.kind === 'dead') log.error('job moved to the dead-letter list', { job: o.job.id, kind: o.job.kind, attempts: o.job.attempts + 1, error });
        else log.warn('delivery failed; will retry', { job: o.job.id, kind: o.job.kind, attempt: o.job.attempts + 1, retryInMs: o.delayMs, error });
        metrics.inc('line_genesys_deliveries_total', { direction: o.job.kind, result: o.kind });
        const upstreamStatus = o.error instanceof UpstreamError ? o.error.upstreamStatus : undefined;
        outcomes.set(payload && eventIdOf(payload), { state: o.kind, detail: error, ...(upstreamStatus !== undefined ? { httpStatus: upstreamStatus } : {}) });
        activity.report({
          direction: DIRECTION[o.job.kind],
          stage: 'delivery',
          status: o.kind,
          type: payload ? label(payload) : o.job.kind,
          ...(payload && eventIdOf(payload) ? { id: eventIdOf(payload)! } : {}),
          ...(upstreamStatus !== undefined ? { httpStatus: upstreamStatus } : {}),
          channelId: o.job.channelId,
          jobId: o.job.id,
          detail: `${error}${o.kind === 'retrying' ? ` (retry in ${o.delayMs} ms)` : ''}`,
        });
        return;
      }
      default:
        delivery(o);
    }
  };

  function delivery(o: Exclude<Outcome, { kind: 'refused' | 'received' | 'line-request' | 'retrying' | 'dead' }>): void {
    const { job, payload, channel } = o;
    metrics.inc('line_genesys_deliveries_total', { direction: job.kind, result: o.kind });
    const type = label(payload);
    const latencyMs = now() - job.receivedAt;
    outcomes.set(eventIdOf(payload), outcomeOf(o));
    if (activity.watched) {
      const base = { direction: DIRECTION[job.kind], stage: 'delivery', jobId: job.id, ...where(channel), ...about(payload) } as const;
      switch (o.kind) {
        case 'delivered':
          activity.report({
            ...base,
            status: 'delivered',
            latencyMs,
            ...(o.httpStatus !== undefined ? { httpStatus: o.httpStatus } : {}),
            ...(o.produced !== undefined ? { produced: o.produced } : {}),
            ...(o.api ? { api: o.api, detail: API_LABEL[o.api] } : {}),
          });
          break;
        case 'typing':
          activity.report({ ...base, status: 'delivered', latencyMs });
          break;
        case 'failed':
          activity.report({ ...base, status: 'failed', latencyMs, detail: o.reason, ...(o.produced !== undefined ? { produced: o.produced } : {}) });
          break;
        default:
          activity.report({ ...base, status: 'ignored', detail: o.reason });
      }
    }
    const fields = { job: job.id, channel: channel?.id, type };
    switch (o.kind) {
      case 'delivered':
        log.debug(`${job.kind} delivered`, { ...fields, latencyMs });
        return;
      case 'failed':
        log.info(`${job.kind} not delivered`, { ...fields, reason: o.reason });
        return;
      case 'follow':
      case 'unfollow':
        log.info(`customer ${o.kind === 'unfollow' ? 'blocked' : 'followed'} the account`, { channel: channel?.id });
        return;
      case 'ignored':
        log.debug(job.kind === 'inbound' ? 'LINE event not relayed' : 'Genesys message not sent to LINE', { ...fields, reason: o.reason });
        return;
    }
  }
}

function outcomeOf(o: Exclude<Outcome, { kind: 'refused' | 'received' | 'line-request' | 'retrying' | 'dead' }>): Omit<DeliveryOutcome, 'id'> {
  switch (o.kind) {
    case 'delivered':
      return { state: 'delivered', ...(o.httpStatus !== undefined ? { httpStatus: o.httpStatus } : {}) };
    case 'typing':
      return { state: 'delivered' };
    case 'failed':
      return { state: 'failed', detail: o.reason };
    default:
      return { state: 'ignored', detail: o.reason };
  }
}

function where(channel: ChannelConfig | undefined): Pick<Activity, 'channelId' | 'market'> {
  return channel ? { channelId: channel.id, market: channel.market } : {};
}

/** The label, the customer and the payload itself, as the activity feed shows a job. */
function about(p: JobPayload): Pick<Activity, 'type' | 'id' | 'userId' | 'source'> {
  const userId = p.kind === 'inbound' ? eventCustomerId(p.event) : p.message.channel.to.id;
  const id = eventIdOf(p);
  return { type: label(p), ...(id ? { id } : {}), source: p.kind === 'inbound' ? p.event : p.message, ...(userId ? { userId } : {}) };
}

/** What a job the worker retries or gave up on carries; none when its payload cannot be read (the error says so). */
function readPayload(job: Job): JobPayload | undefined {
  try {
    return decode(job);
  } catch {
    return undefined;
  }
}
