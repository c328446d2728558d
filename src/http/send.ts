/**
 * Writes an answer on a node:http response: a Buffer as bytes, a string as text, a Readable streamed
 * as it comes (its length is the caller's header), anything else as JSON, with its length. The relay,
 * both emulators and the inspector answer through it.
 */
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export function send(res: ServerResponse, r: Reply): void {
  if (r.body instanceof Readable) return sendStream(res, r, r.body);
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

/** A stream at the pace the client reads it; a HEAD gets the headers only. A client gone mid-way stops the read. */
function sendStream(res: ServerResponse, r: Reply, body: Readable): void {
  res.writeHead(r.status, { 'content-type': 'application/octet-stream', ...r.headers });
  if (res.req?.method === 'HEAD') {
    body.destroy();
    res.end();
    return;
  }
  pipeline(body, res).catch(() => res.destroy());
}
