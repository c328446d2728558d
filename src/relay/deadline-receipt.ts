/**
 * The worker buries a job still failing at `relay.deadLetterAfter`. For an agent's message whose outcome
 * was never known, the agent gets a Failed receipt (ServerError) saying so, rather than silence.
 * Best effort: the job is buried either way.
 */
import type { Job } from '../store/store.js';
import type { RelayContext } from './context.js';
import { chooseChannel, integrationFor, outboundProgressOf, receiptFor } from './deliver-outbound.js';
import { decode } from './jobs.js';
import { deadlinePassed } from './receipt-reasons.js';

export async function tellAgentDeadlinePassed(ctx: RelayContext, job: Job, error: unknown): Promise<void> {
  try {
    // The claimed job's progress is as it was before the last attempt.
    const latest = (await ctx.store.get(job.id)) ?? job;
    const progress = outboundProgressOf(latest);
    // The outcome was known and only its receipt kept failing: another receipt would fail the same way.
    if (progress.receipt) return;
    const { candidates, message } = decode(job, 'outbound');
    const channel = await chooseChannel(ctx, candidates, message.channel.to.id);
    const integrationId = integrationFor(ctx, channel, message);
    if (!integrationId) return;
    const lastError = error instanceof Error ? error.message : String(error);
    const reason = deadlinePassed(lastError, ctx.config.relay.deadLetterAfterMs, progress.pushed);
    await ctx.genesys.sendReceipt(integrationId, receiptFor(message, { status: 'Failed', ...reason }, ctx.now()));
  } catch (e) {
    ctx.log.warn('could not send the Failed receipt of a message given up at the dead-letter deadline', { job: job.id, error: (e as Error).message });
  }
}
