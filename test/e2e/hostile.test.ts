/**
 * Hostile and broken input at the relay's door (issue 13): poison agent messages, unsafe media types,
 * external content links that are not https, undecodable paths, bodies nested absurdly deep, slow and
 * vanishing clients, unsigned bodies on the path-less route, floods of refusals in the log, and a
 * Genesys login refusing the relay while its secret is rotated. Each case sends the input over the wire.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createRelay, type Relay } from '../../src/relay/server.js';
import { signedHeaders } from '../../src/samples.js';
import { CHANNELS, USER, genesysTemplate, lineTemplate, startBed, until, type Bed } from '../helpers/bed.js';

let bed: Bed | undefined;
const relays: Relay[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const r of relays.splice(0)) await r.close();
  await bed?.close();
  bed = undefined;
});

/** A second relay on the bed's config, with a log sink and door limits of the test's choosing. */
async function doorRelay(b: Bed, opts: { limits?: Record<string, number>; lines?: string[] } = {}): Promise<{ relay: Relay; url: string }> {
  const log = createLogger({ level: 'info', write: (l) => opts.lines?.push(l) });
  // The limits go in through the config, as `start` and `dev` give them (relay.limits).
  const config = { ...b.config, relay: { ...b.config.relay, limits: { ...b.config.relay.limits, ...opts.limits } } };
  const relay = await createRelay({ config, log, worker: false });
  relays.push(relay);
  return { relay, url: await relay.listen(0, '127.0.0.1') };
}

function agentMessage(patch: Record<string, unknown>): Record<string, unknown> {
  return { ...genesysTemplate('text'), id: `poison-${Math.random().toString(36).slice(2)}`, ...patch };
}

