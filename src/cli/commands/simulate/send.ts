/**
 * Posts a signed simulated webhook to a relay and reads its answer; turns a refusal or no answer
 * into an error that says what the relay said and what to check.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LineGenesysError } from '../../../errors.js';
import type { SignedRequest } from './curl.js';

/** LINE waits about as long for a webhook to answer. */
export const SEND_TIMEOUT_MS = 10_000;

export interface RelayAnswer {
  status: number;
  /** Parsed JSON when the relay answered JSON, else the text. */
  body: unknown;
  latencyMs: number;
}

/**
 * node:http rather than fetch, which refuses the "bad ports" of the Fetch standard (6000, 6666, …)
 * a local relay may well listen on, and rather than undici, whose import alone costs a one-shot
 * command ~150 ms.
 */
export async function postSigned(req: SignedRequest, signal?: AbortSignal, timeoutMs = SEND_TIMEOUT_MS): Promise<RelayAnswer> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(timeoutMs);
  let status: number;
  let text: string;
  try {
    ({ status, text } = await post(req, signal ? AbortSignal.any([signal, timeout]) : timeout));
  } catch (e) {
    throw unreachable(req.url, e, timeout.aborted, timeoutMs);
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status, body, latencyMs: Math.round(performance.now() - started) };
}

function post(req: SignedRequest, signal: AbortSignal): Promise<{ status: number; text: string }> {
  const send = new URL(req.url).protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = send(req.url, { method: 'POST', headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) }, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

/** The error code of a failed connection, wherever the socket put it (possibly nested in an AggregateError). */
function errorCode(e: unknown): string | undefined {
  const err = e as { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof err?.code === 'string' && !err.code.startsWith('UND_ERR_')) return err.code;
  for (const inner of [err?.cause, ...(Array.isArray(err?.errors) ? err.errors : [])]) {
    const code = inner ? errorCode(inner) : undefined;
    if (code) return code;
  }
  return typeof err?.code === 'string' ? err.code : undefined;
}

function unreachable(url: string, e: unknown, timedOut: boolean, timeoutMs: number): LineGenesysError {
  const code = errorCode(e);
  const base = new URL(url).origin;
  if (timedOut) {
    return new LineGenesysError('RELAY_TIMEOUT', `the relay at ${base} did not answer within ${timeoutMs / 1000} s`, {
      hint: 'A relay answers as soon as the event is queued: check its logs (is its store locked or its disk full?).',
      cause: e,
    });
  }
  if ((e as Error).name === 'AbortError') return new LineGenesysError('ABORTED', 'stopped before the relay answered', { cause: e });
  if (code === 'ECONNREFUSED') {
    return new LineGenesysError('RELAY_UNREACHABLE', `no relay at ${base}: start one with \`line-genesys dev\``, {
      hint: 'Or point --to at a running relay (its base URL, e.g. http://localhost:3000).',
      cause: e,
    });
  }
  return new LineGenesysError('RELAY_UNREACHABLE', `cannot reach the relay at ${base}: ${code ?? (e as Error).message}`, {
    hint: 'Check the --to URL (scheme, host and port of the relay).',
    cause: e,
  });
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
export function refusalError(answer: RelayAnswer, target: 'line' | 'genesys'): LineGenesysError {
  const r = reason(answer.body);
  const said = `the relay answered ${answer.status}${r.text ? ` ${r.text}` : ''}`;
  const secretName = target === 'line' ? 'channel secret' : 'Genesys outbound secret';
  let hint: string | undefined;
  if (r.error === 'no_outbound_secret') hint = 'Set GENESYS_OUTBOUND_SECRET (or GENESYS_<ID>_OUTBOUND_SECRET) where the relay runs.';
  else if (answer.status === 401) {
    hint = `Compare the ${secretName} (\`line-genesys doctor\` shows it masked) here and where the relay runs, or pass --secret.`;
    if (target === 'line' && /destination/.test(r.message ?? '')) hint += ' Does --channel name a channel whose bot user id the relay knows?';
  } else if (answer.status === 404 && r.error === 'unknown_channel') hint = 'The relay has no such channel: check --channel against the relay\'s config.';
  else if (answer.status === 404) hint = 'Is --to the base URL of a line-genesys relay?';
  else if (answer.status === 413) hint = 'The body is larger than the relay accepts (LINE_GENESYS_MAX_BODY_BYTES).';
  else if (answer.status >= 500) hint = 'The relay failed: its logs say why.';
  const question = answer.status === 401 && r.error !== 'no_outbound_secret' ? ` — is the ${secretName} the same as the relay's?` : '';
  return new LineGenesysError('RELAY_REFUSED', `${said}${question}`, {
    ...(hint ? { hint } : {}),
  });
}
