/**
 * Typed errors. Each carries a stable `code`, an actionable `hint`, the HTTP status a receiver
 * answers with, and the exit code the CLI exits with. Messages never contain secrets.
 */
export interface ErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class LineGenesysError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly status: number;
  readonly exitCode: number;

  constructor(code: string, message: string, opts: ErrorOptions & { status?: number; exitCode?: number } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = opts.hint;
    this.status = opts.status ?? 500;
    this.exitCode = opts.exitCode ?? 1;
  }

  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}) };
  }
}

/** A setting is missing or malformed. Names the setting and how to fix it. */
export class ConfigError extends LineGenesysError {
  readonly setting: string;
  constructor(setting: string, message: string, opts: ErrorOptions = {}) {
    super('CONFIG_INVALID', `${setting}: ${message}`, { ...opts, exitCode: 1 });
    this.setting = setting;
  }
}

/** The command line was used wrongly (exit code 2). */
export class UsageError extends LineGenesysError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super('USAGE', message, { ...opts, status: 400, exitCode: 2 });
  }
}

/** A request the relay refuses: bad JSON (400), too large (413), unknown channel (404), wrong method (405). */
export class RequestError extends LineGenesysError {
  constructor(code: string, status: number, message: string, opts: ErrorOptions = {}) {
    super(code, message, { ...opts, status });
  }
}

export type Upstream = 'line' | 'genesys';

/**
 * An answer from LINE or Genesys that was not a success, or no answer at all.
 * `retriable` says whether the same request may succeed later; `retryAfterMs` is the wait the
 * upstream asked for (429/503 Retry-After), when it said. `authentication` marks our credentials
 * refused (a 401; a 403 from Genesys's login): not retriable, but the worker retries it for
 * `relay.authRetryWindow`, since a secret being rotated heals once the relay has the new one.
 */
export class UpstreamError extends LineGenesysError {
  readonly upstream: Upstream;
  readonly upstreamStatus: number | undefined;
  readonly body: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retriable: boolean;
  readonly authentication: boolean;
  readonly operation: string;
  /** What the upstream said (its error message or body, summarised), without our framing. */
  readonly detail: string;

  constructor(init: {
    upstream: Upstream;
    operation: string;
    status?: number;
    body?: string;
    retryAfterMs?: number;
    retriable?: boolean;
    authentication?: boolean;
    message?: string;
    hint?: string;
    cause?: unknown;
  }) {
    const status = init.status;
    const retriable = init.retriable ?? (status === undefined || status === 429 || status === 408 || status >= 500);
    const what = status === undefined ? 'no answer' : `HTTP ${status}`;
    const detail = init.message ?? summariseBody(init.body);
    super(
      `${init.upstream.toUpperCase()}_${status ?? 'NETWORK'}`,
      `${init.upstream === 'line' ? 'LINE' : 'Genesys'} ${init.operation} failed: ${what}${detail ? ` — ${detail}` : ''}`,
      { hint: init.hint ?? defaultHint(init.upstream, status), cause: init.cause, status: 502 },
    );
    this.upstream = init.upstream;
    this.upstreamStatus = status;
    this.body = init.body;
    this.retryAfterMs = init.retryAfterMs;
    this.retriable = retriable;
    this.authentication = init.authentication ?? status === 401;
    this.operation = init.operation;
    this.detail = detail;
  }
}

function summariseBody(body: string | undefined): string {
  if (!body) return '';
  try {
    const parsed = JSON.parse(body) as { message?: unknown; details?: Array<{ message?: string; property?: string }>; error_description?: unknown };
    const parts: string[] = [];
    if (typeof parsed.message === 'string') parts.push(parsed.message);
    if (typeof parsed.error_description === 'string') parts.push(parsed.error_description);
    for (const d of parsed.details ?? []) parts.push([d.property, d.message].filter(Boolean).join(': '));
    if (parts.length) return parts.join('; ').slice(0, 300);
  } catch {
    /* not JSON */
  }
  return body.slice(0, 200);
}

function defaultHint(upstream: Upstream, status: number | undefined): string | undefined {
  if (status === undefined) return `Check that the ${upstream === 'line' ? 'LINE' : 'Genesys'} API base URL is reachable.`;
  if (status === 401) {
    return upstream === 'line'
      ? 'The channel access token was refused: issue a new long-lived token in the LINE Developers console.'
      : 'The OAuth client was refused: check GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET and the region.';
  }
  if (status === 403) {
    return upstream === 'line'
      ? 'LINE does not allow this call for the channel (plan, permission, or the user cannot receive it).'
      : 'The OAuth client lacks a permission: give its role "Conversation > Message > Create" and "Messaging > Integration > All".';
  }
  return undefined;
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(v);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

/** A webhook body that parsed but is not the shape the relay needs (HTTP 400); `field` names the part that is wrong. */
export class BodyShapeError extends RequestError {
  readonly field: string;
  constructor(field: string, expected: string) {
    super('MALFORMED_BODY', 400, `${field} must be ${expected}`);
    this.field = field;
  }
}

/** Whether `e` is an upstream refusing the relay's credentials (see UpstreamError). */
export function isAuthFailure(e: unknown): e is UpstreamError {
  return e instanceof UpstreamError && e.authentication;
}

/**
 * Whether a failed delivery is worth another attempt. An upstream says so itself; our own typed errors
 * are decisions (a refusal, a message that cannot be read); a system error (ECONNRESET, SQLITE_BUSY, …)
 * is passing. Anything else is a bug that fails the same way every time: retrying it would hold the
 * customer's later messages behind it for a day.
 */
export function isRetriable(e: unknown): boolean {
  if (e instanceof UpstreamError) return e.retriable;
  if (e instanceof LineGenesysError) return false;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code);
}
