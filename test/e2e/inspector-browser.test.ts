/**
 * The whole loop offline, seen in a real browser: the sandbox (LINE + Genesys emulators), a relay on
 * it and the inspector, in-process on loopback; Debian's chromium driven by playwright-core plays the
 * customer (Thai text, a location, an image, a sticker) and the agent (a Japanese answer), then replays
 * an event from the list. Without chromium the browser part skips with one line saying how to run it;
 * under CI (which installs Debian's `chromium`, and fonts for Thai and CJK) it fails instead.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { LineClient } from '../../src/line/client.js';
import { createLogger } from '../../src/log.js';
import { createRelay, type Relay } from '../../src/relay/server.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { samplePng } from '../../src/sandbox/inspector/sample-png.js';
import { startInspector } from '../../src/sandbox/inspector/server.js';

// The functions given to page.waitForFunction run in the page, not in Node: the little of the DOM they
// use, typed here (the lib "dom" for all the tests would also retype Node's fetch answers as any).
interface Element { readonly tagName: string }
interface HTMLImageElement extends Element { readonly naturalWidth: number }
declare const document: { querySelector(selectors: string): Element | null; querySelectorAll(selectors: string): { readonly length: number } };

const CHROMIUM = process.env['LINE_GENESYS_CHROMIUM'] || '/usr/bin/chromium';
const IN_CI = /^(1|true|yes)$/i.test(process.env['CI'] ?? '');
const HAS_CHROMIUM = existsSync(CHROMIUM);
const HOW = `install Debian's chromium (apt-get install chromium) or set LINE_GENESYS_CHROMIUM=<path>`;
if (!HAS_CHROMIUM && !IN_CI) process.stderr.write(`inspector-browser: skipped: chromium not found at ${CHROMIUM}; ${HOW}\n`);
/** Where the screenshots go, to look at (fonts, layout). */
const ARTIFACTS = join(tmpdir(), 'line-genesys-test-artifacts');
const THAI = 'สวัสดีครับ พัสดุของผมถึงไหนแล้วครับ';
const JAPANESE = 'ご連絡ありがとうございます。ご注文は本日発送いたします。';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let sandbox: Sandbox;
let relay: Relay;
let inspector: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  const config = loadConfig({ env: sandbox.env, dotenv: false, cwd: mkdtempSync(join(tmpdir(), 'lg-inspector-')) });
  relay = await createRelay({ config, log: createLogger({ level: 'silent' }), backoff: { baseMs: 10, maxMs: 100 } });
  sandbox.connect(await relay.listen(0, '127.0.0.1'));
  inspector = await startInspector({ relay, sandbox });
});

afterAll(async () => {
  await browser?.close();
  await inspector?.close();
  await relay?.close();
  await sandbox?.close();
});

const rows = () => page.getByTestId('event-row');

