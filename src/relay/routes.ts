/**
 * The relay's routes as a table: `{method, path, headers, body} -> {status, headers, body}`, with no
 * node:http, so the same table answers the Node adapter, the inspector's replay and a user's own server.
 */
import type { RelayContext } from './context.js';
import { liveness, metrics, readiness } from './health.js';
import { serveMedia } from './media.js';
import { delivery } from './outcomes.js';
import { createGenesysReceiver } from './receive-genesys.js';
import { createLineReceiver } from './receive-line.js';
import { VIDEO_PREVIEW_PNG } from './static.js';
import { refuse, type WebhookRequest, type WebhookResponse } from './types.js';

interface Route {
  methods: readonly string[];
  /** Matched against the path without its query; the groups are handed to `handle`. */
  path: RegExp;
  handle(req: WebhookRequest, params: Array<string | undefined>): Promise<WebhookResponse> | WebhookResponse;
}

const POST = ['POST'] as const;
const READ = ['GET', 'HEAD'] as const;

export function createRoutes(ctx: RelayContext): (req: WebhookRequest) => Promise<WebhookResponse> {
  const receiveLine = createLineReceiver(ctx);
  const receiveGenesys = createGenesysReceiver(ctx);
  const startedAt = ctx.now();

  const routes: Route[] = [
    { methods: POST, path: /^\/webhook\/line(?:\/([^/]*))?$/, handle: (req, [id]) => withChannel(ctx, 'line', id, (c) => receiveLine(req, c)) },
    { methods: POST, path: /^\/webhook\/genesys(?:\/([^/]*))?$/, handle: (req, [id]) => withChannel(ctx, 'genesys', id, (c) => receiveGenesys(req, c)) },
    { methods: READ, path: /^\/media\/([^/]+)$/, handle: (_, [id]) => serveMedia(ctx, id!) },
    { methods: READ, path: /^\/healthz$/, handle: liveness },
    { methods: READ, path: /^\/readyz$/, handle: () => readiness(ctx, startedAt) },
    { methods: READ, path: /^\/metrics$/, handle: () => metrics(ctx) },
    { methods: READ, path: /^\/deliveries\/([^/]+)$/, handle: (_, [id]) => delivery(ctx, id!) },
    {
      methods: READ,
      path: /^\/static\/video-preview\.png$/,
      handle: () => ({ status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'public, max-age=86400' }, body: VIDEO_PREVIEW_PNG }),
    },
  ];

  return async function route(req) {
    const path = req.path.split('?')[0]!;
    let allowed: readonly string[] | undefined;
    for (const r of routes) {
      const m = r.path.exec(path);
      if (!m) continue;
      if (r.methods.includes(req.method)) return r.handle(req, m.slice(1));
      allowed = r.methods;
    }
    if (allowed) {
      return { status: 405, headers: { allow: allowed.join(', ') }, body: { error: 'method_not_allowed', message: `use ${allowed.join(' or ')}` } };
    }
    return { status: 404, body: { error: 'not_found', message: `no route for ${req.method} ${path}` } };
  }
}

/**
 * `/webhook/line/th` names channel th; `/webhook/line` and `/webhook/line/` name none. A path that
 * does not decode (`%ZZ`) names nothing the relay could have: 400, before any receiver runs.
 */
function withChannel(
  ctx: RelayContext,
  source: 'line' | 'genesys',
  raw: string | undefined,
  receive: (channelId: string | undefined) => Promise<WebhookResponse>,
): Promise<WebhookResponse> | WebhookResponse {
  if (raw === undefined || raw === '') return receive(undefined);
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    const [error, message] = ['malformed_path', 'the channel id in the path is not valid percent-encoding'];
    ctx.observe({ kind: 'refused', source, status: 400, error, message });
    return refuse(400, error, message);
  }
  return receive(id);
}
