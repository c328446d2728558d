/**
 * What happened to each webhook and delivery, as a stream for `dev`'s live lines and the inspector.
 * Nothing here is needed for relaying: with no listener it costs an emit.
 */
import { EventEmitter } from 'node:events';

export type ActivityStatus = 'accepted' | 'duplicate' | 'refused' | 'delivered' | 'failed' | 'ignored' | 'retrying' | 'dead';

export interface Activity {
  at: number;
  /** 'in': LINE → Genesys; 'out': Genesys → LINE. */
  direction: 'in' | 'out';
  /** 'webhook' when received, 'delivery' when the worker acted. */
  stage: 'webhook' | 'delivery';
  status: ActivityStatus;
  type: string;
  /** The event's id as people see it: LINE's webhookEventId, or the Genesys message id (as `simulate` prints it). */
  id?: string;
  channelId?: string;
  market?: string;
  /** The HTTP status of the webhook's answer, or of the other platform's answer to the delivery. */
  httpStatus?: number;
  latencyMs?: number;
  jobId?: number;
  /** The customer (LINE user id). */
  userId?: string;
  detail?: string;
  /** How an agent's message reached LINE: the free reply API, or a push counted against the quota. */
  api?: 'reply' | 'push';
  /** Payloads for the inspector: what came in, what we produced, what the other side answered. */
  source?: unknown;
  produced?: unknown;
}

export class ActivityFeed extends EventEmitter<{ activity: [Activity] }> {
  /** Whether anyone listens: callers skip building reports nobody reads. */
  get watched(): boolean {
    return this.listenerCount('activity') > 0;
  }

  report(a: Omit<Activity, 'at'> & { at?: number }): void {
    if (!this.watched) return;
    this.emit('activity', { at: Date.now(), ...a });
  }
}
