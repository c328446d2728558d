/**
 * Quoted messages: when a customer's text quotes an earlier message the relay still knows (the
 * customer's own text, or an agent's, which LINE gave an id in `sentMessages`), the agent's text in
 * Genesys starts with `↪ "<what was quoted>"` and a newline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentMessage, lineTemplate, resetBed, startBed, type Bed } from '../helpers/bed.js';

let shared: Bed;
beforeAll(async () => {
  shared = await startBed();
});
afterAll(async () => {
  await shared?.close();
});
beforeEach(async () => {
  await resetBed(shared);
});

/** The customer writes `text` (quoting `quotedMessageId`); resolves with the text Genesys got and the LINE message id. */
async function customerWrites(text: string, o: { quotedMessageId?: string; fresh?: boolean; on?: Bed } = {}): Promise<{ genesysText: string | undefined; id: string }> {
  const bed = o.on ?? shared;
  const body = lineTemplate('text');
  const event = body.events[0];
  event.message.text = text;
  if (o.quotedMessageId) event.message.quotedMessageId = o.quotedMessageId;
  if (o.fresh) event.timestamp = Date.now();
  const before = bed.genesys.messages.length;
  expect((await bed.postLine(body)).status).toBe(200);
  await bed.genesys.waitFor((g) => g.messages.length > before);
  return { genesysText: bed.genesys.messages.at(-1)!.body.text, id: event.message.id };
}

async function agentAnswers(bed = shared): Promise<void> {
  const m = agentMessage('text');
  expect((await bed.postGenesys(m)).status).toBe(200);
  await bed.genesys.waitFor((g) => g.receipts.some((r) => r.body.id === m.id && r.body.status === 'Delivered'));
}

const AGENT_QUOTE = '↪ "Hello Somchai, thank you for contacting us. Your order #TH-20931 shipped this mo…"';

describe('quoted messages', () => {
  it("a customer's quote of their own earlier text", async () => {
    const first = await customerWrites('สวัสดีครับ อยากสอบถามเรื่องคำสั่งซื้อ');
    const second = await customerWrites('ช่วยตอบหน่อยครับ', { quotedMessageId: first.id });
    expect(second.genesysText).toBe('↪ "สวัสดีครับ อยากสอบถามเรื่องคำสั่งซื้อ"\nช่วยตอบหน่อยครับ');
    expect(first.genesysText).toBe('สวัสดีครับ อยากสอบถามเรื่องคำสั่งซื้อ');
  });

  // An old customer message: its reply token is stale, the answer is pushed; a fresh one: replied.
  it.each([
    { api: 'push', fresh: false },
    { api: 'reply', fresh: true },
  ] as const)("a quote of an agent's message sent by $api (id from LINE's sentMessages), cut at 80 characters", async ({ api, fresh }) => {
    await customerWrites('Where is my order?', { fresh });
    await agentAnswers();
    const [sent, ...more] = api === 'push' ? shared.line.pushes : shared.line.replies;
    expect(more).toEqual([]);
    expect(api === 'push' ? shared.line.replies : shared.line.pushes).toEqual([]);
    const r = await customerWrites('When will it arrive?', { quotedMessageId: sent!.sentMessages[0]!.id });
    expect(r.genesysText).toBe(`${AGENT_QUOTE}\nWhen will it arrive?`);
  });

  it('a quote of a message the relay does not know: the text as it is', async () => {
    const r = await customerWrites('About this one', { quotedMessageId: '468789577898262530' });
    expect(r.genesysText).toBe('About this one');
  });
});

describe('quoted messages after a restart (SQLite)', () => {
  it("the customer's and the agent's texts are still known to the next relay on the same store", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-quotes-'));
    const storePath = join(dir, 'relay.db');
    let first: Bed | undefined = await startBed({ store: 'sqlite', storePath });
    let second: Bed | undefined;
    try {
      const own = await customerWrites('สวัสดีครับ อยากสอบถามเรื่องคำสั่งซื้อ', { on: first });
      await agentAnswers(first);
      const agentId = first.line.pushes[0]!.sentMessages[0]!.id;
      await first.close();
      first = undefined;

      second = await startBed({ store: 'sqlite', storePath });
      expect((await customerWrites('ช่วยตอบหน่อยครับ', { quotedMessageId: own.id, on: second })).genesysText).toBe('↪ "สวัสดีครับ อยากสอบถามเรื่องคำสั่งซื้อ"\nช่วยตอบหน่อยครับ');
      expect((await customerWrites('When will it arrive?', { quotedMessageId: agentId, on: second })).genesysText).toBe(`${AGENT_QUOTE}\nWhen will it arrive?`);
    } finally {
      await first?.close();
      await second?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
