/**
 * The config file `init` writes: structure only (region, channels, integration ids, public URL),
 * never a secret. An existing file is merged: settings `init` does not manage are kept, and so are
 * channels it was not asked about.
 */
import type { ConfigFile } from '../../../config.js';

export type FileChannel = NonNullable<ConfigFile['channels']>[number];

export interface ConfiguredChannel {
  id: string;
  market: string;
  brand: string;
  botUserId?: string;
  integrationId?: string;
}

export function fileChannel(file: ConfigFile | undefined, id: string): FileChannel | undefined {
  return file?.channels?.find((c) => c?.id === id);
}

/** `existing` with init's settings applied. Pure. */
export function buildConfigFile(
  existing: ConfigFile | undefined,
  settings: { region: string; publicUrl: string | undefined; channels: ConfiguredChannel[] },
): ConfigFile {
  const base: ConfigFile = existing ? structuredClone(existing) : {};
  const channels: FileChannel[] = [...(base.channels ?? [])];
  for (const c of settings.channels) {
    const i = channels.findIndex((f) => f?.id === c.id);
    const merged: FileChannel = {
      ...(i >= 0 ? channels[i] : {}),
      id: c.id,
      market: c.market,
      brand: c.brand,
      ...(c.botUserId ? { botUserId: c.botUserId } : {}),
      ...(c.integrationId ? { integrationId: c.integrationId } : {}),
    };
    if (i >= 0) channels[i] = merged;
    else channels.push(merged);
  }
  return {
    ...base,
    genesys: { ...base.genesys, region: settings.region },
    channels,
    ...(settings.publicUrl || base.relay ? { relay: { ...base.relay, ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}) } } : {}),
  };
}

export function formatConfigFile(file: ConfigFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}
