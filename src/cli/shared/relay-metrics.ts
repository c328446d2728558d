/**
 * What a relay running on this machine counted, read from its GET /metrics (Prometheus text):
 * the messages it sent by reply and by push, per channel (`line_genesys_line_messages_total{api,channel}`,
 * for `quota`), and the refusals of its credentials, per upstream (`line_genesys_auth_failures_total{upstream}`,
 * for `doctor`). Undefined when no relay answers: the counts live in the relay's memory.
 */
export type SentCounts = Map<string, { reply: number; push: number }>;

const SERIES = /^line_genesys_line_messages_total\{([^}]*)\} (\d+(?:\.\d+)?)$/gm;

/** The counts in a Prometheus text body, by channel id. */
export function parseSentCounts(metrics: string): SentCounts {
  const counts: SentCounts = new Map();
  for (const [, labels = '', value = '0'] of metrics.matchAll(SERIES)) {
    const api = /api="([^"]*)"/.exec(labels)?.[1];
    const channel = /channel="([^"]*)"/.exec(labels)?.[1];
    if (!channel || (api !== 'reply' && api !== 'push')) continue;
    const row = counts.get(channel) ?? { reply: 0, push: 0 };
    row[api] += Number(value);
    counts.set(channel, row);
  }
  return counts;
}

const AUTH_FAILURES = /^line_genesys_auth_failures_total\{([^}]*)\} (\d+(?:\.\d+)?)$/gm;

/** Refusals of the relay's credentials, by upstream (genesys, line). */
export function parseAuthFailures(metrics: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [, labels = '', value = '0'] of metrics.matchAll(AUTH_FAILURES)) {
    const upstream = /upstream="([^"]*)"/.exec(labels)?.[1];
    if (upstream) counts.set(upstream, (counts.get(upstream) ?? 0) + Number(value));
  }
  return counts;
}

/** The relay's /metrics text, or undefined when no relay answers there. */
export async function readRelayMetrics(relayBaseUrl: string, timeoutMs = 2000): Promise<string | undefined> {
  try {
    const res = await fetch(`${relayBaseUrl}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

export async function readSentCounts(relayBaseUrl: string, timeoutMs = 2000): Promise<SentCounts | undefined> {
  const text = await readRelayMetrics(relayBaseUrl, timeoutMs);
  return text === undefined ? undefined : parseSentCounts(text);
}
