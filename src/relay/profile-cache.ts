/** LINE profiles, cached for an hour so a chatty customer costs one profile call, not one per message. */
import type { LineProfileInfo } from '../transform/to-genesys.js';
import { setBounded } from './bounded-map.js';

export class ProfileCache {
  private entries = new Map<string, { value: LineProfileInfo | undefined; expiresAt: number }>();

  constructor(private readonly ttlMs = 3_600_000, private readonly max = 10_000) {}

  get(key: string, now: number): { value: LineProfileInfo | undefined } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: e.value };
  }

  set(key: string, value: LineProfileInfo | undefined, now: number): void {
    setBounded(this.entries, key, { value, expiresAt: now + this.ttlMs }, this.max);
  }
}
