/**
 * `line-genesys doctor` (README, Commands): the checks without the network (local-checks.ts), then,
 * unless --offline, those over it (remote-checks.ts). Every check is printed before it exits 1.
 */
import { readConfigFile, secretEnvNames, type Config } from '../../../config.js';
import { ConfigError, LineGenesysError } from '../../../errors.js';
import type { CommandContext } from '../../context.js';
import { type Check, channelChecks, configCheck, envChecks, publicUrlCheck, RUN_INIT, secretVars } from './local-checks.js';
import { genesysCheck, integrationCheck, lineChecks } from './remote-checks.js';
import { formatSettings, settingSources } from './settings.js';
import { shortPath } from '../../shared/short-path.js';

export interface DoctorOptions {
  offline?: boolean;
}

export default async function doctor(o: DoctorOptions, ctx: CommandContext): Promise<unknown> {
  const checks: Check[] = [];
  const add = (c: Check) => {
    checks.push(c);
    ctx.out.check(c.ok, c.name, c.ok || !c.fix ? c.detail : `${c.detail} → ${c.fix}`);
  };
  const short = (p: string) => shortPath(ctx.io.cwd, p);

  let config: Config | undefined;
  try {
    config = ctx.config('partial');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    add({ name: 'config', ok: false, detail: e.message, fix: e.hint ?? `Fix the setting, or ${RUN_INIT}.` });
  }

  if (config) {
    add(configCheck(config, short));
    add(publicUrlCheck(config));
    const file = config.file ? readConfigFile(config.file) : undefined;
    for (const c of envChecks(secretVars(config, file), ctx.environment())) add(c);
    for (const c of channelChecks(config)) add(c);
    if (!o.offline) await remoteChecks(config, add, ctx.signal, (id) => secretEnvNames(file).channel(id).outboundSecret);
  }

  const failed = checks.filter((c) => !c.ok).length;
  const settings = config ? settingSources(config) : [];
  const result = { ok: failed === 0, offline: Boolean(o.offline), checks, ...(config ? { settings } : {}) };
  const withSettings = (summary: string) => (settings.length ? `\n${formatSettings(settings)}\n\n${summary}` : summary);
  if (failed) {
    const e = new LineGenesysError('DOCTOR_FAILED', `${failed} of ${checks.length} checks failed`, { hint: 'Apply the fixes above, then run `line-genesys doctor` again.' });
    throw ctx.out.failure(result, withSettings(`${failed} of ${checks.length} checks failed.`), e);
  }
  ctx.out.result(result, withSettings(`All ${checks.length} checks passed${o.offline ? ' (offline: the network checks were skipped)' : ''}.`));
  return result;
}

async function remoteChecks(config: Config, add: (c: Check) => void, signal: AbortSignal, outboundSecretEnv: (channelId: string) => string): Promise<void> {
  const g = config.genesys;
  const genesys = g.clientId && g.clientSecret ? await genesysCheck(config) : undefined;
  if (genesys) add(genesys.check);
  for (const c of config.channels) {
    if (signal.aborted) throw new LineGenesysError('CANCELLED', 'doctor interrupted');
    if (c.accessToken) for (const check of await lineChecks(config, c)) add(check);
    if (genesys?.client && c.integrationId) add(await integrationCheck(config, genesys.client, c, outboundSecretEnv(c.id)));
  }
}
