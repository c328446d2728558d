/**
 * The route table on node:http: reads the raw body (POST only, up to a limit), routes it, and
 * writes the answer. A failure to store a webhook is a 5xx, which makes the sender retry it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LineGenesysError } from '../errors.js';
import { readBody } from '../http/read-body.js';
import { send } from '../http/send.js';
import type { Logger } from '../log.js';
import type { WebhookRequest, WebhookResponse } from './types.js';

export interface NodeListenerOptions {
  maxBodyBytes: number;
  log: Logger;
}

const NO_BODY = Buffer.alloc(0);

export function createNodeListener(
  route: (req: WebhookRequest) => Promise<WebhookResponse>,
  { maxBodyBytes, log }: NodeListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return function handle(req, res) {
    const path = req.url ?? '/';
    const body = req.method === 'POST' ? readBody(req, maxBodyBytes) : Promise.resolve(NO_BODY);
    body
      .then((buf) => route({ method: req.method ?? 'GET', path, headers: req.headers, body: buf }))
      .then((r) => send(res, r))
      .catch((e: unknown) => {
        const known = e instanceof LineGenesysError;
        const status = known ? e.status : 500;
        if (status >= 500) log.error('request failed', { path: path.split('?')[0], error: (e as Error).message });
        if (status === 413) res.setHeader('connection', 'close');
        send(res, {
          status,
          body: {
            error: known ? e.code.toLowerCase() : 'internal_error',
            message: status >= 500 ? 'the relay could not store the request; it will be retried by the sender' : (e as Error).message,
          },
        });
      });
  };
}
