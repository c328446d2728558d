/**
 * The bench's channels and the relay's environment: the same shape as test/helpers/bed.ts (two
 * channels, th and tw, configured through LINE_GENESYS_CHANNELS and LINE_<ID>_* variables), so the
 * relay is configured the way a user would configure it.
 */
import { emulatorEnv } from '../../dist/sandbox/env.js';

export const CHANNELS = {
  th: { id: 'th', market: 'TH', brand: 'acme', botUserId: 'U0f3c9a1b2c3d4e5f60718293a4b5c6d7', secret: 'th-channel-secret-0123456789abcdef', token: 'th-access-token', integrationId: 'a1b2c3d4-0000-4000-8000-000000000001', outboundSecret: 'th-outbound-secret-xyz' },
  tw: { id: 'tw', market: 'TW', brand: 'acme-tw', botUserId: 'Ubfae69cb9828e8817310a406b74bf8a2', secret: 'tw-channel-secret-fedcba9876543210', token: 'tw-access-token', integrationId: 'a1b2c3d4-0000-4000-8000-000000000002', outboundSecret: 'tw-outbound-secret-abc' },
};

export const GENESYS_CLIENT = { id: 'bench-client-id', secret: 'bench-client-secret' };

/** Environment for loadConfig({ env }) (and for the CLI run against the relay). */
export function relayEnv(upstreams, extra = {}) {
  return emulatorEnv(
    {
      lineUrl: upstreams.line,
      genesysUrl: upstreams.genesys,
      clientId: GENESYS_CLIENT.id,
      clientSecret: GENESYS_CLIENT.secret,
      channels: Object.values(CHANNELS).map((c) => ({ ...c, channelSecret: c.secret, accessToken: c.token })),
    },
    { LINE_GENESYS_LOG_LEVEL: 'silent', ...extra },
  );
}

/** Options of the bench's LINE emulator: the bench's bots, with profiles. */
export function lineEmulatorOptions(onRequest) {
  return {
    channels: Object.values(CHANNELS).map((c) => ({ accessToken: c.token, botUserId: c.botUserId, displayName: `Acme ${c.market}` })),
    defaultProfiles: true,
    onRequest,
  };
}

/** Options of the bench's Genesys emulator: the bench's OAuth client and one integration per channel. */
export function genesysEmulatorOptions(onRequest) {
  return {
    clientId: GENESYS_CLIENT.id,
    clientSecret: GENESYS_CLIENT.secret,
    allowHttpWebhooks: true,
    integrations: Object.values(CHANNELS).map((c) => ({
      id: c.integrationId,
      name: `LINE ${c.market}`,
      outboundNotificationWebhookUrl: 'http://127.0.0.1:9/webhook/genesys',
      outboundNotificationWebhookSignatureSecretToken: c.outboundSecret,
    })),
    onRequest,
  };
}
