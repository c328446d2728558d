/**
 * Upstream faults survived with nothing lost and nothing delivered twice: Genesys down (503) then
 * back, 429 with Retry-After, a token expiring mid-stream, LINE 5xx/429, a slow upstream that the
 * webhook answer never waits on, redeliveries, and dead letters that can be replayed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendAgentMessage, redeliver } from '../../src/sandbox/outbound-webhook.js';
import { CHANNELS, USER, lineTemplate, relayEnv, startBed, until, type Bed } from '../helpers/bed.js';
import { runCli } from '../helpers/cli.js';
import { lineOutcome, templateNames } from '../contract/template-outcomes.js';

let bed: Bed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const inboundPosts = (b: Bed) => b.genesys.requests.filter((r) => r.route === 'inbound-message');

async function burst(b: Bed, n: number, users = 5, from = 0) {
  for (let i = from; i < from + n; i++) {
    const body = lineTemplate('text');
    body.events[0].source.userId = `U${String(i % users).padStart(2, '0')}${'b'.repeat(30)}`;
    body.events[0].message.text = `m${i}`;
    const res = await b.postLine(body);
    expect(res.status).toBe(200);
  }
}

describe('Genesys faults', () => {
  it('Genesys answering 503 for a while, then recovering: everything arrives, once', async () => {
    bed = await startBed();
    bed.genesys.faults.add({ route: 'inbound-message', status: 503, times: 25 });
    await burst(bed, 40);
    await bed.genesys.waitFor((g) => g.messages.length === 40, 15_000);
    expect(new Set(bed.genesys.messages.map((m) => m.body.text)).size).toBe(40);
    expect(inboundPosts(bed).filter((r) => r.status === 503)).toHaveLength(25);
    expect((await bed.relay.context.store.counts()).dead).toBe(0);
  });

  it('429 with Retry-After: the relay waits as told', async () => {
    bed = await startBed();
    bed.genesys.faults.add({ route: 'inbound-message', status: 429, headers: { 'Retry-After': '1' } });
    await burst(bed, 1);
    await bed.genesys.waitFor((g) => g.messages.length === 1, 10_000);
    const [refused, accepted] = inboundPosts(bed);
    expect(refused!.status).toBe(429);
    expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(1000);
  });

  it('a 429 storm holds every Genesys-bound job until Retry-After has passed, then all arrive once', async () => {
    bed = await startBed();
    bed.genesys.faults.add({ route: 'inbound-message', status: 429, headers: { 'Retry-After': '1' }, times: 3 });
    await burst(bed, 1);
    await until(async () => (await bed!.relay.context.store.list('pending')).some((j) => j.attempts === 1), 'the refused job to be rescheduled');
    // These jobs never met a 429 themselves: only the hold keeps them back.
    await burst(bed, 19, 10, 1);
    await bed.genesys.waitFor((g) => g.messages.length === 20, 15_000);
    const [refused, ...later] = bed.genesys.requests.filter((r) => r.route.startsWith('inbound-'));
    expect(refused).toMatchObject({ route: 'inbound-message', status: 429 });
    expect(later.length).toBeGreaterThanOrEqual(19);
    for (const r of later) expect(r.at - refused!.at).toBeGreaterThanOrEqual(1000);
    expect(inboundPosts(bed).filter((r) => r.status === 429)).toHaveLength(3);
    expect(new Set(bed.genesys.messages.map((m) => m.body.text)).size).toBe(20);
  });

  it('a token expiring mid-stream: one new token, nothing lost', async () => {
    bed = await startBed();
    await burst(bed, 10);
    await bed.genesys.waitFor((g) => g.messages.length === 10);
    const before = bed.relay.context.genesys.tokens.fetched;
    bed.genesys.expireTokens();
    await burst(bed, 10);
    await bed.genesys.waitFor((g) => g.messages.length === 20);
    expect(bed.relay.context.genesys.tokens.fetched).toBe(before + 1);
    expect((await bed.relay.context.store.counts()).dead).toBe(0);
  });

  it('a slow Genesys: the webhook is answered before Genesys has the message', async () => {
    bed = await startBed();
    bed.genesys.faults.add({ route: 'inbound-message', delayMs: 1500 });
    const res = await bed.postLine(lineTemplate('text'));
    expect(res.status).toBe(200);
    expect(bed.genesys.messages).toHaveLength(0);
    await bed.genesys.waitFor((g) => g.messages.length === 1);
  });

  it('every LINE event redelivered (isRedelivery, same webhookEventId): nothing doubled', async () => {
    bed = await startBed();
    const names = templateNames('line');
    const sent = names.flatMap(lineOutcome).filter((a) => a === 'send').length;
    const bodies = names.map((n) => lineTemplate(n));
    for (const b of bodies) expect((await bed.postLine(b)).status).toBe(200);
    await until(async () => { const c = await bed!.relay.context.store.counts(); return c.pending + c.running === 0; }, 'the queue to drain');
    expect(bed.genesys.messages).toHaveLength(sent);
    for (const b of bodies) {
      for (const e of b.events) e.deliveryContext = { isRedelivery: true };
      const res = await bed.postLine(b);
      expect(res.body.accepted).toBe(0);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(inboundPosts(bed)).toHaveLength(sent);
  });

  it('a permanent refusal (400) goes to the dead letters with its error; queue retry delivers it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-dead-'));
    const storePath = join(dir, 'relay.db');
    bed = await startBed({ store: 'sqlite', storePath });
    bed.genesys.faults.add({ route: 'inbound-message', status: 400, body: { message: 'bad request', code: 'bad.request', status: 400 } });
    await bed.postLine(lineTemplate('text'));
    await until(async () => (await bed!.relay.context.store.counts()).dead === 1, 'a dead letter');
    const env = relayEnv(bed.line, bed.genesys, { LINE_GENESYS_STORE_PATH: storePath });
    const listed = await cli(['queue', 'list', '--json'], env, dir);
    expect(listed.code).toBe(0);
    const { jobs } = JSON.parse(listed.stdout);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: 'inbound', type: 'message/text', channel: 'th', state: 'dead' });
    expect(jobs[0].lastError).toMatch(/HTTP 400/);
    const shown = await cli(['queue', 'show', String(jobs[0].id), '--json'], env, dir);
    expect(JSON.parse(shown.stdout).job.payload.event.type).toBe('message');
    const retried = await cli(['queue', 'retry', String(jobs[0].id)], env, dir);
    expect(retried.code).toBe(0);
    await bed.genesys.waitFor((g) => g.messages.length === 1, 5000);
    expect((await cli(['queue', 'retry', '999'], env, dir)).code).toBe(1);
    expect((await cli(['queue', 'retry'], env, dir)).code).toBe(2);
  });

  it('after the bounded time, an event that keeps failing is dead-lettered with its last error', async () => {
    bed = await startBed({ deadLetterAfter: '300ms' });
    bed.genesys.faults.add({ route: 'inbound-message', status: 503, times: Infinity });
    await bed.postLine(lineTemplate('text'));
    await until(async () => (await bed!.relay.context.store.counts()).dead === 1, 'a dead letter', 5000);
    const [dead] = await bed.relay.context.store.list('dead');
    expect(dead!.lastError).toMatch(/HTTP 503/);
    expect(dead!.attempts).toBeGreaterThan(1);
  });
});

describe('LINE faults', () => {
  it('LINE push 5xx and 429 storms: every reply delivered once, in order', async () => {
    bed = await startBed();
    bed.line.faults.add({ route: 'push', status: 503, times: 3 });
    bed.line.faults.add({ route: 'push', status: 429, times: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await sendAgentMessage(bed.genesys, { integrationId: CHANNELS.th.integrationId, to: USER, text: `reply ${i}` })).messageId);
    await bed.genesys.waitFor((g) => g.receipts.length === 6, 15_000);
    expect(bed.line.pushes.map((p) => (p.messages[0] as { text: string }).text)).toEqual(ids.map((_, i) => `reply ${i}`));
    expect(bed.genesys.receipts.map((r) => r.body.status)).toEqual(Array(6).fill('Delivered'));
    const statuses = bed.line.pushRequests.map((p) => p.status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
  });

  it('Genesys posting the same outbound message 6 times: one LINE push, its retries under one retry key', async () => {
    bed = await startBed();
    bed.line.faults.add({ route: 'push', status: 503, times: 2 });
    const first = await sendAgentMessage(bed.genesys, { integrationId: CHANNELS.th.integrationId, to: USER, text: 'only once' });
    for (let i = 0; i < 5; i++) expect((await redeliver(bed.genesys, first.messageId)).status).toBe(200);
    await bed.genesys.waitFor((g) => g.receipts.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(bed.line.pushRequests.map((p) => p.status)).toEqual([503, 503, 200]);
    const [key, ...retries] = bed.line.pushRequests.map((p) => p.retryKey);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(retries).toEqual([key, key]);
    expect(bed.line.pushes).toHaveLength(1);
    expect(bed.genesys.receipts).toHaveLength(1);
  });

  it('Genesys receipts failing (503) retry the receipt, not the push', async () => {
    bed = await startBed();
    bed.genesys.faults.add({ route: 'inbound-receipt', status: 503, times: 2 });
    await sendAgentMessage(bed.genesys, { integrationId: CHANNELS.th.integrationId, to: USER, text: 'receipt later' });
    await bed.genesys.waitFor((g) => g.receipts.length === 1, 10_000);
    expect(bed.genesys.requests.filter((r) => r.route === 'inbound-receipt').map((r) => r.status)).toEqual([503, 503, 200]);
    expect(bed.line.pushRequests.map((p) => p.status)).toEqual([200]);
  });
});

const cli = (args: string[], env: Record<string, string>, cwd: string) => runCli(args, { env, cwd });
