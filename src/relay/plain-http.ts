/**
 * The base URLs credentials travel to (LINE's access tokens, Genesys's client secret and tokens) that
 * are plain http to a host other than this machine: allowed, for emulators and proxies, but said out loud.
 */
import type { Config } from '../config.js';
import { judgeUrl } from '../url.js';

export function plainHttpBaseUrls(config: Pick<Config, 'line' | 'genesys'>): Array<{ setting: string; url: string }> {
  const urls = {
    'line.apiBaseUrl': config.line.apiBaseUrl,
    'line.dataApiBaseUrl': config.line.dataApiBaseUrl,
    'genesys.apiBaseUrl': config.genesys.apiBaseUrl,
    'genesys.loginBaseUrl': config.genesys.loginBaseUrl,
  };
  return Object.entries(urls)
    .filter(([, url]) => !judgeUrl(url, { httpOnlyOnLoopback: true }).ok)
    .map(([setting, url]) => ({ setting, url }));
}
