/**
 * The sandbox's channels and credentials. They are fixed, public values (like a payment provider's
 * test keys), derived from their names: they unlock nothing but the in-process emulators, and being
 * fixed lets `line-genesys simulate --sandbox` sign events for a `dev --sandbox` running elsewhere.
 * Kept apart from the emulators so the CLI can read them without loading those.
 */
import { createHash } from 'node:crypto';
import type { ChannelConfig } from '../config.js';
import type { EmulatedChannel } from './env.js';

export type SandboxChannel = EmulatedChannel;

const digest = (label: string) => createHash('sha256').update(`line-genesys sandbox ${label}`).digest();

function uuid(label: string): string {
  const h = digest(label).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const SANDBOX_DEMO = [
  { id: 'th', market: 'TH', brand: 'acme', customer: { displayName: 'Somchai Jaidee', language: 'th' } },
  { id: 'tw', market: 'TW', brand: 'acme', customer: { displayName: 'Mei-Ling Chen', language: 'zh-TW' } },
] as const;

export const SANDBOX_CLIENT = { clientId: uuid('genesys client id'), clientSecret: digest('genesys client secret').toString('base64url').slice(0, 32) };

export function sandboxChannels(): SandboxChannel[] {
  return SANDBOX_DEMO.map((d) => ({
    id: d.id,
    market: d.market,
    brand: d.brand,
    botUserId: `U${digest(`${d.id} bot`).toString('hex').slice(0, 32)}`,
    channelSecret: digest(`${d.id} channel secret`).toString('hex').slice(0, 32),
    accessToken: digest(`${d.id} access token`).toString('base64url'),
    integrationId: uuid(`${d.id} integration`),
    outboundSecret: digest(`${d.id} outbound secret`).toString('base64url').slice(0, 32),
  }));
}

/** The sandbox channels as relay configuration (what `simulate --sandbox` signs with). */
export function sandboxChannelConfigs(): ChannelConfig[] {
  return sandboxChannels();
}
