/**
 * `doctor --live`: settles, on the user's own organisation, whether Genesys still turns
 * `channel.metadata.customAttributes` into participant data (its SDK models no longer name the field,
 * and the Architect flow routes on it). For each integration: one clearly labelled test message with
 * prefetchConversationId, the conversation read back (GET /api/v2/conversations/{id}), whether market,
 * brand and lineChannel arrived as the customer's participant attributes, and the test conversation
 * disconnected. Opt-in: it says what it will do and asks first, or takes --yes.
 */
import { randomUUID } from 'node:crypto';
import type { ChannelConfig, Config } from '../../../config.js';
import { LineGenesysError, UpstreamError, UsageError } from '../../../errors.js';
import type { GenesysClient } from '../../../genesys/client.js';
import type { Conversation, OpenInboundNormalizedMessage } from '../../../genesys/types.js';
import { customAttributesOf } from '../../../transform/to-genesys.js';
import type { Asker } from '../../prompts.js';
import type { Check } from './local-checks.js';

/** The attributes the relay sends and the flow routes on. */
export const LIVE_ATTRIBUTES = ['market', 'brand', 'lineChannel'] as const;
export const TEST_TEXT = 'line-genesys doctor --live: a test message from the relay setup check. Please ignore it; it is disconnected at once.';
const CUSTOMER_ID = 'line-genesys-doctor-live';

export interface LiveResult {
  channel: string;
  integrationId: string;
  conversationId: string | null;
  attributes: Record<(typeof LIVE_ATTRIBUTES)[number], { sent: string; received: string | null; arrived: boolean }>;
  disconnected: boolean;
  error?: string;
}

/** The channels --live tests: those with an integration. */
export function liveChannels(config: Config): ChannelConfig[] {
  return config.channels.filter((c) => c.integrationId);
}

/** What --live does, in one sentence, for the question and for the refusal without a terminal. */
export function livePlan(config: Config): string {
  const ids = liveChannels(config).map((c) => `${c.id} (${c.integrationId})`);
  return `doctor --live sends one test message, labelled as such, to each Genesys integration (${ids.join(', ') || 'none configured'}), reads the conversation it opens back from Genesys, then disconnects that conversation; an agent may see it in a queue for a moment.`;
}

/** Goes ahead with --yes; else asks; with no terminal to ask on, refuses (exit 2) saying what it would do. */
export async function confirmLive(config: Config, yes: boolean | undefined, asker: Asker): Promise<void> {
  if (yes) return;
  const plan = livePlan(config);
  if (!asker.interactive) throw new UsageError(`${plan} No terminal to ask on: nothing was sent.`, { hint: 'Run it again with --yes to go ahead.' });
  if (!(await asker.confirm({ message: `${plan} Go ahead?`, default: false }))) {
    throw new LineGenesysError('CANCELLED', 'doctor --live cancelled: nothing was sent', { hint: 'Run `line-genesys doctor` without --live for the checks that send nothing.' });
  }
}

/** The test message of a channel: its custom attributes exactly as the relay sends them. */
export function testMessage(c: ChannelConfig, now: Date): OpenInboundNormalizedMessage {
  return {
    channel: {
      messageId: `line-genesys-doctor-${randomUUID()}`,
      time: now.toISOString(),
      from: { id: CUSTOMER_ID, idType: 'Opaque', nickname: 'line-genesys doctor (test)' },
      metadata: { customAttributes: customAttributesOf(c) },
    },
    text: TEST_TEXT,
  };
}

/** Genesys opens the conversation asynchronously: a 404 right after the message is retried for a while. */
async function readConversation(client: GenesysClient, id: string, signal: AbortSignal, timeoutMs = 15_000): Promise<Conversation> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await client.getConversation(id);
    } catch (e) {
      if (!(e instanceof UpstreamError && e.upstreamStatus === 404) || Date.now() > deadline || signal.aborted) throw e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function liveCheck(client: GenesysClient, c: ChannelConfig, signal: AbortSignal): Promise<{ check: Check; result: LiveResult }> {
  const message = testMessage(c, new Date());
  const sent = (message.channel.metadata as { customAttributes: Record<string, string> }).customAttributes;
  const result: LiveResult = {
    channel: c.id,
    integrationId: c.integrationId!,
    conversationId: null,
    attributes: Object.fromEntries(LIVE_ATTRIBUTES.map((k) => [k, { sent: sent[k]!, received: null, arrived: false }])) as LiveResult['attributes'],
    disconnected: false,
  };
  const name = `live ${c.id}`;
  try {
    const answer = await client.sendInboundMessage(c.integrationId!, message, { prefetchConversationId: true });
    if (!answer.conversationId) throw new LineGenesysError('NO_CONVERSATION_ID', 'Genesys accepted the test message but returned no conversationId (prefetchConversationId)');
    result.conversationId = answer.conversationId;
    const conversation = await readConversation(client, answer.conversationId, signal);
    const customer = conversation.participants.find((p) => p.purpose === 'customer');
    for (const k of LIVE_ATTRIBUTES) {
      const received = customer?.attributes?.[k] ?? null;
      result.attributes[k] = { sent: sent[k]!, received, arrived: received === sent[k] };
    }
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  } finally {
    if (result.conversationId) {
      try {
        await client.disconnectConversation(result.conversationId);
        result.disconnected = true;
      } catch (e) {
        result.error = [result.error, `disconnect failed: ${e instanceof Error ? e.message : String(e)}`].filter(Boolean).join('; ');
      }
    }
  }
  return { check: verdict(name, result), result };
}

function verdict(name: string, r: LiveResult): Check {
  const left = r.conversationId && !r.disconnected ? ` The test conversation ${r.conversationId} is still open: disconnect it in Genesys.` : '';
  if (r.error && !r.conversationId) return { name, ok: false, detail: `the test message failed: ${r.error}`, fix: `Fix what the other checks say, then run doctor --live again.${left}` };
  const missing = LIVE_ATTRIBUTES.filter((k) => !r.attributes[k].arrived);
  const shown = LIVE_ATTRIBUTES.map((k) => `${k}=${r.attributes[k].received ?? '(none)'}`).join(', ');
  if (r.error) return { name, ok: false, detail: `conversation ${r.conversationId}: ${r.error}`, fix: `Check the OAuth client's permissions (README, Permissions).${left}` };
  if (missing.length) {
    return {
      name,
      ok: false,
      detail: `conversation ${r.conversationId}: ${missing.join(', ')} did not arrive as participant data (${shown}); Genesys no longer turns channel.metadata.customAttributes into participant data here${r.disconnected ? '; disconnected' : ''}`,
      fix: `The Architect flow routes on the participant data market: until it arrives, every conversation goes to the default queue. Report it with this output.${left}`,
    };
  }
  return { name, ok: true, detail: `conversation ${r.conversationId}: ${shown} arrived as participant data; disconnected` };
}
