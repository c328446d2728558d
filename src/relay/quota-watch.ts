/**
 * Each channel's monthly LINE message quota, read every `quotaRefreshMs` for the gauges of /metrics,
 * with a warning log when use crosses 80 % and 95 % of the limit (once per threshold, channel and
 * month). The first read starts with the relay and never holds it up; a channel whose reading fails
 * is logged once, until a reading succeeds again. Each warning is also emitted as a 'near' event
 * (QuotaNear), which `dev` prints as a live line.
 */
import { EventEmitter } from 'node:events';
import type { ChannelConfig } from '../config.js';
import type { LineClient, MonthlyQuota } from '../line/client.js';
import type { Logger } from '../log.js';

export interface QuotaWatchOptions {
  channels: ChannelConfig[];
  line(channelId: string): LineClient;
  log: Logger;
  now(): number;
  intervalMs: number;
  /** Log each warning (default); false when the 'near' event's listener prints it (dev). */
  logNear?: boolean;
}

const THRESHOLDS = [0.95, 0.8];

/** A channel's use crossed a threshold of its monthly limit (80 or 95 %). */
export interface QuotaNear {
  channel: string;
  percent: number;
  used: number;
  limit: number;
  /** YYYY-MM, UTC. */
  month: string;
}

export class QuotaWatch extends EventEmitter<{ near: [QuotaNear] }> {
  readonly readings = new Map<string, MonthlyQuota>();
  /** Per channel: the month (YYYY-MM, UTC) and the thresholds already warned of in it. */
  private readonly warned = new Map<string, { month: string; at: Set<number> }>();
  private readonly failing = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly o: QuotaWatchOptions) {
    super();
  }

  start(): void {
    if (this.o.intervalMs <= 0 || this.timer) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.o.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Reads every channel once (a read still under way is joined, not doubled). */
  refresh(): Promise<void> {
    this.running ??= Promise.all(this.o.channels.map((c) => this.read(c))).then(() => {
      this.running = undefined;
    });
    return this.running;
  }

  gauges(): Record<string, Array<[Record<string, string>, number]>> {
    const rows = [...this.readings];
    return {
      line_genesys_line_quota_limit: rows.flatMap(([channel, r]) => (r.limit === null ? [] : [[{ channel }, r.limit] as [Record<string, string>, number]])),
      line_genesys_line_quota_used: rows.map(([channel, r]) => [{ channel }, r.used]),
    };
  }

  private async read(c: ChannelConfig): Promise<void> {
    try {
      const reading = await this.o.line(c.id).monthlyQuota();
      this.readings.set(c.id, reading);
      if (this.failing.delete(c.id)) this.o.log.info('LINE quota readable again', { channel: c.id });
      this.warnIfNear(c.id, reading);
    } catch (e) {
      if (this.failing.has(c.id)) return;
      this.failing.add(c.id);
      this.o.log.warn('cannot read the LINE message quota (logged once until it can)', { channel: c.id, error: (e as Error).message });
    }
  }

  private warnIfNear(channel: string, r: MonthlyQuota): void {
    if (r.limit === null || r.limit <= 0) return;
    const month = new Date(this.o.now()).toISOString().slice(0, 7);
    let w = this.warned.get(channel);
    if (w?.month !== month) this.warned.set(channel, (w = { month, at: new Set() }));
    const crossed = THRESHOLDS.find((t) => r.used >= t * r.limit!);
    if (crossed === undefined || w.at.has(crossed)) return;
    for (const t of THRESHOLDS) if (t <= crossed) w.at.add(t);
    const percent = Math.round(crossed * 100);
    if (this.o.logNear !== false) this.o.log.warn(`LINE message quota ${percent} % used`, { channel, used: r.used, limit: r.limit, month });
    this.emit('near', { channel, percent, used: r.used, limit: r.limit, month });
  }
}
