/**
 * One load run with autocannon: POST signed LINE webhooks to `url` for `seconds`, flat out or at
 * `overallRate` webhooks/s, and measure time-to-200 of every request (exact, sub-millisecond: the
 * per-response durations are kept rather than autocannon's whole-millisecond histogram).
 */
import autocannon from 'autocannon';
import { summarize } from './stats.js';

export async function drive({ url, seconds, connections, overallRate, next, path = '/webhook/line' }) {
  const latencies = [];
  const statuses = {};
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
  const r = await instance;
  const ok = statuses[200] ?? 0;
  return {
    seconds: r.duration,
    connections,
    overallRate: overallRate ?? null,
    requests: r.requests.total,
    ok,
    statuses,
    errors: r.errors,
    timeouts: r.timeouts,
    webhooksPerSecond: Math.round(ok / r.duration),
    timeTo200: summarize(latencies),
  };
}
