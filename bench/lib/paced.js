/**
 * A steady open-loop load: one signed webhook every 1/rate s (sent on a 1 ms timer, catching up
 * when the timer is late) over a keep-alive undici pool, each timed from its send to its 200,
 * queueing included. Unlike autocannon's `overallRate`, which sends each second's quota as fast as
 * it can at the start of the second and then waits, this is what a steady 1,000/s looks like.
 * `url` may be a list (replicas): webhooks go round-robin, one pool each, the connections split.
 */
import { Pool } from 'undici';
import { summarize } from './stats.js';

export async function pace({ url, rate, seconds, connections, next, path = '/webhook/line' }) {
  const urls = Array.isArray(url) ? url : [url];
  const pools = urls.map((u) => new Pool(new URL(u).origin, { connections: Math.max(1, Math.round(connections / urls.length)), pipelining: 1, keepAliveTimeout: 60_000 }));
  const latencies = [];
  const statuses = {};
  let errors = 0;
  const total = Math.round(rate * seconds);
  const inflight = new Set();

  function fire() {
    const { body, headers } = next();
    const t0 = performance.now();
    const p = pools[sent % pools.length]
      .request({ path, method: 'POST', headers, body })
      .then(async (res) => {
        await res.body.dump();
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode === 200) latencies.push(performance.now() - t0);
      })
      .catch(() => errors++)
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }

  const start = performance.now();
  let sent = 0;
  await new Promise((resolve) => {
    (function tick() {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) {
        sent++;
        fire();
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    })();
  });
  await Promise.allSettled([...inflight]);
  const elapsed = (performance.now() - start) / 1000;
  await Promise.all(pools.map((pool) => pool.close()));
  const ok = statuses[200] ?? 0;
  return {
    seconds: Math.round(elapsed * 100) / 100,
    connections,
    overallRate: rate,
    paced: true,
    requests: sent,
    ok,
    statuses,
    errors,
    timeouts: 0,
    webhooksPerSecond: Math.round(ok / elapsed),
    timeTo200: summarize(latencies),
  };
}
