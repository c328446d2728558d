/** `line-genesys sign`: the signature LINE or Genesys would send for a payload. */
import { signFor } from '../../../signature.js';
import type { CommandContext } from '../../context.js';
import { readPayload, resolveSecret, type SignatureOptions } from '../../shared/payload.js';

export default async function sign(o: SignatureOptions, ctx: CommandContext): Promise<unknown> {
  const { platform, secret } = resolveSecret(ctx, o);
  const body = await readPayload(ctx, o.args?.[0]);
  const signature = signFor(platform, body, secret);
  const header = platform === 'line' ? 'x-line-signature' : 'X-Hub-Signature-256';
  const result = { ok: true, platform, header, signature, bytes: body.length };
  ctx.out.result(result, signature, { reveal: true });
  return result;
}
