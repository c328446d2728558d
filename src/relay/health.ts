/**
 * GET /healthz (liveness: the process answers), GET /readyz (readiness: the store answers; 503 while
 * it does not) and GET /metrics (Prometheus text). Neither probe names channels, markets or brands
 * to whoever asks unless `relay.healthDetail` is on.
 */
import type { RelayContext } from './context.js';
import type { WebhookResponse } from './types.js';

export function liveness(): WebhookResponse {
  return { status: 200, body: { status: 'ok' } };
}

export async function readiness(ctx: RelayContext, startedAt: number): Promise<WebhookResponse> {
  const detail = ctx.config.relay.healthDetail;
  let queue;
  try {
    queue = await ctx.store.counts({ done: false });
  } catch (e) {
    return { status: 503, body: { status: 'error', message: detail ? `store unavailable: ${(e as Error).message}` : 'store unavailable' } };
  }
  if (!detail) return { status: 200, body: { status: 'ok' } };
  return {
    status: 200,
    body: {
      status: 'ok',
      uptimeSeconds: Math.round((ctx.now() - startedAt) / 1000),
      store: ctx.store.engine,
      queue: { pending: queue.pending, running: queue.running, dead: queue.dead },
      channels: ctx.config.channels.map((c) => ({ id: c.id, market: c.market, brand: c.brand })),
    },
  };
}

export async function metrics(ctx: RelayContext): Promise<WebhookResponse> {
  const { done: _, ...open } = await ctx.store.counts({ done: false });
  const text = ctx.metrics.render({
    line_genesys_queue_jobs: (Object.entries(open) as Array<[string, number]>).map(([state, n]) => [{ state }, n]),
    line_genesys_tokens_fetched: [[{}, ctx.genesys.tokens.fetched]],
    ...ctx.quota.gauges(),
    ...ctx.deliveryGauges(),
  });
  return { status: 200, headers: { 'content-type': 'text/plain; version=0.0.4' }, body: text };
}
