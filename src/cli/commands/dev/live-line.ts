/**
 * One line per relay event for `dev`: dim time, `-->` LINE → Genesys or `<--` Genesys → LINE, the
 * channel and market, the event type in bold, the result coloured by class, the latency, the event's
 * id (as `simulate` prints it) and the job.
 * With --json the same event is one JSON object per line.
 */
import type { ChalkInstance } from 'chalk';
import { printable } from '../../../log.js';
import type { Activity } from '../../../relay/activity.js';

export type ResultClass = 'ok' | 'muted' | 'warn' | 'fail';

/** How an event went, for its colour: delivered/accepted ok; duplicate/ignored muted; retrying/4xx warn; failed/dead/5xx fail. */
export function resultClass(a: Pick<Activity, 'status' | 'httpStatus'>): ResultClass {
  switch (a.status) {
    case 'failed':
    case 'dead':
      return 'fail';
    case 'retrying':
      return 'warn';
    case 'refused':
      return (a.httpStatus ?? 0) >= 500 ? 'fail' : 'warn';
    case 'duplicate':
    case 'ignored':
      return 'muted';
    default:
      return a.httpStatus !== undefined ? httpClass(a.httpStatus) : 'ok';
  }
}

export function httpClass(status: number): ResultClass {
  if (status >= 500) return 'fail';
  if (status >= 400) return 'warn';
  return 'ok';
}

function paint(c: ChalkInstance, cls: ResultClass, text: string): string {
  return cls === 'ok' ? c.green(text) : cls === 'warn' ? c.yellow(text) : cls === 'fail' ? c.red(text) : c.gray(text);
}

export function clock(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Wide enough for the longest labels (`Structured/QuickReply`, `Structured/Attachment`); a longer one is cut. */
const TYPE_WIDTH = 21;
/** A Genesys message id (32 hex digits) is the longest id; a webhookEventId (a ULID) is 26. */
const ID_WIDTH = 32;

function column(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/**
 * `12:03:04 --> th TH  message/text  200 accepted  <event id>  job 3`. Every text field may come
 * from an unsigned request (a channel id in the path is in the refusal's detail): printed escaped.
 */
export function formatActivity(raw: Activity, c: ChalkInstance): string {
  const a = { ...raw, type: printable(raw.type), status: printable(raw.status) as Activity['status'] };
  for (const k of ['channelId', 'market', 'detail', 'id'] as const) if (raw[k] !== undefined) a[k] = printable(raw[k]);
  const arrow = a.direction === 'in' ? c.cyan('-->') : c.magenta('<--');
  const where = [a.channelId ?? '?', a.market].filter(Boolean).join(' ').padEnd(6);
  const type = c.bold(column(a.type, TYPE_WIDTH));
  const code = a.httpStatus !== undefined ? `${paint(c, httpClass(a.httpStatus), String(a.httpStatus))} ` : '';
  const result = `${code}${paint(c, resultClass(a), a.status)}`;
  const width = (a.httpStatus !== undefined ? String(a.httpStatus).length + 1 : 0) + a.status.length;
  const latency = a.latencyMs !== undefined ? `${a.latencyMs} ms` : '';
  const parts = [c.dim(clock(a.at)), arrow, where, type, result + ' '.repeat(Math.max(0, 14 - width)), latency.padStart(7)];
  if (a.id !== undefined || a.jobId !== undefined) parts.push(c.dim(column(a.id ?? '', ID_WIDTH)));
  if (a.jobId !== undefined) parts.push(c.dim(`job ${a.jobId}`));
  if (a.detail) parts.push(c.dim(`— ${a.detail}`));
  return parts.join(' ').trimEnd();
}

/** --verbose: what came in and what went out, one indented line each, under the event's line. */
export function activityBodies(a: Pick<Activity, 'source' | 'produced'>): string[] {
  const body = (label: string, v: unknown) => (v === undefined ? [] : [`    ${label.padEnd(4)} ${printable(typeof v === 'string' ? v : JSON.stringify(v))}`]);
  return [...body('in', a.source), ...body('out', a.produced)];
}

/** The event for --json: every field but the payloads, which only --verbose adds. */
export function activityRecord(a: Activity, verbose = false): Record<string, unknown> {
  const { source, produced, ...rest } = a;
  return {
    event: 'activity',
    ...rest,
    time: new Date(a.at).toISOString(),
    ...(verbose && source !== undefined ? { source } : {}),
    ...(verbose && produced !== undefined ? { produced } : {}),
  };
}