/** `depth` arrays nested inside each other: `[[[...]]]`. */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('1. a poison agent message is refused at the door', () => {
  const poisons: Array<[string, Record<string, unknown>]> = [
    ['content [null]', { content: [null] }],
    ['content "x"', { content: 'x' }],
    ['content {}', { content: {} }],
    ['content item without contentType', { content: [{ attachment: {} }] }],
    ['attachment not an object', { content: [{ contentType: 'Attachment', attachment: 'x' }] }],
    ['channel not an object', { channel: 'x' }],
    ['text not a string', { text: 5 }],
    ['events [null]', { type: 'Event', events: [null] }],
  ];
  it.each(poisons)('%s: 400 naming the field, nothing stored', async (_, patch) => {
    bed = await startBed();
    const res = await bed.postGenesys(agentMessage(patch));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('malformed_body');
    expect(res.body.message).toMatch(/^(content|channel|text|events)/);
    expect(await bed.relay.context.store.counts()).toMatchObject({ pending: 0, running: 0, dead: 0, done: 0 });
  });

  it.each([
    ['events [1]', { events: [1] }],
    ['an event with no type', { events: [{ source: { type: 'user', userId: USER } }] }],
    ['message not an object', { events: [{ type: 'message', message: 'x' }] }],
    ['destination not a string', { destination: 5, events: [] }],
  ])('LINE %s: 400, nothing stored', async (_, body) => {
    bed = await startBed();
    const res = await bed.postLine(body, { path: '/webhook/line/th' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('malformed_body');
    expect(await bed.relay.context.store.counts()).toMatchObject({ pending: 0, done: 0 });
  });

  it('a poisoned job already in the store: dead at once with a Failed receipt, and the next reply does not wait out a backoff', async () => {
    // A first retry a minute away: a poisoned job retried would hold the customer's line for at least that long,
    // so the next reply arriving well inside it shows the poison was not retried (no wall-clock bound: shared machines).
    bed = await startBed({ backoff: { baseMs: 60_000, maxMs: 300_000 } });
    const { store } = bed.relay.context;
    const poison = agentMessage({ text: undefined, content: 'x' });
    await store.enqueue([{ kind: 'outbound', dedupeKey: 'genesys:poison', orderKey: `out:${USER}`, channelId: 'th', receivedAt: Date.now(), payload: JSON.stringify({ candidates: ['th'], message: poison }) }]);
    bed.relay.context.kick();
    expect((await bed.postGenesys(agentMessage({ text: 'the next reply' }))).status).toBe(200);
    await until(() => bed!.line.pushes.length === 1, 'the next reply pushed', 20_000);
    expect(bed.line.pushes[0]!.messages).toEqual([{ type: 'text', text: 'the next reply' }]);
    const [dead] = await store.list('dead');
    expect(dead).toMatchObject({ attempts: 1 });
    expect(dead!.lastError).toContain('"message" whose content must be an array');
    await until(() => bed!.genesys.receipts.some((r) => r.body.id === poison.id), 'the Failed receipt');
    const receipt = bed.genesys.receipts.find((r) => r.body.id === poison.id)!;
    expect(receipt.body).toMatchObject({ status: 'Failed', reasons: [{ code: 'InvalidMessageStructure' }] });
  });
});

describe('6. /media serves only media inline', () => {
  /** The body stored: a script (the stores take an async iterable of bytes). */
  async function* script(): AsyncGenerator<Buffer> {
    yield Buffer.from('<script>alert(1)</script>');
  }
  it.each([
    ['text/html', 'application/octet-stream', 'attachment'],
    ['image/svg+xml', 'application/octet-stream', 'attachment'],
    ['image/png', 'image/png', 'inline'],
    ['application/pdf', 'application/pdf', 'inline'],
  ])('%s is served as %s, %s, under a CSP that runs nothing', async (mime, type, disposition) => {
    bed = await startBed();
    const id = 'A'.repeat(32);
    await bed.relay.context.store.media.put({ id, channelId: 'th', mime, filename: 'f.html', expiresAt: Date.now() + 60_000 }, script());
    const res = await fetch(`${bed.url}/media/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('content-disposition')).toBe(`${disposition}; filename="f.html"`);
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('<script>alert(1)</script>');
  });
});

describe('7. external content URLs reach Genesys only when https', () => {
  /** Posts the video template linking to `link` and answers what Genesys received. */
  async function relayVideoLinking(link: string) {
    bed = await startBed();
    const body = lineTemplate('video-external');
    body.events[0].message.contentProvider = { type: 'external', originalContentUrl: link, previewImageUrl: link };
    expect((await bed.postLine(body)).status).toBe(200);
    await until(() => bed!.genesys.messages.length === 1, 'the message in Genesys');
    const { text, content } = bed.genesys.messages[0]!.body;
    return { id: body.events[0].message.id as string, text, content };
  }

  it.each(['javascript:alert(document.domain)', 'http://example.com/clear.mp4'])('%s: the placeholder, no attachment', async (link) => {
    const { id, text, content } = await relayVideoLinking(link);
    expect({ text, content }).toEqual({ text: `[LINE video: content could not be fetched (message id ${id})]`, content: undefined });
  });

  it('an https link: a Video attachment', async () => {
    const { text, content } = await relayVideoLinking('https://example.com/original.mp4');
    expect({ text, content }).toEqual({ text: undefined, content: [{ attachment: { mediaType: 'Video', url: 'https://example.com/original.mp4', mime: 'video/mp4' } }] });
  });
});

describe('8. broken input answers 400, not 500', () => {
  it('a malformed percent-escape in the path: 400, and no error logged', async () => {
    bed = await startBed();
    const lines: string[] = [];
    const { url } = await doorRelay(bed, { lines });
    const body = JSON.stringify(lineTemplate('text'));
    for (const platform of ['line', 'genesys'] as const) {
      const secret = platform === 'line' ? CHANNELS.th.secret : CHANNELS.th.outboundSecret;
      const res = await fetch(`${url}/webhook/${platform}/%ZZ`, { method: 'POST', headers: signedHeaders(platform, body, secret), body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('malformed_path');
    }
    expect(lines.filter((l) => JSON.parse(l).level === 'error')).toEqual([]);
  });

  it('a signed body nested 100,000 deep: 400 on both webhooks, nothing stored', async () => {
    bed = await startBed();
    const line = `{"destination":"${CHANNELS.th.botUserId}","events":[{"type":"message","deep":${nested(100_000)}}]}`;
    const genesys = JSON.stringify(agentMessage({})).replace(/}$/, `,"deep":${nested(100_000)}}`);
    for (const res of [await bed.postLine(line), await bed.postLine(line, { path: '/webhook/line/th' }), await bed.postGenesys(genesys)]) {
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('json_too_deep');
    }
    expect(await bed.relay.context.store.counts()).toMatchObject({ pending: 0, done: 0 });
  });
});

/** Opens a raw connection and writes `head` (a request line and headers) and `body`, as given. */
async function rawClient(url: string, head: string, body = ''): Promise<{ socket: Socket; answer: Promise<{ text: string; afterMs: number }> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  await new Promise((r) => socket.once('connect', r));
  const started = Date.now();
  let text = '';
  socket.on('data', (d) => (text += d.toString('latin1')));
  const answer = new Promise<{ text: string; afterMs: number }>((resolve) => socket.once('close', () => resolve({ text, afterMs: Date.now() - started })));
  socket.write(head + body);
  return { socket, answer };
}

const postHead = (length: number) => `POST /webhook/line/th HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

describe('9. slow clients are answered within seconds', () => {
  it('a client that stops mid-body gets 408 once the body has been idle for the limit', async () => {
    bed = await startBed();
    const { url } = await doorRelay(bed, { limits: { bodyIdleTimeoutMs: 500, headersTimeoutMs: 2000, requestTimeoutMs: 4000 } });
    const { answer } = await rawClient(url, postHead(100), '{"events":');
    const { text, afterMs } = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(450);
    expect(afterMs).toBeLessThan(1500);
  });

  it('a client that dribbles a byte at a time is cut at the request timeout', async () => {
    bed = await startBed();
    const { relay, url } = await doorRelay(bed, { limits: { bodyIdleTimeoutMs: 500, headersTimeoutMs: 1000, requestTimeoutMs: 2000 } });
    const { socket, answer } = await rawClient(url, postHead(1000), '{');
    const drip = setInterval(() => socket.writable && socket.write(' '), 100);
    const { text, afterMs } = await answer.finally(() => clearInterval(drip));
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(relay.context.metrics.get('line_genesys_refusals_total', { source: 'http', reason: 'request_timeout' })).toBe(1);
    expect(afterMs).toBeGreaterThanOrEqual(1900);
    expect(afterMs).toBeLessThan(3500);
  });

  it('a client that never finishes its headers is cut at the headers timeout', async () => {
    bed = await startBed();
    const { relay, url } = await doorRelay(bed, { limits: { headersTimeoutMs: 1000, requestTimeoutMs: 2000 } });
    const { answer } = await rawClient(url, 'POST /webhook/line/th HTTP/1.1\r\nHost: x\r\n');
    const { text, afterMs } = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeLessThan(2500);
    expect(relay.context.metrics.get('line_genesys_refusals_total', { source: 'http', reason: 'request_timeout' })).toBe(1);
  });

  it('with the default limits, a client that stops mid-body is held about 5 s', async () => {
    bed = await startBed();
    const { url } = await doorRelay(bed);
    const { answer } = await rawClient(url, postHead(100), '{"events":');
    const { text, afterMs } = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(4900);
    expect(afterMs).toBeLessThan(6500);
  }, 10_000);

  it('bytes that are not HTTP: 400, counted, no error line', async () => {
    bed = await startBed();
    const lines: string[] = [];
    const { relay, url } = await doorRelay(bed, { lines });
    const { text } = await (await rawClient(url, 'HELLO\r\n\r\n')).answer;
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(relay.context.metrics.get('line_genesys_refusals_total', { source: 'http', reason: 'bad_request' })).toBe(1);
    expect(lines.map((l) => JSON.parse(l).level)).toEqual(['warn']);
  });

  it('connections past the cap are closed on arrival', async () => {
    bed = await startBed();
    const { url } = await doorRelay(bed, { limits: { maxConnections: 2 } });
    const held = [await rawClient(url, postHead(100), '{'), await rawClient(url, postHead(100), '{')];
    const third = await rawClient(url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const { text, afterMs } = await third.answer;
    expect(text).toBe('');
    expect(afterMs).toBeLessThan(1000);
    expect(held.every((h) => !h.socket.destroyed)).toBe(true);
  });
});

describe('10. the path-less LINE route verifies before it parses', () => {
  it('an unsigned 1 MB body nested 500,000 deep is refused 401 as fast as a flat one of the same size', async () => {
    bed = await startBed();
    const deep = Buffer.from(`{"events":${nested(500_000)}}`);
    const flat = Buffer.from(`{"events":[],"pad":"${'a'.repeat(deep.length - 25)}"}`);
    const refuse = async (body: Buffer) => {
      const started = performance.now();
      const res = await bed!.relay.route({ method: 'POST', path: '/webhook/line', headers: { 'x-line-signature': 'AAAA' }, body });
      expect(res.status).toBe(401);
      return performance.now() - started;
    };
    const median = async (body: Buffer) => {
      const t: number[] = [];
      for (let i = 0; i < 7; i++) t.push(await refuse(body));
      return t.sort((a, b) => a - b)[3]!;
    };
    await refuse(flat); // warm up
    const [deepMs, flatMs] = [await median(deep), await median(flat)];
    expect(deepMs).toBeLessThan(3 * flatMs + 10);
  });

  it('a body signed by th but addressed to tw is still refused; a wrong secret is named by the channel addressed', async () => {
    bed = await startBed();
    expect((await bed.postLine(lineTemplate('text', 'tw'), { channel: 'th' })).status).toBe(401);
    const wrong = await bed.postLine(lineTemplate('text', 'tw'), { secret: 'not-the-secret' });
    expect(wrong).toEqual({ status: 401, body: { error: 'signature_invalid', message: 'x-line-signature does not match channel "tw"' } });
  });
});

describe('11. refusals cannot flood the log', () => {
  it('100 unsigned webhooks: one line, one summary with the count, and 100 in /metrics', async () => {
    bed = await startBed();
    const lines: string[] = [];
    const { relay, url } = await doorRelay(bed, { lines, limits: { refusalLogIntervalMs: 500 } });
    // Through the route table (the receivers' own path), so that all 100 fall in one interval.
    for (let i = 0; i < 100; i++) {
      const res = await relay.route({ method: 'POST', path: '/webhook/line', headers: {}, body: Buffer.from('{}') });
      expect(res.status).toBe(401);
    }
    await new Promise((r) => setTimeout(r, 700));
    const warns = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'warn');
    expect(warns).toHaveLength(2);
    expect(warns[1]).toMatchObject({ repeated: 99 });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('line_genesys_refusals_total{source="line",reason="signature_missing"} 100');
  });

  it('bodies cut off mid-way write no error line, and are counted', async () => {
    bed = await startBed();
    const lines: string[] = [];
    const { url } = await doorRelay(bed, { lines, limits: { refusalLogIntervalMs: 60_000 } });
    for (let i = 0; i < 20; i++) {
      const { socket, answer } = await rawClient(url, postHead(100), '{"events":');
      await new Promise((r) => setTimeout(r, 20));
      socket.destroy();
      await answer;
    }
    await until(async () => (await (await fetch(`${url}/metrics`)).text()).includes('line_genesys_refusals_total{source="http",reason="aborted"} 20'), '20 aborted bodies counted');
    const levels = lines.map((l) => JSON.parse(l).level);
    expect(levels.filter((l) => l === 'error')).toEqual([]);
    expect(levels.filter((l) => l === 'warn')).toHaveLength(1);
  });
});

describe('authentication failures during a secret rotation are retried for a while', () => {
  it("two 401s from Genesys's login: the message is delivered once the login recovers, not dead-lettered", async () => {
    bed = await startBed();
    // The token the relay holds is gone (the old secret was revoked), and the login refuses twice.
    bed.relay.context.genesys.tokens.invalidate();
    bed.genesys.faults.add({ route: 'token', status: 401, times: 2 });
    expect((await bed.postLine(lineTemplate('text'))).status).toBe(200);
    await until(async () => (await bed!.relay.context.store.counts()).done === 1, 'the job done');
    expect(bed.genesys.messages).toHaveLength(1);
    expect(await bed.relay.context.store.counts()).toMatchObject({ dead: 0, done: 1 });
    expect(bed.relay.context.metrics.get('line_genesys_auth_failures_total', { upstream: 'genesys' })).toBe(1);
  });

  it('a login refused for longer than relay.authRetryWindow (1 s here): dead-lettered after the window, not before, with one error line', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', format: 'json', write: (l) => lines.push(l) });
    bed = await startBed({ env: { LINE_GENESYS_AUTH_RETRY_WINDOW: '1s' }, log });
    bed.relay.context.genesys.tokens.invalidate();
    bed.genesys.faults.add({ route: 'token', status: 401, times: Infinity });
    const posted = Date.now();
    expect((await bed.postLine(lineTemplate('text'))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    // Still in the queue: waiting for its next try, or in the middle of one.
    const early = await bed.relay.context.store.counts();
    expect({ dead: early.dead, done: early.done, queued: early.pending + early.running }).toEqual({ dead: 0, done: 0, queued: 1 });
    await until(async () => (await bed!.relay.context.store.counts()).dead === 1, 'the job in the dead letters', 5000);
    expect(Date.now() - posted).toBeGreaterThanOrEqual(1000);
    const [dead] = await bed.relay.context.store.list('dead');
    expect(dead!.lastError).toContain('HTTP 401');
    expect(bed.genesys.messages).toEqual([]);
    // Every attempt failed on the login, and is counted; the log says it once (a line a minute at most).
    const attempts = dead!.attempts;
    expect(attempts).toBeGreaterThan(2);
    expect(bed.relay.context.metrics.get('line_genesys_auth_failures_total', { upstream: 'genesys' })).toBe(attempts);
    const alarms = lines.map((l) => JSON.parse(l)).filter((l) => l.msg.startsWith("Genesys refuses the relay's credentials"));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ level: 'error', upstream: 'genesys' });
    expect(lines.join('\n')).not.toContain('test-client-secret');
  });
});
