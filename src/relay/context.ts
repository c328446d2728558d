/** Everything the receivers and the worker share: config, store, clients, logs, metrics, activity. */
import type { Dispatcher } from 'undici';
import type { ChannelConfig, Config } from '../config.js';
import { LineGenesysError } from '../errors.js';
import { GenesysClient } from '../genesys/client.js';
import { LineClient } from '../line/client.js';
import type { Logger } from '../log.js';
import type { EnqueueResult, NewJob, Store } from '../store/store.js';
import { ActivityFeed } from './activity.js';
import { Metrics, type Gauges } from './metrics.js';
import { createObserver, type Outcome } from './observe.js';
import { RecentOutcomes } from './outcomes.js';
import { QuotaWatch } from './quota-watch.js';
import { Quotes } from './quotes.js';

export interface RelayContext {
  config: Config;
  store: Store;
  /** Commits jobs to the store (in one batch with the other calls of this turn); resolves once durable. */
  enqueue(jobs: NewJob[]): Promise<EnqueueResult>;
  log: Logger;
  metrics: Metrics;
  activity: ActivityFeed;
  /** Where each recent event stands (GET /deliveries/<id>). */
  outcomes: RecentOutcomes;
  /** Counts, reports and logs what happened to a webhook or a delivery. */
  observe(outcome: Outcome): void;
  genesys: GenesysClient;
  /** The LINE client of a channel (each channel has its own access token). */
  line(channelId: string): LineClient;
  /** Each channel's monthly LINE quota, as last read. */
  quota: QuotaWatch;
  /** Texts a customer may quote, by LINE message id. */
  quotes: Quotes;
  channel(channelId: string): ChannelConfig | undefined;
  /** Public base URL media links and previews are served under. */
  publicUrl(): string;
  /** Tell the worker there is new work. */
  kick(): void;
  /** The worker's gauges for /metrics: each platform's concurrency limit and breaker. */
  deliveryGauges(): Gauges;
  now(): number;
}

export interface ContextOptions {
  config: Config;
  store: Store;
  log: Logger;
  now: () => number;
  dispatcher?: Dispatcher;
  /** Where the relay listens once it does: the public URL when none is configured. */
  listeningUrl(): string | undefined;
  kick(): void;
  /** The worker's gauges (default none). */
  deliveryGauges?: () => Gauges;
  /** A refusal repeated for the same reason is logged once per interval (default: each is logged). */
  refusalLogIntervalMs?: number;
  /** false when something else prints each refusal (dev's live lines). */
  logRefusals?: boolean;
  /** false when something else prints each quota warning (dev's live line). */
  logQuotaWarnings?: boolean;
}

/** One Genesys client and one LINE client per channel, over the given store. */
export function createContext(opts: ContextOptions): RelayContext {
  const { config, store, log, now } = opts;
  const http = opts.dispatcher ? { dispatcher: opts.dispatcher } : {};
  const lineClients = new Map(
    config.channels.map((c) => [
      c.id,
      new LineClient({ accessToken: c.accessToken, apiBaseUrl: config.line.apiBaseUrl, dataApiBaseUrl: config.line.dataApiBaseUrl, ...http }),
    ]),
  );
  const metrics = new Metrics();
  const activity = new ActivityFeed();
  const outcomes = new RecentOutcomes();
  const line = (id: string) => {
    const c = lineClients.get(id);
    if (!c) throw new LineGenesysError('UNKNOWN_CHANNEL', `no LINE channel "${id}" is configured`);
    return c;
  };
  return {
    config,
    store,
    log,
    metrics,
    activity,
    outcomes,
    observe: createObserver({ metrics, activity, outcomes, log, now, refusalLogIntervalMs: opts.refusalLogIntervalMs ?? 0, logRefusals: opts.logRefusals ?? true }),
    genesys: new GenesysClient({
      apiBaseUrl: config.genesys.apiBaseUrl,
      loginBaseUrl: config.genesys.loginBaseUrl,
      clientId: config.genesys.clientId,
      clientSecret: config.genesys.clientSecret,
      ...http,
    }),
    line,
    quota: new QuotaWatch({ channels: config.channels, line, log, now, intervalMs: config.relay.quotaRefreshMs, logNear: opts.logQuotaWarnings ?? true }),
    quotes: new Quotes({ store, ttlMs: config.relay.mediaTtlMs, now, log }),
    channel: (id) => config.channels.find((c) => c.id === id),
    publicUrl: () => config.relay.publicUrl ?? opts.listeningUrl() ?? `http://localhost:${config.relay.port}`,
    enqueue: (jobs) => store.enqueue(jobs),
    kick: opts.kick,
    deliveryGauges: opts.deliveryGauges ?? (() => ({})),
    now,
  };
}
