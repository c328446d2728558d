/**
 * LINE → relay → Genesys, over real HTTP: every template, signed and posted, arrives at the fake
 * Genesys as it should (checked there against Genesys's schema); refusals leave Genesys untouched.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendsOf, templateNames } from '../contract/template-outcomes.js';
import { CHANNELS, USER, lineTemplate, startBed, until, type Bed } from '../helpers/bed.js';

const templates = templateNames('line');
const IMAGE_BYTES = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 0xff, 0xd9]);

let bed: Bed;
beforeAll(async () => {
  bed = await startBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.genesys.reset();
  bed.line.reset();
});

function provideContent(body: { events: any[] }) {
  for (const e of body.events) {
    const m = e.message;
    if (m && ['image', 'video', 'audio', 'file'].includes(m.type) && m.contentProvider?.type !== 'external') {
      const type = { image: 'image/jpeg', video: 'video/mp4', audio: 'audio/mp4', file: 'application/pdf' }[m.type as 'image'];
      bed.line.setContent(m.id, { body: IMAGE_BYTES, contentType: type });
    }
  }
}

describe('inbound: every LINE template reaches Genesys as it should', () => {
  it.each(templates)('%s', async (name) => {
    const body = lineTemplate(name);
    provideContent(body);
    // What should reach Genesys: one message per event the table of outcomes marks "send".
    const expected = sendsOf(name);
    const res = await bed.postLine(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: body.events.length, duplicates: 0 });
    await until(async () => { const c = await bed.relay.context.store.counts(); return c.pending + c.running === 0; }, 'the queue to drain');
    expect(bed.genesys.violations).toEqual([]);
    expect(bed.line.violations).toEqual([]);
    expect(bed.genesys.messages).toHaveLength(expected);
    for (const m of bed.genesys.messages) {
      expect(m.integrationId).toBe(CHANNELS.th.integrationId);
      expect(m.body.channel.metadata?.customAttributes).toMatchObject({ market: 'TH', brand: 'acme', lineChannel: 'th' });
    }
    expect((await bed.relay.context.store.counts()).dead).toBe(0);
  });
});

describe('inbound: content', () => {
  it('text carries the profile name, market and brand', async () => {
    await bed.postLine(lineTemplate('text'));
    await bed.genesys.waitFor((g) => g.messages.length === 1);
    const m = bed.genesys.messages[0]!.body;
    expect(m.text).toBe('สวัสดีครับ อยากสอบถามเรื่องคำสั่งซื้อ');
    expect(m.channel.messageId).toMatch(/^\d{18}$/);
    expect(m.channel.time).toBe(new Date(1732435200000).toISOString());
    expect(m.channel.from).toEqual({ id: USER, idType: 'Opaque', nickname: 'Somchai', firstName: 'Somchai', image: 'https://profile.line-scdn.net/abc' });
    expect(m.channel.metadata?.customAttributes).toEqual({ market: 'TH', brand: 'acme', lineChannel: 'th', language: 'th' });
    expect(m).not.toHaveProperty('metadata');
  });

  it('a sticker becomes readable text plus the sticker image', async () => {
    await bed.postLine(lineTemplate('sticker'));
    await bed.genesys.waitFor((g) => g.messages.length === 1);
    const m = bed.genesys.messages[0]!.body;
    expect(m.text).toBe('[LINE STICKER: Heart, Love, Brown, Cony]');
    expect(m.content).toEqual([
      { attachment: { mediaType: 'Image', url: 'https://stickershop.line-scdn.net/stickershop/v1/sticker/1988/android/sticker.png', mime: 'image/png', filename: 'sticker-1988.png' } },
    ]);
  });

  it('a location becomes text with a maps link', async () => {
    await bed.postLine(lineTemplate('location'));
    await bed.genesys.waitFor((g) => g.messages.length === 1);
    expect(bed.genesys.messages[0]!.body.text).toBe(
      'Siam Paragon\n991 Rama I Rd, Pathum Wan, Bangkok 10330, Thailand\nhttps://www.google.com/maps/search/?api=1&query=13.746264,100.534871',
    );
  });

  it('an image is fetched from LINE at once and served by the relay under an unguessable URL', async () => {
    const body = lineTemplate('image');
    provideContent(body);
    await bed.postLine(body);
    await bed.genesys.waitFor((g) => g.messages.length === 1);
    const att = bed.genesys.messages[0]!.body.content![0]!.attachment;
    expect(att.mediaType).toBe('Image');
    expect(att.mime).toBe('image/jpeg');
    expect(att.url).toMatch(new RegExp(`^${bed.url}/media/[A-Za-z0-9_-]{32}$`));
    const served = await fetch(att.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(IMAGE_BYTES);
    expect((await fetch(`${bed.url}/media/${'x'.repeat(32)}`)).status).toBe(404);
    expect(bed.line.requests.filter((r) => r.route === 'content')).toHaveLength(1);
  });

  it('a file keeps its name', async () => {
    const body = lineTemplate('file');
    provideContent(body);
    await bed.postLine(body);
    await bed.genesys.waitFor((g) => g.messages.length === 1);
    expect(bed.genesys.messages[0]!.body.content![0]!.attachment).toMatchObject({ mediaType: 'File', filename: 'receipt.pdf', mime: 'application/pdf' });
  });

  it('content LINE no longer has (410) still reaches the agent as a placeholder, not lost', async () => {
    const body = lineTemplate('image');
    bed.line.setContent(body.events[0].message.id, { body: Buffer.alloc(0), contentType: 'image/jpeg', gone: true });
    await bed.postLine(body);
    await bed.genesys.waitFor((g) => g.messages.length === 1);
    expect(bed.genesys.messages[0]!.body.text).toMatch(/LINE image: content could not be fetched/);
  });

  it('a postback shows its data', async () => {
    await bed.postLine(lineTemplate('postback'));
    await bed.genesys.waitFor((g) => g.messages.length === 1);
    expect(bed.genesys.messages[0]!.body.text).toBe('[POSTBACK] action=track&order=TH-20931');
  });

  it('a redelivered event is not relayed twice', async () => {
    const first = lineTemplate('text');
    await bed.postLine(first);
    const redelivered = lineTemplate('text-redelivered', 'th', true);
    redelivered.events[0].webhookEventId = first.events[0].webhookEventId;
    redelivered.events[0].message.id = first.events[0].message.id;
    const again = await bed.postLine(redelivered);
    expect(again.body).toEqual({ accepted: 0, duplicates: 1 });
    await bed.genesys.waitFor((g) => g.messages.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(bed.genesys.requests.filter((r) => r.route === 'inbound-message')).toHaveLength(1);
  });

  it('the Taiwan channel is found by destination and routed with its own market', async () => {
    const body = lineTemplate('text', 'tw');
    await bed.postLine(body, { channel: 'tw' });
    await bed.genesys.waitFor((g) => g.messages.length === 1);
    expect(bed.genesys.messages[0]!.integrationId).toBe(CHANNELS.tw.integrationId);
    expect(bed.genesys.messages[0]!.body.channel.metadata?.customAttributes).toMatchObject({ market: 'TW', brand: 'acme-tw', lineChannel: 'tw' });
  });

  it('the channel can be named in the path', async () => {
    const body = lineTemplate('text', 'tw');
    body.destination = 'U00000000000000000000000000000000';
    const res = await bed.postLine(body, { channel: 'tw', path: '/webhook/line/tw' });
    expect(res.status).toBe(200);
    await bed.genesys.waitFor((g) => g.messages.length === 1);
    expect(bed.genesys.messages[0]!.integrationId).toBe(CHANNELS.tw.integrationId);
  });
});

describe('inbound: refusals reach nothing', () => {
  /** Checked in the test that refused: the log was reset only before it (top-level beforeEach). */
  async function nothingReachedGenesys() {
    await until(async () => { const c = await bed.relay.context.store.counts(); return c.pending + c.running === 0; }, 'the queue to drain');
    await new Promise((r) => setTimeout(r, 150));
    expect(bed.genesys.requests.filter((r) => r.route.startsWith('inbound'))).toEqual([]);
  }

  it('answers 200 to the console Verify button (no events)', async () => {
    const res = await bed.postLine(lineTemplate('verify-empty'));
    expect(res).toEqual({ status: 200, body: { accepted: 0, duplicates: 0 } });
    await nothingReachedGenesys();
  });

  it('a wrong signature is 401', async () => {
    const res = await bed.postLine(lineTemplate('text'), { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('signature_invalid');
    await nothingReachedGenesys();
  });

  it('a missing signature is 401', async () => {
    const res = await bed.postLine(lineTemplate('text'), { signature: null });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('signature_missing');
    await nothingReachedGenesys();
  });

  it("a body signed with another channel's secret is 401", async () => {
    const res = await bed.postLine(lineTemplate('text', 'th'), { secret: CHANNELS.tw.secret });
    expect(res.status).toBe(401);
    await nothingReachedGenesys();
  });

  it('a body changed after signing is 401', async () => {
    const raw = JSON.stringify(lineTemplate('text'));
    const { signLine } = await import('../../src/signature.js');
    const sig = signLine(raw, CHANNELS.th.secret);
    const res = await bed.postLine(raw.replace('สวัสดี', 'hello'), { signature: sig });
    expect(res.status).toBe(401);
    await nothingReachedGenesys();
  });

  it('malformed JSON, correctly signed, is 400', async () => {
    const res = await bed.postLine('{"destination": "U0f3c9a1b2c3d4e5f60718293a4b5c6d7", "events": [', {});
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('malformed_json');
    await nothingReachedGenesys();
  });

  it('a body without events is 400', async () => {
    const res = await bed.postLine({ destination: CHANNELS.th.botUserId, events: 'no' });
    expect(res.status).toBe(400);
    await nothingReachedGenesys();
  });

  it('a body over 1 MB is 413', async () => {
    const body = lineTemplate('text');
    body.events[0].message.text = 'x'.repeat(1_100_000);
    const res = await bed.postLine(body);
    expect(res.status).toBe(413);
    await nothingReachedGenesys();
  });

  it('an unknown channel in the path is answered 401 like a wrong signature (ids cannot be probed)', async () => {
    const res = await bed.postLine(lineTemplate('text'), { path: '/webhook/line/jp' });
    expect(res).toEqual({ status: 401, body: { error: 'signature_invalid', message: 'x-line-signature does not match channel "jp"' } });
    await nothingReachedGenesys();
  });

  it('GET on a webhook is 405, an unknown path 404', async () => {
    expect((await fetch(`${bed.url}/webhook/line`)).status).toBe(405);
    expect((await fetch(`${bed.url}/nope`)).status).toBe(404);
    await nothingReachedGenesys();
  });
});

describe('inbound: follow and unfollow are recorded, not sent', () => {
  it('records an unfollow so the customer is known to have blocked the account', async () => {
    await bed.postLine(lineTemplate('unfollow'));
    await until(() => bed.relay.context.store.isBlocked('th', USER), 'the unfollow to be recorded');
    await bed.postLine(lineTemplate('follow'));
    await until(async () => !(await bed.relay.context.store.isBlocked('th', USER)), 'the follow to be recorded');
    expect(bed.genesys.messages).toHaveLength(0);
  });
});

describe('health and metrics', () => {
  it('/healthz and /readyz say ok and name nothing (relay.healthDetail is off), /metrics in Prometheus text', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const res = await fetch(`${bed.url}${path}`);
      expect({ path, status: res.status, body: await res.json() }).toEqual({ path, status: 200, body: { status: 'ok' } });
    }
    const m = await (await fetch(`${bed.url}/metrics`)).text();
    expect(m).toMatch(/line_genesys_webhooks_total\{source="line",result="200"\} \d+/);
    expect(m).toMatch(/line_genesys_queue_jobs\{state="pending"\} 0/);
  });
});
