import { describe, expect, it } from 'vitest';
import { ConfigError, LineGenesysError } from '../../../src/errors.js';
import { openTunnel, type ProviderOpenOptions, type TunnelProvider, type TunnelStatus } from '../../../src/tunnel/index.js';

/** Stands in for ngrok at the TunnelProvider boundary: records what it was asked and can drop the connection. */
function fakeProvider(url = 'https://abc123.ngrok-free.app') {
  const calls: ProviderOpenOptions[] = [];
  let closed = 0;
  const provider: TunnelProvider = {
    name: 'fake-ngrok',
    async open(o) {
      calls.push(o);
      return { url, close: async () => void closed++ };
    },
  };
  return { provider, calls, closed: () => closed, status: (s: 'down' | 'up') => calls.at(-1)!.onStatus(s) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('openTunnel', () => {
  it('--no-tunnel: no public URL', async () => {
    const t = await openTunnel({ port: 3000, noTunnel: true, publicUrl: 'https://ignored.example', authtoken: 'x' });
    expect(t).toMatchObject({ url: undefined, kind: 'none' });
    await t.close();
  });

  it('--public-url: that URL, without a trailing slash, and no ngrok', async () => {
    const fake = fakeProvider();
    const t = await openTunnel({ port: 3000, publicUrl: 'https://dev.example.test/', provider: fake.provider });
    expect(t).toMatchObject({ url: 'https://dev.example.test', kind: 'public-url' });
    expect(fake.calls).toHaveLength(0);
  });

  it('--public-url that is not a URL is a ConfigError naming the flag', async () => {
    await expect(openTunnel({ port: 3000, publicUrl: 'dev.example.test' })).rejects.toThrow(ConfigError);
    await expect(openTunnel({ port: 3000, publicUrl: 'ftp://dev.example.test' })).rejects.toThrow(/--public-url/);
  });

  it('ngrok without NGROK_AUTHTOKEN: a ConfigError saying to set it or use --public-url / --no-tunnel', async () => {
    const fake = fakeProvider();
    const e = await openTunnel({ port: 3000, provider: fake.provider }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).message).toContain('NGROK_AUTHTOKEN');
    expect((e as ConfigError).hint).toMatch(/NGROK_AUTHTOKEN.*--public-url.*--no-tunnel/);
    expect(fake.calls).toHaveLength(0);
  });

  it('ngrok: forwards the local port with the authtoken and domain, and closes', async () => {
    const fake = fakeProvider('https://static-name.ngrok-free.app/');
    const t = await openTunnel({ port: 54321, host: '0.0.0.0', authtoken: 'tok_123', domain: 'static-name.ngrok-free.app', provider: fake.provider });
    expect(t).toMatchObject({ url: 'https://static-name.ngrok-free.app', kind: 'ngrok' });
    expect(fake.calls[0]).toMatchObject({ addr: '127.0.0.1:54321', authtoken: 'tok_123', domain: 'static-name.ngrok-free.app' });
    await t.close();
    expect(fake.closed()).toBe(1);
  });

  it('says when the tunnel drops and when it is back', async () => {
    const fake = fakeProvider();
    const seen: TunnelStatus[] = [];
    const t = await openTunnel({ port: 1, authtoken: 't', provider: fake.provider, onStatus: (s) => seen.push(s), reconnectTimeoutMs: 100 });
    fake.status('down');
    fake.status('down'); // said once
    fake.status('up');
    await sleep(150);
    expect(seen).toEqual(['down', 'up']);
    await t.close();
  });

  it('a tunnel that does not come back within the timeout is lost', async () => {
    const fake = fakeProvider();
    const seen: TunnelStatus[] = [];
    const t = await openTunnel({ port: 1, authtoken: 't', provider: fake.provider, onStatus: (s) => seen.push(s), reconnectTimeoutMs: 50 });
    fake.status('down');
    await sleep(120);
    expect(seen).toEqual(['down', 'lost']);
    await t.close();
  });

  it('is silent once closed by us', async () => {
    const fake = fakeProvider();
    const seen: TunnelStatus[] = [];
    const t = await openTunnel({ port: 1, authtoken: 't', provider: fake.provider, onStatus: (s) => seen.push(s), reconnectTimeoutMs: 20 });
    await t.close();
    fake.status('down');
    await sleep(50);
    expect(seen).toEqual([]);
  });

  it('a provider failure is a TUNNEL_FAILED error with what to do', async () => {
    const provider: TunnelProvider = { name: 'ngrok', open: async () => { throw new Error('authentication failed: ERR_NGROK_105'); } };
    const e = (await openTunnel({ port: 1, authtoken: 'bad', provider }).catch((x: unknown) => x)) as LineGenesysError;
    expect(e).toBeInstanceOf(LineGenesysError);
    expect(e.code).toBe('TUNNEL_FAILED');
    expect(e.message).toContain('ERR_NGROK_105');
    expect(e.hint).toMatch(/NGROK_AUTHTOKEN.*--public-url/);
  });
});
