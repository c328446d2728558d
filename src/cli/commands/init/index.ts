/**
 * `line-genesys init` (README, Commands): its steps are numbered below, each helper beside this file.
 * Safe to run again: it finds what it made before. `--dry-run` makes only the reads (call-log.ts).
 */
import { LineGenesysError, UsageError } from '../../../errors.js';
import { LineClient } from '../../../line/client.js';
import { maskSecret } from '../../../log.js';
import type { CommandContext } from '../../context.js';
import { CallLog, formatCall } from './call-log.js';
import { readConfigFile } from '../../../config.js';
import { fileChannel, type ConfiguredChannel } from './config-file.js';
import { shortPath } from '../../shared/short-path.js';
import { CANNED_RESPONSES_FILE, importHint, writeCannedResponses } from './canned-responses.js';
import { secretsFor, writeAll, writeSecrets, type FileOutcome } from './files.js';
import { gatherInputs, settingFlags, type InitInputs, type InputChecks } from './inputs.js';
import { Credentials, verdictOf } from './credentials.js';
import { ensureIntegration, findIntegration, givenSecret, integrationName, listIntegrations, type IntegrationOutcome, type IntegrationWanted } from './integrations.js';
import { ensureProfiles, type Profiles } from './profiles.js';
import { lineWebhookUrl, setWebhook, type BotInfo, type WebhookOutcome } from './line-channels.js';
import { flowDivision, flowQueues } from './flow.js';
import type { InitOptions } from './options.js';
import { initPaths, readSettings } from './paths.js';

