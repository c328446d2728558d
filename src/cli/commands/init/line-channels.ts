/**
 * The LINE side of `init`: each channel's bot (GET /v2/bot/info gives the bot user id, the webhook
 * `destination`), and its webhook endpoint set to the relay and tested. A failed test is reported,
 * not fatal: the relay may not be running yet.
 */
import { LineGenesysError } from '../../../errors.js';
import { LineClient } from '../../../line/client.js';
import type { CallLog } from './call-log.js';

export interface BotInfo {
  botUserId: string;
  displayName: string;
  basicId?: string;
}

export interface WebhookOutcome {
  set: boolean;
  endpoint: string;
  /** LINE's test of the endpoint; null when it was not run (dry run, --skip-webhook). */
  test: { success: boolean; statusCode?: number; reason?: string; detail?: string } | null;
}

export function lineWebhookUrl(publicUrl: string, channelId: string): string {
  return `${publicUrl}/webhook/line/${channelId}`;
}

/** Prefixes an error with the channel it is about, keeping its code, hint and exit code. */
export function aboutChannel(channelId: string, e: unknown): unknown {
  if (!(e instanceof LineGenesysError)) return e;
  return new LineGenesysError(e.code, `LINE channel "${channelId}": ${e.message}`, { hint: e.hint, exitCode: e.exitCode, status: e.status, cause: e });
}

export async function botInfo(client: LineClient, channelId: string, log: CallLog): Promise<BotInfo> {
  try {
    const info = await log.read('GET', `${client.apiBaseUrl}/v2/bot/info`, () => client.getBotInfo());
    return { botUserId: info.userId, displayName: info.displayName, ...(info.basicId ? { basicId: info.basicId } : {}) };
  } catch (e) {
    throw aboutChannel(channelId, e);
  }
}

export async function setWebhook(client: LineClient, channelId: string, endpoint: string, log: CallLog): Promise<WebhookOutcome> {
  try {
    await log.write('PUT', `${client.apiBaseUrl}/v2/bot/channel/webhook/endpoint`, { endpoint }, () => client.setWebhookEndpoint(endpoint));
  } catch (e) {
    throw aboutChannel(channelId, e);
  }
  let test: WebhookOutcome['test'];
  try {
    const r = await log.write('POST', `${client.apiBaseUrl}/v2/bot/channel/webhook/test`, {}, () => client.testWebhookEndpoint());
    test = r ? { success: r.success ?? false, statusCode: r.statusCode, reason: r.reason, detail: r.detail } : null;
  } catch (e) {
    // The test endpoint itself refused (e.g. its 60-an-hour limit): a warning, like a failed test.
    test = { success: false, reason: e instanceof Error ? e.message : String(e) };
  }
  return { set: !log.dryRun, endpoint, test };
}
