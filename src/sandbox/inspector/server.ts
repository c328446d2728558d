/**
 * The inspector: a small node:http server for a browser. It streams every relay activity (and, in
 * sandbox mode, both sides of the chat) as Server-Sent Events, replays events, and lets the page
 * play the customer and the agent through the sandbox. Bound to loopback by default, where it answers
 * only requests addressed to a loopback name (no DNS rebinding); POSTs must be JSON from the page's own
 * origin, so another web page cannot drive it.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestError } from '../../errors.js';
import { readBody } from '../../http/read-body.js';
import { send } from '../../http/send.js';
import type { Activity } from '../../relay/activity.js';
import type { Relay } from '../../relay/server.js';
import type { Sandbox } from '../index.js';
import { createSandboxApi } from './sandbox-api.js';
import { EventFeed } from './feed.js';
import { ConfirmReplay, replay, replayable } from './replay.js';

export interface InspectorOptions { relay: Relay; sandbox?: Sandbox; port?: number; host?: string }
export interface Inspector { url: string; close(): Promise<void> }

const MAX_BODY = 12 * 1024 * 1024;
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: http: https:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-security-policy': CSP };

/** The page's files, beside this module in public/ (the build copies them into dist/). */
const PUBLIC = new URL('./public/', import.meta.url);
const FILES: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.css': ['app.css', 'text/css; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/chat.js': ['chat.js', 'text/javascript; charset=utf-8'],
};

async function loadPage(): Promise<Map<string, { body: Buffer; type: string }>> {
  const entries = Object.entries(FILES).map(async ([path, [file, type]]) => {
    const body = await readFile(new URL(file, PUBLIC)).catch((e: Error) => {
      throw new Error(`the inspector page is missing (${e.message}): run \`npm run build\``);
    });
    return [path, { body, type }] as const;
  });
  return new Map(await Promise.all(entries));
}

function reply(res: ServerResponse, status: number, body: unknown, type?: string): void {
  send(res, { status, headers: { ...HEADERS, ...(type ? { 'content-type': type } : {}) }, body });
}

const refused = (status: number, message: string) => new RequestError('INSPECTOR_REFUSED', status, message);

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw refused(415, 'send JSON (content-type: application/json)');
  const text = (await readBody(req, MAX_BODY)).toString('utf8');
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch { /* answered below */ }
  throw refused(400, 'the body must be a JSON object');
}

const LOOPBACK_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

/** A POST from another origin (a web page the user happens to visit) is refused. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${req.headers.host}`;
}

export async function startInspector(opts: InspectorOptions): Promise<Inspector> {
  const { relay, sandbox } = opts;
  const page = await loadPage();
  const feed = new EventFeed(500);
  const onActivity = (a: Activity) => feed.add('activity', { ...a, replayable: replayable(a) });
  relay.activity.on('activity', onActivity);
  const api = sandbox ? createSandboxApi(sandbox, feed) : undefined;

  const info = () => ({
    sandbox: !!sandbox,
    relayUrl: relay.url() ?? null,
    channels: relay.context.config.channels.map((c) => ({ id: c.id, market: c.market, brand: c.brand })),
    ...(api ? api.info() : {}),
  });

  let loopbackOnly = true;
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (loopbackOnly && !LOOPBACK_HOST.test(req.headers.host ?? '')) throw refused(403, 'the inspector answers only requests to localhost');
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://inspector').pathname;
    if (method === 'GET') {
      const file = page.get(path);
      if (file) return reply(res, 200, file.body, file.type);
      if (path === '/events') return feed.subscribe(req, res);
      if (path === '/api/info') return reply(res, 200, info());
      if (path === '/api/activity') return reply(res, 200, feed.list('activity'));
      if (path === '/api/chat') return reply(res, 200, feed.list('chat'));
      if (api && path === '/api/sample.png') return reply(res, 200, api.samplePng(), 'image/png');
      throw refused(404, `no page at ${path}`);
    }
    if (method !== 'POST') throw refused(405, 'use GET or POST');
    if (!sameOrigin(req)) throw refused(403, 'requests from other origins are refused');
    const replayId = /^\/api\/replay\/(\d+)$/.exec(path)?.[1];
    if (replayId) {
      const body = await readJson(req);
      const entry = feed.get('activity', Number(replayId));
      if (!entry) throw refused(404, `no event ${replayId} (only the last 500 are kept)`);
      // With real accounts (no sandbox) an agent message is sent again only with {"confirm": true}.
      const options = sandbox ? { copyContent: (a: string, b: string) => void sandbox.copyContent(a, b) } : { real: true, confirmed: body['confirm'] === true };
      try {
        const answer = await replay(relay, entry.data as Activity, options);
        return reply(res, answer.status, answer.body ?? '');
      } catch (e) {
        if (e instanceof ConfirmReplay) return reply(res, 428, { error: 'confirm', message: e.message, send: e.send });
        throw e;
      }
    }
    if (path === '/api/customer' || path === '/api/agent') {
      if (!api) throw refused(404, 'the customer and agent panes need the sandbox (line-genesys dev --sandbox)');
      const body = await readJson(req);
      const answer = path === '/api/customer' ? await api.customer(body) : await api.agent(body);
      return reply(res, answer.status, answer.body ?? '');
    }
    throw refused(404, `no route for POST ${path}`);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      const given = (e as { status?: unknown }).status;
      const status = typeof given === 'number' && given >= 400 && given < 600 ? given : 500;
      if (!res.headersSent) reply(res, status, { error: status >= 500 ? 'failed' : 'refused', message: (e as Error).message });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  loopbackOnly = LOOPBACK_ADDRESS.test(a.address);
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address === '0.0.0.0' ? '127.0.0.1' : a.address;

  return {
    url: `http://${host}:${a.port}`,
    async close() {
      relay.activity.off('activity', onActivity);
      api?.close();
      feed.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
