/**
 * A customer's tap on a button an agent (or a bot flow) sent, over real HTTP: Genesys quick reply or card
 * → relay → LINE (a postback action showing the button's text) → the customer taps it → LINE's signed
 * postback webhook → relay → Genesys's structured-response endpoint, answering the agent's message.
 */
import type { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentMessage, lineTemplate, resetBed, startBed, USER, type Bed } from '../helpers/bed.js';

const DAY_MS = 86_400_000;
/** The relay's clock: moved forward by a test to let kept answers expire. */
let clock = Date.now();

let bed: Bed;
beforeAll(async () => {
  bed = await startBed({ env: { LINE_GENESYS_PUBLIC_URL: 'https://relay.example.test', LINE_GENESYS_MEDIA_TTL: '7d' }, now: () => clock });
});
afterAll(() => bed.close());
beforeEach(() => resetBed(bed));

/** Sends the agent's message and returns the LINE messages the customer got (by push or reply). */
async function agentSends(m: { id: string }): Promise<messagingApi.Message[]> {
  expect((await bed.postGenesys(m)).status).toBe(200);
  await bed.genesys.waitFor((g) => g.receipts.some((r) => r.body.id === m.id && r.body.status === 'Delivered'));
  return [...bed.line.pushes, ...bed.line.replies].flatMap((p) => p.messages as messagingApi.Message[]);
}

/** The action of the quick reply button (or flex button) labelled `label`. */
function button(messages: messagingApi.Message[], label: string): messagingApi.Action {
  const actions = messages.flatMap((m) => [
    ...(m.quickReply?.items ?? []).map((i) => i.action),
    ...(m.type === 'flex' ? footerActions(m.contents) : []),
  ]);
  const found = actions.find((a) => a?.label === label);
  if (!found) throw new Error(`no button "${label}" among ${JSON.stringify(actions.map((a) => a?.label))}`);
  return found;
}
function footerActions(c: messagingApi.FlexContainer): messagingApi.Action[] {
  const bubbles = c.type === 'carousel' ? c.contents : [c];
  return bubbles.flatMap((b) => (b.footer?.contents ?? []).flatMap((x) => (x.type === 'button' ? [x.action] : [])));
}

/** LINE's webhook for the customer's tap on a postback action: its data, nothing else (LINE sends no label). */
async function customerTaps(action: messagingApi.Action): Promise<void> {
  expect(action.type).toBe('postback');
  const body = lineTemplate('postback');
  body.events[0].postback = { data: (action as messagingApi.PostbackAction).data };
  expect((await bed.postLine(body)).status).toBe(200);
}

const routes = () => bed.genesys.requests.map((r) => r.route).filter((r) => r.startsWith('inbound-'));

describe('button answers reach Genesys as structured responses', () => {
  it('an agent’s quick reply: the tap answers that message with buttonResponse QuickReply, its label and payload', async () => {
    const m = agentMessage('quick-reply');
    const messages = await agentSends(m);
    const credit = button(messages, 'Store credit') as messagingApi.PostbackAction;
    // The customer's chat shows the tap as their own message.
    expect(credit).toMatchObject({ type: 'postback', label: 'Store credit', displayText: 'Store credit' });
    expect(credit.data!.length).toBeLessThanOrEqual(300);

    await customerTaps(credit);
    await bed.genesys.waitFor((g) => g.structuredResponses.length === 1);
    expect(bed.genesys.structuredResponses[0]!.body).toMatchObject({
      channel: { from: { id: USER, idType: 'Opaque' }, metadata: { customAttributes: { market: 'TH', brand: 'acme', lineChannel: 'th' } } },
      buttonResponse: { type: 'QuickReply', text: 'Store credit', payload: 'refund_credit' },
      originatingMessageId: m.id,
    });
    // The tap went to the structured-response endpoint, not as a text message.
    expect(routes()).toEqual(['inbound-receipt', 'inbound-structured-response']);
    expect(bed.genesys.messages).toEqual([]);
    expect(bed.line.violations).toEqual([]);
    expect(bed.genesys.violations).toEqual([]);
  });

  it('a card button: the tap answers with buttonResponse Button', async () => {
    const m = agentMessage('card');
    const book = button(await agentSends(m), 'Book Now');
    await customerTaps(book);
    await bed.genesys.waitFor((g) => g.structuredResponses.length === 1);
    expect(bed.genesys.structuredResponses[0]!.body).toMatchObject({
      buttonResponse: { type: 'Button', text: 'Book Now', payload: 'book_norway' },
      originatingMessageId: m.id,
    });
    expect(bed.genesys.violations).toEqual([]);
  });

  it('a payload too long for postback data: a short reference goes to LINE, the whole payload to Genesys', async () => {
    const payload = `order:${'TH-20931;'.repeat(50)}`;
    const m = agentMessage('quick-reply', { content: [{ contentType: 'QuickReply', quickReply: { text: 'Yes, that one', payload, action: 'Message' } }] });
    const yes = button(await agentSends(m), 'Yes, that one') as messagingApi.PostbackAction;
    expect(yes.data).toMatch(/^lg1r:[A-Za-z0-9_-]{22}$/);
    expect(yes.displayText).toBe('Yes, that one');

    await customerTaps(yes);
    await bed.genesys.waitFor((g) => g.structuredResponses.length === 1);
    expect(bed.genesys.structuredResponses[0]!.body).toMatchObject({
      buttonResponse: { type: 'QuickReply', text: 'Yes, that one', payload },
      originatingMessageId: m.id,
    });
    expect(bed.genesys.violations).toEqual([]);
  });

  it('a kept answer lasts as long as media (7 days here); a tap after that reaches the agent as text', async () => {
    const payload = `order:${'TH-20931;'.repeat(50)}`;
    const m = agentMessage('quick-reply', { content: [{ contentType: 'QuickReply', quickReply: { text: 'Yes, that one', payload, action: 'Message' } }] });
    const yes = button(await agentSends(m), 'Yes, that one') as messagingApi.PostbackAction;
    clock += 7 * DAY_MS + 1000;
    await customerTaps(yes);
    await bed.genesys.waitFor((g) => g.messages.length === 1);
    expect(bed.genesys.messages[0]!.body.text).toBe(`[POSTBACK] ${yes.data}`);
    expect(bed.genesys.structuredResponses).toEqual([]);
  });

  it('a reference the relay does not keep and a rich menu’s data stay text messages, as before', async () => {
    for (const data of ['lg1r:AbCdEfGhIjKlMnOpQrStUv', 'action=track&order=TH-20931']) {
      await customerTaps({ type: 'postback', label: 'x', data });
    }
    await bed.genesys.waitFor((g) => g.messages.length === 2);
    expect(bed.genesys.messages.map((r) => r.body.text)).toEqual(['[POSTBACK] lg1r:AbCdEfGhIjKlMnOpQrStUv', '[POSTBACK] action=track&order=TH-20931']);
    expect(bed.genesys.structuredResponses).toEqual([]);
  });
});
