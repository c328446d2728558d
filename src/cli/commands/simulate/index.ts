/**
 * `line-genesys simulate <event>`: sends a signed sample event to a relay over HTTP, as LINE (or, for
 * agent-*, Genesys) would, and prints what the relay answered. Offline and realistic: every run is a
 * new event (fresh webhookEventId, message id and time), signed with the channel's secret.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../../errors.js';
import { printable } from '../../../log.js';
import type { OpenOutboundNormalizedMessage } from '../../../genesys/types.js';
import { freshNow, signedRequest, type LineWebhookBody } from '../../../samples.js';
import type { CommandContext } from '../../context.js';
import { buildAgentBody, buildLineBody, redelivery, serialize } from './build.js';
import { SAMPLES, findSample, readTemplate, type Sample } from './catalogue.js';
import { curlCommand } from './curl.js';
import { closestSample, DEFAULT_USER, parseOverrides, type OverrideFlags, type ParsedOverrides } from './options.js';
import { postSigned, refusalError } from './send.js';
import { relayBaseUrl, resolveTarget, type Target, type TargetFlags } from './target.js';
import { deliveryError, followDelivery, type Delivery } from './wait.js';

export interface SimulateOptions extends OverrideFlags, TargetFlags {
  sandbox?: boolean;
  args?: Array<string | undefined>;
  list?: boolean;
  file?: string;
  print?: boolean;
  /** Follow the delivery; exit 1 when it fails. */
  wait?: boolean;
}

/** One request to make: what it is, and its bytes. */
interface Planned {
  event: string;
  /** Shown to people: the webhookEventId or Genesys message id. */
  id?: string;
  redelivery?: boolean;
  body: string | Buffer;
}

export default async function simulate(o: SimulateOptions, ctx: CommandContext): Promise<unknown> {
  if (o.list) return list(ctx);
  const name = o.args?.[0];
  const sample = name !== undefined ? findSample(name) : undefined;
  if (name === undefined && o.file === undefined) {
    throw new UsageError('name a sample event to simulate, e.g. `line-genesys simulate sticker`', { hint: 'Run `line-genesys simulate --list` for the samples, or give --file <json>.' });
  }
  if (name !== undefined && !sample) {
    const near = closestSample(name);
    throw new UsageError(`no sample event "${name}"${near ? `: did you mean "${near}"?` : ''}`, { hint: `Samples: ${SAMPLES.map((s) => s.name).join(', ')}.` });
  }
  const overrides = parseOverrides(o, o.file === undefined ? sample : undefined);

  const fileBody = o.file !== undefined ? await readBodyFile(ctx, o.file) : undefined;
  const kind = sample?.target ?? (fileBody ? detectTarget(fileBody) : 'line');
  const loaded = ctx.config('partial');
  // --sandbox: sign as the fixed channels of `dev --sandbox` (their public sandbox secrets).
  const config = o.sandbox ? { ...loaded, channels: (await import('../../../sandbox/identities.js')).sandboxChannelConfigs() } : loaded;
  const target = resolveTarget(kind, o, config);
  // A heredoc ends with a newline: with --print, that newline is part of the bytes signed.
  const eol = o.print ? '\n' : '';
  const planned: Planned[] = fileBody
    ? [{ event: sample?.name ?? 'file', ...idOf(fileBody), body: fileBody }]
    : plan(sample!, overrides, target).map((p) => ({ ...p, body: p.body + eol }));

  const results: unknown[] = [];
  for (const p of planned) {
    const req = signedRequest(kind, target.url, p.body, target.secret);
    if (o.print) {
      const curl = curlCommand(req, fileBody ? o.file : undefined);
      const result = { ok: true, event: p.event, ...(p.id ? { id: p.id } : {}), url: req.url, curl, ...(p.redelivery ? { redelivery: true } : {}) };
      ctx.out.result(result, curl);
      results.push(result);
      continue;
    }
    const answer = await postSigned(req, ctx.signal);
    const ok = answer.status >= 200 && answer.status < 300;
    const result: Record<string, unknown> = { ok, event: p.event, ...(p.id ? { id: p.id } : {}), status: answer.status, body: answer.body, latencyMs: answer.latencyMs, url: req.url, ...(p.redelivery ? { redelivery: true } : {}) };
    const human = () => line(ctx, p, answer.status, answer.body, answer.latencyMs);
    if (!ok) throw ctx.out.failure(result, undefined, refusalError(answer, kind));
    // The last request of a plan carries the event to follow (a redelivery has the same id).
    if (o.wait && p.id && p === planned.at(-1)) {
      const followed = await followDelivery(relayBaseUrl(o, config), p.id, ctx.signal);
      const { settled: _, ...delivery } = followed;
      const waited = { ...result, delivery };
      const failed = deliveryError(followed);
      const humanWaited = () => `${human()}\n${deliveryLine(ctx, delivery)}`;
      if (failed) throw ctx.out.failure({ ...waited, ok: false }, humanWaited, failed);
      ctx.out.result(waited, humanWaited);
      results.push(waited);
      continue;
    }
    ctx.out.result(result, human);
    results.push(result);
  }
  return results;
}

