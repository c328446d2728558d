/**
 * `line-genesys dev` (README, Commands): runs until Ctrl-C or until the tunnel is lost; what each
 * step started is undone in reverse order on the way out.
 */
import { tmpdir } from 'node:os';
import { loadConfig, type Config } from '../../../config.js';
import { LineGenesysError } from '../../../errors.js';
import { createLogger } from '../../../log.js';
import type { Activity } from '../../../relay/activity.js';
import { createRelay } from '../../../relay/server.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { openTunnel, type TunnelProvider, type TunnelStatus } from '../../../tunnel/index.js';
import { ngrokProvider } from '../../../tunnel/ngrok.js';
import type { CommandContext } from '../../context.js';
import { checkUrl } from '../../../url.js';
import { listenOn, parsePort } from '../../shared/listen.js';
import { checkPublicUrl } from '../../shared/public-url.js';
import type { QuotaWatch } from '../../../relay/quota-watch.js';
import { formatBanner, readyRecord, type ReadyInfo } from './banner.js';
import { formatQuotaWarning, quotaWarningRecord, type QuotaReadings } from './quota.js';
import { activityBodies, activityRecord, formatActivity } from './live-line.js';
import { describePointed, describeRestored, pointWebhooks, restoreWebhooks, webhookTargets } from './webhooks.js';

/** commander's opts() of `dev` (see main.ts). */
export interface DevOptions {
  port?: string;
  publicUrl?: string;
  /** false with --no-tunnel */
  tunnel?: boolean;
  domain?: string;
  sandbox?: boolean;
  inspectPort?: string;
  /** false with --no-inspect */
  inspect?: boolean;
  /** false with --no-update-webhooks */
  updateWebhooks?: boolean;
}

/** What `dev` takes from the outside world besides the context: the tunnel service (tests stand in for ngrok). */
export interface DevDeps {
  tunnel: TunnelProvider;
  /** How long a dropped tunnel may stay down before dev gives up (default 60 s). */
  reconnectTimeoutMs?: number;
}

export default function dev(o: DevOptions, ctx: CommandContext): Promise<unknown> {
  return runDev(o, ctx);
}

/** Runs until ctx.signal aborts (resolves) or the tunnel is lost for good (rejects). Cleans up either way. */
export async function runDev(o: DevOptions, ctx: CommandContext, deps: DevDeps = { tunnel: ngrokProvider }): Promise<{ ok: true }> {
  const { out } = ctx;
  const portFlag = o.port !== undefined ? parsePort(o.port, '--port') : undefined;
  const inspectPort = o.inspectPort !== undefined ? parsePort(o.inspectPort, '--inspect-port') : undefined;
  const publicUrl = o.publicUrl !== undefined ? checkUrl(o.publicUrl, { flag: '--public-url', hint: 'Give the full URL of your tunnel, e.g. https://my-tunnel.example.com.' }) : undefined;
  if (o.sandbox && publicUrl) out.warn('--public-url is ignored with --sandbox: the emulated platforms call the relay directly');
  const cleanup: Array<{ what: string; run: () => Promise<unknown> }> = [];
  let lost: LineGenesysError | undefined;
  try {
    let sandbox: Sandbox | undefined;
    if (o.sandbox) {
      const { startSandbox } = await import('../../../sandbox/index.js');
      const sb = (sandbox = await startSandbox());
      cleanup.push({ what: 'stop the sandbox', run: () => sb.close() });
    }
    const config = devConfig(ctx, portFlag, sandbox);
    const port = config.relay.port;
    const env = ctx.environment().values;
    // Each refusal and each quota warning has its live line (or --json record): the log leaves them out.
    const relay = await createRelay({ config, log: devLogger(ctx, config), logRefusals: false, logQuotaWarnings: false });
    cleanup.push({ what: 'stop the relay', run: () => relay.close() });
    relay.context.quota.on('near', (n) => out.result(quotaWarningRecord(n), formatQuotaWarning(n, Date.now(), out.color)));
    const host = config.sources['relay.host'] === 'default' ? '127.0.0.1' : config.relay.host;
    const localUrl = await listenOn(relay, port, host);
    sandbox?.connect(localUrl);

    let onLost: (e: LineGenesysError) => void = () => {};
    const tunnelLost = new Promise<LineGenesysError>((r) => (onLost = r));
    const reconnectTimeoutMs = deps.reconnectTimeoutMs ?? 60_000;
    const domain = o.domain ?? env.NGROK_DOMAIN;
    const authtoken = env.NGROK_AUTHTOKEN;
    const tunnel = await openTunnel({
      port: Number(new URL(localUrl).port),
      host,
      ...(publicUrl && !sandbox ? { publicUrl } : {}),
      noTunnel: Boolean(sandbox) || o.tunnel === false,
      ...(domain ? { domain } : {}),
      ...(authtoken ? { authtoken } : {}),
      provider: deps.tunnel,
      reconnectTimeoutMs,
      onStatus: (s) => tunnelStatus(ctx, s, reconnectTimeoutMs, onLost),
    });
    cleanup.push({ what: 'close the tunnel', run: () => tunnel.close() });
    // Media links handed to Genesys must be reachable from outside: they use the tunnel (or the local URL).
    if (tunnel.url) config.relay.publicUrl = tunnel.url;
    else delete config.relay.publicUrl;

    let webhooks: ReadyInfo['webhooks'];
    const callable = tunnel.url ? checkPublicUrl(tunnel.url) : true;
    if (!tunnel.url) webhooks = { skipped: sandbox ? 'the sandbox calls the relay directly' : 'not set: no public URL' };
    else if (o.updateWebhooks === false) webhooks = { skipped: 'not changed (--no-update-webhooks): set it yourself' };
    else if (callable !== true) webhooks = { skipped: `not changed: the URL ${callable}` };
    else if (ctx.signal.aborted) webhooks = { skipped: 'not changed: stopping' };
    else {
      const pointed = await pointWebhooks(webhookTargets(config.channels, tunnel.url), relay.context);
      cleanup.push({
        what: 'restore the webhooks',
        run: async () => {
          for (const r of await restoreWebhooks(pointed, relay.context)) {
            const d = describeRestored(r);
            if (d.ok) out.info(`${out.color.green('✔')} ${d.text}`);
            else out.warn(d.text);
          }
        },
      });
      for (const w of pointed) {
        const d = describePointed(w);
        if (d.ok) out.info(`${out.color.green('✔')} ${d.text}`);
        else out.warn(d.text);
      }
      webhooks = pointed;
    }

    let inspectorUrl: string | undefined;
    if (o.inspect !== false && !ctx.signal.aborted) {
      try {
        const { startInspector } = await import('../../../sandbox/inspector/server.js');
        const inspector = await startInspector({ relay, ...(sandbox ? { sandbox } : {}), port: inspectPort ?? (port === 0 ? 0 : port + 1), host: '127.0.0.1' });
        cleanup.push({ what: 'stop the inspector', run: () => inspector.close() });
        inspectorUrl = inspector.url;
      } catch (e) {
        out.warn(`the inspector page did not start: ${(e as Error).message} (the relay runs without it; --no-inspect hides this)`);
      }
    }

    relay.activity.on('activity', (event: Activity) => {
      const a = event.market || !event.channelId ? event : { ...event, market: config.channels.find((c) => c.id === event.channelId)?.market };
      if (out.json) out.result(activityRecord(a, ctx.globals.verbose));
      else out.result(null, [formatActivity(a, out.color), ...(ctx.globals.verbose ? activityBodies(a).map((l) => out.color.dim(l)) : [])].join('\n'));
    });
    const quota = await firstQuotas(relay.context.quota, config);
    const info: ReadyInfo = { config, localUrl, publicUrl: tunnel.url, tunnel: tunnel.kind, webhooks, sandbox: Boolean(sandbox), ...(inspectorUrl ? { inspectorUrl } : {}), ...(quota ? { quota } : {}) };
    out.result(readyRecord(info), formatBanner(info, out.color));

    const stopped = new Promise<undefined>((r) => {
      if (ctx.signal.aborted) r(undefined);
      ctx.signal.addEventListener('abort', () => r(undefined), { once: true });
    });
    lost = await Promise.race([stopped, tunnelLost]);
    const restoring = Array.isArray(webhooks) && webhooks.some((w) => w.outcome === 'set');
    out.info(`${lost ? 'cleaning up before exiting' : 'stopping'}: ${restoring ? 'restoring the webhooks, ' : ''}finishing deliveries in flight`);
  } finally {
    for (const step of cleanup.reverse()) {
      await step.run().catch((e: unknown) => out.warn(`could not ${step.what}: ${(e as Error)?.message ?? e}`));
    }
  }
  if (lost) throw lost;
  out.result({ event: 'stopped', ok: true }, 'dev stopped');
  return { ok: true };
}

