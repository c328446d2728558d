/**
 * The closing figure of free replies: a day of 1,000 conversations in which an Architect bot answers
 * each customer's first message within 2 s and an agent answers minutes later. The bot's answers ride
 * the customers' reply tokens (free); the agents' go by push (counted against the quota).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHANNELS, genesysTemplate, lineTemplate, startBed, type Bed } from '../helpers/bed.js';

const CONVERSATIONS = 1_000;
/** Conversations in flight at once: a busy hour's worth, bounded so the test stays on loopback's scale. */
const AT_ONCE = 50;

let bed: Bed;
beforeAll(async () => {
  bed = await startBed();
});
afterAll(() => bed.close());

/** A customer id of LINE's shape, one per conversation. */
const customer = (i: number) => `U${i.toString(16).padStart(32, '0')}`;

function answer(userId: string, text: string) {
  const m = genesysTemplate('text');
  m.id = randomUUID().replace(/-/g, '');
  m.channel.id = CHANNELS.th.integrationId;
  m.channel.messageId = m.id;
  m.channel.to.id = userId;
  m.text = text;
  return m;
}

async function conversation(i: number): Promise<void> {
  const userId = customer(i);
  const body = lineTemplate('text');
  const event = body.events[0];
  event.source.userId = userId;
  // The bot answers 2 s after the customer wrote; the agent, 3 minutes after.
  event.timestamp = Date.now() - 2_000;
  expect((await bed.postLine(body)).status).toBe(200);
  await bed.genesys.waitFor((g) => g.messages.some((m) => m.body.channel.from.id === userId), 30_000);
  expect((await bed.postGenesys(answer(userId, 'Hello! A bot here: an agent will be with you shortly.'))).status).toBe(200);
  expect((await bed.postGenesys(answer(userId, 'Hello, this is Nok from customer care. How can I help?'))).status).toBe(200);
}

it(`a day of ${CONVERSATIONS} conversations: the bot's first answers go free, the agents' are pushed`, { timeout: 120_000 }, async () => {
  for (let start = 0; start < CONVERSATIONS; start += AT_ONCE) {
    await Promise.all(Array.from({ length: Math.min(AT_ONCE, CONVERSATIONS - start) }, (_, k) => conversation(start + k)));
  }
  await bed.genesys.waitFor((g) => g.receipts.length >= 2 * CONVERSATIONS, 60_000);
  expect(bed.genesys.receipts.filter((r) => r.body.status === 'Delivered')).toHaveLength(2_000);
  expect(bed.line.replies).toHaveLength(1_000);
  expect(bed.line.pushes).toHaveLength(1_000);
  expect(bed.line.quotaUsage(CHANNELS.th.botUserId)).toBe(1_000);
});
