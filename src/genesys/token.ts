/**
 * OAuth client-credentials tokens for Genesys Cloud, cached until shortly before they expire.
 * Concurrent callers share one token request.
 */
import type { Dispatcher } from 'undici';
import { UpstreamError } from '../errors.js';
import { call } from '../upstream.js';
import type { OAuthTokenResponse } from './types.js';

export interface TokenSourceOptions {
  loginBaseUrl: string;
  clientId: string;
  clientSecret: string;
  dispatcher?: Dispatcher;
  /** Refresh this long before expiry. Default 60 s. */
  earlyRefreshMs?: number;
  now?: () => number;
}

export class TokenSource {
  private token: { value: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  /** How many tokens were fetched (for metrics and tests). */
  fetched = 0;

  constructor(private readonly opts: TokenSourceOptions) {}

  async get(): Promise<string> {
    const now = (this.opts.now ?? Date.now)();
    if (this.token && now < this.token.expiresAt) return this.token.value;
    this.pending ??= this.fetch().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forget the cached token (after a 401), unless a newer one already replaced `used`. */
  invalidate(used?: string): void {
    if (!used || this.token?.value === used) this.token = undefined;
  }

  private async fetch(): Promise<string> {
    const basic = Buffer.from(`${this.opts.clientId}:${this.opts.clientSecret}`).toString('base64');
    const res = await call({
      upstream: 'genesys',
      operation: 'OAuth token',
      method: 'POST',
      url: `${this.opts.loginBaseUrl.replace(/\/+$/, '')}/oauth/token`,
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
      ...(this.opts.dispatcher ? { dispatcher: this.opts.dispatcher } : {}),
    }).catch((e: unknown) => {
      if (e instanceof UpstreamError && (e.upstreamStatus === 401 || e.upstreamStatus === 403 || e.upstreamStatus === 400)) {
        throw new UpstreamError({
          upstream: 'genesys',
          operation: 'OAuth token',
          status: e.upstreamStatus,
          body: e.body,
          retriable: false,
          authentication: e.upstreamStatus !== 400,
          hint: 'Check GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET (a Client Credentials OAuth client) and that the region is the org\'s region.',
        });
      }
      throw e;
    });
    const t = res.json<OAuthTokenResponse>();
    if (!t.access_token) throw new UpstreamError({ upstream: 'genesys', operation: 'OAuth token', status: res.status, message: 'no access_token in the answer' });
    const now = (this.opts.now ?? Date.now)();
    const life = Math.max(0, (t.expires_in ?? 0) * 1000 - (this.opts.earlyRefreshMs ?? 60_000));
    this.token = { value: t.access_token, expiresAt: now + life };
    this.fetched++;
    return t.access_token;
  }
}
