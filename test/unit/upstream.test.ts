/**
 * `call()` against a real HTTP server on loopback: what it sends, how it reads an answer (whole
 * body, however many chunks), and which failures become which UpstreamError.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.js';
import { call } from '../../src/upstream.js';

type Seen = { method?: string; url?: string; headers: IncomingMessage['headers']; body: string };
let server: Server;
let base: string;
let seen: Seen[] = [];
let respond: (req: IncomingMessage, res: ServerResponse) => void = (_q, r) => r.end();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      respond(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const reset = (fn: typeof respond) => {
  seen = [];
  respond = fn;
};

describe('call', () => {
  it('sends an object as JSON with our user agent, keeps the query, and reads a body sent in many chunks', async () => {
    const parts = Array.from({ length: 50 }, (_, i) => `"k${i}":"${'x'.repeat(2000)}"`);
    reset((_q, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'r-1' });
      parts.forEach((p, i) => res.write(`${i === 0 ? '{' : ','}${p}`));
      res.end('}');
    });
    const r = await call({ upstream: 'genesys', operation: 'test', method: 'POST', url: `${base}/a/b?c=1&d=2`, headers: { authorization: 'Bearer t' }, body: { hello: 'wörld' } });
    expect(r.status).toBe(201);
    expect(r.headers['x-request-id']).toBe('r-1');
    expect(Object.keys(r.json<Record<string, string>>())).toHaveLength(50);
    expect(r.body.length).toBe(Buffer.byteLength(`{${parts.join(',')}}`));
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/a/b?c=1&d=2', body: '{"hello":"wörld"}' });
    expect(seen[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'line-genesys', authorization: 'Bearer t' });
  });

  it('sends a string or Buffer as is, and a GET without a body; an empty answer is an empty Buffer', async () => {
    reset((_q, res) => res.writeHead(204).end());
    await call({ upstream: 'line', operation: 'test', method: 'PUT', url: `${base}/s`, headers: { 'content-type': 'text/plain' }, body: 'plain' });
    await call({ upstream: 'line', operation: 'test', method: 'POST', url: `${base}/b`, body: Buffer.from([1, 2, 3]) });
    const r = await call({ upstream: 'line', operation: 'test', method: 'GET', url: `${base}/g` });
    expect(seen.map((s) => [s.method, s.body])).toEqual([['PUT', 'plain'], ['POST', '\u0001\u0002\u0003'], ['GET', '']]);
    expect(seen[0]!.headers['content-type']).toBe('text/plain');
    expect(r.status).toBe(204);
    expect(r.body).toEqual(Buffer.alloc(0));
  });

  it('answers an accepted non-2xx status, and turns any other into an UpstreamError with its body and Retry-After', async () => {
    reset((req, res) => {
      if (req.url === '/missing') res.writeHead(404).end('{"message":"Not found"}');
      else res.writeHead(429, { 'retry-after': '7' }).end('{"message":"slow down"}');
    });
    const ok = await call({ upstream: 'line', operation: 'profile', method: 'GET', url: `${base}/missing`, accept: [404] });
    expect(ok.status).toBe(404);
    const e = await call({ upstream: 'line', operation: 'push', method: 'POST', url: `${base}/push`, body: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UpstreamError);
    expect(e).toMatchObject({ upstreamStatus: 429, retryAfterMs: 7000, retriable: true, body: '{"message":"slow down"}' });
  });

  it('turns no answer in time, a refused connection and a bad URL into retriable UpstreamErrors', async () => {
    reset(() => {
      /* never answers */
    });
    const slow = await call({ upstream: 'genesys', operation: 'inbound message', method: 'POST', url: `${base}/slow`, body: {}, timeoutMs: 200 }).catch((x: unknown) => x);
    expect(slow).toBeInstanceOf(UpstreamError);
    expect(slow).toMatchObject({ upstreamStatus: undefined, retriable: true });
    expect((slow as Error).message).toMatch(/^Genesys inbound message failed: no answer — .*timeout/i);

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await call({ upstream: 'line', operation: 'push', method: 'POST', url: `http://127.0.0.1:${port}/x`, body: {} }).catch((x: unknown) => x);
    expect(refused).toMatchObject({ upstreamStatus: undefined, retriable: true });
    expect((refused as Error).message).toMatch(/ECONNREFUSED/);

    const bad = await call({ upstream: 'line', operation: 'push', method: 'GET', url: 'not a url' }).catch((x: unknown) => x);
    expect(bad).toBeInstanceOf(UpstreamError);
  });
});
