/**
 * simulate's pure parts: the sample catalogue, the body builders (fresh ids, overrides), the flag
 * checks, the target resolution, and the curl rendering (run through a real sh).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { webhook } from '@line/bot-sdk';
import type { Config } from '../../../src/config.js';
import { ConfigError, UsageError } from '../../../src/errors.js';
import type { OpenOutboundNormalizedMessage } from '../../../src/genesys/types.js';
import { validateGenesysOutbound } from '../../../src/sandbox/genesys-schema.js';
import { validateLineWebhook } from '../../../src/sandbox/openapi-validator.js';
import { signLine, verifyGenesys, verifyLine, signGenesys } from '../../../src/signature.js';
import { lineEventToGenesys } from '../../../src/transform/to-genesys.js';
import { ULID, ulidTime } from '../../../src/line/webhook-event-id.js';
import { freshNow, type Fresh, type LineWebhookBody } from '../../../src/samples.js';
import { buildAgentBody, buildLineBody, redelivery, serialize } from '../../../src/cli/commands/simulate/build.js';
import { SAMPLES, findSample, packageRoot, readTemplate, templatePath, type Sample } from '../../../src/cli/commands/simulate/catalogue.js';
import { curlCommand, heredocBody, shellQuote } from '../../../src/cli/commands/simulate/curl.js';
import { DEFAULT_USER, closestSample, parseOverrides } from '../../../src/cli/commands/simulate/options.js';
import { postSigned, refusalError } from '../../../src/cli/commands/simulate/send.js';
import { resolveTarget } from '../../../src/cli/commands/simulate/target.js';

const USER = 'U0123456789abcdef0123456789abcdef';
const BOT = 'U0f3c9a1b2c3d4e5f60718293a4b5c6d7';
const ctx = { channel: { id: 'th', market: 'TH', brand: 'acme' } };
const lineSamples = SAMPLES.filter((s) => s.target === 'line');
const agentSamples = SAMPLES.filter((s) => s.target === 'genesys');

function sample(name: string): Sample {
  const s = findSample(name);
  if (!s) throw new Error(`no sample ${name}`);
  return s;
}
function build(name: string, o: Parameters<typeof buildLineBody>[2] = { user: USER, destination: BOT }, fresh: Fresh = freshNow()): LineWebhookBody {
  const s = sample(name);
  return buildLineBody(readTemplate<LineWebhookBody>(s), s.audience, o, fresh);
}
function only(body: LineWebhookBody): Record<string, any> {
  expect(body.events).toHaveLength(1);
  return body.events[0]!;
}
/** The ids a new event from LINE gets afresh. */
function idsOf(e: Record<string, any>) {
  return { webhookEventId: e['webhookEventId'], replyToken: e['replyToken'], messageId: e['message']?.id, quoteToken: e['message']?.quoteToken, unsent: e['unsend']?.messageId };
}
function decide(body: LineWebhookBody) {
  return lineEventToGenesys(only(body) as unknown as webhook.Event, ctx);
}

describe('catalogue', () => {
  it('has the events users run, each with a one-line description and a template that exists', () => {
    const names = SAMPLES.map((s) => s.name);
    for (const n of ['text', 'sticker', 'location', 'image', 'video', 'audio', 'file', 'follow', 'unfollow', 'postback', 'unsend', 'redelivered', 'verify', 'group', 'agent-reply']) {
      expect(names).toContain(n);
    }
    expect(new Set(names).size).toBe(names.length);
    for (const s of SAMPLES) {
      expect(s.description).toMatch(/^\S.{10,120}$/);
      expect(existsSync(templatePath(s)), s.template).toBe(true);
    }
  });
  it('finds the package root from src/ and from dist/ alike', () => {
    const root = packageRoot();
    expect(existsSync(`${root}/package.json`)).toBe(true);
    expect(packageRoot(new URL('../../../dist/cli/commands/simulate/catalogue.js', import.meta.url).href)).toBe(root);
  });
  it('suggests a sample for a typo', () => {
    expect(closestSample('stiker')).toBe('sticker');
    expect(closestSample('agent-replly')).toBe('agent-reply');
    expect(closestSample('zzzzzzzzzzzz')).toBeUndefined();
  });
});

