/** Everything the receivers and the worker share: config, store, clients, logs, metrics, activity. */
import type { ChannelConfig, Config } from '../config.js';
import type { GenesysClient } from '../genesys/client.js';
import type { LineClient } from '../line/client.js';
import type { Logger } from '../log.js';
import type { EnqueueResult, NewJob, Store } from '../store/store.js';
import type { ActivityFeed } from './activity.js';
import type { Metrics } from './metrics.js';

export interface RelayContext {
  config: Config;
  store: Store;
  /** Commits jobs to the store (in one batch with the other calls of this turn); resolves once durable. */
  enqueue(jobs: NewJob[]): Promise<EnqueueResult>;
  log: Logger;
  metrics: Metrics;
  activity: ActivityFeed;
  genesys: GenesysClient;
  /** The LINE client of a channel (each channel has its own access token). */
  line(channelId: string): LineClient;
  channel(channelId: string): ChannelConfig | undefined;
  /** Public base URL media links and previews are served under. */
  publicUrl(): string;
  /** Tell the worker there is new work. */
  kick(): void;
  now(): number;
}
