/**
 * A round-robin HTTP forwarder, as a load balancer with no health checks: each request goes to the
 * next target in turn, dead or not; a target that gives no answer makes a 502. Run as its own
 * process (test/helpers/round-robin.ts), so that a busy test process does not slow its accepts.
 * Usage: node round-robin.mjs <target-url>...; prints "listening on <url>"; GET /__forwarder/statuses
 * answers what the targets answered, by status ({"200": n, "502": n, ...}).
 */
import { Agent, createServer, request } from 'node:http';

const targets = process.argv.slice(2);
const agent = new Agent({ keepAlive: true });
const statuses = {};
const count = (s) => (statuses[s] = (statuses[s] ?? 0) + 1);
let next = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/__forwarder/statuses') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(statuses));
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const target = new URL(req.url, targets[next++ % targets.length]);
    let answered = false;
    const bad = () => {
      if (answered) return;
      answered = true;
      count(502);
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"bad gateway: the replica did not answer"}');
    };
    const out = request(target, { method: req.method, headers: { ...req.headers, host: target.host }, agent }, (up) => {
      const got = [];
      up.on('data', (c) => got.push(c));
      up.on('error', bad);
      up.on('end', () => {
        if (answered) return;
        answered = true;
        count(up.statusCode);
        // Hop-by-hop headers are the forwarder's own, as any proxy's.
        const { connection, 'keep-alive': keepAlive, 'transfer-encoding': encoding, ...headers } = up.headers;
        res.writeHead(up.statusCode, headers).end(Buffer.concat(got));
      });
    });
    out.on('error', bad);
    out.end(Buffer.concat(chunks));
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
// The test process gone (killed, crashed): so is the forwarder.
process.on('disconnect', () => process.exit(0));
process.stdin.on('end', () => process.exit(0)).resume();
