/**
 * The bench's channels and the relay's environment: the same shape as test/helpers/bed.ts (two
 * channels, th and tw, configured through LINE_GENESYS_CHANNELS and LINE_<ID>_* variables), so the
 * relay is configured the way a user would configure it.
 */
export const CHANNELS = {
  th: { id: 'th', market: 'TH', brand: 'acme', botUserId: 'U0f3c9a1b2c3d4e5f60718293a4b5c6d7', secret: 'th-channel-secret-0123456789abcdef', token: 'th-access-token', integrationId: 'a1b2c3d4-0000-4000-8000-000000000001', outboundSecret: 'th-outbound-secret-xyz' },
  tw: { id: 'tw', market: 'TW', brand: 'acme-tw', botUserId: 'Ubfae69cb9828e8817310a406b74bf8a2', secret: 'tw-channel-secret-fedcba9876543210', token: 'tw-access-token', integrationId: 'a1b2c3d4-0000-4000-8000-000000000002', outboundSecret: 'tw-outbound-secret-abc' },
};

export const GENESYS_CLIENT = { id: 'bench-client-id', secret: 'bench-client-secret' };

/** Environment for loadConfig({ env }) (and for the CLI run against the relay). */
export function relayEnv(upstreams, extra = {}) {
  const env = {
    GENESYS_REGION: 'mypurecloud.jp',
    GENESYS_CLIENT_ID: GENESYS_CLIENT.id,
    GENESYS_CLIENT_SECRET: GENESYS_CLIENT.secret,
    GENESYS_API_BASE_URL: upstreams.genesys,
    GENESYS_LOGIN_BASE_URL: upstreams.genesys,
    LINE_API_BASE_URL: upstreams.line,
    LINE_DATA_API_BASE_URL: upstreams.line,
    LINE_GENESYS_CHANNELS: 'th,tw',
    LINE_GENESYS_LOG_LEVEL: 'silent',
  };
  for (const c of Object.values(CHANNELS)) {
    const up = c.id.toUpperCase();
    env[`LINE_${up}_MARKET`] = c.market;
    env[`LINE_${up}_BRAND`] = c.brand;
    env[`LINE_${up}_BOT_USER_ID`] = c.botUserId;
    env[`LINE_${up}_CHANNEL_SECRET`] = c.secret;
    env[`LINE_${up}_ACCESS_TOKEN`] = c.token;
    env[`LINE_${up}_INTEGRATION_ID`] = c.integrationId;
    env[`GENESYS_${up}_OUTBOUND_SECRET`] = c.outboundSecret;
  }
  return { ...env, ...extra };
}
