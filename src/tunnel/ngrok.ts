/**
 * ngrok through its official Node library (@ngrok/ngrok: the agent is compiled into the npm package,
 * nothing is downloaded at run time). Imported only when a tunnel is actually opened.
 */
import type { ProviderOpenOptions, ProviderTunnel, TunnelProvider } from './index.js';

export const ngrokProvider: TunnelProvider = {
  name: 'ngrok',
  async open(o: ProviderOpenOptions): Promise<ProviderTunnel> {
    const ngrok = await import('@ngrok/ngrok');
    const listener = await ngrok.forward({
      addr: o.addr,
      authtoken: o.authtoken,
      ...(o.domain ? { domain: o.domain } : {}),
      // The library calls this with 'closed' when the session to ngrok drops, and again when it reconnects.
      onStatusChange: (status: string) => o.onStatus(status === 'closed' ? 'down' : 'up'),
    });
    const url = listener.url();
    if (!url) {
      await listener.close().catch(() => {});
      throw new Error('ngrok gave no URL for the tunnel');
    }
    return { url, close: () => listener.close() };
  },
};
