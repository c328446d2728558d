/**
 * One HTTP call to LINE or Genesys over a shared undici keep-alive pool, with a timeout, turned into
 * either a response or an UpstreamError. The clients in line/ and genesys/ are built on it.
 */
import { Agent, type Dispatcher, request } from 'undici';
import { parseRetryAfter, UpstreamError, type Upstream } from './errors.js';

let sharedAgent: Agent | undefined;

/** The process-wide keep-alive pool for upstream calls. */
export function defaultDispatcher(): Dispatcher {
  sharedAgent ??= new Agent({ connections: 128, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, pipelining: 1 });
  return sharedAgent;
}

export interface CallOptions {
  upstream: Upstream;
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  /** Statuses that are answers, not errors (e.g. 404 for "no such profile"). 2xx always are. */
  accept?: readonly number[];
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text(): string;
  json<T>(): T;
}

export async function call(opts: CallOptions): Promise<CallResult> {
  const headers: Record<string, string> = { 'user-agent': 'line-genesys', ...opts.headers };
  let body: string | Buffer | undefined;
  if (opts.body !== undefined) {
    if (typeof opts.body === 'string' || Buffer.isBuffer(opts.body)) body = opts.body;
    else {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  const timeout = opts.timeoutMs ?? 10_000;
  let res: Dispatcher.ResponseData;
  try {
    res = await request(opts.url, {
      method: opts.method,
      headers,
      body,
      dispatcher: opts.dispatcher ?? defaultDispatcher(),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  } catch (cause) {
    throw new UpstreamError({
      upstream: opts.upstream,
      operation: opts.operation,
      retriable: true,
      message: (cause as Error).message,
      cause,
    });
  }
  const buf = Buffer.from(await res.body.arrayBuffer());
  const result: CallResult = {
    status: res.statusCode,
    headers: res.headers,
    body: buf,
    text: () => buf.toString('utf8'),
    json: <T>() => JSON.parse(buf.toString('utf8')) as T,
  };
  if ((res.statusCode >= 200 && res.statusCode < 300) || opts.accept?.includes(res.statusCode)) return result;
  throw new UpstreamError({
    upstream: opts.upstream,
    operation: opts.operation,
    status: res.statusCode,
    body: result.text().slice(0, 2000),
    retryAfterMs: parseRetryAfter(res.headers['retry-after']),
  });
}
