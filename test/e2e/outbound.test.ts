/**
 * Genesys → relay → LINE, over real HTTP: each content type becomes the right LINE push (checked by
 * the LINE emulator against LINE's OpenAPI), receipts go back to Genesys, and no retry sends twice.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../src/relay/activity.js';
import { redeliver, sendAgentMessage } from '../../src/sandbox/outbound-webhook.js';
import { genesysOutcome, outboundShape, templateNames } from '../contract/template-outcomes.js';
import { agentMessage, CHANNELS, USER, genesysTemplate, lineTemplate, resetBed, startBed, until, type Bed } from '../helpers/bed.js';

let bed: Bed;
beforeAll(async () => {
  bed = await startBed({ env: { LINE_GENESYS_PUBLIC_URL: 'https://relay.example.test' } });
});
afterAll(() => bed.close());
beforeEach(() => resetBed(bed));

async function receipts(n: number) {
  await bed.genesys.waitFor((g) => g.receipts.length >= n);
  return bed.genesys.receipts.map((r) => r.body);
}

describe('outbound: each content type', () => {
  it('text → one LINE text push, then a Delivered receipt', async () => {
    const m = agentMessage('text');
    const res = await bed.postGenesys(m);
    expect(res.status).toBe(200);
    const [r] = await receipts(1);
    expect(r).toMatchObject({ id: m.id, status: 'Delivered', direction: 'Outbound', isFinalReceipt: true, channel: { to: { id: USER } } });
    expect(bed.line.pushes).toHaveLength(1);
    expect(bed.line.pushes[0]).toMatchObject({ to: USER, channelBotUserId: CHANNELS.th.botUserId, messages: [{ type: 'text', text: m.text }] });
    expect(bed.line.pushes[0]!.retryKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bed.line.violations).toEqual([]);
    expect(bed.genesys.violations).toEqual([]);
  });

  it("the delivered activity line carries LINE's HTTP status and the API used", async () => {
    const seen: Activity[] = [];
    const listener = (a: Activity) => seen.push(a);
    bed.relay.activity.on('activity', listener);
    try {
      await bed.postGenesys(agentMessage('text'));
      await receipts(1);
      await until(() => seen.some((a) => a.stage === 'delivery' && a.status === 'delivered'), 'the delivered line');
    } finally {
      bed.relay.activity.off('activity', listener);
    }
    expect(seen.find((a) => a.stage === 'delivery' && a.status === 'delivered')).toMatchObject({ direction: 'out', httpStatus: 200, detail: 'push' });
  });

  it('image → LINE image with a preview, and its caption as text', async () => {
    await bed.postGenesys(agentMessage('image'));
    await receipts(1);
    const url = 'https://api.mypurecloud.com/api/v2/downloads/7b3f0c2e9d4a5b6c?issuedAtMillis=1741944160118&filename=receipt.png';
    expect(bed.line.pushes[0]!.messages).toEqual([
      { type: 'image', originalContentUrl: url, previewImageUrl: url },
      { type: 'text', text: 'Here is your receipt.' },
    ]);
  });

  it.each(templateNames('genesys').filter((n) => genesysOutcome(n).action === 'push'))('%s → the pushes the table names, accepted by LINE, Delivered', async (name) => {
    await bed.postGenesys(agentMessage(name));
    const [r] = await receipts(1);
    expect(r!.status).toBe('Delivered');
    expect(outboundShape({ action: 'push', batches: bed.line.pushes.map((p) => p.messages as Array<{ type: string }>) })).toEqual(genesysOutcome(name));
    expect(bed.line.violations).toEqual([]);
  });

  it('video uses the relay-served preview image', async () => {
    await bed.postGenesys(agentMessage('video'));
    await receipts(1);
    expect(bed.line.pushes[0]!.messages[0]).toMatchObject({ type: 'video', previewImageUrl: 'https://relay.example.test/static/video-preview.png' });
    const png = await fetch(`${bed.url}/static/video-preview.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
  });

  it('a file becomes a text with its link', async () => {
    await bed.postGenesys(agentMessage('file'));
    await receipts(1);
    const m = genesysTemplate('file');
    expect(bed.line.pushes[0]!.messages).toEqual([
      { type: 'text', text: m.text },
      { type: 'text', text: `📎 warranty-terms.pdf: ${m.content[0].attachment.url}` },
    ]);
  });

  it('quick replies ride on the last message', async () => {
    await bed.postGenesys(agentMessage('quick-reply'));
    await receipts(1);
    const msgs = bed.line.pushes.at(-1)!.messages as any[];
    expect(msgs.at(-1).quickReply.items.map((i: any) => i.action.label)).toEqual(['Bank transfer', 'Store credit', 'Talk to an agent']);
  });

  it('a carousel becomes a flex carousel with altText', async () => {
    await bed.postGenesys(agentMessage('carousel'));
    await receipts(1);
    const flex = (bed.line.pushes[0]!.messages as any[]).find((x) => x.type === 'flex');
    expect(flex.altText).toBe('Classic Latte / Thai Iced Tea / Mango Sticky Rice');
    expect(flex.contents.type).toBe('carousel');
    expect(flex.contents.contents).toHaveLength(3);
  });

  it('text over 5,000 characters is split; more than 5 messages go in order across pushes', async () => {
    const text = Array.from({ length: 26 }, (_, i) => `part ${i} `.padEnd(1000, 'x')).join('\n'); // ~26,000 chars → 6 messages
    const m = agentMessage('text', { text });
    await bed.postGenesys(m);
    await receipts(1);
    expect(bed.line.pushes).toHaveLength(2);
    expect(bed.line.pushes[0]!.messages).toHaveLength(5);
    const all = bed.line.pushes.flatMap((p) => p.messages as Array<{ text: string }>);
    expect(all.every((x) => x.text.length <= 5000)).toBe(true);
    expect(all.map((x) => x.text).join('')).toBe(text);
    expect(new Set(bed.line.pushes.map((p) => p.retryKey)).size).toBe(2);
  });

  it('typing → the LINE loading animation, no receipt', async () => {
    await bed.postGenesys(agentMessage('typing'));
    await until(() => bed.line.loadings.length === 1, 'a loading animation');
    expect(bed.line.loadings[0]).toMatchObject({ chatId: USER, loadingSeconds: 5 });
    await new Promise((r) => setTimeout(r, 100));
    expect(bed.line.pushes).toHaveLength(0);
    expect(bed.genesys.receipts).toHaveLength(0);
  });
});

describe('outbound: sticker codes', () => {
  it('[sticker 446/1988] arrives on LINE as a sticker message; inside a sentence the code stays text', async () => {
    await bed.postGenesys(agentMessage('text', { text: '[sticker 446/1988]' }));
    await bed.postGenesys(agentMessage('text', { text: 'Send [sticker 446/1988] to say thanks' }));
    expect((await receipts(2)).map((r) => r.status)).toEqual(['Delivered', 'Delivered']);
    expect(bed.line.pushes.map((p) => p.messages).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      [{ type: 'sticker', packageId: '446', stickerId: '1988' }],
      [{ type: 'text', text: 'Send [sticker 446/1988] to say thanks' }],
    ]);
    expect(bed.line.violations).toEqual([]);
  });

  it('a sticker LINE refuses (400) gets a Failed receipt carrying LINE’s reason, and is not retried', async () => {
    // LINE's documented push 400 body (api-examples.json pushMessage.response400).
    bed.line.faults.add({ route: 'push', status: 400, body: { message: 'Failed to send messages' } });
    const m = agentMessage('text', { text: '[sticker 446/99999999]' });
    await bed.postGenesys(m);
    const [r] = await receipts(1);
    expect(r).toMatchObject({ id: m.id, status: 'Failed', reasons: [{ code: 'InvalidMessageStructure', message: expect.stringMatching(/^LINE refused the sticker \[sticker 446\/99999999\]/) }] });
    expect(bed.line.pushRequests).toHaveLength(1);
    expect(bed.line.pushes).toEqual([]);
  });
});

describe('outbound: exactly once, and failures told to the agent', () => {
  it('Genesys posting the same message twice makes one LINE push', async () => {
    const sent = await sendAgentMessage(bed.genesys, { integrationId: CHANNELS.th.integrationId, to: USER, text: 'once only' });
    expect(sent.status).toBe(200);
    const again = await redeliver(bed.genesys, sent.messageId);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ accepted: 0, duplicates: 1 });
    await receipts(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(bed.line.pushes).toHaveLength(1);
  });

  it('a bad signature is 401 and nothing is pushed', async () => {
    const res = await bed.postGenesys(agentMessage('text'), { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    const missing = await bed.postGenesys(agentMessage('text'), { signature: null });
    expect(missing.status).toBe(401);
    const hex = await bed.postGenesys(agentMessage('text'), { signature: 'sha256=' + 'ab'.repeat(32) });
    expect(hex.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(bed.line.requests.filter((r) => r.route === 'push')).toHaveLength(0);
  });

  it('a message without a recipient is 400', async () => {
    const m = agentMessage('text');
    delete m.channel.to;
    expect((await bed.postGenesys(m)).status).toBe(400);
  });

  it('a recipient that is not a LINE id → a Failed receipt, no push', async () => {
    const m = agentMessage('text');
    m.channel.to.id = 'customer@example.com';
    expect((await bed.postGenesys(m)).status).toBe(200);
    const [r] = await receipts(1);
    expect(r).toMatchObject({ id: m.id, status: 'Failed' });
    expect(r!.reasons![0]!.message).toMatch(/is not a LINE id/);
    expect(bed.line.requests.filter((x) => x.route === 'push')).toHaveLength(0);
  });

  it('LINE 403 → a Failed receipt with a reason the agent can read', async () => {
    bed.line.faults.add({ route: 'push', status: 403, body: { message: 'Access to this API is not available for your account' } });
    const m = agentMessage('text');
    await bed.postGenesys(m);
    const [r] = await receipts(1);
    expect(r).toMatchObject({ id: m.id, status: 'Failed', isFinalReceipt: true });
    expect(r!.reasons![0]!.message).toMatch(/LINE does not allow/);
  });

  it('LINE 500 then success → delivered once, with the same retry key', async () => {
    bed.line.faults.add({ route: 'push', status: 500 });
    await bed.postGenesys(agentMessage('text'));
    const [r] = await receipts(1);
    expect(r!.status).toBe('Delivered');
    const attempts = bed.line.requests.filter((x) => x.route === 'push');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.headers['x-line-retry-key']).toBe(attempts[1]!.headers['x-line-retry-key']);
    expect(bed.line.pushes).toHaveLength(1);
  });

  it('a dropped connection is retried with the same key and delivered once', async () => {
    bed.line.faults.add({ route: 'push', destroy: true });
    await bed.postGenesys(agentMessage('text'));
    const [r] = await receipts(1);
    expect(r!.status).toBe('Delivered');
    expect(bed.line.pushes).toHaveLength(1);
    const attempts = bed.line.requests.filter((x) => x.route === 'push');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.headers['x-line-retry-key']).toBe(attempts[1]!.headers['x-line-retry-key']);
  });

  it('a customer who blocked the account gets no push and the agent a Failed receipt', async () => {
    await bed.postLine(lineTemplate('unfollow'));
    await until(() => bed.relay.context.store.isBlocked('th', USER), 'the unfollow');
    await bed.postGenesys(agentMessage('text'));
    const [r] = await receipts(1);
    expect(r!.status).toBe('Failed');
    expect(r!.reasons![0]!.message).toMatch(/blocked/);
    expect(bed.line.requests.filter((x) => x.route === 'push')).toHaveLength(0);
  });

  it('the LINE monthly quota (429) fails at once with a Failed receipt', async () => {
    bed.line.faults.add({ route: 'push', status: 429, body: { message: 'You have reached your monthly limit.' } });
    await bed.postGenesys(agentMessage('text'));
    const [r] = await receipts(1);
    expect(r!.status).toBe('Failed');
    expect(r!.reasons![0]!.message).toMatch(/quota/);
  });
});

describe('outbound: which LINE channel', () => {
  it("the integration that sent the reply decides: TW's integration pushes with TW's token", async () => {
    await sendAgentMessage(bed.genesys, { integrationId: CHANNELS.tw.integrationId, to: USER, text: '你好' });
    await receipts(1);
    expect(bed.line.pushes[0]!.channelBotUserId).toBe(CHANNELS.tw.botUserId);
    expect(bed.genesys.receipts[0]!.integrationId).toBe(CHANNELS.tw.integrationId);
  });

  it('the channel can be named in the path', async () => {
    const m = agentMessage('text');
    m.channel.id = CHANNELS.tw.integrationId;
    const res = await bed.postGenesys(m, { path: '/webhook/genesys/tw', secret: CHANNELS.tw.outboundSecret });
    expect(res.status).toBe(200);
    await receipts(1);
    expect(bed.line.pushes[0]!.channelBotUserId).toBe(CHANNELS.tw.botUserId);
  });

  it("a path naming a channel refuses another integration's signature", async () => {
    const res = await bed.postGenesys(agentMessage('text'), { path: '/webhook/genesys/tw', secret: CHANNELS.th.outboundSecret });
    expect(res.status).toBe(401);
  });

  it('records the channel each customer last wrote in on', async () => {
    await bed.postLine(lineTemplate('text', 'tw'), { channel: 'tw' });
    // Recorded once Genesys has answered, so just after the emulator sees the message.
    await until(async () => (await bed.relay.context.store.lastChannel(USER)) === 'tw', 'the last channel to be recorded');
  });
});

describe('the whole round trip', () => {
  it('a LINE sticker in, an agent text and image out, receipts back', async () => {
    await bed.postLine(lineTemplate('sticker'));
    await bed.genesys.waitFor((g) => g.messages.length === 1);
    expect(bed.genesys.messages[0]!.body.text).toBe('[LINE STICKER: Heart, Love, Brown, Cony]');
    const text = await sendAgentMessage(bed.genesys, { integrationId: CHANNELS.th.integrationId, to: USER, text: 'Thank you! Your order ships today.' });
    const image = await sendAgentMessage(bed.genesys, {
      integrationId: CHANNELS.th.integrationId,
      to: USER,
      content: [{ contentType: 'Attachment', attachment: { mediaType: 'Image', url: 'https://cdn.example.test/parcel.jpg', mime: 'image/jpeg', filename: 'parcel.jpg' } }],
    });
    expect([text.status, image.status]).toEqual([200, 200]);
    const rs = await receipts(2);
    expect(rs.map((r) => [r.id, r.status])).toEqual([
      [text.messageId, 'Delivered'],
      [image.messageId, 'Delivered'],
    ]);
    expect(bed.line.pushes.map((p) => (p.messages[0] as any).type)).toEqual(['text', 'image']);
    expect(bed.line.violations).toEqual([]);
    expect(bed.genesys.violations).toEqual([]);
  });
});
