/**
 * The one "Ready" banner of `dev`: where the relay listens, its public URL, where LINE and Genesys
 * send their webhooks, which secrets are loaded (masked), the store, each channel's LINE quota and
 * the inspector.
 */
import type { ChalkInstance } from 'chalk';
import type { Config } from '../../../config.js';
import { maskSecret } from '../../../log.js';
import type { TunnelKind } from '../../../tunnel/index.js';
import { formatQuotas, quotaRecords, type QuotaReadings } from './quota.js';
import type { PointedWebhook } from './webhooks.js';

export interface ReadyInfo {
  config: Config;
  localUrl: string;
  publicUrl: string | undefined;
  tunnel: TunnelKind;
  /** What was done to the webhooks, or why nothing was. */
  webhooks: PointedWebhook[] | { skipped: string };
  inspectorUrl?: string;
  sandbox: boolean;
  /** Each channel's LINE quota as first read; absent when quota reads are off (relay.quotaRefresh 0). */
  quota?: QuotaReadings;
}

interface Route {
  platform: 'line' | 'genesys';
  channels: string[];
  url: string;
  state: string;
}

function routes(info: ReadyInfo): Route[] {
  const base = info.publicUrl ?? info.localUrl;
  const skipped = 'skipped' in info.webhooks ? info.webhooks.skipped : undefined;
  const pointed = 'skipped' in info.webhooks ? [] : info.webhooks;
  const out: Route[] = [];
  for (const c of info.config.channels) {
    const w = pointed.find((p) => p.platform === 'line' && p.id === c.id);
    out.push({ platform: 'line', channels: [c.id], url: w?.url ?? `${base}/webhook/line/${c.id}`, state: w ? stateOf(w) : skipped ?? '' });
  }
  const integrations = new Map<string, string[]>();
  for (const c of info.config.channels) integrations.set(c.integrationId, [...(integrations.get(c.integrationId) ?? []), c.id]);
  for (const [id, ids] of integrations) {
    const w = pointed.find((p) => p.platform === 'genesys' && p.id === id);
    const url = w?.url ?? `${base}/webhook/genesys${ids.length === 1 ? `/${ids[0]}` : ''}`;
    out.push({ platform: 'genesys', channels: ids, url, state: w ? stateOf(w) : skipped ?? '' });
  }
  return out;
}

function stateOf(w: PointedWebhook): string {
  return w.outcome === 'set' ? 'set by dev, restored on exit' : w.outcome === 'already' ? 'already set' : 'NOT SET: see the warning above';
}

function credentials(config: Config): Array<{ name: string; value: string }> {
  const list = [
    { name: 'Genesys client id', value: maskSecret(config.genesys.clientId) },
    { name: 'Genesys client secret', value: maskSecret(config.genesys.clientSecret) },
  ];
  for (const c of config.channels) {
    list.push({ name: `${c.id} channel secret`, value: maskSecret(c.channelSecret) });
    list.push({ name: `${c.id} access token`, value: maskSecret(c.accessToken) });
    list.push({ name: `${c.id} outbound secret`, value: maskSecret(c.outboundSecret) });
  }
  return list;
}

function storeText(config: Config): string {
  if (config.relay.store === 'memory') return 'memory (gone when dev stops)';
  if (config.relay.store === 'postgres') return 'postgres (DATABASE_URL)';
  return `sqlite ${config.relay.storePath}`;
}

/** The banner as data, for --json (no key looks like a secret, so nothing is redacted away). */
export function readyRecord(info: ReadyInfo): Record<string, unknown> {
  return {
    event: 'ready',
    localUrl: info.localUrl,
    publicUrl: info.publicUrl ?? null,
    tunnel: info.tunnel,
    sandbox: info.sandbox,
    webhooks: routes(info).map((r) => ({ platform: r.platform, channels: r.channels, url: r.url, state: r.state })),
    credentials: credentials(info.config),
    store: storeText(info.config),
    quota: info.quota ? quotaRecords(info.quota) : null,
    inspectorUrl: info.inspectorUrl ?? null,
  };
}

export function formatBanner(info: ReadyInfo, c: ChalkInstance): string {
  const row = (label: string, value: string) => `  ${c.dim(label.padEnd(10))} ${value}`;
  const lines = [`${c.green.bold('Ready')} ${c.bold('line-genesys dev')}${info.sandbox ? c.yellow(' (sandbox: LINE and Genesys emulated)') : ''}  ${c.dim('Ctrl-C to stop')}`];
  lines.push(row('Local', c.cyan(info.localUrl)));
  const tunnel = info.tunnel === 'ngrok' ? 'ngrok tunnel' : info.tunnel === 'public-url' ? 'your --public-url' : '';
  const none = info.sandbox
    ? c.dim('none needed: the emulated LINE and Genesys call the relay directly')
    : c.yellow('none: LINE and Genesys cannot reach this relay (post events with `line-genesys simulate`)');
  lines.push(row('Public', info.publicUrl ? `${c.cyan(info.publicUrl)} ${c.dim(`(${tunnel})`)}` : none));
  for (const r of routes(info)) {
    const state = r.state ? ` ${r.state.startsWith('NOT') ? c.red(`(${r.state})`) : c.dim(`(${r.state})`)}` : '';
    lines.push(row(r.platform === 'line' ? 'LINE' : 'Genesys', `${r.channels.join(',').padEnd(5)} → ${r.url}${state}`));
  }
  const groups = new Map<string, string[]>();
  for (const s of credentials(info.config)) {
    const [owner, ...rest] = s.name.split(' ');
    groups.set(owner!, [...(groups.get(owner!) ?? []), `${rest.join(' ')} ${s.value}`]);
  }
  for (const [owner, items] of groups) lines.push(row(owner === 'Genesys' ? 'Secrets' : '', `${owner.padEnd(7)} ${items.join(c.dim(' · '))}`));
  lines.push(row('Store', storeText(info.config)));
  if (info.quota) lines.push(row('Quota', formatQuotas(info.quota, c)));
  if (info.inspectorUrl) lines.push(row('Inspector', c.cyan(info.inspectorUrl)));
  return lines.join('\n');
}
