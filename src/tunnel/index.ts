/**
 * The public URL `dev` gives LINE and Genesys: an ngrok tunnel (the library is imported only when a
 * tunnel is opened), your own URL (--public-url), or none (--no-tunnel). The tunnel service sits
 * behind `TunnelProvider`, so tests can stand in for it; the rest of this module is the same either way.
 */
import { ConfigError, LineGenesysError } from '../errors.js';
import { checkUrl } from '../url.js';
import { ngrokProvider } from './ngrok.js';

/** What a tunnel service has to do: forward a public URL to a local address and say when it drops. */
export interface TunnelProvider {
  readonly name: string;
  open(o: ProviderOpenOptions): Promise<ProviderTunnel>;
}

export interface ProviderOpenOptions {
  /** Local address to forward to: "127.0.0.1:3000" or a port. */
  addr: string;
  authtoken: string;
  domain?: string;
  /** 'down' when the connection to the service is lost, 'up' when it is back. */
  onStatus(status: 'down' | 'up'): void;
}

export interface ProviderTunnel {
  url: string;
  close(): Promise<void>;
}

export type TunnelKind = 'ngrok' | 'public-url' | 'none';
/** 'down': dropped, reconnecting; 'up': back; 'lost': not back within the reconnect timeout. */
export type TunnelStatus = 'down' | 'up' | 'lost';

export interface Tunnel {
  url: string | undefined;
  kind: TunnelKind;
  close(): Promise<void>;
}

export interface OpenTunnelOptions {
  port: number;
  /** Local host the relay listens on (default 127.0.0.1). */
  host?: string;
  publicUrl?: string;
  noTunnel?: boolean;
  domain?: string;
  /** NGROK_AUTHTOKEN. */
  authtoken?: string;
  /** The tunnel service used when neither publicUrl nor noTunnel is given (default ngrok). */
  provider?: TunnelProvider;
  onStatus?: (status: TunnelStatus) => void;
  /** How long a dropped tunnel may stay down before it counts as lost (default 60 s). */
  reconnectTimeoutMs?: number;
}

/** Opens the tunnel the options ask for. Throws ConfigError when ngrok is wanted but has no authtoken. */
export async function openTunnel(o: OpenTunnelOptions): Promise<Tunnel> {
  if (o.noTunnel) return { url: undefined, kind: 'none', close: async () => {} };
  if (o.publicUrl) return { url: checkUrl(o.publicUrl, { setting: '--public-url', hint: 'Give the full URL of your tunnel, e.g. https://my-tunnel.example.com.' }), kind: 'public-url', close: async () => {} };
  if (!o.authtoken) {
    throw new ConfigError('NGROK_AUTHTOKEN', 'is not set, so no ngrok tunnel can be opened', {
      hint: 'Set NGROK_AUTHTOKEN (dashboard.ngrok.com > Your Authtoken) in the environment or .env, or pass --public-url <your tunnel> or --no-tunnel.',
    });
  }
  const provider = o.provider ?? ngrokProvider;
  const reconnectTimeoutMs = o.reconnectTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let closing = false;
  const status = (s: 'down' | 'up') => {
    if (closing) return;
    if (s === 'down' && !timer) {
      o.onStatus?.('down');
      timer = setTimeout(() => o.onStatus?.('lost'), reconnectTimeoutMs);
    } else if (s === 'up' && timer) {
      clearTimeout(timer);
      timer = undefined;
      o.onStatus?.('up');
    }
  };
  const host = o.host && o.host !== '0.0.0.0' && o.host !== '::' ? o.host : '127.0.0.1';
  let opened: ProviderTunnel;
  try {
    opened = await provider.open({
      addr: `${host.includes(':') ? `[${host}]` : host}:${o.port}`,
      authtoken: o.authtoken,
      ...(o.domain ? { domain: o.domain } : {}),
      onStatus: status,
    });
  } catch (e) {
    if (e instanceof LineGenesysError) throw e;
    throw new LineGenesysError('TUNNEL_FAILED', `${provider.name} could not open a tunnel: ${(e as Error)?.message ?? e}`, {
      hint: o.domain
        ? `Check NGROK_AUTHTOKEN and that the domain ${o.domain} is yours in the ngrok dashboard; or pass --public-url or --no-tunnel.`
        : 'Check NGROK_AUTHTOKEN and your connection; or pass --public-url <your tunnel> or --no-tunnel.',
      cause: e,
    });
  }
  return {
    url: opened.url.replace(/\/+$/, ''),
    kind: 'ngrok',
    async close() {
      closing = true;
      if (timer) clearTimeout(timer);
      await opened.close();
    },
  };
}
