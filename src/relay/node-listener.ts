/**
 * The route table on node:http: reads the raw body (POST only, up to a limit, with an idle timeout),
 * routes it, and writes the answer. What the door itself refuses (too large, too slow, cut off) is
 * reported like a receiver's refusal. A failure to store a webhook is a 5xx, which makes the sender retry it:
 * 503 with a Retry-After when the store cannot commit at all (an outage), 500 otherwise.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { LineGenesysError } from '../errors.js';
import { readBody } from '../http/read-body.js';
import { send } from '../http/send.js';
import type { Logger } from '../log.js';
import { StoreUnavailableError } from '../store/batched.js';
import type { Outcome } from './observe.js';
import type { WebhookRequest, WebhookResponse } from './types.js';

export interface NodeListenerOptions {
  maxBodyBytes: number;
  /** Longest silence mid-body before a 408 (0: none). */
  bodyIdleTimeoutMs?: number;
  log: Logger;
  /** Where the door's own refusals are reported (createRelay: the relay's observe); by default a warn line each. */
  observe?(outcome: Outcome): void;
}

const NO_BODY = Buffer.alloc(0);

export function createNodeListener(
  route: (req: WebhookRequest) => Promise<WebhookResponse>,
  { maxBodyBytes, bodyIdleTimeoutMs = 0, log, observe = (o) => log.warn('request refused', o.kind === 'refused' ? { status: o.status, reason: o.message } : {}) }: NodeListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return function handle(req, res) {
    const path = req.url ?? '/';
    const body = req.method === 'POST' ? readBody(req, maxBodyBytes, bodyIdleTimeoutMs) : Promise.resolve(NO_BODY);
    body
      .then((buf) => route({ method: req.method ?? 'GET', path, headers: req.headers, body: buf }))
      .then((r) => send(res, r))
      .catch((e: unknown) => {
        const known = e instanceof LineGenesysError;
        const status = known ? e.status : 500;
        const error = known ? e.code.toLowerCase() : 'internal_error';
        if (status >= 500) log.error('request failed', { path: path.split('?')[0], error: (e as Error).message });
        else observe({ kind: 'refused', source: 'http', status, error, message: (e as Error).message });
        if (res.destroyed) return; // the client is gone (an aborted body): no one to answer
        // The rest of a refused body is not read: the connection cannot carry another request.
        if (status === 413 || status === 408) res.setHeader('connection', 'close');
        if (e instanceof StoreUnavailableError) res.setHeader('retry-after', String(StoreUnavailableError.RETRY_AFTER_SECONDS));
        send(res, { status, body: { error, message: status >= 500 ? 'the relay could not store the request; it will be retried by the sender' : (e as Error).message } });
      });
  };
}

/**
 * node:http's `clientError`: a request that did not arrive in time (headers or whole request) or is
 * not HTTP. Answered as node:http would (408 or 400, then closed), and reported like any refusal.
 */
export function createClientErrorListener(observe: (outcome: Outcome) => void): (err: NodeJS.ErrnoException, socket: Duplex) => void {
  return function onClientError(err, socket) {
    const response = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    // A client gone mid-body: the request's own listener reports it (ABORTED), once.
    if (err.code === 'ECONNRESET' || (err.code === 'HPE_INVALID_EOF_STATE' && response)) return void socket.destroy();
    const [status, error, message]: [number, string, string] =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request did not arrive in time']
        : err.code === 'HPE_INVALID_EOF_STATE'
          ? [400, 'aborted', 'the client closed the connection before the request ended']
          : [400, 'bad_request', 'not an HTTP request the relay can read'];
    observe({ kind: 'refused', source: 'http', status, error, message });
    if (socket.writable && !response?.headersSent) socket.end(`HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  };
}
