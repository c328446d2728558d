/**
 * Free replies and read marks, over real HTTP: an answer that comes while the customer's reply token
 * is fresh goes by LINE's reply API (no quota), a later one by push; a token LINE calls invalid falls
 * back to push; an answer marks the customer's message read (or Genesys's acceptance does, or nothing).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, USER, genesysTemplate, lineTemplate, startBed, until, type Bed } from '../helpers/bed.js';

const TH_BOT = CHANNELS.th.botUserId;

/** A customer's text message on the TH channel, sent `ageMs` ago by LINE's clock. */
function customerText(ageMs: number, markAsReadToken = `mr-${randomUUID()}`) {
  const body = lineTemplate('text');
  const event = body.events[0];
  event.timestamp = Date.now() - ageMs;
  event.message.markAsReadToken = markAsReadToken;
  return { body, replyToken: event.replyToken as string, markAsReadToken };
}

/** An agent's (or an Architect bot's) message from the TH integration. */
function agentMessage(name = 'text') {
  const m = genesysTemplate(name);
  m.id = randomUUID().replace(/-/g, '');
  m.channel.id = CHANNELS.th.integrationId;
  m.channel.messageId = m.id;
  m.channel.to.id = USER;
  return m;
}

/** The customer writes in and Genesys accepts it. */
async function customerWrites(bed: Bed, msg: ReturnType<typeof customerText>) {
  const before = bed.genesys.messages.length;
  expect((await bed.postLine(msg.body)).status).toBe(200);
  await bed.genesys.waitFor((g) => g.messages.length > before);
}

/** The agent answers; resolves with the receipt Genesys got. */
async function agentAnswers(bed: Bed, m = agentMessage()) {
  expect((await bed.postGenesys(m)).status).toBe(200);
  await bed.genesys.waitFor((g) => g.receipts.some((r) => r.body.id === m.id));
  return bed.genesys.receipts.filter((r) => r.body.id === m.id).map((r) => r.body);
}

