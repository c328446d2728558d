/**
 * The files `init` leaves behind: `.gitignore` (first, so `.env` is never unignored), `.env` with
 * the secrets (0600), the config file with the structure, and the Architect flow.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ConfigFile } from '../../../config.js';
import { buildConfigFile, formatConfigFile, type ConfiguredChannel } from './config-file.js';
import { mergeDotenv, withIgnored } from './env-file.js';
import { flowDivision, isUneditedFlow, loadFlowTemplate, renderFlow } from './flow.js';
import type { InitInputs } from './inputs.js';
import type { IntegrationOutcome } from './integrations.js';
import type { InitPaths } from './paths.js';

export interface FileOutcome {
  path: string;
  /** What happened, or what a dry run would do. */
  state: 'written' | 'unchanged' | 'kept' | 'would write';
  detail?: string;
}

/** Every secret init knows, by environment variable name. */
export function secretsFor(inputs: InitInputs, outcomes: IntegrationOutcome[]): Record<string, string> {
  const out: Record<string, string> = { [inputs.env.clientId]: inputs.clientId, [inputs.env.clientSecret]: inputs.clientSecret };
  for (const c of inputs.channels) {
    out[c.env.channelSecret] = c.channelSecret;
    out[c.env.accessToken] = c.accessToken;
    const o = outcomes.find((x) => x.channelId === c.id);
    if (o) out[c.env.outboundSecret] = o.secret;
  }
  return out;
}

/** Writes (or, in a dry run, compares) one file. `mayReplace`: whether a different file there may be replaced. */
export function apply(path: string, text: string | undefined, dryRun: boolean, o: { mode?: number; mayReplace?: (before: string) => boolean } = {}): FileOutcome['state'] {
  const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (text === undefined || before === text) {
    if (!dryRun && o.mode !== undefined && before !== undefined) chmodSync(path, o.mode);
    return 'unchanged';
  }
  if (before !== undefined && o.mayReplace && !o.mayReplace(before)) return 'kept';
  if (dryRun) return 'would write';
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, o.mode !== undefined ? { mode: o.mode } : {});
  if (o.mode !== undefined) chmodSync(path, o.mode);
  return 'written';
}

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

/** `.gitignore` first (so `.env` is never there unignored), then `.env` with the secrets, 0600. */
export function writeSecrets(paths: InitPaths, secrets: Record<string, string>, dryRun = false): FileOutcome[] {
  return [
    { path: paths.gitignore, state: apply(paths.gitignore, withIgnored(read(paths.gitignore)), dryRun), detail: '.env and the store (.line-genesys/) are ignored' },
    { path: paths.env, state: apply(paths.env, mergeDotenv(read(paths.env), secrets), dryRun, { mode: 0o600 }), detail: `${Object.keys(secrets).join(', ')} (mode 0600)` },
  ];
}

export function writeAll(
  paths: InitPaths,
  existing: ConfigFile | undefined,
  inputs: InitInputs,
  channels: ConfiguredChannel[],
  outcomes: IntegrationOutcome[],
  dryRun: boolean,
  division?: string,
): FileOutcome[] {
  const config = buildConfigFile(existing, { region: inputs.region, publicUrl: inputs.publicUrl, channels });
  const markets = [...new Set(channels.map((c) => c.market))];
  const flow = renderFlow(loadFlowTemplate(), { prefix: inputs.prefix, markets, ...(division ? { division } : {}) });
  const out = writeSecrets(paths, secretsFor(inputs, outcomes), dryRun);
  out.push({ path: paths.config, state: apply(paths.config, formatConfigFile(config), dryRun), detail: `${channels.length} channel(s), no secrets` });
  const flowState = apply(paths.flow, flow, dryRun, { mayReplace: isUneditedFlow });
  out.push({
    path: paths.flow,
    state: flowState,
    detail: flowState === 'kept' ? 'edited since init wrote it: kept as it is (delete it and run init again to regenerate it for the markets configured)' : `routes markets ${markets.join(', ')} to queues "${inputs.prefix} <MARKET>" in division "${flowDivision(division)}"`,
  });
  return out;
}
