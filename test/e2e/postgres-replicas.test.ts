/**
 * Issue 18's fault suite: three relay processes (real dist/ code) share one PostgreSQL database behind a
 * round-robin HTTP forwarder (test/helpers/round-robin.mjs, its own process), as a load balancer with
 * no health checks would be. 1,000
 * customer messages (50 customers x 20) and 300 agent messages (30 customers x 10) go through it; one
 * replica is killed with SIGKILL mid-burst, and later PostgreSQL is stopped and started again mid-run.
 * LINE and Genesys redeliver a webhook that got no 200 (a 502 from the forwarder for the dead replica,
 * a 503 from a relay whose database is down): the senders here retry the very same bytes until 200.
 * Then: nothing lost, nothing sent twice to the customer on LINE, every customer's order kept, and
 * Genesys's copies distinct (it dedupes repeats on channel.messageId; the repeats are counted).
 *
 * The database is a private server (test/helpers/private-postgres.ts): the shared one serves other
 * test files at the same time and must not be restarted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, signedRequest, type SignedRequest } from '../../src/samples.js';
import type { GenesysEmulator } from '../../src/sandbox/genesys-api.js';
import type { LineEmulator } from '../../src/sandbox/line-api.js';
import { buildAgentMessage } from '../../src/sandbox/outbound-webhook.js';
import { assertBuilt } from '../../src/store/thread-script.js';
import { CHANNELS, relayEnv, startUpstreams, textWebhook, until } from '../helpers/bed.js';
import { privatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { startRelayProcess, waitForExit, type RelayProcess } from '../helpers/relay-process.js';
import { startRoundRobin, type RoundRobin } from '../helpers/round-robin.js';

const REPLICAS = 3;
const CUSTOMERS = 50;
const PER_CUSTOMER = 20;
const AGENT_CUSTOMERS = 30;
const PER_AGENT_CUSTOMER = 10;
const INBOUND = CUSTOMERS * PER_CUSTOMER;
const OUTBOUND = AGENT_CUSTOMERS * PER_AGENT_CUSTOMER;
/** The replica killed once this many webhooks (of 1,300) were answered 200; PostgreSQL restarted at the second mark. */
const KILL_AT = 325;
const RESTART_AT = 750;
/** PostgreSQL stays down until the relays have refused this many webhooks (503). */
const OUTAGE_REFUSALS = 150;

const customer = (i: number) => `U${String(i).padStart(3, '0')}${'c'.repeat(29)}`;
const inboundText = (i: number, seq: number) => `c${i}#${seq}`;
const agentText = (i: number, seq: number) => `a${i}#${seq}`;

const server = await privatePostgres();

/** What the senders got, attempt by attempt: a status, or 'no answer'. */
const answers = new Map<string, number>();

