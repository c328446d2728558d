/**
 * `line-genesys doctor` (README, Commands): the checks without the network (local-checks.ts), then,
 * unless --offline, those over it (remote-checks.ts), then with --live a test message per integration
 * (live.ts, asked first). Every check is printed before it exits 1.
 */
import { readConfigFile, secretEnvNames, type Config } from '../../../config.js';
import { ConfigError, LineGenesysError, UsageError } from '../../../errors.js';
import type { CommandContext } from '../../context.js';
import { type Check, channelChecks, configCheck, envChecks, publicUrlCheck, RUN_INIT, secretVars } from './local-checks.js';
import { genesysCheck, integrationChecks, lineChecks } from './remote-checks.js';
import { relayAuthCheck } from './relay-auth.js';
import { formatSettings, settingSources } from './settings.js';
import { confirmLive, liveChannels, liveCheck, type LiveResult } from './live.js';
import { shortPath } from '../../shared/short-path.js';

export interface DoctorOptions {
  offline?: boolean;
  live?: boolean;
  yes?: boolean;
}

export default async function doctor(o: DoctorOptions, ctx: CommandContext): Promise<unknown> {
  const checks: Check[] = [];
  const add = (c: Check) => {
    checks.push(c);
    ctx.out.check(c.ok, c.name, c.ok || !c.fix ? c.detail : `${c.detail} → ${c.fix}`);
  };
  const short = (p: string) => shortPath(ctx.io.cwd, p);
  if (o.live && o.offline) throw new UsageError('--live sends a test message: it cannot be --offline', { hint: 'Give one of them.' });

  let config: Config | undefined;
  try {
    config = ctx.config('partial');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    add({ name: 'config', ok: false, detail: e.message, fix: e.hint ?? `Fix the setting, or ${RUN_INIT}.` });
  }

  if (config && o.live) await confirmLive(config, o.yes, ctx.asker({}));
  const live: LiveResult[] = [];

  if (config) {
    add(configCheck(config, short));
    add(publicUrlCheck(config));
    const file = config.file ? readConfigFile(config.file) : undefined;
    for (const c of envChecks(secretVars(config, file), ctx.environment())) add(c);
    for (const c of channelChecks(config)) add(c);
    if (!o.offline) await remoteChecks(config, add, ctx.signal, (id) => secretEnvNames(file).channel(id).outboundSecret, o.live ? live : undefined);
  }

  const failed = checks.filter((c) => !c.ok).length;
  const settings = config ? settingSources(config) : [];
  const result = { ok: failed === 0, offline: Boolean(o.offline), checks, ...(o.live ? { live } : {}), ...(config ? { settings } : {}) };
  const withSettings = (summary: string) => (settings.length ? `\n${formatSettings(settings)}\n\n${summary}` : summary);
  if (failed) {
    const e = new LineGenesysError('DOCTOR_FAILED', `${failed} of ${checks.length} checks failed`, { hint: 'Apply the fixes above, then run `line-genesys doctor` again.' });
    throw ctx.out.failure(result, withSettings(`${failed} of ${checks.length} checks failed.`), e);
  }
  ctx.out.result(result, withSettings(`All ${checks.length} checks passed${o.offline ? ' (offline: the network checks were skipped)' : ''}.`));
  return result;
}

/** `outboundSecretEnv`: the variable holding a channel's outbound secret; `live`: where --live's results go (undefined without --live). */
async function remoteChecks(
  config: Config,
  add: (c: Check) => void,
  signal: AbortSignal,
  outboundSecretEnv: (channelId: string) => string,
  live?: LiveResult[],
): Promise<void> {
  const g = config.genesys;
  const genesys = g.clientId && g.clientSecret ? await genesysCheck(config) : undefined;
  if (genesys) add(genesys.check);
  add(await relayAuthCheck(config));
  for (const c of config.channels) {
    if (signal.aborted) throw new LineGenesysError('CANCELLED', 'doctor interrupted');
    if (c.accessToken) for (const check of await lineChecks(config, c)) add(check);
    if (genesys?.client && c.integrationId) for (const check of await integrationChecks(config, genesys.client, c, outboundSecretEnv(c.id))) add(check);
  }
  if (!live) return;
  if (!genesys?.client) return add({ name: 'live', ok: false, detail: 'not run: no Genesys token (see Genesys credentials)', fix: 'Fix the Genesys credentials, then run doctor --live again.' });
  for (const c of liveChannels(config)) {
    if (signal.aborted) throw new LineGenesysError('CANCELLED', 'doctor interrupted');
    const r = await liveCheck(genesys.client, c, signal);
    live.push(r.result);
    add(r.check);
  }
}
