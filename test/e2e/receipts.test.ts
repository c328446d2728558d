/**
 * Every way an agent's message fails ends in a Failed receipt whose reason is one of Genesys's
 * ConversationReason codes, with a message the agent can act on, over real HTTP between the
 * emulators. The Genesys emulator checks each receipt against Genesys's models.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentMessage, CHANNELS, USER, lineTemplate, resetBed, startBed, until, type Bed } from '../helpers/bed.js';

let bed: Bed;
beforeAll(async () => {
  bed = await startBed();
});
afterAll(() => bed.close());
beforeEach(async () => {
  await resetBed(bed);
  bed.line.setQuota(CHANNELS.th.botUserId, { limit: null });
});

/** The one receipt of `message`, once the relay has sent it; the emulator found nothing wrong with it. */
async function receiptOf(b: Bed, message: { id: string }, timeoutMs = 5000) {
  await b.genesys.waitFor((g) => g.receipts.some((r) => r.body.id === message.id), timeoutMs);
  expect(b.genesys.violations).toEqual([]);
  const found = b.genesys.receipts.filter((r) => r.body.id === message.id);
  expect(found).toHaveLength(1);
  expect(found[0]!.body).toMatchObject({ status: 'Failed', isFinalReceipt: true });
  return found[0]!.body.reasons!;
}

