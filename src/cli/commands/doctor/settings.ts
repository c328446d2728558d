/**
 * Every setting of the loaded config, its value (secrets masked) and where it came from
 * (config.sources: a flag, the environment, .env, the config file or the default), for `doctor`.
 */
import { SECRET_KEYS, type Config, type ValueSource } from '../../../config.js';
import { maskSecret, printable } from '../../../log.js';

export interface SettingSource {
  setting: string;
  value: string;
  source: string;
}

const FROM: Record<ValueSource, string> = { flag: 'flag', env: 'environment', dotenv: '.env', file: 'config file', default: 'default' };

/** The value at a dotted path; durations are held in milliseconds under `<name>Ms`, the limits under relay.limits. */
function valueAt(config: Config, path: string): { value: unknown; ms: boolean } {
  const [group, ...rest] = path.split('.');
  const key = rest.at(-1)!;
  if (group === 'channels') return { value: config.channels.find((c) => c.id === rest[0])?.[key as keyof Config['channels'][number]], ms: false };
  const holders = [(config as unknown as Record<string, Record<string, unknown> | undefined>)[group!], group === 'relay' ? (config.relay.limits as unknown as Record<string, unknown>) : undefined];
  for (const h of holders) {
    if (h?.[key] !== undefined) return { value: h[key], ms: false };
    if (h?.[`${key}Ms`] !== undefined) return { value: h[`${key}Ms`], ms: true };
  }
  return { value: undefined, ms: false };
}

/** 604800000 -> "7d": the unit a person would have written. */
function duration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms !== 0 && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

export function settingSources(config: Config): SettingSource[] {
  return Object.entries(config.sources).map(([setting, source]) => {
    const { value, ms } = valueAt(config, setting);
    const shown = SECRET_KEYS.includes(setting.split('.').at(-1)!) ? maskSecret(value as string | undefined) : value === undefined ? '(not set)' : ms ? duration(value as number) : String(value);
    return { setting, value: shown, source: FROM[source] };
  });
}

/** The settings as an aligned table under a title; a value is printed escaped (it may come from any file or variable). */
export function formatSettings(raw: SettingSource[]): string {
  const rows = raw.map((r) => ({ ...r, value: printable(r.value) }));
  const w = Math.max(...rows.map((r) => r.setting.length));
  const v = Math.max(...rows.map((r) => r.value.length));
  return ['Settings, and where each came from:', ...rows.map((r) => `  ${r.setting.padEnd(w)}  ${r.value.padEnd(v)}  ${r.source}`)].join('\n');
}