describe('buildLineBody', () => {
  it.each(lineSamples.map((s) => s.name))('%s: a valid LINE webhook, addressed to the channel, from the user, with fresh ids and time', (name) => {
    const fresh: Fresh = { now: 1_750_000_000_123, random: freshNow().random };
    const template = readTemplate<LineWebhookBody>(sample(name));
    const snapshot = JSON.stringify(template);
    const a = buildLineBody(template, sample(name).audience, { user: USER, destination: BOT }, fresh);
    const b = buildLineBody(template, sample(name).audience, { user: USER, destination: BOT }, fresh);
    expect(JSON.stringify(template)).toBe(snapshot); // the template is not changed
    expect(validateLineWebhook(a)).toEqual([]);
    expect(a.destination).toBe(BOT);
    for (const [i, e] of a.events.entries()) {
      expect(e['webhookEventId']).toMatch(ULID);
      expect(ulidTime(e['webhookEventId'] as string)).toBe(fresh.now);
      expect(e['timestamp']).toBe(fresh.now);
      expect((e['source'] as { userId?: string }).userId).toBe(USER);
      // Every id the template's event has is there, new: unlike the template's and the other build's.
      const [mine, other, old] = [idsOf(e), idsOf(b.events[i]!), idsOf(template.events[i]!)];
      for (const k of Object.keys(old) as Array<keyof typeof old>) {
        expect(mine[k] === undefined, k).toBe(old[k] === undefined);
        expect(mine[k] !== undefined && (mine[k] === other[k] || mine[k] === old[k]), k).toBe(false);
      }
      expect(mine.messageId ?? '000000000000000000').toMatch(/^\d{18}$/);
    }
  });

  it('text: --text replaces the text; the group sample drops the mention and emoji ranges that indexed the old text', () => {
    expect(only(build('text', { user: USER, text: 'ขอบคุณครับ' })).message.text).toBe('ขอบคุณครับ');
    const g = only(build('group', { user: USER, text: 'hi all' }));
    expect(g.message).not.toHaveProperty('emojis');
    expect(g.message).not.toHaveProperty('mention');
    expect(g.source).toEqual({ type: 'group', groupId: 'Ca56f94637c1a36b66d0812015ea2aa71', userId: USER });
    expect(decide(build('group'))).toMatchObject({ action: 'ignore', reason: expect.stringContaining('group chats are not relayed') });
  });

  it('sticker: keywords kept by default; dropped with the template sticker text when the ids are overridden', () => {
    const plain = only(build('sticker'));
    expect(plain.message.keywords).toEqual(['Heart', 'Love', 'Brown', 'Cony']);
    expect(decide(build('sticker'))).toMatchObject({ action: 'send', message: { text: '[LINE STICKER: Heart, Love, Brown, Cony]' } });
    const other = build('sticker', { user: USER, packageId: '11537', stickerId: '52002734' });
    expect(validateLineWebhook(other)).toEqual([]);
    expect(only(other).message).toMatchObject({ packageId: '11537', stickerId: '52002734', stickerResourceType: 'STATIC' });
    expect(only(other).message).not.toHaveProperty('keywords');
    const d = decide(other);
    expect(d).toMatchObject({ action: 'send', message: { text: '[LINE STICKER: package 11537 / sticker 52002734]' } });
    expect(JSON.stringify(d)).toContain('/sticker/52002734/');
  });

  it('location: --lat/--lng move the pin and drop the template place name and address', () => {
    const body = build('location', { user: USER, lat: 25.034, lng: 121.5645 });
    expect(validateLineWebhook(body)).toEqual([]);
    expect(only(body).message).toEqual(expect.objectContaining({ type: 'location', latitude: 25.034, longitude: 121.5645 }));
    expect(only(body).message).not.toHaveProperty('title');
    expect(only(body).message).not.toHaveProperty('address');
    const d = decide(body);
    expect(d.action).toBe('send');
    expect(JSON.stringify(d)).toContain('25.034');
    expect(only(build('location')).message.title).toBe('Siam Paragon');
  });

  it('unsend: a 1:1 unsend of an earlier message, which the relay tells the agent about', () => {
    const e = only(build('unsend'));
    expect(e.unsend.messageId).toMatch(/^\d{18}$/);
    expect(decide(build('unsend'))).toMatchObject({ action: 'send', message: { text: expect.stringContaining('unsent a message') } });
  });

  it('verify: no events; follow/unfollow: recorded, not sent', () => {
    expect(build('verify')).toEqual({ destination: BOT, events: [] });
    expect(decide(build('follow'))).toMatchObject({ action: 'record', kind: 'follow', userId: USER });
    expect(decide(build('unfollow'))).toMatchObject({ action: 'record', kind: 'unfollow', userId: USER });
  });

  it('keeps the template destination when the channel bot is unknown', () => {
    expect(build('text', { user: USER }).destination).toBe(readTemplate<LineWebhookBody>(sample('text')).destination);
  });

  it('redelivery: the same event again, only isRedelivery changes', () => {
    const first = build('redelivered');
    const again = redelivery(first);
    expect(only(first).deliveryContext).toEqual({ isRedelivery: false });
    expect(only(again).deliveryContext).toEqual({ isRedelivery: true });
    const strip = (b: LineWebhookBody) => JSON.stringify({ ...b, events: b.events.map((e) => ({ ...e, deliveryContext: null })) });
    expect(strip(again)).toBe(strip(first));
    expect(validateLineWebhook(again)).toEqual([]);
  });
});

