/**
 * One Genesys Open Messaging integration per LINE channel, found or created, pointed at the relay.
 *
 * Found means: the integration the config already names for the channel, else the one with the
 * channel's name (`<prefix> <MARKET> <brand>`). A found integration is updated (PATCH always sends
 * `name`: the SDK marks it required) and keeps its outbound secret when .env knows it; when .env
 * does not, a new secret is set and the caller says so. Running init twice creates nothing new.
 */
import { randomBytes } from 'node:crypto';
import type { GenesysClient } from '../../../genesys/client.js';
import type { OpenIntegration, OpenIntegrationRequest, OpenIntegrationUpdateRequest } from '../../../genesys/types.js';
import type { CallLog } from './call-log.js';

export interface IntegrationWanted {
  channelId: string;
  name: string;
  webhookUrl: string;
  /** The integration id the config names for this channel, if any. */
  configuredId?: string;
  /** The outbound secret .env (or the environment) holds for this channel, if any. */
  knownSecret?: string;
}

export interface IntegrationOutcome {
  channelId: string;
  /** undefined only for an integration a dry run would have created. */
  id: string | undefined;
  name: string;
  action: 'created' | 'updated';
  secret: string;
  /** 'new': generated now (created, or set on an existing integration whose secret was unknown). */
  secretState: 'kept' | 'new';
  webhookUrl: string;
}

export function integrationName(prefix: string, market: string, brand: string): string {
  return `${prefix} ${market} ${brand}`;
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

const PATH = '/api/v2/conversations/messaging/integrations/open';

export async function listIntegrations(genesys: GenesysClient, apiBaseUrl: string, log: CallLog): Promise<OpenIntegration[]> {
  return log.read('GET', `${apiBaseUrl}${PATH}?pageSize=100&pageNumber=1`, () => genesys.listIntegrations());
}

export function findIntegration(all: OpenIntegration[], w: IntegrationWanted): OpenIntegration | undefined {
  return (w.configuredId ? all.find((i) => i.id === w.configuredId) : undefined) ?? all.find((i) => i.name === w.name);
}

export async function ensureIntegration(
  genesys: GenesysClient,
  apiBaseUrl: string,
  log: CallLog,
  found: OpenIntegration | undefined,
  w: IntegrationWanted,
): Promise<IntegrationOutcome> {
  const base = { channelId: w.channelId, name: w.name, webhookUrl: w.webhookUrl };
  if (found) {
    const secret = w.knownSecret ?? newSecret();
    const body: OpenIntegrationUpdateRequest = {
      name: w.name,
      outboundNotificationWebhookUrl: w.webhookUrl,
      ...(w.knownSecret ? {} : { outboundNotificationWebhookSignatureSecretToken: secret }),
    };
    await log.write('PATCH', `${apiBaseUrl}${PATH}/${found.id}`, body, () => genesys.updateIntegration(found.id, body));
    return { ...base, id: found.id, action: 'updated', secret, secretState: w.knownSecret ? 'kept' : 'new' };
  }
  const secret = w.knownSecret ?? newSecret();
  const body: OpenIntegrationRequest = { name: w.name, outboundNotificationWebhookUrl: w.webhookUrl, outboundNotificationWebhookSignatureSecretToken: secret };
  const created = await log.write('POST', `${apiBaseUrl}${PATH}`, body, () => genesys.createIntegration(body));
  if (created) {
    // Genesys creates asynchronously: poll until createStatus is Completed (or Error, which throws).
    await log.read('GET', `${apiBaseUrl}${PATH}/${created.id}`, () => genesys.waitForIntegration(created.id, { timeoutMs: 60_000, intervalMs: 500 }));
  }
  return { ...base, id: created?.id, action: 'created', secret, secretState: w.knownSecret ? 'kept' : 'new' };
}
