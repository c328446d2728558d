/**
 * One Genesys Open Messaging integration per LINE channel, found or created, pointed at the relay.
 *
 * Found means: the integration the config already names for the channel, else the one with the
 * channel's name (`<prefix> <MARKET> <brand>`). A found integration is updated (PATCH always sends
 * `name`: the SDK marks it required) and keeps its outbound secret when .env knows it; when .env
 * does not, a new secret is set and the caller says so. Each integration references the profiles of
 * profiles.ts (supportedContent.id, messagingSetting.id). One that already points where it should,
 * with those profiles and a known secret, is left alone: running init twice writes nothing.
 */
import { randomBytes } from 'node:crypto';
import { LineGenesysError } from '../../../errors.js';
import type { GenesysClient } from '../../../genesys/client.js';
import { markedHeaders, secretDrift, type SecretDrift } from '../../../genesys/secret-mark.js';
import { describeDrift } from '../../shared/secret-drift.js';
import type { OpenIntegration, OpenIntegrationRequest, OpenIntegrationUpdateRequest } from '../../../genesys/types.js';
import { UsageError } from '../../../errors.js';
import { checkOutboundSecret } from '../../../genesys/outbound-secret.js';
import type { CallLog } from './call-log.js';
import type { Profiles } from './profiles.js';

export interface IntegrationWanted {
  channelId: string;
  name: string;
  /** Where agent replies go; undefined when there is no public URL yet (`dev` will point it at its tunnel). */
  webhookUrl: string | undefined;
  /** The environment variable of this channel's outbound secret (named in the drift error). */
  secretEnv: string;
  /** The integration id the config names for this channel, if any. */
  configuredId?: string;
  /** The outbound secret .env (or the environment) holds for this channel, if any. */
  knownSecret?: string;
  /** The profiles to reference; an id is undefined when a dry run would create the profile. */
  profiles?: Profiles;
}

export interface IntegrationOutcome {
  channelId: string;
  /** undefined only for an integration a dry run would have created. */
  id: string | undefined;
  name: string;
  action: 'created' | 'updated' | 'unchanged';
  secret: string;
  /** 'new': generated now (created, or set on an existing integration whose secret was unknown). */
  secretState: 'kept' | 'new';
  /** True when the new secret replaced one another configuration had marked: that configuration's relay now refuses. */
  tookOver: boolean;
  /** Where agent replies go now (for a found integration without a public URL: where they went). */
  webhookUrl: string;
  /** The integration's recipient.id: the flow is attached to it (Message Routing). Unknown in a dry run's creation. */
  recipientId?: string;
}

/**
 * Genesys requires a webhook URL to create an integration. Without a public URL yet, it gets this
 * one: `.invalid` never resolves (RFC 6761), so nothing is sent anywhere until `dev` points the
 * integration at its tunnel (and puts this back on exit) or init runs again with --public-url.
 */
export const NO_PUBLIC_URL_YET = 'https://no-public-url-yet.invalid';

export function integrationName(prefix: string, market: string, brand: string): string {
  return `${prefix} ${market} ${brand}`;
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The outbound secret the user gave (in .env or the environment), refused with exit 2 when Genesys would refuse it. */
export function givenSecret(variable: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const verdict = checkOutboundSecret(value);
  if (verdict !== true) {
    throw new UsageError(`${variable} ${verdict} (the outbound secret of a Genesys integration)`, {
      hint: `Set ${variable} to a longer secret, or remove it and init generates one.`,
    });
  }
  return value;
}

/** A profile reference for a request body; a dry run's profile still to create shows as "(new)". */
function ref(p: { id: string | undefined } | undefined): { id: string } | undefined {
  return p ? { id: p.id ?? '(new)' } : undefined;
}

/** What the integration should reference, for a request body. */
function profileRefs(p: Profiles | undefined): Pick<OpenIntegrationRequest, 'supportedContent' | 'messagingSetting'> {
  const content = ref(p?.supportedContent);
  const setting = ref(p?.messagingSetting);
  return { ...(content ? { supportedContent: content } : {}), ...(setting ? { messagingSetting: setting } : {}) };
}

/** True when the found integration already is what we want (`drift`: its mark against our secret): nothing to write. */
function upToDate(found: OpenIntegration, w: IntegrationWanted, drift: SecretDrift | undefined): boolean {
  const refs = profileRefs(w.profiles);
  return (
    drift === 'same' &&
    found.name === w.name &&
    // Without a public URL (dev will point it), the integration's URL is left as it is.
    (w.webhookUrl === undefined || found.outboundNotificationWebhookUrl === w.webhookUrl) &&
    (!refs.supportedContent || found.supportedContent?.id === refs.supportedContent.id) &&
    (!refs.messagingSetting || found.messagingSetting?.id === refs.messagingSetting.id)
  );
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
  const base = { channelId: w.channelId, name: w.name };
  if (found) {
    const drift = w.knownSecret ? secretDrift(found, w.knownSecret) : undefined;
    if (drift === 'changed') {
      const d = describeDrift(found, w.secretEnv);
      throw new LineGenesysError('SECRET_DRIFT', `Genesys integration ${d.detail}`, { hint: d.fix });
    }
    const recipient = found.recipient?.id ? { recipientId: found.recipient.id } : {};
    if (upToDate(found, w, drift)) {
      return { ...base, ...recipient, id: found.id, action: 'unchanged', secret: w.knownSecret!, secretState: 'kept', tookOver: false, webhookUrl: found.outboundNotificationWebhookUrl };
    }
    const secret = w.knownSecret ?? newSecret();
    const body: OpenIntegrationUpdateRequest = {
      name: w.name,
      ...(w.webhookUrl ? { outboundNotificationWebhookUrl: w.webhookUrl } : {}),
      ...(w.knownSecret ? {} : { outboundNotificationWebhookSignatureSecretToken: secret }),
      ...profileRefs(w.profiles),
      webhookHeaders: markedHeaders(found.webhookHeaders, secret),
    };
    await log.write('PATCH', `${apiBaseUrl}${PATH}/${found.id}`, body, () => genesys.updateIntegration(found.id, body));
    return {
      ...base,
      ...recipient,
      id: found.id,
      action: 'updated',
      secret,
      secretState: w.knownSecret ? 'kept' : 'new',
      tookOver: !w.knownSecret && secretDrift(found, secret) === 'changed',
      webhookUrl: w.webhookUrl ?? found.outboundNotificationWebhookUrl,
    };
  }
  const secret = w.knownSecret ?? newSecret();
  const webhookUrl = w.webhookUrl ?? `${NO_PUBLIC_URL_YET}/webhook/genesys/${w.channelId}`;
  const body: OpenIntegrationRequest = { name: w.name, outboundNotificationWebhookUrl: webhookUrl, outboundNotificationWebhookSignatureSecretToken: secret, webhookHeaders: markedHeaders(undefined, secret), ...profileRefs(w.profiles) };
  const created = await log.write('POST', `${apiBaseUrl}${PATH}`, body, () => genesys.createIntegration(body));
  let recipientId = created?.recipient?.id;
  if (created) {
    // Genesys creates asynchronously: poll until createStatus is Completed (or Error, which throws).
    const done = await log.read('GET', `${apiBaseUrl}${PATH}/${created.id}`, () => genesys.waitForIntegration(created.id, { timeoutMs: 60_000, intervalMs: 500 }));
    recipientId = done.recipient?.id ?? recipientId;
  }
  return { ...base, ...(recipientId ? { recipientId } : {}), id: created?.id, action: 'created', secret, secretState: w.knownSecret ? 'kept' : 'new', tookOver: false, webhookUrl };
}