describe('a Failed receipt says why, in Genesys’s codes', () => {
  it('a customer who blocked the account: RecipientOptedOut, nothing pushed', async () => {
    await bed.postLine(lineTemplate('unfollow'));
    await until(() => bed.relay.context.store.isBlocked('th', USER), 'the unfollow');
    const m = agentMessage('text');
    await bed.postGenesys(m);
    expect(await receiptOf(bed, m)).toEqual([
      { code: 'RecipientOptedOut', message: 'The customer has blocked this LINE account: LINE accepts the message but does not deliver it. It was not sent.' },
    ]);
    expect(bed.line.pushRequests).toEqual([]);
  });

  it('LINE’s monthly limit: RateLimited at once, one push tried, the quota named', async () => {
    bed.line.setQuota(CHANNELS.th.botUserId, { limit: 10, totalUsage: 10 });
    const m = agentMessage('text');
    await bed.postGenesys(m);
    expect(await receiptOf(bed, m)).toEqual([
      {
        code: 'RateLimited',
        message:
          "The LINE account has used its monthly message quota: the message was not sent. The LINE account's administrator can raise the plan, or it resets next month.",
      },
    ]);
    // Done with, not waiting for a retry: one push was tried in all.
    await until(async () => {
      const c = await bed.relay.context.store.counts();
      return c.pending + c.running === 0;
    }, 'the job to finish');
    expect(bed.line.pushRequests.map((p) => p.status)).toEqual([429]);
  });

  it('a recipient that is no LINE id: InvalidDestination, nothing pushed', async () => {
    const m = agentMessage('text');
    m.channel.to.id = 'customer@example.com';
    await bed.postGenesys(m);
    expect(await receiptOf(bed, m)).toEqual([
      { code: 'InvalidDestination', message: 'Not sent: recipient "customer@example.com" is not a LINE id (U, C or R followed by 32 hex digits).' },
    ]);
    expect(bed.line.pushRequests).toEqual([]);
  });

  const imageUrl = 'https://api.mypurecloud.com/api/v2/downloads/7b3f0c2e9d4a5b6c?issuedAtMillis=1741944160118&filename=receipt.png';
  // What LINE answers (status, body), what the agent sent (template, patch), and the one reason the agent gets.
  it.each([
    {
      what: 'a recipient LINE refuses (400 naming `to`): InvalidDestination',
      status: 400,
      body: { message: 'The property, to, in the request body is invalid (line: -, column: -)' },
      sent: ['text', {}],
      code: 'InvalidDestination',
      message:
        'LINE refused the recipient of this message: the customer cannot be reached on this LINE account. LINE said: The property, to, in the request body is invalid (line: -, column: -)',
    },
    {
      what: 'a message LINE rejects (400): InvalidMessageStructure with what LINE said',
      status: 400,
      body: { message: 'Failed to send messages' },
      sent: ['text', {}],
      code: 'InvalidMessageStructure',
      message: 'LINE refused the message as invalid. LINE said: Failed to send messages',
    },
    {
      what: 'a sticker LINE rejects (400): InvalidMessageStructure naming the sticker code and LINE’s list',
      status: 400,
      body: { message: 'Failed to send messages' },
      sent: ['text', { text: '[sticker 446/99999999]' }],
      code: 'InvalidMessageStructure',
      message: "LINE refused the sticker [sticker 446/99999999]: only stickers on LINE's sticker list can be sent (https://developers.line.biz/en/docs/messaging-api/sticker-list/).",
    },
    {
      what: 'a message too large for LINE (413): InvalidMediaContentLength',
      status: 413,
      body: { message: 'Request Entity Too Large' },
      sent: ['text', {}],
      code: 'InvalidMediaContentLength',
      message: 'The message is too large for LINE: a push carries at most 2 MB. Send it in shorter parts.',
    },
    {
      what: 'media LINE cannot show (400 naming the image): MediaTypeNotAllowed with its URL',
      status: 400,
      body: { message: 'The request body has 1 error(s)', details: [{ message: 'Invalid image url', property: 'messages[0].originalContentUrl' }] },
      sent: ['image', {}],
      code: 'MediaTypeNotAllowed',
      message: `LINE refused the image ${imageUrl}: LINE shows images as JPEG or PNG, videos as MP4 and audio as M4A or MP3, from an HTTPS URL. LINE said: The request body has 1 error(s); messages[0].originalContentUrl: Invalid image url`,
    },
    {
      what: 'anything else LINE refuses for good (403): GeneralError',
      status: 403,
      body: { message: 'Access to this API is not available for your account' },
      sent: ['text', {}],
      code: 'GeneralError',
      message: "LINE does not allow sending this message to the customer (the account's plan or permissions).",
    },
  ] as const)('$what', async ({ status, body, sent, code, message }) => {
    bed.line.faults.add({ route: 'push', status, body });
    const m = agentMessage(sent[0], sent[1]);
    await bed.postGenesys(m);
    expect(await receiptOf(bed, m)).toEqual([{ code, message }]);
    // Refused for good: tried once, not retried.
    expect(bed.line.pushRequests.map((p) => p.status)).toEqual([status]);
  });

  it('a message with nothing LINE can show (DatePicker, Notification): UnsupportedMessage naming them, nothing pushed', async () => {
    const content = [
      { contentType: 'DatePicker', datePicker: { title: 'When shall we call?' } },
      { contentType: 'Notification', template: { text: { body: 'Your order shipped' } } },
    ];
    const m = agentMessage('text', { type: 'Structured', text: undefined, content });
    await bed.postGenesys(m);
    expect(await receiptOf(bed, m)).toEqual([
      {
        code: 'UnsupportedMessage',
        message: 'Not sent: LINE cannot show DatePicker, Notification, and the message held nothing else. Send it as text, quick replies or a card instead.',
      },
    ]);
    expect(bed.line.pushRequests).toEqual([]);
  });

  it('text beside a DatePicker: the text is pushed, and the Delivered receipt says the DatePicker was not sent', async () => {
    const content = [{ contentType: 'DatePicker', datePicker: { title: 'When shall we call?' } }];
    const m = agentMessage('text', { type: 'Structured', text: 'Pick a time, please', content });
    await bed.postGenesys(m);
    await bed.genesys.waitFor((g) => g.receipts.some((r) => r.body.id === m.id));
    expect(bed.genesys.violations).toEqual([]);
    expect(bed.line.pushes.at(-1)!.messages).toEqual([{ type: 'text', text: 'Pick a time, please' }]);
    const found = bed.genesys.receipts.filter((r) => r.body.id === m.id);
    expect(found.map((r) => [r.body.status, r.body.reasons])).toEqual([
      ['Delivered', [{ code: 'UnsupportedMessage', message: 'Delivered without DatePicker: LINE cannot show it. Send it as text, quick replies or a card instead.' }]],
    ]);
  });

  it('an organisation refusing the note on a Delivered receipt (400) gets the receipt again without it', async () => {
    bed.genesys.faults.add({ route: 'inbound-receipt', status: 400, times: 1 });
    const content = [{ contentType: 'DatePicker', datePicker: { title: 'When shall we call?' } }];
    const m = agentMessage('text', { type: 'Structured', text: 'Pick a time, please', content });
    await bed.postGenesys(m);
    await bed.genesys.waitFor((g) => g.receipts.some((r) => r.body.id === m.id && r.body.reasons === undefined));
    const found = bed.genesys.receipts.filter((r) => r.body.id === m.id);
    expect(found.map((r) => [r.body.status, r.body.reasons])).toEqual([['Delivered', undefined]]);
    // Pushed once: the refused receipt did not send the message again.
    expect(bed.line.pushes.filter((p) => JSON.stringify(p.messages).includes('Pick a time, please'))).toHaveLength(1);
  });

  it('the customer’s own button answer echoed back is no message: no receipt', async () => {
    const echo = agentMessage('text', { type: 'Structured', text: undefined, content: [{ contentType: 'ButtonResponse', buttonResponse: { type: 'QuickReply', text: 'Yes', payload: 'yes' } }] });
    await bed.postGenesys(echo);
    const after = agentMessage('text');
    await bed.postGenesys(after);
    await bed.genesys.waitFor((g) => g.receipts.some((r) => r.body.id === after.id));
    expect(bed.genesys.receipts.map((r) => r.body.id)).toEqual([after.id]);
  });
});

