/**
 * One load run with autocannon: POST signed LINE webhooks to `url` for `seconds`, flat out or at
 * `overallRate` webhooks/s, and measure time-to-200 of every request (exact, sub-millisecond: the
 * per-response durations are kept rather than autocannon's whole-millisecond histogram).
 * `url` may be a list (replicas): the connections and the rate are split evenly between them, one
 * autocannon instance each, run at once, and the figures merged.
 */
import autocannon from 'autocannon';
import { summarize } from './stats.js';

function one({ url, seconds, connections, overallRate, next, path, latencies, statuses }) {
  const instance = autocannon({
    url: `${url}${path}`,
    method: 'POST',
    connections,
    duration: seconds,
    timeout: 10,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        setupRequest(req) {
          const { body, headers } = next();
          return { ...req, method: 'POST', body, headers: { ...req.headers, ...headers } };
        },
      },
    ],
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 200) latencies.push(ms);
  });
  return instance;
}

export async function drive({ url, seconds, connections, overallRate, next, path = '/webhook/line' }) {
  const urls = Array.isArray(url) ? url : [url];
  const latencies = [];
  const statuses = {};
  const share = (v) => (v ? Math.max(1, Math.round(v / urls.length)) : undefined);
  const rs = await Promise.all(urls.map((u) => one({ url: u, seconds, connections: share(connections), overallRate: share(overallRate), next, path, latencies, statuses })));
  const duration = Math.max(...rs.map((r) => r.duration));
  const sum = (f) => rs.reduce((a, r) => a + f(r), 0);
  const ok = statuses[200] ?? 0;
  return {
    seconds: duration,
    connections,
    overallRate: overallRate ?? null,
    requests: sum((r) => r.requests.total),
    ok,
    statuses,
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    webhooksPerSecond: Math.round(ok / duration),
    timeTo200: summarize(latencies),
  };
}
