/**
 * line-genesys as a library: the relay and its receivers, the transforms, the clients, signing.
 * Heavy parts (SQLite, the CLI, tunnels, the sandbox) are imported only where they are used.
 */
export { createRelay, type Relay, type RelayOptions } from './relay/server.js';
export { createContext, type RelayContext, type ContextOptions } from './relay/context.js';
export { createRoutes } from './relay/routes.js';
export { createNodeListener, type NodeListenerOptions } from './relay/node-listener.js';
export { createLineReceiver } from './relay/receive-line.js';
export { createGenesysReceiver } from './relay/receive-genesys.js';
export type { WebhookRequest, WebhookResponse } from './relay/types.js';
export { encode as encodeJobPayload, decode as decodeJobPayload, label as jobLabel, JobPayloadError, type JobPayload } from './relay/jobs.js';
export type { Outcome } from './relay/observe.js';
export type { Activity, ActivityStatus } from './relay/activity.js';

export { loadConfig, parseDotenv, channelEnvNames, CONFIG_FILE } from './config.js';
export type { Config, ChannelConfig, GenesysConfig, RelayConfig, LoadOptions, ConfigFile } from './config.js';

export { signLine, verifyLine, signGenesys, verifyGenesys } from './signature.js';

export { lineEventToGenesys, inboundNeeds, eventDedupeKey, eventCustomerId } from './transform/to-genesys.js';
export type { InboundDecision, InboundContext, ResolvedMedia, LineProfileInfo } from './transform/to-genesys.js';
export { genesysToLine, splitText } from './transform/to-line.js';
export type { OutboundPlan, ToLineOptions } from './transform/to-line.js';
export { answerData, readAnswerData, type ButtonAnswer, type AnswerReference } from './transform/button-answer.js';
export { stickerText, stickerImageUrl } from './transform/sticker.js';
export { locationText, mapsUrl } from './transform/location.js';

export { LineClient, type LineClientOptions, type PushResult } from './line/client.js';
export { retryKeyFor } from './line/retry-key.js';
export { GenesysClient, type GenesysClientOptions } from './genesys/client.js';
export { TokenSource } from './genesys/token.js';
export { GENESYS_REGIONS, regionDomain } from './genesys/regions.js';
export type * from './genesys/types.js';

export { MemoryStore, openStore, StoreError, StoreUnavailableError } from './store/index.js';
export type { Store, StoreEngine, Job, JobKind, JobState } from './store/index.js';

export { LineGenesysError, ConfigError, UsageError, RequestError, UpstreamError } from './errors.js';
export { createLogger, maskSecret, type Logger, type LogLevel } from './log.js';