describe('still failing at the dead-letter deadline', () => {
  let late: Bed | undefined;
  afterAll(() => late?.close());

  it('LINE answering 503 until relay.deadLetterAfter: ServerError with the last error, after several tries', async () => {
    late = await startBed({ deadLetterAfter: '300ms' });
    late.line.faults.add({ route: 'push', status: 503, times: Infinity, body: { message: 'Service Unavailable' } });
    const m = agentMessage('text');
    await late.postGenesys(m);
    expect(await receiptOf(late, m)).toEqual([
      {
        code: 'ServerError',
        message: 'The relay could not deliver this message to LINE within 300 ms and gave up; send it again. Last error: LINE push failed: HTTP 503 — Service Unavailable',
      },
    ]);
    expect(late.line.pushRequests.length).toBeGreaterThan(1);
    expect(late.line.pushes).toEqual([]);
  });
});

describe('nothing an agent offers is cut', () => {
  it('15 quick replies and a card with 5 actions reach LINE whole, and the receipt says Delivered', async () => {
    const options = Array.from({ length: 15 }, (_, i) => ({ contentType: 'QuickReply', quickReply: { text: `Option ${i + 1}`, payload: `opt_${i + 1}`, action: 'Message' } }));
    const actions = Array.from({ length: 5 }, (_, i) => ({ type: 'Postback', text: `Size ${i + 1}`, payload: `size_${i + 1}` }));
    const m = agentMessage('text', { type: 'Structured', text: 'Pick one', content: [{ contentType: 'Card', card: { title: 'Sizes', actions } }, ...options] });
    await bed.postGenesys(m);
    await bed.genesys.waitFor((g) => g.receipts.some((r) => r.body.id === m.id));
    expect(bed.genesys.receipts.map((r) => r.body.status)).toEqual(['Delivered']);
    expect(bed.line.violations).toEqual([]);
    const sent = bed.line.pushes.flatMap((p) => p.messages) as any[];
    expect(sent.map((x) => x.type)).toEqual(['text', 'flex', 'text']);
    // Each button's postback data answers this message (README, Button answers): card buttons are "B".
    expect(sent[1].contents.footer.contents.map((b: any) => b.action.data)).toEqual([1, 2, 3, 4, 5].map((n) => `lg1:["${m.id}","B","Size ${n}","size_${n}"]`));
    expect(sent[2].text).toBe('More options (reply with one):\n• Option 14\n• Option 15');
    expect(sent[2].quickReply.items).toHaveLength(13);
  });
});