describe('buildAgentBody', () => {
  it.each(agentSamples.map((s) => s.name))('%s: an outbound message Genesys would send, to the user, from the integration, with a fresh id', (name) => {
    const template = readTemplate<OpenOutboundNormalizedMessage>(sample(name));
    const fresh: Fresh = { now: 1_750_000_000_123, random: freshNow().random };
    const a = buildAgentBody(template, { user: USER, integrationId: 'a1b2c3d4-0000-4000-8000-000000000001' }, fresh);
    const b = buildAgentBody(template, { user: USER, integrationId: 'a1b2c3d4-0000-4000-8000-000000000001' }, fresh);
    expect(validateGenesysOutbound(a)).toEqual([]);
    expect(a.id).toMatch(/^[0-9a-f]{32}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.channel).toMatchObject({ id: 'a1b2c3d4-0000-4000-8000-000000000001', to: { id: USER }, from: { id: 'a1b2c3d4-0000-4000-8000-000000000001' }, messageId: a.id, time: new Date(fresh.now).toISOString() });
    expect(a.direction).toBe('Outbound');
  });
  it('--text replaces the text', () => {
    const m = buildAgentBody(readTemplate(sample('agent-reply')), { user: USER, integrationId: 'x', text: 'สวัสดีค่ะ' }, freshNow());
    expect(m.text).toBe('สวัสดีค่ะ');
  });
});

describe('parseOverrides', () => {
  const usage = (f: () => unknown, re: RegExp) => {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(re);
    return err as UsageError;
  };
  it('accepts what a sample takes', () => {
    expect(parseOverrides({ user: USER, text: 'hi' }, sample('text'))).toEqual({ user: USER, text: 'hi' });
    expect(parseOverrides({ packageId: '446', stickerId: '1988' }, sample('sticker'))).toEqual({ packageId: '446', stickerId: '1988' });
    expect(parseOverrides({ lat: '-33.8568', lng: '151.2153' }, sample('location'))).toEqual({ lat: -33.8568, lng: 151.2153 });
    expect(parseOverrides({ lat: '90', lng: '-180' }, sample('location'))).toEqual({ lat: 90, lng: -180 });
  });
  it('refuses malformed values with exit code 2 and an example', () => {
    usage(() => parseOverrides({ user: 'U123' }, sample('text')), /--user "U123" is not a LINE user id/);
    usage(() => parseOverrides({ user: `U${'A'.repeat(32)}` }, sample('text')), /is not a LINE user id/);
    usage(() => parseOverrides({ lat: '91', lng: '0' }, sample('location')), /--lat "91" is not a latitude/);
    usage(() => parseOverrides({ lat: '10', lng: 'east' }, sample('location')), /--lng "east" is not a longitude/);
    usage(() => parseOverrides({ lat: '', lng: '1' }, sample('location')), /--lat "" is not a latitude/);
    usage(() => parseOverrides({ lat: '10' }, sample('location')), /--lat and --lng together/);
    usage(() => parseOverrides({ stickerId: 'abc' }, sample('sticker')), /--sticker-id "abc" is not a LINE sticker id/);
    usage(() => parseOverrides({ text: '' }, sample('text')), /--text is empty/);
    expect(usage(() => parseOverrides({ user: 'x' }, sample('text')), /x/).exitCode).toBe(2);
  });
  it('refuses a flag the sample does not take, naming the samples that do', () => {
    const e = usage(() => parseOverrides({ text: 'hi' }, sample('sticker')), /--text does not apply to "sticker"/);
    expect(e.hint).toContain('text, redelivered, group, agent-reply');
    usage(() => parseOverrides({ lat: '1', lng: '2' }, sample('text')), /--lat does not apply to "text"/);
    usage(() => parseOverrides({ text: 'hi' }, undefined), /--file sends the body as it is: --text/);
    usage(() => parseOverrides({ user: USER }, undefined), /--file sends the body as it is: --user/);
  });
  it('the default user is the one of templates/', () => {
    expect(JSON.stringify(readTemplate(sample('text')))).toContain(DEFAULT_USER);
  });
});

