import { describe, expect, it } from 'vitest';
import { plainHttpBaseUrls } from '../../../src/relay/plain-http.js';

const config = (line: string, genesys: string) => ({
  line: { apiBaseUrl: line, dataApiBaseUrl: 'https://api-data.line.me' },
  genesys: { apiBaseUrl: genesys, loginBaseUrl: 'https://login.mypurecloud.com' },
}) as Parameters<typeof plainHttpBaseUrls>[0];

describe('plainHttpBaseUrls: where credentials would travel in the clear', () => {
  it('names plain-http URLs outside loopback', () => {
    expect(plainHttpBaseUrls(config('http://line-proxy.internal:8080', 'http://10.0.0.5'))).toEqual([
      { setting: 'line.apiBaseUrl', url: 'http://line-proxy.internal:8080' },
      { setting: 'genesys.apiBaseUrl', url: 'http://10.0.0.5' },
    ]);
  });

  it.each(['http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010', 'https://api.line.me'])('%s is not named', (url) => {
    expect(plainHttpBaseUrls(config(url, url))).toEqual([]);
  });
});
