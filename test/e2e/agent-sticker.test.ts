/**
 * An agent's sticker code, over real HTTP: Genesys → relay → the LINE emulator as a sticker message,
 * and what the agent is told when LINE refuses the sticker.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, USER, genesysTemplate, startBed, type Bed } from '../helpers/bed.js';

let bed: Bed;
beforeAll(async () => {
  bed = await startBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.genesys.reset();
  bed.line.reset();
});

function agentText(text: string) {
  const m = genesysTemplate('text');
  m.id = randomUUID().replace(/-/g, '');
  m.channel.id = CHANNELS.th.integrationId;
  m.channel.messageId = m.id;
  m.channel.to.id = USER;
  m.text = text;
  return m;
}

async function receipt() {
  await bed.genesys.waitFor((g) => g.receipts.length >= 1);
  return bed.genesys.receipts[0]!.body;
}

describe('an agent sends a sticker by its code', () => {
  it('[sticker 446/1988] arrives on LINE as a sticker message, and Genesys hears Delivered', async () => {
    const m = agentText('[sticker 446/1988]');
    expect((await bed.postGenesys(m)).status).toBe(200);
    expect(await receipt()).toMatchObject({ id: m.id, status: 'Delivered' });
    expect(bed.line.pushes.map((p) => p.messages)).toEqual([[{ type: 'sticker', packageId: '446', stickerId: '1988' }]]);
    expect(bed.line.violations).toEqual([]);
  });

  it('a code inside a sentence arrives as that sentence', async () => {
    await bed.postGenesys(agentText('Send [sticker 446/1988] to say thanks'));
    await receipt();
    expect(bed.line.pushes.map((p) => p.messages)).toEqual([[{ type: 'text', text: 'Send [sticker 446/1988] to say thanks' }]]);
  });

  it('a sticker LINE refuses (400) gets a Failed receipt carrying LINE’s reason, and is not retried', async () => {
    // LINE's documented push 400 body (api-examples.json pushMessage.response400).
    bed.line.faults.add({ route: 'push', status: 400, body: { message: 'Failed to send messages' } });
    const m = agentText('[sticker 446/99999999]');
    await bed.postGenesys(m);
    const r = await receipt();
    expect(r).toMatchObject({ id: m.id, status: 'Failed', reasons: [{ code: 'GeneralError', message: expect.stringContaining('Failed to send messages') }] });
    expect(r.reasons![0]!.message).toMatch(/LINE refused/);
    expect(bed.line.pushRequests).toHaveLength(1);
    expect(bed.line.pushes).toEqual([]);
  });
});
