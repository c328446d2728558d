/**
 * Reads a request's raw body, refusing (413) past a limit without buffering the excess, and (408)
 * when the client goes silent mid-body for `idleMs`. A client that hangs up mid-body is ABORTED.
 */
import type { IncomingMessage } from 'node:http';
import { RequestError } from '../errors.js';

export function readBody(req: IncomingMessage, limit: number, idleMs = 0): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    let idle: NodeJS.Timeout | undefined;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      chunks.length = 0;
      clearTimeout(idle);
      reject(e);
    };
    const rearm = () => {
      if (idleMs <= 0) return;
      clearTimeout(idle);
      idle = setTimeout(() => fail(new RequestError('REQUEST_TIMEOUT', 408, `no part of the body came for ${idleMs} ms`)), idleMs);
    };
    rearm();
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      rearm();
      size += chunk.length;
      if (size > limit) return fail(tooLarge(limit));
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(idle);
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', (e) => fail(req.aborted || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? aborted() : e));
  });
}

function tooLarge(limit: number): RequestError {
  return new RequestError('PAYLOAD_TOO_LARGE', 413, `request body is over ${limit} bytes`);
}

function aborted(): RequestError {
  return new RequestError('ABORTED', 400, 'the client closed the connection before the body ended');
}