export default async function init(o: InitOptions, ctx: CommandContext): Promise<unknown> {
  const { out } = ctx;
  const dryRun = Boolean(o.dryRun);
  const paths = initPaths(ctx);
  const existing = readConfigFile(paths.config, { optional: true });
  const flags = settingFlags(o);
  const env = ctx.environment().values;
  const log = new CallLog(dryRun, ctx.globals.verbose && !dryRun ? (line) => out.info(out.color.dim(line)) : undefined);
  const genesysUrls = (region: string) => {
    const g = readSettings(ctx, existing, { ...flags, 'genesys.region': region }).genesys;
    return { api: g.apiBaseUrl, login: g.loginBaseUrl };
  };
  const known = readSettings(ctx, existing, flags);
  const lineApi = known.line.apiBaseUrl;
  const credentials = new Credentials(genesysUrls, lineApi, log);
  // With someone at the terminal, each credential is checked as it is entered (and asked again when refused).
  const checks: InputChecks = {
    genesys: (region, id, secret) => verdictOf(credentials.genesys(region, id, secret)),
    line: (channelId, token) => verdictOf(credentials.bot(channelId, token)),
    refused: (reason) => out.check(false, reason),
  };
  const inputs = await gatherInputs(o, known, env, existing, ctx.asker({ yes: o.yes, nonInteractive: o.nonInteractive }), checks).catch(cancelled);
  const names = inputs.channels.map((c) => integrationName(inputs.prefix, c.market, c.brand));
  const shared = names.find((n, i) => names.indexOf(n) !== i);
  if (shared) throw new UsageError(`two channels would share the Genesys integration "${shared}"`, { hint: 'Give each channel its own market or brand: the integration is named <prefix> <MARKET> <brand>.' });
  const knownSecrets = new Map(inputs.channels.map((c) => [c.id, givenSecret(c.env.outboundSecret, env[c.env.outboundSecret])]));
  const apiBase = genesysUrls(inputs.region).api;
  const short = (p: string) => shortPath(ctx.io.cwd, p);
  /** Ctrl-C between steps stops init before its next change. */
  const checkpoint = () => {
    if (ctx.signal.aborted) throw new LineGenesysError('CANCELLED', 'init interrupted', { hint: 'Run it again: it finds what it already made.' });
  };

  // 1. Credentials: a Genesys token, and each LINE channel's bot (already checked if they were typed in).
  const genesys = await credentials.genesys(inputs.region, inputs.clientId, inputs.clientSecret);
  out.check(true, 'Genesys OAuth client accepted', `${inputs.region}, client ${maskSecret(inputs.clientId)}`);
  const bots = new Map<string, BotInfo>();
  for (const c of inputs.channels) {
    const bot = await credentials.bot(c.id, c.accessToken);
    const twin = [...bots].find(([, b]) => b.botUserId === bot.botUserId);
    if (twin) throw new LineGenesysError('CHANNEL_TWICE', `LINE channels "${twin[0]}" and "${c.id}" have the same bot (${bot.botUserId})`, { hint: 'Each channel needs the access token of its own LINE Official Account.' });
    bots.set(c.id, bot);
    out.check(true, `LINE channel ${c.id}: bot "${bot.displayName}"`, `${bot.botUserId}, token ${maskSecret(c.accessToken)}`);
  }
  if (inputs.publicUrlFrom === 'ngrok-domain') out.info(`Public URL ${inputs.publicUrl}: your ngrok static domain (NGROK_DOMAIN), where \`line-genesys dev\` opens its tunnel.`);
  if (!inputs.publicUrl) {
    out.info('No public URL yet: that is fine for `line-genesys dev`, which opens a tunnel, points the LINE webhooks and Genesys integrations at it and puts them back on exit. init creates the integrations and records what dev needs; it sets no LINE webhook.');
  }

  checkpoint();
  // 2. The supported-content profile and the messaging setting (profiles.ts), then one Open Messaging integration per channel.
  const profiles = await ensureProfiles(genesys, apiBase, log, inputs.prefix);
  for (const p of [profiles.supportedContent, profiles.messagingSetting]) {
    out.check(true, `Genesys profile "${p.name}" ${dryRun && p.action !== 'reused' ? `would be ${p.action}` : p.action}`, p.id ?? '(new id)');
  }
  const all = await listIntegrations(genesys, apiBase, log);
  const outcomes: IntegrationOutcome[] = [];
  try {
    for (const c of inputs.channels) {
      checkpoint();
      const configuredId = fileChannel(existing, c.id)?.integrationId;
      const knownSecret = knownSecrets.get(c.id);
      const wanted: IntegrationWanted = {
        channelId: c.id,
        name: integrationName(inputs.prefix, c.market, c.brand),
        webhookUrl: inputs.publicUrl ? `${inputs.publicUrl}/webhook/genesys/${c.id}` : undefined,
        secretEnv: c.env.outboundSecret,
        profiles,
        ...(configuredId ? { configuredId } : {}),
        ...(knownSecret ? { knownSecret } : {}),
      };
      const r = await ensureIntegration(genesys, apiBase, log, findIntegration(all, wanted), wanted);
      outcomes.push(r);
      out.check(true, `Genesys integration "${r.name}" ${dryRun && r.action !== 'unchanged' ? `would be ${r.action}` : r.action}`, `${r.id ?? '(new id)'} → ${r.webhookUrl}`);
      if (r.tookOver) {
        out.warn(`integration "${r.name}" carried the outbound secret of another configuration (another folder's init, or a lost .env): ${dryRun ? 'init would set' : 'init set'} this project's own (${c.env.outboundSecret}), so that configuration's relay refuses agent messages from now on; its doctor and init say so. To share one integration, copy ${c.env.outboundSecret} into the other project's .env.`);
      } else if (r.action === 'updated' && r.secretState === 'new') {
        out.warn(`integration "${r.name}" existed but its outbound secret was not in .env or the environment: ${dryRun ? 'init would set' : 'init set'} a new one (${c.env.outboundSecret}).`);
      }
    }
  } catch (e) {
    // Keep the secrets of what was already created, so a re-run finds them.
    if (!dryRun && outcomes.length) writeSecrets(paths, secretsFor(inputs, outcomes));
    throw e;
  }

  // 3. Files.
  const channels: ConfiguredChannel[] = inputs.channels.map((c) => {
    const integrationId = outcomes.find((x) => x.channelId === c.id)?.id;
    return { id: c.id, market: c.market, brand: c.brand, botUserId: bots.get(c.id)!.botUserId, ...(integrationId ? { integrationId } : {}) };
  });
  const files = [...writeAll(paths, existing, inputs, channels, outcomes, dryRun, o.division), writeCannedResponses(ctx.io.cwd, dryRun)];
  for (const f of files) {
    if (f.state === 'kept') out.warn(`${short(f.path)}: ${f.detail}`);
    else if (!dryRun) out.check(true, `${short(f.path)} ${f.state}`, f.detail);
  }

  // 4. LINE webhooks, pointed at the relay and tested.
  const webhooks = new Map<string, WebhookOutcome>();
  if (!o.skipWebhook && inputs.publicUrl) {
    for (const c of inputs.channels) {
      checkpoint();
      const w = await setWebhook(new LineClient({ accessToken: c.accessToken, apiBaseUrl: lineApi }), c.id, lineWebhookUrl(inputs.publicUrl, c.id), log);
      webhooks.set(c.id, w);
      if (dryRun) continue;
      out.check(true, `LINE channel ${c.id}: webhook → ${w.endpoint}`, w.test?.success ? `LINE's test: ${w.test.statusCode ?? ''} ${w.test.reason ?? ''}`.trim() : undefined);
      if (w.test && !w.test.success) {
        out.warn(`LINE channel ${c.id}: LINE's test of ${w.endpoint} failed (${[w.test.statusCode, w.test.reason, w.test.detail].filter(Boolean).join(' ')}). Start the relay, then run \`line-genesys doctor\`.`);
      }
    }
  }

  const result = summary(inputs, bots, profiles, outcomes, webhooks, files, paths.config, paths.env, dryRun, log, o.division);
  ctx.out.result(result, () => humanSummary(result, files, log, short, Boolean(o.skipWebhook)));
  return result;
}

