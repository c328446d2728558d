/** `line-genesys verify`: does a signature match a payload? Exit 1 when it does not. */
import { LineGenesysError } from '../../../errors.js';
import { verifyFor } from '../../../signature.js';
import type { CommandContext } from '../../context.js';
import { readPayload, resolveSecret, type SignatureOptions } from '../../shared/payload.js';

export default async function verify(o: SignatureOptions & { signature: string }, ctx: CommandContext): Promise<unknown> {
  const { platform, secret } = resolveSecret(ctx, o);
  const body = await readPayload(ctx, o.args?.[0]);
  const valid = verifyFor(platform, body, secret, o.signature);
  if (!valid) {
    throw new LineGenesysError('SIGNATURE_MISMATCH', `the ${platform === 'line' ? 'x-line-signature' : 'X-Hub-Signature-256'} does not match this payload and secret`, {
      hint: 'Sign the exact bytes sent (no re-serialised JSON), with the same secret: `line-genesys sign` shows the expected value.',
    });
  }
  const result = { ok: true, platform, valid, bytes: body.length };
  ctx.out.result(result, `${ctx.out.color.green('✔')} signature matches (${platform}, ${body.length} bytes)`);
  return result;
}
