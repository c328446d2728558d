/** `line-genesys start`: the relay for production — no tunnel, JSON logs on stderr, stops cleanly on SIGTERM. */
import { createLogger } from '../../../log.js';
import { createRelay } from '../../../relay/server.js';
import type { CommandContext } from '../../context.js';
import { listenOn, parsePort } from '../../shared/listen.js';

export default async function start(o: { port?: string; host?: string }, ctx: CommandContext): Promise<unknown> {
  const port = o.port !== undefined ? parsePort(o.port, '--port') : undefined;
  const config = ctx.config('relay', { 'relay.port': port, 'relay.host': o.host });
  const log = createLogger({ level: config.relay.logLevel, write: (l) => ctx.io.stderr.write(l + '\n') });
  const relay = await createRelay({ config, log });
  let url: string;
  try {
    url = await listenOn(relay, config.relay.port, config.relay.host);
  } catch (e) {
    await relay.close();
    throw e;
  }
  log.info('relay listening', { url, publicUrl: config.relay.publicUrl, store: config.relay.store, channels: config.channels.map((c) => c.id) });
  ctx.out.result({ ok: true, event: 'listening', url }, `line-genesys relay listening on ${url}`);
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  log.info('stopping: finishing deliveries in flight');
  await relay.close();
  ctx.out.result({ ok: true, event: 'stopped' }, 'relay stopped');
  return { ok: true };
}
