/**
 * The checks `doctor` makes over the network: the Genesys OAuth client, each LINE channel's bot
 * (and that its user id is the one configured) and whether read marks apply there (LINE's
 * markAsReadMode), each LINE webhook endpoint and each Genesys
 * integration's outbound webhook URL pointing at this relay, with its two profiles. A check whose
 * inputs are missing is not run: the local checks already said what is missing. A Genesys 403 names
 * the permission the OAuth client lacks (genesys/permissions.ts gives the hint shown as the fix).
 */
import type { ChannelConfig, Config } from '../../../config.js';
import { LineGenesysError, UpstreamError } from '../../../errors.js';
import { GenesysClient } from '../../../genesys/client.js';
import { secretDrift } from '../../../genesys/secret-mark.js';
import { LineClient } from '../../../line/client.js';
import type { OpenIntegration } from '../../../genesys/types.js';
import { describeDrift } from '../../shared/secret-drift.js';
import { RUN_INIT, type Check } from './local-checks.js';
import { profileCheck } from './profile-check.js';

const TIMEOUT_MS = 8000;

function failed(name: string, e: unknown): Check {
  const hint = e instanceof LineGenesysError ? e.hint : undefined;
  return { name, ok: false, detail: e instanceof Error ? e.message : String(e), ...(hint ? { fix: hint } : {}) };
}

/** The URL is this relay's `<publicUrl><path>` or `<publicUrl><path>/<id>` (only the path is compared when there is no public URL). */
export function pointsAtRelay(url: string | undefined, publicUrl: string | undefined, path: string, ids: string[]): boolean {
  if (!url) return false;
  const accepted = [path, ...ids.map((id) => `${path}/${id}`)];
  if (publicUrl) return accepted.some((p) => url.replace(/\/+$/, '') === `${publicUrl}${p}`);
  try {
    return accepted.includes(new URL(url).pathname.replace(/\/+$/, ''));
  } catch {
    return false;
  }
}

export async function genesysCheck(config: Config): Promise<{ check: Check; client?: GenesysClient }> {
  const g = config.genesys;
  const client = new GenesysClient({ apiBaseUrl: g.apiBaseUrl, loginBaseUrl: g.loginBaseUrl, clientId: g.clientId, clientSecret: g.clientSecret, timeoutMs: TIMEOUT_MS });
  try {
    await client.tokens.get();
    return { check: { name: 'Genesys credentials', ok: true, detail: `token issued by ${g.loginBaseUrl}` }, client };
  } catch (e) {
    if (e instanceof UpstreamError && e.authentication) {
      return {
        check: {
          name: 'Genesys credentials',
          ok: false,
          detail: `Genesys refuses the OAuth client (HTTP ${e.upstreamStatus} from ${g.loginBaseUrl}${e.detail ? `: ${e.detail}` : ''}); the relay cannot deliver to Genesys with it`,
          fix: `Set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET to a Client Credentials OAuth client of region ${g.region} (Admin > Integrations > OAuth), then restart the relay.`,
        },
      };
    }
    return { check: failed('Genesys credentials', e) };
  }
}

export async function lineChecks(config: Config, c: ChannelConfig): Promise<Check[]> {
  const client = new LineClient({ accessToken: c.accessToken, apiBaseUrl: config.line.apiBaseUrl, timeoutMs: TIMEOUT_MS });
  const checks: Check[] = [];
  const botName = `LINE ${c.id} bot`;
  try {
    const info = await client.getBotInfo();
    if (!c.botUserId) checks.push({ name: botName, ok: false, detail: `"${info.displayName}" is ${info.userId}; the config names no bot user id`, fix: `${RUN_INIT}, or set botUserId of "${c.id}" to ${info.userId}.` });
    else if (info.userId !== c.botUserId) {
      checks.push({ name: botName, ok: false, detail: `the access token is for ${info.userId} ("${info.displayName}"), the config says ${c.botUserId}`, fix: `Use the access token of the right channel, or set botUserId of "${c.id}" to ${info.userId} (${RUN_INIT}).` });
      return checks; // the webhook seen with this token is another channel's
    } else checks.push({ name: botName, ok: true, detail: `"${info.displayName}" ${info.userId} matches the config` });
    checks.push(readMarksCheck(config, c, info.markAsReadMode));
  } catch (e) {
    checks.push(failed(botName, e));
    return checks; // the same token would fail the webhook check too
  }
  const hookName = `LINE ${c.id} webhook`;
  try {
    const hook = await client.getWebhookEndpoint();
    const expected = config.relay.publicUrl ? `${config.relay.publicUrl}/webhook/line/${c.id}` : `<public URL>/webhook/line/${c.id}`;
    if (!pointsAtRelay(hook.endpoint, config.relay.publicUrl, '/webhook/line', [c.id])) {
      checks.push({ name: hookName, ok: false, detail: `points to ${hook.endpoint}, not ${expected}`, fix: `${RUN_INIT} to set it, or set it to ${expected} in the LINE Developers console.` });
    } else if (hook.active === false) {
      checks.push({ name: hookName, ok: false, detail: `${hook.endpoint} is set but "Use webhook" is off`, fix: 'Turn on "Use webhook" in the LINE Developers console (Messaging API tab).' });
    } else {
      checks.push({ name: hookName, ok: true, detail: `${hook.endpoint}${config.relay.publicUrl ? '' : ' (no relay.publicUrl: only the path was checked)'}` });
    }
  } catch (e) {
    const unset = e instanceof LineGenesysError && /_404$/.test(e.code);
    checks.push(unset ? { name: hookName, ok: false, detail: 'no webhook endpoint is set', fix: `${RUN_INIT} to set it to the relay.` } : failed(hookName, e));
  }
  return checks;
}

