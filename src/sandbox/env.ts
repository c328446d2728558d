/**
 * The environment that configures a relay against emulated LINE and Genesys APIs: what the
 * sandbox, the test bed and the benchmark all hand to loadConfig({ env }), so the relay there is
 * configured exactly as a user configures it (LINE_GENESYS_CHANNELS and LINE_<ID>_* variables).
 */
import { channelEnvNames } from '../config.js';

export interface EmulatedChannel {
  id: string;
  market: string;
  brand: string;
  botUserId: string;
  channelSecret: string;
  accessToken: string;
  integrationId: string;
  outboundSecret: string;
}

export interface EmulatorEnvOptions {
  lineUrl: string;
  genesysUrl: string;
  clientId: string;
  clientSecret: string;
  channels: readonly EmulatedChannel[];
  region?: string;
}

export function emulatorEnv(o: EmulatorEnvOptions, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    GENESYS_REGION: o.region ?? 'mypurecloud.jp',
    GENESYS_CLIENT_ID: o.clientId,
    GENESYS_CLIENT_SECRET: o.clientSecret,
    GENESYS_API_BASE_URL: o.genesysUrl,
    GENESYS_LOGIN_BASE_URL: o.genesysUrl,
    LINE_API_BASE_URL: o.lineUrl,
    LINE_DATA_API_BASE_URL: o.lineUrl,
    LINE_GENESYS_CHANNELS: o.channels.map((c) => c.id).join(','),
  };
  for (const c of o.channels) {
    const n = channelEnvNames(c.id);
    Object.assign(env, {
      [n.market]: c.market,
      [n.brand]: c.brand,
      [n.botUserId]: c.botUserId,
      [n.channelSecret]: c.channelSecret,
      [n.accessToken]: c.accessToken,
      [n.integrationId]: c.integrationId,
      [n.outboundSecret]: c.outboundSecret,
    });
  }
  return { ...env, ...extra };
}
