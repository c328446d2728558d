/**
 * The relay: the context, the route table on a node:http server, and a worker delivering what the
 * receivers queued. `createRelay` is what `line-genesys dev`, the tests, the benchmark and a user's
 * own deployment start.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import type { Config } from '../config.js';
import { isAuthFailure } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/store.js';
import type { ActivityFeed } from './activity.js';
import { tellAgentDeadlinePassed } from './deadline-receipt.js';
import { createContext, type RelayContext } from './context.js';
import { resolveLimits, type RelayLimits } from './limits.js';
import { createInboundHandler } from './deliver-inbound.js';
import { createOutboundHandler } from './deliver-outbound.js';
import { createLogThrottle } from './log-throttle.js';
import { createClientErrorListener, createNodeListener } from './node-listener.js';
import { plainHttpBaseUrls } from './plain-http.js';
import { ProfileCache } from './profile-cache.js';
import { createRoutes } from './routes.js';
import type { WebhookRequest, WebhookResponse } from './types.js';
import { isTransient, Worker } from './worker.js';

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
  /** Timeouts, the connection cap and the refusal log interval; each defaults (limits.ts). */
  limits?: Partial<RelayLimits>;
  /** false when the caller prints each refusal itself (dev's live lines): the log then leaves it out. */
  logRefusals?: boolean;
  /** false when the caller prints each quota warning itself (dev's live line, from context.quota's 'near'). */
  logQuotaWarnings?: boolean;
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
  const limits = resolveLimits({ ...config.relay.limits, ...opts.limits });
  const log = opts.log ?? createLogger({ level: config.relay.logLevel });
  for (const { setting, url } of plainHttpBaseUrls(config)) {
    log.warn('a base URL is plain http outside this machine: credentials sent to it travel unencrypted', { setting, url });
  }
  const ownStore = !opts.store;
  const store = opts.store ?? (await openStore(config.relay));
  let listeningUrl: string | undefined;
  let worker: Worker | undefined;
  const ctx = createContext({
    config,
    store,
    log,
    now: opts.now ?? Date.now,
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    listeningUrl: () => listeningUrl,
    kick: () => worker?.kick(),
    deliveryGauges: () => worker?.gauges() ?? {},
    refusalLogIntervalMs: limits.refusalLogIntervalMs,
    ...(opts.logRefusals === false ? { logRefusals: false } : {}),
    ...(opts.logQuotaWarnings === false ? { logQuotaWarnings: false } : {}),
  });
  worker = createWorker(ctx, opts.backoff);
  const route = createRoutes(ctx);
  const handle = createNodeListener(route, { maxBodyBytes: config.relay.maxBodyBytes, bodyIdleTimeoutMs: limits.bodyIdleTimeoutMs, log, observe: ctx.observe });
  const server = createServer(
    {
      keepAliveTimeout: 65_000,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often node:http looks for requests past those timeouts (its default is every 30 s).
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, limits.headersTimeoutMs / 4)),
    },
    handle,
  );
  server.on('clientError', createClientErrorListener(ctx.observe));
  if (limits.maxConnections > 0) server.maxConnections = limits.maxConnections;
  if (opts.worker !== false) await worker.start();
  ctx.quota.start();

  return {
    server,
    context: ctx,
    activity: ctx.activity,
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
      await Promise.all([worker.stop(), ctx.quota.stop()]);
      if (ownStore) await store.close();
    },
  };
}

function createWorker(ctx: RelayContext, backoff: RelayOptions['backoff']): Worker {
  const { config } = ctx;
  // Refused credentials stop every delivery to that upstream: loud, but one line a minute.
  const authAlarm = createLogThrottle(60_000, (msg, fields) => ctx.log.error(msg, fields));
  return new Worker({
    store: ctx.store,
    handlers: { inbound: createInboundHandler(ctx, new ProfileCache()), outbound: createOutboundHandler(ctx) },
    upstreamOf: { inbound: 'genesys', outbound: 'line' },
    concurrency: config.relay.concurrency,
    maxConcurrency: config.relay.maxConcurrency,
    deadLetterAfterMs: config.relay.deadLetterAfterMs,
    authRetryWindowMs: config.relay.authRetryWindowMs,
    retentionMs: config.relay.dedupeRetentionMs,
    ...(config.relay.leaseMs !== undefined ? { renewEveryMs: Math.max(1, Math.floor(config.relay.leaseMs / 3)) } : {}),
    log: ctx.log,
    now: ctx.now,
    ...(backoff ? { backoff } : {}),
    onOutcome: (job, outcome, error, delayMs) => {
      if (isAuthFailure(error)) {
        ctx.metrics.inc('line_genesys_auth_failures_total', { upstream: error.upstream });
        authAlarm(error.upstream, `${error.upstream === 'line' ? 'LINE' : 'Genesys'} refuses the relay's credentials: deliveries are retried for relay.authRetryWindow, then dead-lettered`, {
          upstream: error.upstream,
          error: error.message,
          hint: error.hint,
          job: job.id,
          outcome,
        });
      }
      if (outcome === 'retry') ctx.observe({ kind: 'retrying', job, error, delayMs: delayMs ?? 0 });
      else if (outcome === 'dead') {
        ctx.observe({ kind: 'dead', job, error });
        // Buried while still retriable: the dead-letter deadline passed.
        if (job.kind === 'outbound' && isTransient(error)) void tellAgentDeadlinePassed(ctx, job, error);
      }
    },
  });
}