/** The request(s) of a sample: one body, or two for `redelivered`. */
function plan(sample: Sample, o: ParsedOverrides, target: Target): Array<Omit<Planned, 'body'> & { body: string }> {
  const fresh = freshNow();
  const user = o.user ?? DEFAULT_USER;
  if (sample.target === 'genesys') {
    const template = readTemplate<OpenOutboundNormalizedMessage>(sample);
    const integrationId = target.integrationId ?? template.channel.id ?? '00000000-0000-4000-8000-000000000000';
    const m = buildAgentBody(template, { user, integrationId, ...(o.text !== undefined ? { text: o.text } : {}) }, fresh);
    return [{ event: sample.name, id: m.id, body: serialize(m) }];
  }
  const body = buildLineBody(readTemplate<LineWebhookBody>(sample), sample.audience, { ...o, user, ...(target.destination ? { destination: target.destination } : {}) }, fresh);
  const id = body.events[0]?.['webhookEventId'] as string | undefined;
  const first = { event: sample.name, ...(id ? { id } : {}), body: serialize(body) };
  if (!sample.redeliver) return [first];
  return [first, { ...first, redelivery: true, body: serialize(redelivery(body)) }];
}

async function readBodyFile(ctx: CommandContext, file: string): Promise<Buffer> {
  try {
    return await readFile(resolve(ctx.io.cwd, file));
  } catch (e) {
    throw new UsageError(`cannot read --file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The id a file's body carries: its first event's webhookEventId, or a Genesys message's id. */
function idOf(body: Buffer): { id?: string } {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { id?: unknown; events?: Array<{ webhookEventId?: unknown }> };
    const id = Array.isArray(parsed.events) ? parsed.events[0]?.webhookEventId : parsed.id;
    return typeof id === 'string' ? { id } : {};
  } catch {
    return {};
  }
}

/** A Genesys outbound message has a channel and a direction; anything else goes to LINE's webhook. */
function detectTarget(body: Buffer): 'line' | 'genesys' {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown> | null;
    if (parsed && typeof parsed === 'object' && !('events' in parsed) && 'channel' in parsed && 'direction' in parsed) return 'genesys';
  } catch {
    /* sent as it is; the relay will say what it thinks of it */
  }
  return 'line';
}

function line(ctx: CommandContext, p: Planned, status: number, body: unknown, latencyMs: number): string {
  const c = ctx.out.color;
  const statusText = status < 300 ? c.green(String(status)) : status < 500 ? c.yellow(String(status)) : c.red(String(status));
  const shown = typeof body === 'string' ? body : JSON.stringify(body);
  const label = p.redelivery ? `${p.event} (redelivery)` : p.event;
  return [c.dim(new Date().toTimeString().slice(0, 8)), '-->', c.bold(label), p.id ? c.dim(p.id) : '', statusText, shown, c.dim(`${latencyMs} ms`)].filter(Boolean).join('  ');
}

function deliveryLine(ctx: CommandContext, d: Delivery): string {
  const c = ctx.out.color;
  const state = d.state === 'delivered' ? c.green(d.state) : d.state === 'ignored' ? c.dim(d.state) : c.red(d.state);
  return ['  ', state, d.httpStatus !== undefined ? String(d.httpStatus) : '', printable(d.detail ?? '')].filter(Boolean).join('  ');
}

function list(ctx: CommandContext): unknown {
  const rows = SAMPLES.map((s) => ({ name: s.name, description: s.description, target: s.target, ...(s.changes ? { changes: s.changes } : {}) }));
  const width = Math.max(...rows.map((r) => r.name.length));
  const section = (title: string, target: Sample['target']) => [
    ctx.out.color.bold(title),
    ...rows.filter((r) => r.target === target).map((r) => `  ${r.name.padEnd(width)}  ${r.changes ? `${ctx.out.color.yellow(`[${r.changes}]`)} ` : ''}${r.description}`),
  ];
  ctx.out.result(rows, () =>
    [...section('As LINE (POST /webhook/line):', 'line'), '', ...section('As Genesys (POST /webhook/genesys):', 'genesys'), '', '[blocks/unblocks the customer]: the relay remembers it for the sample customer; agent replies to a blocked customer fail.', 'line-genesys simulate <event> [--channel th] [--to http://localhost:3000] [--wait]'].join('\n'),
  );
  return rows;
}