describe.skipIf(!HAS_CHROMIUM && !IN_CI)('the inspector in a browser', () => {
  beforeAll(async () => {
    if (!HAS_CHROMIUM) throw new Error(`chromium not found at ${CHROMIUM} (CI does not skip the browser test): ${HOW}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 20_000 });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text()); });
  }, 30_000);

  it('plays Thai text, a sticker and a Japanese answer through the relay, replays an event, and shows its details', async () => {
    await page.goto(inspector.url);
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
    await page.getByTestId('customer-pane').waitFor();
    const agentPane = page.getByTestId('agent-messages');
    const customerPane = page.getByTestId('customer-messages');

    // A location and the sample image make the trip: the agent sees the maps link and the picture (served by the relay).
    await page.getByTestId('send-location').click();
    await agentPane.getByText('https://www.google.com/maps/search/?api=1&query=13.746264,100.534871').waitFor();
    await page.getByTestId('send-image').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid=agent-messages] img[src*="/media/"]') as HTMLImageElement | null)?.naturalWidth === 160);

    // The customer sends a sticker: the agent sees it as Genesys shows it.
    await page.getByTestId('sticker-446-1988').click();
    await agentPane.getByText('[LINE STICKER: Heart, Love, Brown, Cony]').waitFor();
    await customerPane.getByTestId('customer-sent').first().waitFor();

    // The customer writes in Thai: their LINE app shows it as sent, the agent sees it as Genesys got it.
    await page.getByTestId('customer-text').fill(THAI);
    await page.getByTestId('customer-send').click();
    await customerPane.getByTestId('customer-sent').getByText(THAI).waitFor();
    await agentPane.getByText(THAI).waitFor();
    expect(sandbox.genesys.messages.at(-1)!.body.text).toBe(THAI);

    // The agent answers in Japanese with quick replies: the customer sees it on LINE.
    await page.getByTestId('agent-text').fill(JAPANESE);
    await page.getByTestId('agent-quick').fill('Track my order, Talk to a person');
    await page.getByTestId('agent-send').click();
    const received = customerPane.getByTestId('customer-received');
    await received.getByText(JAPANESE).waitFor();
    await received.getByTestId('quick-replies').getByText('Track my order').waitFor();
    await agentPane.getByText('Delivered on LINE ✓').waitFor();
    // Seconds after the customer wrote: it rides the customer's reply token, free of the quota.
    expect(sandbox.line.replies.map((p) => (p.messages[0] as { text?: string }).text)).toEqual([JAPANESE]);
    expect(sandbox.line.pushes).toEqual([]);
    await received.filter({ hasText: JAPANESE }).filter({ hasText: 'reply (free)' }).waitFor();
    // Both scripts on screen together: look at this one for boxes where glyphs should be.
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'chat-th-ja.png') });

    // The list holds the webhooks and deliveries of both directions, newest first.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-row][data-stage=delivery][data-status=delivered]').length >= 4);
    const before = await rows().count();
    const stickerWebhook = page.locator('[data-testid=event-row][data-direction=in][data-stage=webhook][data-type="message/sticker"]');
    expect(await stickerWebhook.count()).toBe(1);

    // Replay the sticker's webhook: a new event appears, and Genesys gets the sticker again.
    await stickerWebhook.getByTestId('replay').click();
    await page.getByTestId('toast').filter({ hasText: 'the relay answered HTTP 200' }).waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=event-row]').length > n, before);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-row][data-type="message/sticker"][data-stage=webhook]').length === 2);
    await sandbox.genesys.waitFor((g) => g.messages.length === 5);
    await agentPane.getByText('[LINE STICKER: Heart, Love, Brown, Cony]').nth(1).waitFor();

    // Details of the newest sticker delivery: the LINE event and the Genesys message we produced.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-row][data-type="message/sticker"][data-stage=delivery]').length === 2);
    await page.locator('[data-testid=event-row][data-type="message/sticker"][data-stage=delivery] .event-main').first().click();
    const source = JSON.parse(await page.getByTestId('details-source').innerText());
    const produced = JSON.parse(await page.getByTestId('details-produced').innerText());
    expect(source.message).toMatchObject({ type: 'sticker', packageId: '446', stickerId: '1988' });
    expect(produced.text).toBe('[LINE STICKER: Heart, Love, Brown, Cony]');
    expect(sandbox.genesys.messages.at(-1)!.body.channel.messageId).toBe(source.message.id);

    // The customer taps a quick reply: their chat shows the button's text, the agent sees it as a button
    // answer, and Genesys got a structured response answering the agent's Japanese message.
    await received.getByTestId('quick-replies').getByText('Talk to a person').click();
    await customerPane.getByTestId('customer-sent').getByText('Talk to a person').waitFor();
    await agentPane.getByTestId('agent-received').getByText('Talk to a person').waitFor();
    const agentReply = sandbox.genesys.receipts.find((r) => r.body.status === 'Delivered')!.body.id;
    expect(sandbox.genesys.structuredResponses.map((r) => r.body)).toMatchObject([
      { buttonResponse: { type: 'QuickReply', text: 'Talk to a person', payload: 'Talk to a person' }, originatingMessageId: agentReply },
    ]);

    expect(sandbox.line.violations).toEqual([]);
    expect(sandbox.genesys.violations).toEqual([]);
    expect(pageErrors).toEqual([]);

    await page.getByTestId('event-row').first().locator('.event-main').click();
    if (await page.getByTestId('toast').isVisible()) await page.getByTestId('toast-close').click();
    await page.screenshot({ path: join(ARTIFACTS, 'inspector.png'), fullPage: true });
  }, 50_000);

  it('the agent pane sends a sticker by its code, and the customer gets a LINE sticker', async () => {
    await page.getByTestId('agent-sticker-446-1989').click();
    const sticker = page.locator('[data-testid=customer-received] img[alt^="Sticker 446/1989"], [data-testid=customer-received] [data-testid=image-missing]:has-text("Sticker 446/1989")');
    await sticker.first().waitFor();
    const sent = [...sandbox.line.pushes, ...sandbox.line.replies].map((p) => p.messages);
    expect(sent).toContainEqual([{ type: 'sticker', packageId: '446', stickerId: '1989' }]);
    expect(sandbox.genesys.messages.length).toBe(5);
    expect(await page.locator('[data-testid=customer-received]').last().locator('.meta').innerText()).toMatch(/ · (push|reply \(free\))$/);
    expect(pageErrors).toEqual([]);
  }, 20_000);

  it('the customer pane says which messages LINE got by reply (free) and which by push', async () => {
    const th = sandbox.channels.find((c) => c.id === 'th')!;
    const client = new LineClient({ accessToken: th.accessToken, apiBaseUrl: sandbox.line.url });
    const { event } = await sandbox.sendCustomer({ channelId: 'th', kind: 'text', text: 'answer me for free' });
    expect(await client.reply(event['replyToken'] as string, [{ type: 'text', text: 'A free answer' }])).toMatchObject({ replied: true });
    await client.push(sandbox.customers[0]!.userId, [{ type: 'text', text: 'A pushed answer' }], randomUUID());
    const received = page.getByTestId('customer-received');
    await received.filter({ hasText: 'A free answer' }).filter({ hasText: 'reply (free)' }).waitFor();
    await received.filter({ hasText: 'A pushed answer' }).filter({ hasText: /· push$/ }).waitFor();
    expect(pageErrors).toEqual([]);
  }, 20_000);
});

async function api(path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${inspector.url}${path}`, body === undefined ? { headers } : { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let parsed: any = text;
  try { parsed = JSON.parse(text); } catch { /* text */ }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** The first frames of the event stream a new client gets. */
async function firstFrames(min: number): Promise<Array<{ id: number; event: string; data: any }>> {
  const ac = new AbortController();
  const res = await fetch(`${inspector.url}/events`, { signal: ac.signal });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  let text = '';
  const frames = () => text.split('\n\n').filter((f) => f.includes('data: ')).map((f) => {
    const field = (name: string) => f.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? '';
    return { id: Number(field('id')), event: field('event'), data: JSON.parse(field('data')) };
  });
  // A read waits for the next frame: the deadline aborts it rather than waiting for the heartbeat.
  const deadline = setTimeout(() => ac.abort(), 5000);
  try {
    while (frames().length < min) text += new TextDecoder().decode((await reader.read()).value);
  } catch {
    /* aborted at the deadline: the frames so far are the answer */
  } finally {
    clearTimeout(deadline);
    ac.abort();
  }
  return frames();
}

describe('the inspector API', () => {
  it('serves the page, its script and style with a strict content security policy', async () => {
    const page = await api('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.body).toContain('data-testid="events"');
    expect((await api('/app.js')).body).toContain('EventSource');
    expect((await api('/app.css')).status).toBe(200);
    expect((await api('/nope')).status).toBe(404);
  });

  it('sends a new client the activity and chat seen so far, with ids', async () => {
    await sandbox.sendCustomer({ channelId: 'tw', kind: 'text', text: 'history please' });
    await until(() => sandbox.genesys.messages.some((m) => m.body.text === 'history please'));
    const frames = await firstFrames(3);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames.map((f) => f.id)).toEqual([...frames.map((f) => f.id)].sort((a, b) => a - b));
    const activity = frames.find((f) => f.event === 'activity')!;
    expect(activity.data).toMatchObject({ id: activity.id, direction: expect.stringMatching(/^(in|out)$/), stage: expect.any(String), status: expect.any(String) });
    const listed = (await api('/api/activity')).body as any[];
    expect(listed.length).toBeGreaterThanOrEqual(frames.filter((f) => f.event === 'activity').length);
    // The chat follows the emulators by polling them: give it a moment.
    const seen = async () => ((await api('/api/chat')).body as any[]).some((c) => c.pane === 'agent' && c.genesys?.text === 'history please' && c.channelId === 'tw');
    for (const deadline = Date.now() + 3000; !(await seen()) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    expect(await seen()).toBe(true);
  });

  it('replays an agent message signed with the outbound secret, as a new message', async () => {
    const to = sandbox.customers[0]!.userId;
    await api('/api/agent', { channelId: 'th', to, text: 'replay me' });
    await until(() => sandbox.line.pushes.some((p) => JSON.stringify(p.messages).includes('replay me')));
    const listed = (await api('/api/activity')).body as any[];
    const webhook = listed.findLast((a) => a.direction === 'out' && a.stage === 'webhook' && a.source?.text === 'replay me');
    expect(webhook.replayable).toBe(true);
    const pushes = sandbox.line.pushes.length;
    const res = await api(`/api/replay/${webhook.id}`, {});
    expect(res).toMatchObject({ status: 200, body: { accepted: 1, duplicates: 0 } });
    await until(() => sandbox.line.pushes.length === pushes + 1);
    expect(JSON.stringify(sandbox.line.pushes.at(-1)!.messages)).toContain('replay me');
    const again = ((await api('/api/activity')).body as any[]).findLast((a) => a.direction === 'out' && a.stage === 'webhook');
    expect(again.source.id).not.toBe(webhook.source.id);
  });

  it('replays a customer image as a new message whose content LINE still serves', async () => {
    const sent = sandbox.genesys.messages.length;
    expect(await api('/api/customer', { channelId: 'th', userId: sandbox.customers[0]!.userId, kind: 'image', image: 'sample' })).toMatchObject({ status: 200 });
    await sandbox.genesys.waitFor((g) => g.messages.length === sent + 1);
    const image = ((await api('/api/activity')).body as any[]).findLast((a) => a.direction === 'in' && a.stage === 'webhook' && a.type === 'message/image');
    expect(image).toBeDefined();
    const count = sandbox.genesys.messages.length;
    expect(await api(`/api/replay/${image.id}`, {})).toMatchObject({ status: 200, body: { accepted: 1 } });
    await sandbox.genesys.waitFor((g) => g.messages.length === count + 1);
    const replayed = sandbox.genesys.messages.at(-1)!.body;
    expect(replayed.channel.messageId).not.toBe(image.source.message.id);
    const served = await fetch(replayed.content![0]!.attachment!.url!);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(samplePng());
  });

  it('refuses what it cannot do, saying why', async () => {
    expect((await api('/api/replay/999999', {})).status).toBe(404);
    expect((await api('/api/customer', { channelId: 'th', kind: 'text', text: 'x' }, { origin: 'https://evil.example' })).status).toBe(403);
    // A page on another name resolved to 127.0.0.1 (DNS rebinding) cannot read the events.
    const rebound = await new Promise<number>((resolve, reject) => {
      request(`${inspector.url}/api/activity`, { headers: { host: 'evil.example' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject).end();
    });
    expect(rebound).toBe(403);
    const notJson = await fetch(`${inspector.url}/api/customer`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(notJson.status).toBe(415);
    expect(await api('/api/customer', { channelId: 'th', kind: 'video' })).toMatchObject({ status: 400, body: { message: expect.stringContaining('kind must be one of') } });
    expect(await api('/api/customer', { channelId: 'th', kind: 'text' })).toMatchObject({ status: 400, body: { message: expect.stringContaining('needs text') } });
    expect(await api('/api/agent', { channelId: 'th', to: sandbox.customers[0]!.userId, imageUrl: 'http://example.com/a.png' })).toMatchObject({ status: 400, body: { message: expect.stringContaining('https') } });
    // An unsigned webhook is refused by the relay: its activity carries no payload to replay.
    expect((await fetch(`${relay.url()}/webhook/line`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    const refused = ((await api('/api/activity')).body as any[]).findLast((a) => a.status === 'refused');
    expect(refused).toMatchObject({ replayable: false, httpStatus: 401 });
    expect(await api(`/api/replay/${refused.id}`, {})).toMatchObject({ status: 409, body: { message: expect.stringContaining('no payload') } });
  });

  it('without a sandbox: the event list only', async () => {
    const plain = await startInspector({ relay });
    try {
      const info = await (await fetch(`${plain.url}/api/info`)).json();
      expect(info).toMatchObject({ sandbox: false, channels: [{ id: 'th', market: 'TH' }, { id: 'tw', market: 'TW' }] });
      const res = await fetch(`${plain.url}/api/customer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ message: expect.stringMatching(/sandbox/) });
    } finally {
      await plain.close();
    }
  });
});

async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