/** Whether the relay's read marks (relay.markAsRead) show: only with LINE's chat on (markAsReadMode "manual"). */
function readMarksCheck(config: Config, c: ChannelConfig, mode: string | undefined): Check {
  const name = `LINE ${c.id} read marks`;
  const setting = config.relay.chat.markAsRead;
  if (mode === 'manual') {
    const detail = setting === 'off' ? 'chat is on (markAsReadMode manual) and relay.markAsRead is off: customers see their messages unread' : `apply: chat is on (markAsReadMode manual), the relay marks messages read (relay.markAsRead ${setting})`;
    return { name, ok: true, detail };
  }
  if (mode === 'auto') return { name, ok: true, detail: 'do not apply: chat is off (markAsReadMode auto), LINE marks messages read itself' };
  return { name, ok: true, detail: 'unknown: LINE did not say its markAsReadMode' };
}

/**
 * The integration's own check, then its profiles' (profile-check.ts) when it could be read.
 * `secretEnv`: the variable that holds this channel's outbound secret (named in the drift fix).
 */
export async function integrationChecks(config: Config, client: GenesysClient, c: ChannelConfig, secretEnv: string): Promise<Check[]> {
  const name = `Genesys integration ${c.id}`;
  const sharing = config.channels.filter((x) => x.integrationId === c.integrationId).map((x) => x.id);
  let i: OpenIntegration;
  try {
    i = await client.getIntegration(c.integrationId);
  } catch (e) {
    const missing = e instanceof LineGenesysError && /_404$/.test(e.code);
    return [missing ? { name, ok: false, detail: `integration ${c.integrationId} does not exist`, fix: `${RUN_INIT} to create it.` } : failed(name, e)];
  }
  const expected = `${config.relay.publicUrl ?? '<public URL>'}/webhook/genesys/${c.id}`;
  // The secret itself is write-only: its mark tells whether another configuration set its own (secret-mark.ts).
  const drift = c.outboundSecret ? secretDrift(i, c.outboundSecret) : undefined;
  let check: Check;
  if (!pointsAtRelay(i.outboundNotificationWebhookUrl, config.relay.publicUrl, '/webhook/genesys', sharing)) {
    check = { name, ok: false, detail: `"${i.name}" sends agent replies to ${i.outboundNotificationWebhookUrl}, not ${expected}`, fix: `${RUN_INIT} to point it at the relay.` };
  } else if (i.createStatus && i.createStatus !== 'Completed') {
    check = { name, ok: false, detail: `"${i.name}" createStatus is ${i.createStatus}${i.createError?.message ? `: ${i.createError.message}` : ''}`, fix: `Wait a minute and run doctor again; if it stays so, delete it and ${RUN_INIT}.` };
  } else if (drift === 'changed') {
    const d = describeDrift(i, secretEnv);
    check = { name, ok: false, detail: d.detail, fix: d.fix };
  } else {
    const unmarked = drift === 'unmarked' ? ` (whether it signs with ${secretEnv} cannot be seen: ${RUN_INIT} to mark it)` : '';
    check = { name, ok: true, detail: `"${i.name}" → ${i.outboundNotificationWebhookUrl}${unmarked}` };
  }
  return [check, profileCheck(c.id, i)];
}
