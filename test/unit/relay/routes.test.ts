import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { createContext } from '../../../src/relay/context.js';
import { decode } from '../../../src/relay/jobs.js';
import { createRoutes } from '../../../src/relay/routes.js';
import type { WebhookRequest } from '../../../src/relay/types.js';
import { signGenesys, signLine } from '../../../src/signature.js';
import { MemoryStore } from '../../../src/store/memory.js';
import { CHANNELS, relayEnv, USER } from '../../helpers/bed.js';

// The route table alone: no node:http, no socket, a store in memory. Nothing is sent upstream.
const cwd = mkdtempSync(join(tmpdir(), 'lg-routes-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const nowhere = { url: 'http://127.0.0.1:9' };
const config = loadConfig({ cwd, dotenv: false, env: relayEnv(nowhere, nowhere) });
const store = new MemoryStore();
let kicks = 0;
const ctx = createContext({ config, store, log: createLogger({ level: 'silent' }), now: () => 1_700_000_000_000, listeningUrl: () => undefined, kick: () => kicks++ });
const route = createRoutes(ctx);

const request = (method: string, path: string, headers: WebhookRequest['headers'] = {}, body = ''): WebhookRequest => ({ method, path, headers, body: Buffer.from(body) });

describe('the route table: {method, path, headers, body} -> {status, headers, body}', () => {
  it('a signed LINE webhook is queued and answered 200', async () => {
    const event = { type: 'message', mode: 'active', timestamp: 1, webhookEventId: '01ROUTES0000000000000000AA', deliveryContext: { isRedelivery: false }, source: { type: 'user', userId: USER }, replyToken: 'r', message: { id: '5', type: 'text', quoteToken: 'q', text: 'สวัสดี' } };
    const raw = JSON.stringify({ destination: CHANNELS.th.botUserId, events: [event] });
    const res = await route(request('POST', '/webhook/line', { 'x-line-signature': signLine(raw, CHANNELS.th.secret) }, raw));
    expect(res).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    expect(kicks).toBe(1);
    const [job] = await store.claim(Date.now(), 10);
    expect(job).toMatchObject({ kind: 'inbound', channelId: 'th', dedupeKey: 'line:th:01ROUTES0000000000000000AA', orderKey: `in:th:${USER}` });
    expect(decode(job!, 'inbound')).toEqual({ kind: 'inbound', destination: CHANNELS.th.botUserId, event });
  });

  it('an agent message is queued with what its deliverer needs; one without a type is refused at the door', async () => {
    const post = (message: object) => {
      const raw = JSON.stringify(message);
      return route(request('POST', '/webhook/genesys', { 'x-hub-signature-256': signGenesys(raw, CHANNELS.tw.outboundSecret) }, raw));
    };
    const message = { id: 'm-routes', channel: { id: CHANNELS.tw.integrationId, to: { id: USER } }, type: 'Text', text: 'hi' };
    expect(await post({ ...message, type: undefined })).toEqual({ status: 400, body: { error: 'malformed_body', message: 'type must be a non-empty string' } });
    expect(await post(message)).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    const [job] = await store.claim(Date.now(), 10);
    expect(job).toMatchObject({ kind: 'outbound', channelId: 'tw', dedupeKey: 'genesys:m-routes', orderKey: `out:${USER}` });
    expect(decode(job!, 'outbound')).toEqual({ kind: 'outbound', candidates: ['tw'], message });
  });

  it.each([
    ['GET', '/webhook/line', 405, { allow: 'POST' }, { error: 'method_not_allowed', message: 'use POST' }],
    ['PUT', '/webhook/genesys/th', 405, { allow: 'POST' }, { error: 'method_not_allowed', message: 'use POST' }],
    ['POST', '/healthz', 405, { allow: 'GET, HEAD' }, { error: 'method_not_allowed', message: 'use GET or HEAD' }],
    ['GET', '/nope', 404, undefined, { error: 'not_found', message: 'no route for GET /nope' }],
    ['POST', '/webhook/line/th/extra', 404, undefined, { error: 'not_found', message: 'no route for POST /webhook/line/th/extra' }],
    ['GET', '/media/', 404, undefined, { error: 'not_found', message: 'no route for GET /media/' }],
  ])('%s %s: %i', async (method, path, status, headers, body) => {
    const res = await route(request(method, path));
    expect(res).toEqual({ status, ...(headers ? { headers } : {}), body });
  });

  it('the channel in the path is decoded; one that cannot be is refused (400) before any receiver', async () => {
    const signed = { 'x-line-signature': 'bm90IGEgc2lnbmF0dXJl' };
    expect(await route(request('POST', '/webhook/line/j%70', signed, '{}'))).toEqual({ status: 401, body: { error: 'signature_invalid', message: 'x-line-signature does not match channel "jp"' } });
    expect(await route(request('POST', '/webhook/line/%E0', signed, '{}'))).toEqual({ status: 400, body: { error: 'malformed_path', message: 'the channel id in the path is not valid percent-encoding' } });
    expect(await route(request('POST', '/webhook/line/th', signed, '{}'))).toEqual({ status: 401, body: { error: 'signature_invalid', message: 'x-line-signature does not match channel "th"' } });
  });

  it('the query is not part of the path', async () => {
    expect(await route(request('GET', '/readyz?verbose=1'))).toEqual({ status: 200, body: { status: 'ok' } });
  });


  it('HEAD is answered like GET (the sender drops the body)', async () => {
    const res = await route(request('HEAD', '/static/video-preview.png'));
    expect(res.status).toBe(200);
    expect(res.headers).toEqual({ 'content-type': 'image/png', 'cache-control': 'public, max-age=86400' });
    expect((res.body as Buffer).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('GET /metrics counts what the receivers saw (in the tests above: one accepted, one undecodable path, two bad signatures, one of them for an unknown channel)', async () => {
    const res = await route(request('GET', '/metrics'));
    expect(res.headers).toEqual({ 'content-type': 'text/plain; version=0.0.4' });
    expect(res.body).toContain('line_genesys_webhooks_total{source="line",result="200"} 1\n');
    expect(res.body).toContain('line_genesys_webhooks_total{source="line",result="400"} 1\n');
    expect(res.body).toContain('line_genesys_refusals_total{source="line",reason="malformed_path"} 1\n');
    expect(res.body).toContain('line_genesys_webhooks_total{source="line",result="401"} 2\n');
    expect(res.body).not.toContain('result="404"');
    expect(res.body).toContain('line_genesys_refusals_total{source="line",reason="unknown_channel"} 1\n');
  });
});

describe('health: /healthz is liveness, /readyz readiness; detail only with relay.healthDetail', () => {
  it('by default both answer {status: ok} and name no channel, market or brand', async () => {
    expect(await route(request('GET', '/healthz'))).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await route(request('GET', '/readyz'))).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('with relay.healthDetail, /readyz lists the store, the queue and the channels; /healthz stays bare', async () => {
    const detailed = loadConfig({ cwd, dotenv: false, env: relayEnv(nowhere, nowhere, { LINE_GENESYS_HEALTH_DETAIL: 'true' }) });
    const r = createRoutes(createContext({ config: detailed, store: new MemoryStore(), log: createLogger({ level: 'silent' }), now: () => 1_700_000_000_000, listeningUrl: () => undefined, kick: () => {} }));
    expect(await r(request('GET', '/readyz'))).toEqual({
      status: 200,
      body: {
        status: 'ok',
        uptimeSeconds: 0,
        store: 'memory',
        queue: { pending: 0, running: 0, dead: 0 },
        channels: [{ id: 'th', market: 'TH', brand: 'acme' }, { id: 'tw', market: 'TW', brand: 'acme-tw' }],
      },
    });
    expect(await r(request('GET', '/healthz'))).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('relay.healthDetail takes true or false only', () => {
    expect(() => loadConfig({ cwd, dotenv: false, env: relayEnv(nowhere, nowhere, { LINE_GENESYS_HEALTH_DETAIL: 'yes' }) })).toThrow(/relay.healthDetail.*"yes" must be true or false/);
  });
});

describe('channel ids cannot be probed', () => {
  it('an unknown channel id is answered as a known one with a wrong signature, so ids cannot be probed', async () => {
    const raw = '{"destination":"x","events":[]}';
    const wrongLine = { 'x-line-signature': signLine(raw, 'not the secret') };
    const unknownLine = await route(request('POST', '/webhook/line/zz', wrongLine, raw));
    const knownLine = await route(request('POST', '/webhook/line/th', wrongLine, raw));
    expect(unknownLine).toEqual({ status: 401, body: { error: 'signature_invalid', message: 'x-line-signature does not match channel "zz"' } });
    expect(knownLine).toEqual({ status: 401, body: { error: 'signature_invalid', message: 'x-line-signature does not match channel "th"' } });
    const wrongGenesys = { 'x-hub-signature-256': signGenesys(raw, 'not the secret') };
    const unknownGenesys = await route(request('POST', '/webhook/genesys/zz', wrongGenesys, raw));
    expect(unknownGenesys).toEqual({ status: 401, body: { error: 'signature_invalid', message: 'X-Hub-Signature-256 does not match the outbound secret of any integration' } });
    expect(await route(request('POST', '/webhook/genesys/th', wrongGenesys, raw))).toEqual(unknownGenesys);
  });
});

describe('stale agent messages: channel.time older than relay.maxMessageAge (1h) is refused', () => {
  const post = (message: object) => {
    const raw = JSON.stringify(message);
    return route(request('POST', '/webhook/genesys', { 'x-hub-signature-256': signGenesys(raw, CHANNELS.tw.outboundSecret) }, raw));
  };
  // The context's clock is 1_700_000_000_000 = 2023-11-14T22:13:20.000Z.
  const message = (id: string, time: string) => ({ id, channel: { id: CHANNELS.tw.integrationId, to: { id: USER }, time }, type: 'Text', text: 'hi' });

  it('two days old: 400 message_too_old, nothing queued', async () => {
    expect(await post(message('m-stale', '2023-11-12T22:13:20.000Z'))).toEqual({
      status: 400,
      body: { error: 'message_too_old', message: 'channel.time 2023-11-12T22:13:20.000Z is 2880 min old, over relay.maxMessageAge: a replay or a late retry, not delivered' },
    });
    expect(await store.claim(Date.now(), 10)).toEqual([]);
  });

  it('59 minutes old, or ahead of the clock, or without a time: queued; sent again, a duplicate', async () => {
    expect(await post(message('m-late', '2023-11-14T21:14:20.000Z'))).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    expect(await post(message('m-ahead', '2023-11-14T22:20:00.000Z'))).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    expect(await post({ id: 'm-untimed', channel: { id: CHANNELS.tw.integrationId, to: { id: USER } }, type: 'Text', text: 'hi' })).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    expect(await post(message('m-late', '2023-11-14T21:14:20.000Z'))).toEqual({ status: 200, body: { accepted: 0, duplicates: 1 } });
  });

  it('relay.maxMessageAge is at most the 48 h dedupe keys are kept', () => {
    expect(loadConfig({ cwd, dotenv: false, env: relayEnv(nowhere, nowhere, { LINE_GENESYS_MAX_MESSAGE_AGE: '48h' }) }).relay.maxMessageAgeMs).toBe(172_800_000);
    expect(() => loadConfig({ cwd, dotenv: false, env: relayEnv(nowhere, nowhere, { LINE_GENESYS_MAX_MESSAGE_AGE: '3d' }) })).toThrow(/relay.maxMessageAge.*must be from 1m to 48h/);
  });
});
