/**
 * The naive middleware a user would write instead of the relay (bench code only, not shipped):
 * Express with @line/bot-sdk's middleware({ channelSecret }), which verifies and parses; for each
 * event it POSTs the message to Genesys with fetch and awaits the answer, then answers LINE 200.
 * Nothing is stored: a Genesys outage loses the message, and LINE waits for Genesys.
 *   node bench/naive-process.js <genesys emulator url>
 */
import { middleware } from '@line/bot-sdk';
import express from 'express';
import { CHANNELS } from './lib/env.js';
import { fetchToken, inboundBody, inboundPath } from './lib/genesys-inbound.js';
import { serveServer } from './lib/ipc.js';

const [genesysUrl] = process.argv.slice(2);
if (!genesysUrl) throw new Error('usage: naive-process.js <genesys url>');
const token = await fetchToken(genesysUrl);
const url = `${genesysUrl}${inboundPath()}`;

const app = express();
app.post('/webhook/line', middleware({ channelSecret: CHANNELS.th.secret }), async (req, res) => {
  try {
    for (const event of req.body.events) {
      if (event.type !== 'message' || event.message.type !== 'text') continue;
      const r = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(inboundBody(event)) });
      await r.arrayBuffer();
      if (!r.ok) throw new Error(`Genesys answered ${r.status}`);
    }
    res.status(200).json({});
  } catch (e) {
    res.status(500).json({ error: e.message });
  }
});

const server = await new Promise((resolve) => {
  const s = app.listen(0, '127.0.0.1', () => resolve(s));
});
server.keepAliveTimeout = 65_000;

serveServer(server);
