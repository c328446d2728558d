/**
 * Where each recent event stands, by the id people see (its webhookEventId, or the Genesys message
 * id): for GET /deliveries/<id>, which `simulate --wait` polls. Held in memory and bounded: the
 * oldest is forgotten first. Only the state and the reason, never the message.
 */
import type { JobPayload } from './jobs.js';
import type { WebhookResponse } from './types.js';
import { setBounded } from './bounded-map.js';

export type DeliveryState = 'accepted' | 'retrying' | 'delivered' | 'failed' | 'ignored' | 'dead';

export interface DeliveryOutcome {
  id: string;
  state: DeliveryState;
  detail?: string;
  httpStatus?: number;
}

const LIMIT = 1000;

export class RecentOutcomes {
  private byId = new Map<string, DeliveryOutcome>();

  set(id: string | undefined, outcome: Omit<DeliveryOutcome, 'id'>): void {
    if (!id) return;
    setBounded(this.byId, id, { id, ...outcome }, LIMIT);
  }

  get(id: string): DeliveryOutcome | undefined {
    return this.byId.get(id);
  }
}

/** The id people see for what a job carries. */
export function eventIdOf(p: JobPayload): string | undefined {
  if (p.kind === 'outbound') return p.message.id;
  const id = (p.event as { webhookEventId?: unknown }).webhookEventId;
  return typeof id === 'string' ? id : undefined;
}

/** GET /deliveries/<id>: where the event stands, or 404 when this relay has not seen it lately. */
export function delivery(ctx: { outcomes: RecentOutcomes }, rawId: string): WebhookResponse {
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    return { status: 400, body: { error: 'malformed_path', message: 'the id in the path is not valid percent-encoding' } };
  }
  const found = ctx.outcomes.get(id);
  return found ? { status: 200, body: found } : { status: 404, body: { error: 'unknown_event', message: 'this relay has seen no event with this id lately' } };
}
