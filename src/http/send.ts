/**
 * Writes an answer on a node:http response: a Buffer as bytes, a string as text, anything else as
 * JSON, with its length. The relay, both emulators and the inspector answer through it.
 */
import type { ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export function send(res: ServerResponse, r: Reply): void {
  const isBuffer = Buffer.isBuffer(r.body);
  const payload =
    r.body === undefined ? undefined : isBuffer || typeof r.body === 'string' ? (r.body as Buffer | string) : JSON.stringify(r.body);
  const headers: Record<string, string | number> = {
    ...(payload === undefined
      ? {}
      : { 'content-type': isBuffer ? 'application/octet-stream' : typeof r.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json' }),
    ...r.headers,
  };
  if (payload !== undefined) headers['content-length'] = Buffer.byteLength(payload);
  res.writeHead(r.status, headers);
  res.end(res.req?.method === 'HEAD' ? undefined : payload);
}