/** Posts a webhook until it is answered 200, as LINE and Genesys redeliver; `attempt` numbers the tries from 1. Gives up after `deadline`. */
async function deliverUntilAccepted(requestFor: (attempt: number) => SignedRequest, deadline: number, what: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    let answer: string;
    try {
      answer = String((await postWebhook(requestFor(attempt), { timeoutMs: 10_000 })).status);
    } catch (e) {
      // No answer at all: redelivered like a non-2xx.
      answer = `no answer (${(e as Error).message.slice(0, 60)})`;
    }
    answers.set(answer, (answers.get(answer) ?? 0) + 1);
    if (answer === '200') return attempt;
    if (Date.now() > deadline) throw new Error(`${what} was never answered 200 (${attempt} attempts)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function lineWebhook(i: number, seq: number, redelivery: boolean): string {
  return textWebhook({
    userId: customer(i),
    eventId: `01JF${String(i).padStart(3, '0')}${String(seq).padStart(4, '0')}`.padEnd(26, 'Z'),
    messageId: `8${String(i).padStart(3, '0')}${String(seq).padStart(6, '0')}`,
    text: inboundText(i, seq),
    timestamp: 1764000000000 + seq,
    redelivery,
  });
}

/** Per customer, the sequence numbers of `texts` (prefix#seq) in the order they first arrived (a repeat is counted as doubled, not here). */
function sequences(entries: Array<{ user: string; text: string }>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const seen = new Set<string>();
  for (const { user, text } of entries) {
    if (seen.has(text)) continue;
    seen.add(text);
    out.set(user, [...(out.get(user) ?? []), Number(text.split('#')[1])]);
  }
  return out;
}

let line: LineEmulator | undefined;
let genesys: GenesysEmulator | undefined;
let forwarder: RoundRobin | undefined;
const relays: RelayProcess[] = [];
let dir: string | undefined;

beforeAll(() => {
  if (server) assertBuilt(fileURLToPath(new URL('../../', import.meta.url)), '', 'the relay processes run');
});
afterAll(async () => {
  for (const r of relays) r.child.kill('SIGKILL');
  await Promise.all(relays.map((r) => waitForExit(r.child)));
  await Promise.all([line?.close(), genesys?.close(), forwarder?.close()]);
  await server?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(server)('three replicas on one PostgreSQL', () => {
  it('1,000 inbound and 300 agent messages through a SIGKILLed replica and a PostgreSQL restart: none lost, none doubled, order kept', async () => {
    const pgServer: PrivatePostgres = server!;
    // The agent messages are signed and posted below, to the forwarder, as Genesys would post them.
    ({ line, genesys } = await startUpstreams());
    dir = mkdtempSync(join(tmpdir(), 'lg-replicas-'));
    // A short lease, so that the survivors take over the killed replica's jobs within seconds.
    const env = relayEnv(line, genesys, {
      LINE_GENESYS_STORE: 'postgres',
      DATABASE_URL: pgServer.url,
      LINE_GENESYS_LEASE: '2s',
      LINE_GENESYS_QUOTA_REFRESH: '0',
      LINE_GENESYS_LOG_LEVEL: 'error',
    });
    relays.push(...(await Promise.all(Array.from({ length: REPLICAS }, () => startRelayProcess(env, dir!)))));
    forwarder = await startRoundRobin(relays.map((r) => r.url));
    const fwd = forwarder;

    const deadline = Date.now() + 90_000;
    let accepted = 0;
    let killed = false;
    let restart: Promise<void> | undefined;
    let refusedDuringOutage = 0;
    let outageMs = 0;
    // Mid-burst: SIGKILL one replica (the forwarder keeps sending it its share: 502s, redelivered);
    // later, PostgreSQL stops, stays down until a relay has answered a webhook 503, and starts again.
    const faults = () => {
      accepted++;
      if (!killed && accepted >= KILL_AT) {
        killed = true;
        relays[1]!.child.kill('SIGKILL');
      }
      if (!restart && accepted >= RESTART_AT) {
        restart = (async () => {
          const refused = () => answers.get('503') ?? 0;
          const before = refused();
          await pgServer.stop();
          const down = Date.now();
          // Down long enough for deliveries in flight to meet the outage, and leases to run out.
          await until(() => refused() >= before + OUTAGE_REFUSALS, `${OUTAGE_REFUSALS} webhooks answered 503 while PostgreSQL is down`, 30_000);
          refusedDuringOutage = refused() - before;
          await pgServer.start();
          outageMs = Date.now() - down;
        })();
      }
    };

    // LINE sends each customer's events one after the other; Genesys each conversation's agent messages.
    const sendCustomer = async (i: number) => {
      for (let seq = 0; seq < PER_CUSTOMER; seq++) {
        // A redelivery is flagged as one (isRedelivery), with the same webhookEventId.
        const url = `${fwd.url}/webhook/line`;
        await deliverUntilAccepted((attempt) => signedRequest('line', url, lineWebhook(i, seq, attempt > 1), CHANNELS.th.secret), deadline, inboundText(i, seq));
        faults();
      }
    };
    const sendAgent = async (i: number) => {
      for (let seq = 0; seq < PER_AGENT_CUSTOMER; seq++) {
        // Genesys redelivers the very same bytes.
        const body = JSON.stringify(buildAgentMessage({ integrationId: CHANNELS.th.integrationId, to: customer(i), text: agentText(i, seq) }));
        const req = signedRequest('genesys', `${fwd.url}/webhook/genesys`, body, CHANNELS.th.outboundSecret);
        await deliverUntilAccepted(() => req, deadline, agentText(i, seq));
        faults();
      }
    };
    await Promise.all([...Array.from({ length: CUSTOMERS }, (_, i) => sendCustomer(i)), ...Array.from({ length: AGENT_CUSTOMERS }, (_, i) => sendAgent(i))]);
    expect(killed).toBe(true);
    expect(restart).toBeDefined();
    await restart;
    expect(await waitForExit(relays[1]!.child)).toBeNull();

    // Drained: no job pending or running in the database. (One buried is a message lost: counted below.)
    const db = new pg.Client({ connectionString: pgServer.url });
    await db.connect();
    let open = -1;
    let jobs: Record<string, number>;
    try {
      await until(
        async () => {
          const r = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM jobs WHERE state IN ('pending', 'running')`);
          open = Number(r.rows[0]!.n);
          return open === 0;
        },
        'every job finished',
        60_000,
      ).catch(async (e: Error) => {
        // What is stuck, and what the live replicas said.
        const stuck = await db.query(`SELECT id, kind, order_key, state, attempts, last_error, lease_until - $1::bigint AS lease_left FROM jobs WHERE state <> 'done' ORDER BY id LIMIT 10`, [Date.now()]);
        throw new Error(`${e.message}: ${open} open, first ${JSON.stringify(stuck.rows)}; relays' stderr: ${relays.map((r) => r.stderr().slice(-1500)).join('\n---\n')}`);
      });
      const r = await db.query<{ kind: string; state: string; n: string }>(`SELECT kind, state, COUNT(*) AS n FROM jobs GROUP BY kind, state`);
      jobs = Object.fromEntries(r.rows.map((row) => [`${row.kind} ${row.state}`, Number(row.n)]));
    } finally {
      await db.end();
    }
    const g = genesys;
    const l = line;

    // Inbound, as Genesys holds it.
    const inbound = g.messages.map((m) => ({ user: m.body.channel.from.id, text: m.body.text! }));
    const inboundDistinct = new Set(inbound.map((m) => m.text));
    const expectedInbound = Array.from({ length: CUSTOMERS }, (_, i) => Array.from({ length: PER_CUSTOMER }, (_, s) => inboundText(i, s))).flat();
    const inboundLost = expectedInbound.filter((t) => !inboundDistinct.has(t)).length;
    const inboundDoubled = inbound.length - inboundDistinct.size;
    const inboundPosts = g.requests.filter((r) => r.route === 'inbound-message' && r.status === 200).length;

    // Outbound, as the customer got it from LINE: accepted pushes and replies (a 409 for a known retry key sends nothing).
    const toCustomer = [
      ...l.pushes.map((p) => ({ user: p.to, texts: p.messages.map((m) => (m as { text: string }).text) })),
      ...l.replies.map((r) => ({ user: r.to, texts: r.messages.map((m) => (m as { text: string }).text) })),
    ];
    const outTexts = toCustomer.flatMap((d) => d.texts.map((text) => ({ user: d.user, text })));
    const outDistinct = new Set(outTexts.map((m) => m.text));
    const expectedOutbound = Array.from({ length: AGENT_CUSTOMERS }, (_, i) => Array.from({ length: PER_AGENT_CUSTOMER }, (_, s) => agentText(i, s))).flat();
    const outboundLost = expectedOutbound.filter((t) => !outDistinct.has(t)).length;
    const outboundDoubledByText = outTexts.length - outDistinct.size;
    const keys = l.pushes.map((p) => p.retryKey);
    const outboundDoubledByKey = keys.length - new Set(keys).size;
    const conflicts = l.pushRequests.filter((r) => r.status === 409).length;

    // Order: each customer's messages in the order sent (first arrivals; Genesys keeps no repeat).
    const inOrder = sequences(inbound);
    const outOrder = sequences(outTexts);
    const disordered =
      [...inOrder.values()].filter((s) => s.join() !== Array.from({ length: PER_CUSTOMER }, (_, k) => k).join()).length +
      [...outOrder.values()].filter((s) => s.join() !== Array.from({ length: PER_AGENT_CUSTOMER }, (_, k) => k).join()).length;

    const statuses = await fwd.statuses();
    console.log(
      `replicas fault suite: ${INBOUND} inbound + ${OUTBOUND} agent messages, ${REPLICAS} replicas, one SIGKILLed after ${KILL_AT} accepted, ` +
        `PostgreSQL stopped after ${RESTART_AT} and started again once ${refusedDuringOutage} webhooks were answered 503 (down ${outageMs} ms); ` +
        `lost ${inboundLost} inbound / ${outboundLost} outbound; doubled ${inboundDoubled} in Genesys / ${outboundDoubledByText} to LINE by text / ${outboundDoubledByKey} by retry key; ` +
        `${inboundPosts - INBOUND} inbound posts repeated (deduped by Genesys on messageId), ${conflicts} LINE 409s for known retry keys; ` +
        `customers out of order ${disordered}; jobs ${JSON.stringify(jobs)}; the relays answered ${JSON.stringify(statuses)} (502: the replica gave the forwarder no answer); the senders got ${JSON.stringify(Object.fromEntries(answers))}`,
    );

    expect({ inboundLost, outboundLost, inboundDoubled, outboundDoubledByText, outboundDoubledByKey, disordered }).toEqual({
      inboundLost: 0,
      outboundLost: 0,
      inboundDoubled: 0,
      outboundDoubledByText: 0,
      outboundDoubledByKey: 0,
      disordered: 0,
    });
    // One job per message, each done: no webhook enqueued twice, none dead-lettered.
    expect(jobs).toEqual({ 'inbound done': INBOUND, 'outbound done': OUTBOUND });
    expect(inOrder.size).toBe(CUSTOMERS);
    expect(outOrder.size).toBe(AGENT_CUSTOMERS);
    expect(refusedDuringOutage).toBeGreaterThanOrEqual(OUTAGE_REFUSALS);
    expect(statuses[502]).toBeGreaterThan(0);
    await until(() => new Set(g.receipts.map((r) => r.body.id)).size === OUTBOUND, 'a receipt for every agent message', 30_000);
    expect(g.receipts.filter((r) => r.body.status !== 'Delivered')).toEqual([]);
    expect([...g.violations, ...l.violations]).toEqual([]);
  }, 150_000);
});
