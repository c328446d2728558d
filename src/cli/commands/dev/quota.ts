/**
 * Each channel's LINE message quota in `dev`: its text in the Ready banner (`th 120 / 500 (24 %)`),
 * and the live line printed when the quota watcher warns (80 % and 95 % of the month's limit).
 */
import type { ChalkInstance } from 'chalk';
import type { MonthlyQuota } from '../../../line/client.js';
import type { QuotaNear } from '../../../relay/quota-watch.js';
import { clock } from './live-line.js';

/** Channel id -> its reading; undefined: not read (yet, or LINE did not answer). */
export type QuotaReadings = Array<{ channel: string; reading: MonthlyQuota | undefined }>;

export function quotaText(q: MonthlyQuota | undefined): string {
  if (!q) return 'not read yet';
  if (q.limit === null) return `${q.used} sent, no limit`;
  return `${q.used} / ${q.limit} (${q.limit > 0 ? Math.floor((q.used / q.limit) * 100) : 100} %)`;
}

/** The banner's value: `th 120 / 500 (24 %) · tw 3 sent, no limit`. */
export function formatQuotas(readings: QuotaReadings, c: ChalkInstance): string {
  return readings.map((r) => `${r.channel} ${quotaText(r.reading)}`).join(c.dim(' · '));
}

export function quotaRecords(readings: QuotaReadings): Array<{ channel: string; limit: number | null; used: number | null }> {
  return readings.map((r) => ({ channel: r.channel, limit: r.reading?.limit ?? null, used: r.reading?.used ?? null }));
}

/** `12:03:04 !!! th LINE quota 80 % used: 400 / 500 messages this month (2026-11)`, yellow; red from 95 %. */
export function formatQuotaWarning(n: QuotaNear, at: number, c: ChalkInstance): string {
  const paint = n.percent >= 95 ? c.red : c.yellow;
  return `${c.dim(clock(at))} ${paint('!!!')} ${n.channel} ${paint(`LINE quota ${n.percent} % used`)}: ${n.used} / ${n.limit} messages this month (${n.month})`;
}

export function quotaWarningRecord(n: QuotaNear): Record<string, unknown> {
  return { event: 'quota', ...n };
}