describe('resolveTarget', () => {
  const th = { id: 'th', market: 'TH', brand: 'acme', botUserId: BOT, channelSecret: 'th-secret', accessToken: 't', integrationId: 'int-th', outboundSecret: 'th-out' };
  const config = (channels: unknown[], extra: Partial<Config['genesys']> = {}) =>
    ({ channels, relay: { port: 3000 }, genesys: { ...extra } }) as unknown as Pick<Config, 'channels' | 'relay' | 'genesys'>;
  const configError = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return e as ConfigError;
    }
    throw new Error('no error');
  };

  it('LINE: the channel secret and bot user id; localhost on the configured port', () => {
    expect(resolveTarget('line', {}, config([th]))).toEqual({ url: 'http://localhost:3000/webhook/line', secret: 'th-secret', channelId: 'th', destination: BOT });
    expect(resolveTarget('line', {}, { ...config([th]), relay: { port: 8080 } } as Pick<Config, 'channels' | 'relay' | 'genesys'>).url).toBe('http://localhost:8080/webhook/line');
    expect(resolveTarget('line', { to: 'http://127.0.0.1:9999/', secret: 'other' }, config([th]))).toMatchObject({ url: 'http://127.0.0.1:9999/webhook/line', secret: 'other' });
  });
  it('a channel known only by --channel (and --secret) is named in the path', () => {
    expect(resolveTarget('line', { channel: 'tw', secret: 's' }, config([th])).url).toBe('http://localhost:3000/webhook/line/tw');
    expect(resolveTarget('genesys', { channel: 'tw', secret: 's' }, config([th])).url).toBe('http://localhost:3000/webhook/genesys/tw');
    expect(resolveTarget('line', { secret: 's' }, config([])).url).toBe('http://localhost:3000/webhook/line');
  });
  it('Genesys: the channel outbound secret, else GENESYS_OUTBOUND_SECRET, and its integration', () => {
    expect(resolveTarget('genesys', {}, config([th]))).toEqual({ url: 'http://localhost:3000/webhook/genesys', secret: 'th-out', channelId: 'th', integrationId: 'int-th' });
    expect(resolveTarget('genesys', {}, config([{ ...th, outboundSecret: undefined }], { outboundSecret: 'shared' })).secret).toBe('shared');
  });
  it('a missing secret is a ConfigError naming the variable to set', () => {
    expect(configError(() => resolveTarget('line', { channel: 'th' }, config([{ ...th, channelSecret: '' }]))).message).toContain('LINE_TH_CHANNEL_SECRET');
    expect(configError(() => resolveTarget('line', {}, config([]))).hint).toContain('LINE_TH_CHANNEL_SECRET');
    const g = configError(() => resolveTarget('genesys', {}, config([{ ...th, outboundSecret: undefined }])));
    expect(g.message).toContain('GENESYS_TH_OUTBOUND_SECRET');
    expect(g.hint).toContain('GENESYS_OUTBOUND_SECRET');
    expect(configError(() => resolveTarget('line', { channel: 'jp' }, config([th]))).message).toMatch(/no channel "jp" is configured \(configured: th\)/);
  });
  it('refuses a --to that is not an http(s) URL', () => {
    expect(() => resolveTarget('line', { to: 'localhost:3000' }, config([th]))).toThrow(UsageError);
    expect(() => resolveTarget('line', { to: 'not a url' }, config([th]))).toThrow(/is not a URL/);
  });
});

