/**
 * How many messages the running relay sent by reply and by push, per channel, read from its
 * GET /metrics (`line_genesys_line_messages_total{api,channel}`). Undefined when no relay answers:
 * the counts live in the relay's memory, so without it there are none to show.
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

export async function readSentCounts(relayBaseUrl: string, timeoutMs = 2000): Promise<SentCounts | undefined> {
  try {
    const res = await fetch(`${relayBaseUrl}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    return parseSentCounts(await res.text());
  } catch {
    return undefined;
  }
}
