/**
 * The yardstick: a bare node:http server that reads the body, checks x-line-signature with
 * verifyLine and answers 200. Nothing is parsed, stored or delivered. Same process setup as the
 * relay (its own process, loopback, keep-alive), so the ratio compares the relay's work only.
 */
import { createServer } from 'node:http';
import { verifyLine } from '../dist/index.js';
import { CHANNELS } from './lib/env.js';
import { serveServer } from './lib/ipc.js';

const secret = CHANNELS.th.secret;
const OK = '{"accepted":1,"duplicates":0}';

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const ok = verifyLine(body, secret, req.headers['x-line-signature']);
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json', 'content-length': ok ? OK.length : 2 });
    res.end(ok ? OK : '{}');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

serveServer(server);
