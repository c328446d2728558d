/**
 * Replay in a dev session with real accounts (issue 14): the inspector runs on a relay that talks to
 * LINE and Genesys (here their emulators, standing in for real accounts: no sandbox), so replaying an
 * agent message would push a second real LINE message to a real customer. The inspector's API asks
 * first (428, saying what would be sent where) and the page shows that question before sending.
 * The browser part needs chromium: without it it skips with one line, and fails under CI.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInspector } from '../../src/sandbox/inspector/server.js';
import { agentMessage, startBed, until, USER, type Bed } from '../helpers/bed.js';

const CHROMIUM = process.env['LINE_GENESYS_CHROMIUM'] || '/usr/bin/chromium';
const IN_CI = /^(1|true|yes)$/i.test(process.env['CI'] ?? '');
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM && !IN_CI) process.stderr.write(`inspector-replay-real: browser part skipped: chromium not found at ${CHROMIUM}; install Debian's chromium or set LINE_GENESYS_CHROMIUM\n`);

let bed: Bed;
let inspector: { url: string; close(): Promise<void> };

beforeAll(async () => {
  bed = await startBed();
  inspector = await startInspector({ relay: bed.relay });
});
afterAll(async () => {
  await inspector?.close();
  await bed?.close();
});

async function api(path: string, body: unknown) {
  const res = await fetch(`${inspector.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

/** An agent message through the relay to LINE; resolves with its webhook activity's id in the inspector. */
async function agentSent(text: string): Promise<number> {
  const pushes = bed.line.pushes.length;
  expect((await bed.postGenesys(agentMessage('text', { text }))).status).toBe(200);
  await until(() => bed.line.pushes.length === pushes + 1, 'the agent message pushed');
  let id: number | undefined;
  await until(async () => {
    const listed = (await (await fetch(`${inspector.url}/api/activity`)).json()) as any[];
    id = listed.findLast((a) => a.direction === 'out' && a.stage === 'webhook' && a.source?.text === text)?.id;
    return id !== undefined;
  }, 'the webhook in the inspector');
  return id!;
}

describe('replaying an agent message with real accounts', () => {
  it('asks first (428) saying what goes to which customer, sends nothing; with {"confirm": true} sends it', async () => {
    const id = await agentSent('Your parcel left today');
    const pushes = bed.line.pushes.length;

    const asked = await api(`/api/replay/${id}`, {});
    expect(asked.status).toBe(428);
    expect(asked.body).toMatchObject({ error: 'confirm', send: { channelId: 'th', to: USER, what: '"Your parcel left today"' } });
    expect(asked.body.message).toBe(`Replaying sends "Your parcel left today" again to the real LINE customer ${USER} through channel th: a second message they will see, counted against the channel's monthly message quota. Confirm to send it.`);

    const sent = await api(`/api/replay/${id}`, { confirm: true });
    expect(sent).toMatchObject({ status: 200, body: { accepted: 1 } });
    await until(() => bed.line.pushes.length === pushes + 1, 'the confirmed replay pushed');
    expect(JSON.stringify(bed.line.pushes.at(-1)!.messages)).toContain('Your parcel left today');
    expect(bed.line.pushes.length).toBe(pushes + 1);
  });
});

describe.skipIf(!HAS_CHROMIUM && !IN_CI)('the Replay button with real accounts', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!HAS_CHROMIUM) throw new Error(`chromium not found at ${CHROMIUM} (CI does not skip the browser test)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], timeout: 20_000 });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the question; declined, nothing is sent; accepted, the message is pushed once more', async () => {
    const id = await agentSent('Replay me from the page');
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(inspector.url);
    const questions: string[] = [];
    let accept = false;
    page.on('dialog', (d) => {
      questions.push(d.message());
      void (accept ? d.accept() : d.dismiss());
    });
    const button = page.locator(`[data-testid="event-row"][data-id="${id}"] [data-testid="replay"]`);
    const pushes = bed.line.pushes.length;

    await button.click();
    await until(() => questions.length === 1, 'the question');
    expect(questions[0]).toContain(`again to the real LINE customer ${USER} through channel th`);
    await page.getByText('cancelled: nothing was sent').waitFor();
    expect(bed.line.pushes.length).toBe(pushes);

    accept = true;
    await button.click();
    await until(() => bed.line.pushes.length === pushes + 1, 'the accepted replay pushed');
    expect(questions).toHaveLength(2);
    await page.close();
  });
});
