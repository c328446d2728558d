/**
 * The one URL checker. Every URL the toolkit takes (a base URL in the config, a flag, a link in a
 * message) is judged here, by rules its caller names.
 */
import { ConfigError, UsageError } from './errors.js';

export interface UrlRules {
  /** Schemes accepted, with their colon. Default: http: and https:. */
  protocols?: readonly string[];
  /** An https URL only on port 443. */
  port443?: boolean;
  /** No ?query and no #fragment: a base that paths are appended to. */
  bare?: boolean;
  /** At most this many characters, counted on the normalised (percent-encoded) href. */
  maxLength?: number;
  /** Plain http only to this machine (localhost, 127.0.0.0/8, [::1]): elsewhere what is sent travels in the clear. */
  httpOnlyOnLoopback?: boolean;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const WEB = ['http:', 'https:'] as const;

/** Whether `value` is a URL these rules accept; pure, never throws. */
export function judgeUrl(value: unknown, rules: UrlRules = {}): UrlVerdict {
  if (typeof value !== 'string' || value.trim() === '') return { ok: false, reason: 'is not a URL' };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, reason: 'is not a URL' };
  }
  const protocols = rules.protocols ?? WEB;
  if (!protocols.includes(url.protocol)) return { ok: false, reason: `must be ${protocolList(protocols)}` };
  if (rules.port443 && url.protocol === 'https:' && url.port !== '') return { ok: false, reason: 'must be on port 443' };
  if (rules.bare && (url.search || url.hash)) return { ok: false, reason: 'must have no query or fragment' };
  if (rules.maxLength !== undefined && url.href.length > rules.maxLength) return { ok: false, reason: `must be at most ${rules.maxLength} characters` };
  if (rules.httpOnlyOnLoopback && url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) return { ok: false, reason: 'is plain http to another machine' };
  return { ok: true, url };
}

/** Where a checked URL came from: a setting (a wrong one is a ConfigError, exit 1) or a flag (a UsageError, exit 2). */
export type UrlOrigin = { setting: string; flag?: never } | { flag: string; setting?: never };

/**
 * A base URL these rules accept, trimmed and without trailing slashes (paths are appended to it);
 * else the error naming the setting or flag, the value and what is wrong.
 */
export function checkUrl(value: string, o: UrlRules & UrlOrigin & { hint?: string }): string {
  const verdict = judgeUrl(value, o);
  if (!verdict.ok) {
    const hint = o.hint ?? `Write a full URL such as ${(o.protocols ?? WEB).includes('https:') ? 'https' : (o.protocols ?? WEB)[0]!.replace(/:$/, '')}://example.com.`;
    if (o.flag !== undefined) throw new UsageError(`${o.flag} "${value}" ${verdict.reason}`, { hint });
    throw new ConfigError(o.setting, `"${value}" ${verdict.reason}`, { hint });
  }
  return value.trim().replace(/\/+$/, '');
}

function protocolList(protocols: readonly string[]): string {
  const names = protocols.map((p) => p.replace(/:$/, ''));
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