function summary(
  inputs: InitInputs,
  bots: Map<string, BotInfo>,
  profiles: Profiles,
  outcomes: IntegrationOutcome[],
  webhooks: Map<string, WebhookOutcome>,
  files: FileOutcome[],
  config: string,
  env: string,
  dryRun: boolean,
  log: CallLog,
  division: string | undefined,
) {
  return {
    ok: true,
    dryRun,
    config,
    env,
    publicUrl: inputs.publicUrl ?? null,
    division: flowDivision(division),
    queues: flowQueues({ prefix: inputs.prefix, markets: inputs.channels.map((c) => c.market) }),
    profiles: {
      supportedContent: { id: profiles.supportedContent.id ?? null, name: profiles.supportedContent.name, action: profiles.supportedContent.action },
      messagingSetting: { id: profiles.messagingSetting.id ?? null, name: profiles.messagingSetting.name, action: profiles.messagingSetting.action },
    },
    channels: inputs.channels.map((c) => {
      const r = outcomes.find((x) => x.channelId === c.id)!;
      const w = webhooks.get(c.id);
      return {
        id: c.id,
        market: c.market,
        brand: c.brand,
        botUserId: bots.get(c.id)!.botUserId,
        integrationId: r.id ?? null,
        integrationName: r.name,
        recipientId: r.recipientId ?? null,
        integration: r.action,
        signingKey: r.secretState,
        webhook: w ? { set: w.set, endpoint: w.endpoint, test: w.test } : { set: false, endpoint: null, test: null },
      };
    }),
    files: files.map((f) => ({ path: f.path, state: f.state })),
    calls: log.calls,
  };
}

function humanSummary(r: ReturnType<typeof summary>, files: FileOutcome[], log: CallLog, short: (p: string) => string, skipWebhook: boolean): string {
  if (r.dryRun) {
    return [
      'Dry run: nothing was changed. The calls (reads were made, writes were not):',
      ...log.calls.map((c) => `  ${formatCall(c)}`),
      'The files it would write:',
      ...files.map((f) => `  ${f.state} ${short(f.path)}${f.detail ? ` — ${f.detail}` : ''}`),
    ].join('\n');
  }
  const count = (action: string) => r.channels.filter((c) => c.integration === action).length;
  const recipients = r.channels.map((c) => `${c.id}: ${c.recipientId ?? '(unknown)'}`).join(', ');
  return [
    `Ready: ${r.channels.length} LINE channel(s) connected to Genesys (${count('created')} integration(s) created, ${count('updated')} updated, ${count('unchanged')} unchanged).`,
    'Next:',
    `  1. Create the queues ${r.queues.map((q) => `"${q}"`).join(', ')} in the division "${r.division}", publish architect/inbound-message-flow.yaml with Archy, and make it the flow of each integration's recipient (${recipients}) in Admin > Routing > Message Routing.`,
    r.publicUrl
      ? `  2. Run the relay so that ${r.publicUrl} reaches it: line-genesys start (or line-genesys dev while you try it)`
      : '  2. Run line-genesys dev (it opens a tunnel; or give yours: --public-url https://…). For line-genesys start, run init again with --public-url.',
    `  3. Check everything: line-genesys doctor${skipWebhook ? ' (webhooks were not set: --skip-webhook)' : ''}`,
    `  4. Give agents the starter stickers as canned responses: ${importHint(CANNED_RESPONSES_FILE)}`,
  ].join('\n');
}

/** Ctrl-C or a closed terminal during a question: nothing was changed yet. */
function cancelled(e: unknown): never {
  if (e instanceof Error && e.name === 'ExitPromptError') {
    throw new LineGenesysError('CANCELLED', 'init cancelled: nothing was changed', { hint: 'Run `line-genesys init` again, or give every setting as a flag with --yes.' });
  }
  throw e;
}
