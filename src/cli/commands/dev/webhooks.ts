/**
 * While `dev` runs, LINE and Genesys send their webhooks to the tunnel: each channel's LINE webhook
 * endpoint and each Genesys integration's outbound URL are pointed at it, and put back on exit
 * (unless someone changed them meanwhile). Failures are reported, never thrown: the relay still runs.
 */
import type { ChannelConfig } from '../../../config.js';
import { UpstreamError } from '../../../errors.js';
import type { GenesysClient } from '../../../genesys/client.js';
import type { LineClient } from '../../../line/client.js';

export interface WebhookTarget {
  platform: 'line' | 'genesys';
  /** LINE: the channel id; Genesys: the integration id. */
  id: string;
  /** The channels whose webhooks these are. */
  channels: string[];
  url: string;
}

export interface PointedWebhook extends WebhookTarget {
  /** 'set': changed by us; 'already': it pointed there before; 'failed': left as it was. */
  outcome: 'set' | 'already' | 'failed';
  previous?: string;
  /** Genesys integration name (an update must carry it). */
  name?: string;
  error?: string;
}

export interface RestoredWebhook {
  webhook: PointedWebhook;
  /** 'restored': back to the previous URL; 'kept': there was none to go back to; 'moved': changed by someone else since, left alone. */
  outcome: 'restored' | 'kept' | 'moved' | 'failed';
  current?: string;
  error?: string;
}

export interface WebhookClients {
  line(channelId: string): LineClient;
  genesys: GenesysClient;
}

/** Where each webhook should point. An integration shared by several channels gets the path without a channel id. */
export function webhookTargets(channels: ChannelConfig[], publicUrl: string): WebhookTarget[] {
  const base = publicUrl.replace(/\/+$/, '');
  const targets: WebhookTarget[] = channels.map((c) => ({ platform: 'line', id: c.id, channels: [c.id], url: `${base}/webhook/line/${encodeURIComponent(c.id)}` }));
  const byIntegration = new Map<string, string[]>();
  for (const c of channels) if (c.integrationId) byIntegration.set(c.integrationId, [...(byIntegration.get(c.integrationId) ?? []), c.id]);
  for (const [id, ids] of byIntegration) {
    targets.push({ platform: 'genesys', id, channels: ids, url: ids.length === 1 ? `${base}/webhook/genesys/${encodeURIComponent(ids[0]!)}` : `${base}/webhook/genesys` });
  }
  return targets;
}

/** Points every target at its URL, all at once. Resolves with what happened to each; never rejects. */
export function pointWebhooks(targets: WebhookTarget[], clients: WebhookClients): Promise<PointedWebhook[]> {
  return Promise.all(
    targets.map(async (t): Promise<PointedWebhook> => {
      try {
        if (t.platform === 'line') {
          const line = clients.line(t.id);
          const previous = await currentLineEndpoint(line);
          if (previous === t.url) return { ...t, outcome: 'already', previous };
          await line.setWebhookEndpoint(t.url);
          return { ...t, outcome: 'set', ...(previous ? { previous } : {}) };
        }
        const integration = await clients.genesys.getIntegration(t.id);
        const previous = integration.outboundNotificationWebhookUrl;
        if (previous === t.url) return { ...t, outcome: 'already', previous, name: integration.name };
        await clients.genesys.updateIntegration(t.id, { name: integration.name, outboundNotificationWebhookUrl: t.url, ...keptHeaders(integration) });
        return { ...t, outcome: 'set', name: integration.name, ...(previous ? { previous } : {}) };
      } catch (e) {
        return { ...t, outcome: 'failed', error: (e as Error).message };
      }
    }),
  );
}

/** Puts back what `pointWebhooks` changed, unless it was changed again meanwhile. Never rejects. */
export function restoreWebhooks(pointed: PointedWebhook[], clients: WebhookClients): Promise<RestoredWebhook[]> {
  return Promise.all(
    pointed
      .filter((w) => w.outcome === 'set')
      .map(async (w): Promise<RestoredWebhook> => {
        try {
          if (w.platform === 'line') {
            const line = clients.line(w.id);
            const current = await currentLineEndpoint(line);
            if (current !== w.url) return { webhook: w, outcome: 'moved', ...(current ? { current } : {}) };
            if (!w.previous) return { webhook: w, outcome: 'kept', current };
            await line.setWebhookEndpoint(w.previous);
            return { webhook: w, outcome: 'restored' };
          }
          const integration = await clients.genesys.getIntegration(w.id);
          const current = integration.outboundNotificationWebhookUrl;
          if (current !== w.url) return { webhook: w, outcome: 'moved', ...(current ? { current } : {}) };
          if (!w.previous) return { webhook: w, outcome: 'kept', current };
          await clients.genesys.updateIntegration(w.id, { name: integration.name, outboundNotificationWebhookUrl: w.previous, ...keptHeaders(integration) });
          return { webhook: w, outcome: 'restored' };
        } catch (e) {
          return { webhook: w, outcome: 'failed', error: (e as Error).message };
        }
      }),
  );
}

/** The integration's headers sent back as they are (they carry init's secret mark), in case an update without them cleared them. */
function keptHeaders(i: { webhookHeaders?: Record<string, string> }): { webhookHeaders?: Record<string, string> } {
  return i.webhookHeaders ? { webhookHeaders: i.webhookHeaders } : {};
}

/** LINE answers 404 when a channel has no webhook endpoint yet. */
async function currentLineEndpoint(line: LineClient): Promise<string | undefined> {
  try {
    const r = await line.getWebhookEndpoint();
    return r.endpoint || undefined;
  } catch (e) {
    if (e instanceof UpstreamError && e.upstreamStatus === 404) return undefined;
    throw e;
  }
}

function what(w: WebhookTarget): string {
  return w.platform === 'line' ? `LINE webhook of channel ${w.id}` : `Genesys integration ${w.id} (${w.channels.join(', ')})`;
}

/** One sentence per webhook after pointing; `ok` false for a failure (a loud warning). */
export function describePointed(w: PointedWebhook): { ok: boolean; text: string } {
  if (w.outcome === 'failed') {
    const where = w.platform === 'line' ? 'the LINE Developers console (Messaging API > Webhook URL)' : 'Genesys Admin > Message > Platforms (Outbound Notification Webhook URL)';
    return { ok: false, text: `could not point the ${what(w)} at ${w.url}: ${w.error}. Set it in ${where}, or run with --no-update-webhooks.` };
  }
  if (w.outcome === 'already') return { ok: true, text: `${what(w)} already points at ${w.url}` };
  return { ok: true, text: `${what(w)} → ${w.url}${w.previous ? ` (was ${w.previous}; restored on exit)` : ''}` };
}

/** One sentence per webhook after restoring; `ok` false when the user has something to do. */
export function describeRestored(r: RestoredWebhook): { ok: boolean; text: string } {
  const w = r.webhook;
  switch (r.outcome) {
    case 'restored':
      return { ok: true, text: `${what(w)} restored to ${w.previous}` };
    case 'moved':
      return { ok: true, text: `${what(w)} was changed to ${r.current ?? '(none)'} meanwhile: left as it is` };
    case 'kept':
      return { ok: false, text: `${what(w)} had no URL before and still points at ${w.url}: set the one you want in ${w.platform === 'line' ? 'the LINE Developers console' : 'Genesys Admin'}` };
    default:
      return { ok: false, text: `could not restore the ${what(w)} to ${w.previous ?? '(none)'}: ${r.error}. Set it back by hand.` };
  }
}