/** The quota read with the relay's start, waited for at most 3 s (a channel LINE is slow to answer shows "not read yet"). */
async function firstQuotas(watch: QuotaWatch, config: Config): Promise<QuotaReadings | undefined> {
  if (config.relay.quotaRefreshMs <= 0) return undefined;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([watch.refresh(), new Promise((r) => (timer = setTimeout(r, 3000)))]);
  clearTimeout(timer);
  return config.channels.map((c) => ({ channel: c.id, reading: watch.readings.get(c.id) }));
}

function tunnelStatus(ctx: CommandContext, s: TunnelStatus, timeoutMs: number, onLost: (e: LineGenesysError) => void): void {
  if (ctx.out.json) ctx.out.result({ event: 'tunnel', status: s });
  if (s === 'down') ctx.out.warn(`the tunnel dropped: reconnecting (giving up after ${Math.round(timeoutMs / 1000)} s). LINE and Genesys retry their webhooks meanwhile.`);
  else if (s === 'up') ctx.out.warn('the tunnel is back');
  else {
    onLost(
      new LineGenesysError('TUNNEL_LOST', `the tunnel dropped and did not come back within ${Math.round(timeoutMs / 1000)} s`, {
        hint: 'Check your connection and run `line-genesys dev` again, or use a tunnel of your own with --public-url.',
      }),
    );
  }
}

/** The user's config, or with --sandbox the emulators' (no config file, no account, memory store). */
function devConfig(ctx: CommandContext, port: number | undefined, sandbox: Sandbox | undefined): Config {
  const flags = { 'relay.port': port, ...(sandbox ? { 'relay.store': 'memory' } : {}) };
  if (!sandbox) return ctx.config('relay', flags);
  return loadConfig({ cwd: tmpdir(), dotenv: false, env: { ...ctx.io.env, ...sandbox.env }, flags });
}

/** Relay logs on stderr: warnings and up unless a level is set (the live lines already show each event). */
function devLogger(ctx: CommandContext, config: Config) {
  const level = ctx.globals.verbose ? 'debug' : config.sources['relay.logLevel'] === 'default' ? 'warn' : config.relay.logLevel;
  return createLogger({ level, format: ctx.globals.json ? 'json' : 'pretty', write: (l) => ctx.io.stderr.write(l + '\n') });
}