describe('curlCommand', () => {
  const hasSh = existsSync('/bin/sh');
  /** Runs the command in sh with `curl` replaced by a function printing its arguments and then its stdin. */
  function runInSh(command: string): { args: string[]; stdin: string } {
    const out = execFileSync('/bin/sh', ['-c', `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; printf '\\1'; cat; }\n${command}`], { encoding: 'utf8', timeout: 5000 });
    const cut = out.indexOf('\x01');
    return { args: out.slice(0, cut).split('\0').slice(0, -1), stdin: out.slice(cut + 1) };
  }

  it('the heredoc body is exactly the signed bytes, and the signature verifies', () => {
    const body = serialize(build('text', { user: USER, destination: BOT, text: "it's $HOME `x` \\n 'quoted' EOF" })) + '\n';
    const cmd = curlCommand({ url: 'http://localhost:3000/webhook/line', headers: { 'content-type': 'application/json', 'x-line-signature': signLine(body, 'sec') }, body });
    expect(cmd).toMatch(/^curl -sS -X POST 'http:\/\/localhost:3000\/webhook\/line' \\\n  -H 'content-type: application\/json' \\\n  -H 'x-line-signature: [A-Za-z0-9+/=]+' \\\n  --data-binary @- <<'EOF'\n\{.*\}\nEOF$/);
    const sent = heredocBody(cmd)!;
    expect(sent).toBe(body);
    expect(verifyLine(sent, 'sec', /x-line-signature: ([^']+)/.exec(cmd)![1])).toBe(true);
  });

  it.runIf(hasSh)('a shell feeds curl those very bytes and arguments', () => {
    const body = serialize(buildAgentBody(readTemplate(sample('agent-reply')), { user: USER, integrationId: 'i', text: "l'été $(rm -rf /) `id`" }, freshNow())) + '\n';
    const sig = signGenesys(body, 'out');
    const { args, stdin } = runInSh(curlCommand({ url: "http://h/webhook/genesys?x='1'", headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig }, body }));
    expect(stdin).toBe(body);
    expect(verifyGenesys(Buffer.from(stdin), 'out', sig)).toBe(true);
    expect(args).toEqual(['-sS', '-X', 'POST', "http://h/webhook/genesys?x='1'", '-H', 'content-type: application/json', '-H', `x-hub-signature-256: ${sig}`, '--data-binary', '@-']);
  });

  it.runIf(hasSh)('with a body file, curl reads the file as it is', () => {
    const { args } = runInSh(curlCommand({ url: 'http://h/webhook/line', headers: { 'x-line-signature': 's' }, body: Buffer.from('{}') }, "my body's.json"));
    expect(args.slice(-2)).toEqual(['--data-binary', "@my body's.json"]);
  });

  it('refuses a body a heredoc cannot carry exactly', () => {
    const req = { url: 'http://h', headers: {} };
    expect(() => curlCommand({ ...req, body: '{}' })).toThrow(/newline/);
    expect(() => curlCommand({ ...req, body: '{\n}\n' })).toThrow(/one line/);
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });
});

describe('postSigned and refusalError', () => {
  async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
  }
  const close = (s: Server) => new Promise((r) => { s.closeAllConnections(); s.close(r); });

  it('no relay listening: "no relay at <url>: start one with `line-genesys dev`"', async () => {
    const { url, server } = await serve(() => undefined);
    await close(server);
    await expect(postSigned({ url: `${url}/webhook/line`, headers: {}, body: '{}' })).rejects.toMatchObject({
      code: 'RELAY_UNREACHABLE',
      exitCode: 1,
      message: `no relay at ${url}: start one with \`line-genesys dev\``,
      hint: 'Or point --to at a running relay (its base URL, e.g. http://localhost:3000).',
    });
  });

  it('a relay that does not answer in time', async () => {
    const { url, server } = await serve(() => undefined);
    try {
      await expect(postSigned({ url, headers: {}, body: '{}' }, undefined, 200)).rejects.toMatchObject({ code: 'RELAY_TIMEOUT', message: expect.stringContaining('did not answer within 0.2 s') });
    } finally {
      await close(server);
    }
  });

  it('says what the relay answered and what to check', () => {
    const e401 = refusalError({ status: 401, body: { error: 'signature_invalid', message: 'x-line-signature does not match channel "th"' }, latencyMs: 1 }, 'line');
    expect(e401.message).toBe('the relay answered 401 signature_invalid: x-line-signature does not match channel "th" — is the channel secret the same as the relay\'s?');
    expect(e401.exitCode).toBe(1);
    expect(refusalError({ status: 401, body: { error: 'signature_invalid', message: 'm' }, latencyMs: 1 }, 'genesys').message).toContain('is the Genesys outbound secret the same');
    const noSecret = refusalError({ status: 401, body: { error: 'no_outbound_secret', message: 'no Genesys outbound secret is configured' }, latencyMs: 1 }, 'genesys');
    expect(noSecret.message).not.toContain('the same');
    expect(noSecret.hint).toContain('GENESYS_OUTBOUND_SECRET');
    expect(refusalError({ status: 404, body: 'Not Found', latencyMs: 1 }, 'line')).toMatchObject({ message: 'the relay answered 404 Not Found', hint: expect.stringContaining('--to') });
    expect(refusalError({ status: 502, body: '', latencyMs: 1 }, 'line').message).toBe('the relay answered 502');
  });
});
