/**
 * The relay's public URL, as `init`, `doctor` and `dev` judge it: a URL LINE and Genesys will call.
 * LINE calls only https webhooks and Genesys only on port 443; paths are appended to it.
 */
import { checkUrl, judgeUrl, type UrlRules } from '../../url.js';

export const PUBLIC_URL_RULES: UrlRules = { protocols: ['https:'], port443: true, bare: true };

const WHY = 'LINE and Genesys call webhooks only over https, on port 443';

/** true, or what is wrong with it (the shape a prompt's validate wants). */
export function checkPublicUrl(value: string): true | string {
  const verdict = judgeUrl(value, PUBLIC_URL_RULES);
  return verdict.ok ? true : `${verdict.reason} (${WHY})`;
}

/** The --public-url flag's value as a base URL (no trailing slash); a UsageError when LINE or Genesys could not call it. */
export function publicUrlFlag(value: string): string {
  return checkUrl(value, { flag: '--public-url', ...PUBLIC_URL_RULES, hint: `Give the https URL that reaches the relay, e.g. https://relay.example.com: ${WHY}.` });
}