async function metric(bed: Bed, api: 'reply' | 'push'): Promise<number> {
  const text = await (await fetch(`${bed.url}/metrics`)).text();
  return Number(new RegExp(`^line_genesys_line_messages_total\\{api="${api}",channel="th"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

const routes = (bed: Bed, route: string) => bed.line.requests.filter((r) => r.route === route);

const beds: Bed[] = [];
afterAll(async () => {
  await Promise.all(beds.splice(0).map((b) => b.close()));
});
/** A bed with these chat settings (environment variables), closed after the file's tests. */
async function bedWith(env: Record<string, string> = {}): Promise<Bed> {
  const bed = await startBed({ env });
  beds.push(bed);
  return bed;
}

describe('replies: relay.reply "first" (the default)', () => {
  let bed: Bed;
  beforeAll(async () => {
    bed = await bedWith();
  });
  beforeEach(() => {
    bed.genesys.reset();
    bed.line.reset();
  });

  it('a bot-style answer 2 s after the customer’s message goes by reply: no push, no quota', async () => {
    const msg = customerText(2_000);
    await customerWrites(bed, msg);
    const m = agentMessage();
    const [receipt, ...more] = await agentAnswers(bed, m);
    expect(receipt).toMatchObject({ id: m.id, status: 'Delivered' });
    expect(more).toEqual([]);
    expect(bed.line.replies).toHaveLength(1);
    expect(bed.line.replies[0]).toMatchObject({ replyToken: msg.replyToken, to: USER, channelBotUserId: TH_BOT, messages: [{ type: 'text', text: m.text }] });
    expect(bed.line.pushes).toEqual([]);
    expect(bed.line.quotaUsage(TH_BOT)).toBe(0);
    expect(await metric(bed, 'reply')).toBe(1);
    expect(bed.line.violations).toEqual([]);
  });

  it('an answer 3 minutes after the customer’s message goes by push, without trying the token', async () => {
    await customerWrites(bed, customerText(180_000));
    const pushesBefore = await metric(bed, 'push');
    const [receipt] = await agentAnswers(bed);
    expect(receipt).toMatchObject({ status: 'Delivered' });
    expect(bed.line.pushes).toHaveLength(1);
    expect(routes(bed, 'reply')).toEqual([]);
    expect(bed.line.quotaUsage(TH_BOT)).toBe(1);
    expect(await metric(bed, 'push')).toBe(pushesBefore + 1);
  });

  it('a token LINE calls invalid (expired on its clock) falls back to push: the message once, nothing lost', async () => {
    const msg = customerText(1_000);
    await customerWrites(bed, msg);
    bed.line.issueReplyToken(msg.replyToken, { channel: TH_BOT, userId: USER, at: Date.now() - 120_000 });
    const m = agentMessage();
    const receipts = await agentAnswers(bed, m);
    expect(receipts).toEqual([expect.objectContaining({ id: m.id, status: 'Delivered' })]);
    expect(routes(bed, 'reply').map((r) => r.status)).toEqual([400]);
    expect(bed.line.replies).toEqual([]);
    expect(bed.line.pushes).toHaveLength(1);
    expect(bed.line.pushes[0]!.messages).toEqual([{ type: 'text', text: m.text }]);
  });

  it('a token is used once: the second answer goes by push', async () => {
    await customerWrites(bed, customerText(1_000));
    await agentAnswers(bed);
    await agentAnswers(bed);
    expect(bed.line.replies).toHaveLength(1);
    expect(bed.line.pushes).toHaveLength(1);
    expect(routes(bed, 'reply')).toHaveLength(1);
  });

  it('a message split over several requests uses the token for the first only', async () => {
    const msg = customerText(1_000);
    await customerWrites(bed, msg);
    const m = agentMessage('many-attachments');
    await agentAnswers(bed, m);
    expect(bed.line.replies).toHaveLength(1);
    expect(bed.line.replies[0]!.messages).toHaveLength(5);
    expect(bed.line.pushes.length).toBeGreaterThanOrEqual(1);
    expect(bed.line.pushes.every((p) => p.retryKey)).toBe(true);
  });

  it('a reply whose answer never comes is not pushed again: a possible loss, never a duplicate', async () => {
    await customerWrites(bed, customerText(1_000));
    bed.line.faults.add({ route: 'reply', destroy: true });
    const m = agentMessage();
    const receipts = await agentAnswers(bed, m);
    expect(receipts).toEqual([expect.objectContaining({ id: m.id, status: 'Delivered' })]);
    expect(routes(bed, 'reply')).toHaveLength(1);
    expect(bed.line.pushes).toEqual([]);
  });
});

describe('replies: relay.reply "never"', () => {
  it('pushes even while the token is fresh, and a cut connection is retried with the same retry key', async () => {
    const bed = await bedWith({ LINE_GENESYS_REPLY: 'never' });
    await customerWrites(bed, customerText(1_000));
    bed.line.faults.add({ route: 'push', destroy: true });
    const m = agentMessage();
    const receipts = await agentAnswers(bed, m);
    expect(receipts).toEqual([expect.objectContaining({ id: m.id, status: 'Delivered' })]);
    expect(routes(bed, 'reply')).toEqual([]);
    expect(bed.line.pushes).toHaveLength(1);
    const keys = bed.line.pushRequests.map((p) => p.retryKey);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
  });
});

describe('replies: relay.replyFreshness', () => {
  it('a token older than the setting is not used, one younger is', async () => {
    const bed = await bedWith({ LINE_GENESYS_REPLY_FRESHNESS: '5s' });
    await customerWrites(bed, customerText(6_000));
    await agentAnswers(bed);
    expect(bed.line.pushes).toHaveLength(1);
    expect(routes(bed, 'reply')).toEqual([]);
    await customerWrites(bed, customerText(4_000));
    await agentAnswers(bed);
    expect(bed.line.replies).toHaveLength(1);
  });
});

describe('read marks: relay.markAsRead', () => {

  it('"agent-reply" (the default): marked read when the answer is delivered, with the latest message’s token, once', async () => {
    const bed = await bedWith();
    await customerWrites(bed, customerText(180_000, 'mr-first'));
    await customerWrites(bed, customerText(120_000, 'mr-latest'));
    expect(bed.line.marksAsRead).toEqual([]);
    await agentAnswers(bed);
    expect(bed.line.marksAsRead).toEqual([expect.objectContaining({ markAsReadToken: 'mr-latest', channelBotUserId: TH_BOT })]);
    await agentAnswers(bed);
    expect(bed.line.marksAsRead).toHaveLength(1);
  });

  it('"delivered": marked read as soon as Genesys accepts the message', async () => {
    const bed = await bedWith({ LINE_GENESYS_MARK_AS_READ: 'delivered' });
    await customerWrites(bed, customerText(180_000, 'mr-in'));
    await until(() => bed.line.marksAsRead.length > 0, 'a mark as read');
    expect(bed.line.marksAsRead).toEqual([expect.objectContaining({ markAsReadToken: 'mr-in' })]);
    await agentAnswers(bed);
    expect(bed.line.marksAsRead).toHaveLength(1);
  });

  it('"off": never marked read', async () => {
    const bed = await bedWith({ LINE_GENESYS_MARK_AS_READ: 'off' });
    await customerWrites(bed, customerText(180_000));
    await agentAnswers(bed);
    expect(routes(bed, 'mark-as-read')).toEqual([]);
  });

  it('a mark LINE refuses never fails the delivery', async () => {
    const bed = await bedWith();
    await customerWrites(bed, customerText(180_000));
    bed.line.faults.add({ route: 'mark-as-read', status: 400, body: { message: 'Invalid markAsReadToken' } });
    const [receipt, ...more] = await agentAnswers(bed);
    expect(receipt).toMatchObject({ status: 'Delivered' });
    expect(more).toEqual([]);
    expect(routes(bed, 'mark-as-read').map((r) => r.status)).toEqual([400]);
    expect(bed.line.pushes).toHaveLength(1);
  });
});
