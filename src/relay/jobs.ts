/**
 * What a queued job carries, from the receiver that writes it to the deliverer and `queue` that read
 * it: one type, its encoding as the job's `payload` text, a checked decoding, and a short label.
 * The kind is the job's own column, so the payload text does not repeat it.
 */
import type { webhook } from '@line/bot-sdk';
import { BodyShapeError, LineGenesysError } from '../errors.js';
import type { OpenOutboundNormalizedMessage } from '../genesys/types.js';
import type { Job, JobKind, NewJob } from '../store/store.js';
import { isObject } from './shape.js';
import { validateAgentMessage } from './validate-genesys.js';

export type JobPayload =
  | {
      kind: 'inbound';
      /** The bot user id the webhook was addressed to. */
      destination?: string;
      event: webhook.Event;
    }
  | {
      kind: 'outbound';
      /** Channels the message may go out on, best first (resolved by the worker with `lastChannel`). */
      candidates: string[];
      message: OpenOutboundNormalizedMessage;
    };

export type PayloadOf<K extends JobKind> = Extract<JobPayload, { kind: K }>;

/** A job whose payload is not what its kind needs: a bug or a hand-edited store, never healed by a retry. */
export class JobPayloadError extends LineGenesysError {
  constructor(kind: string, why: string) {
    super('JOB_PAYLOAD_INVALID', `the job's ${kind} payload ${why}`, { hint: 'Inspect it with `line-genesys queue show <id>`; drop it with `line-genesys queue drop <id>`.' });
  }
}

export function encode(p: JobPayload): Pick<NewJob, 'kind' | 'payload'> {
  const { kind, ...rest } = p;
  return { kind, payload: JSON.stringify(rest) };
}

/** The payload of a job, checked for what the deliverer relies on; `expected` also checks the kind. */
export function decode(job: Pick<Job, 'kind' | 'payload'>): JobPayload;
export function decode<K extends JobKind>(job: Pick<Job, 'kind' | 'payload'>, expected: K): PayloadOf<K>;
export function decode(job: Pick<Job, 'kind' | 'payload'>, expected?: JobKind): JobPayload {
  if (expected !== undefined && job.kind !== expected) throw new JobPayloadError(expected, `was expected, but the job is ${job.kind}`);
  let raw: unknown;
  try {
    raw = JSON.parse(job.payload);
  } catch {
    throw new JobPayloadError(job.kind, 'is not JSON');
  }
  if (!isObject(raw)) throw new JobPayloadError(job.kind, 'is not a JSON object');
  switch (job.kind) {
    case 'inbound': {
      const { event, destination } = raw;
      if (!isObject(event) || typeof event.type !== 'string') throw new JobPayloadError(job.kind, 'has no "event" with a type');
      if (destination !== undefined && typeof destination !== 'string') throw new JobPayloadError(job.kind, 'has a "destination" that is not a string');
      return { kind: 'inbound', ...(destination !== undefined ? { destination } : {}), event: event as unknown as webhook.Event };
    }
    case 'outbound': {
      const { candidates, message } = raw;
      if (!Array.isArray(candidates) || !candidates.every((c) => typeof c === 'string')) throw new JobPayloadError(job.kind, 'has no "candidates" list of channel ids');
      if (!isObject(message) || typeof message.id !== 'string' || typeof message.type !== 'string') throw new JobPayloadError(job.kind, 'has no "message" with an id and a type');
      const to = isObject(message.channel) && isObject(message.channel.to) ? message.channel.to.id : undefined;
      if (typeof to !== 'string' || !to) throw new JobPayloadError(job.kind, 'has no "message.channel.to.id" (the customer)');
      try {
        return { kind: 'outbound', candidates: candidates as string[], message: validateAgentMessage(message) };
      } catch (e) {
        if (e instanceof BodyShapeError) throw new JobPayloadError(job.kind, `has a "message" whose ${e.message}`);
        throw e;
      }
    }
    default:
      throw new JobPayloadError(String(job.kind), 'is of no known kind');
  }
}

/** "message/sticker", "follow", "Text", "Structured/Attachment", "event/Typing": for logs, the live view and `queue list`. */
export function label(p: JobPayload): string {
  if (p.kind === 'inbound') {
    const m = (p.event as { message?: { type?: unknown } }).message;
    return p.event.type === 'message' && typeof m?.type === 'string' && m.type ? `message/${m.type}` : p.event.type;
  }
  const m = p.message;
  if (m.type === 'Event') return `event/${m.events?.[0]?.eventType ?? 'unknown'}`;
  const kinds = new Set((m.content ?? []).map((c) => c.contentType));
  return kinds.size ? `${m.type}/${[...kinds].join('+')}` : m.type;
}

/** What an outbound payload that does not decode may still say of itself: enough for a Failed receipt. */
export interface OutboundIdentity {
  messageId: string;
  to: string;
  channelId?: string;
}

/** The agent message's id, its customer and first candidate channel, read loosely; undefined when the payload names none. */
export function outboundIdentity(job: Pick<Job, 'payload'>): OutboundIdentity | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(job.payload);
  } catch {
    return undefined;
  }
  const message = isObject(raw) && isObject(raw.message) ? raw.message : undefined;
  const to = message && isObject(message.channel) && isObject(message.channel.to) ? message.channel.to.id : undefined;
  if (typeof message?.id !== 'string' || typeof to !== 'string') return undefined;
  const first = isObject(raw) && Array.isArray(raw.candidates) ? raw.candidates[0] : undefined;
  return { messageId: message.id, to, ...(typeof first === 'string' ? { channelId: first } : {}) };
}
