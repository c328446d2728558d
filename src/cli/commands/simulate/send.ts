/**
 * Posts a signed simulated webhook to a relay (through samples.ts) and reads its answer; turns a
 * refusal or no answer into an error that says what the relay said and what to check.
 */
import { LineGenesysError } from '../../../errors.js';
import { postWebhook, WEBHOOK_TIMEOUT_MS, type SignedRequest, type WebhookAnswer } from '../../../samples.js';

/** What to check when the relay named by --to gave no answer. */
const NO_ANSWER_HINTS = {
  refused: 'Or point --to at a running relay (its base URL, e.g. http://localhost:3000).',
  unreachable: 'Check the --to URL (scheme, host and port of the relay).',
};

/** simulate's POST: samples.ts's, with hints that name --to. */
export function postSigned(req: SignedRequest, signal?: AbortSignal, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<WebhookAnswer> {
  return postWebhook(req, { ...(signal ? { signal } : {}), timeoutMs, hints: NO_ANSWER_HINTS });
}

function reason(body: unknown): { error?: string; message?: string; text: string } {
  const b = body as { error?: unknown; message?: unknown } | null;
  if (b && typeof b === 'object') {
    const error = typeof b.error === 'string' ? b.error : undefined;
    const message = typeof b.message === 'string' ? b.message : undefined;
    if (error || message) return { ...(error ? { error } : {}), ...(message ? { message } : {}), text: [error, message].filter(Boolean).join(': ') };
    return { text: JSON.stringify(body).slice(0, 300) };
  }
  return { text: String(body ?? '').slice(0, 300) };
}

/** What a non-2xx answer means for the person simulating, and what to check. */
export function refusalError(answer: WebhookAnswer, target: 'line' | 'genesys'): LineGenesysError {
  const r = reason(answer.body);
  const said = `the relay answered ${answer.status}${r.text ? ` ${r.text}` : ''}`;
  const secretName = target === 'line' ? 'channel secret' : 'Genesys outbound secret';
  let hint: string | undefined;
  if (r.error === 'no_outbound_secret') hint = 'Set GENESYS_OUTBOUND_SECRET (or GENESYS_<ID>_OUTBOUND_SECRET) where the relay runs.';
  else if (answer.status === 401) {
    hint = `Compare the ${secretName} (\`line-genesys doctor\` shows it masked) here and where the relay runs, or pass --secret; and check --channel against the relay's channels (an unknown one is answered the same way).`;
    if (target === 'line' && /destination/.test(r.message ?? '')) hint += ' Does --channel name a channel whose bot user id the relay knows?';
  } else if (answer.status === 404) hint = 'Is --to the base URL of a line-genesys relay?';
  else if (answer.status === 413) hint = 'The body is larger than the relay accepts (LINE_GENESYS_MAX_BODY_BYTES).';
  else if (answer.status >= 500) hint = 'The relay failed: its logs say why.';
  const question = answer.status === 401 && r.error !== 'no_outbound_secret' ? ` — is the ${secretName} the same as the relay's?` : '';
  return new LineGenesysError('RELAY_REFUSED', `${said}${question}`, {
    ...(hint ? { hint } : {}),
  });
}
