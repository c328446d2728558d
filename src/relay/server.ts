/**
 * The relay: a plain node:http server routing to the receivers, the media route and health, and a
 * worker delivering what the receivers queued. `createRelay` is what `line-genesys dev`, the tests,
 * the benchmark and a user's own deployment start.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import type { Config } from '../config.js';
import { LineGenesysError } from '../errors.js';
import { GenesysClient } from '../genesys/client.js';
import { LineClient } from '../line/client.js';
import { createLogger, type Logger } from '../log.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/store.js';
import { ActivityFeed } from './activity.js';
import type { RelayContext } from './context.js';
import { createInboundHandler } from './deliver-inbound.js';
import { createOutboundHandler } from './deliver-outbound.js';
import { health, metrics } from './health.js';
import { serveMedia } from './media.js';
import { Metrics } from './metrics.js';
import { ProfileCache } from './profile-cache.js';
import { readBody } from '../http/read-body.js';
import { send } from '../http/send.js';
import { createGenesysReceiver } from './receive-genesys.js';
import { createLineReceiver } from './receive-line.js';
import type { WebhookRequest, WebhookResponse } from './types.js';
import { Worker } from './worker.js';
import { VIDEO_PREVIEW_PNG } from './static.js';

export interface RelayOptions {
  config: Config;
  /** An open store; by default the one the config names is opened (and closed with the relay). */
  store?: Store;
  log?: Logger;
  dispatcher?: Dispatcher;
  /** Start the worker (default true). A relay that only queues is useful in tests. */
  worker?: boolean;
  backoff?: { baseMs: number; maxMs: number };
  now?: () => number;
}

export interface Relay {
  readonly server: Server;
  readonly context: RelayContext;
  readonly activity: ActivityFeed;
  readonly worker: Worker;
  /** The Node request listener, to mount in another server. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The receivers and routes as plain functions: `{method, path, headers, body} -> {status, body}`. */
  route(req: WebhookRequest): Promise<WebhookResponse>;
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, lets in-flight requests and deliveries finish, closes the store. */
  close(): Promise<void>;
  url(): string | undefined;
}

export async function createRelay(opts: RelayOptions): Promise<Relay> {
  const { config } = opts;
  const log = opts.log ?? createLogger({ level: config.relay.logLevel });
  const ownStore = !opts.store;
  const store = opts.store ?? (await openStore(config.relay));
  const now = opts.now ?? Date.now;
  const lineClients = new Map<string, LineClient>();
  for (const c of config.channels) {
    lineClients.set(
      c.id,
      new LineClient({
        accessToken: c.accessToken,
        apiBaseUrl: config.line.apiBaseUrl,
        dataApiBaseUrl: config.line.dataApiBaseUrl,
        ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
      }),
    );
  }
  let listeningUrl: string | undefined;
  let worker: Worker;
  const activity = new ActivityFeed();
  const ctx: RelayContext = {
    config,
    store,
    log,
    metrics: new Metrics(),
    activity,
    genesys: new GenesysClient({
      apiBaseUrl: config.genesys.apiBaseUrl,
      loginBaseUrl: config.genesys.loginBaseUrl,
      clientId: config.genesys.clientId,
      clientSecret: config.genesys.clientSecret,
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    }),
    line: (id) => {
      const c = lineClients.get(id);
      if (!c) throw new LineGenesysError('UNKNOWN_CHANNEL', `no LINE channel "${id}" is configured`);
      return c;
    },
    channel: (id) => config.channels.find((c) => c.id === id),
    publicUrl: () => config.relay.publicUrl ?? listeningUrl ?? `http://localhost:${config.relay.port}`,
    enqueue: (jobs) => store.enqueue(jobs),
    kick: () => worker?.kick(),
    now,
  };
  const profiles = new ProfileCache();
  worker = new Worker({
    store,
    handlers: { inbound: createInboundHandler(ctx, profiles), outbound: createOutboundHandler(ctx) },
    upstreamOf: { inbound: 'genesys', outbound: 'line' },
    concurrency: config.relay.concurrency,
    deadLetterAfterMs: config.relay.deadLetterAfterMs,
    retentionMs: config.relay.dedupeRetentionMs,
    log,
    now,
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
    onOutcome: (job, outcome, error, delayMs) => {
      if (outcome === 'done') return;
      ctx.metrics.inc('line_genesys_deliveries_total', { direction: job.kind, result: outcome === 'retry' ? 'retrying' : 'dead' });
      ctx.activity.report({
        direction: job.kind === 'inbound' ? 'in' : 'out',
        stage: 'delivery',
        status: outcome === 'retry' ? 'retrying' : 'dead',
        type: job.kind,
        channelId: job.channelId,
        jobId: job.id,
        detail: `${(error as Error)?.message ?? error}${delayMs !== undefined ? ` (retry in ${delayMs} ms)` : ''}`,
      });
    },
  });

  const receiveLine = createLineReceiver(ctx);
  const receiveGenesys = createGenesysReceiver(ctx);
  const startedAt = now();

  async function route(req: WebhookRequest): Promise<WebhookResponse> {
    const [, first, second, third, ...rest] = req.path.split('?')[0]!.split('/');
    const post = req.method === 'POST';
    if (first === 'webhook' && (second === 'line' || second === 'genesys') && rest.length === 0) {
      if (!post) return { status: 405, headers: { allow: 'POST' }, body: { error: 'method_not_allowed', message: 'use POST' } };
      const channelId = third === undefined || third === '' ? undefined : decodeURIComponent(third);
      return second === 'line' ? receiveLine(req, channelId) : receiveGenesys(req, channelId);
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (first === 'media' && second && third === undefined) return serveMedia(ctx, second);
      if (first === 'healthz' && second === undefined) return health(ctx, startedAt);
      if (first === 'metrics' && second === undefined) return metrics(ctx);
      if (first === 'static' && second === 'video-preview.png' && third === undefined) {
        return { status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'public, max-age=86400' }, body: VIDEO_PREVIEW_PNG };
      }
    }
    return { status: 404, body: { error: 'not_found', message: `no route for ${req.method} ${req.path.split('?')[0]}` } };
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '/';
    const needsBody = req.method === 'POST';
    const body = needsBody ? readBody(req, config.relay.maxBodyBytes) : Promise.resolve(Buffer.alloc(0));
    body
      .then((buf) => route({ method: req.method ?? 'GET', path, headers: req.headers, body: buf }))
      .then((r) => send(res, r))
      .catch((e: unknown) => {
        const status = e instanceof LineGenesysError ? e.status : 500;
        if (status >= 500) log.error('request failed', { path: path.split('?')[0], error: (e as Error).message });
        if (status === 413) res.setHeader('connection', 'close');
        send(res, { status, body: { error: e instanceof LineGenesysError ? e.code.toLowerCase() : 'internal_error', message: status >= 500 ? 'the relay could not store the request; it will be retried by the sender' : (e as Error).message } });
      });
  }

  const server = createServer({ keepAliveTimeout: 65_000 }, handle);
  if (opts.worker !== false) await worker.start();

  return {
    server,
    context: ctx,
    activity,
    worker,
    handle,
    route,
    url: () => listeningUrl,
    listen(port = config.relay.port, host = config.relay.host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const a = server.address() as AddressInfo;
          const h = a.family === 'IPv6' ? `[${a.address}]` : a.address === '0.0.0.0' ? '127.0.0.1' : a.address;
          listeningUrl = `http://${h}:${a.port}`;
          resolve(listeningUrl);
        });
      });
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await worker.stop();
      if (ownStore) await store.close();
    },
  };
}
