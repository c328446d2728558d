/**
 * The `.env` file that holds the secrets, and the `.gitignore` lines that keep it and the store out of git.
 * Merging keeps every unrelated line (comments, other variables) where it was.
 */

/**
 * A value written so that parseDotenv (config.ts) reads back the same string: bare when safe,
 * else single-quoted (taken literally), else double-quoted (only \n is an escape there).
 */
export function formatDotenvValue(value: string): string {
  if (/^[A-Za-z0-9_\-.:/+=@~,]*$/.test(value)) return value;
  if (!value.includes("'") && !value.includes('\n')) return `'${value}'`;
  return `"${value.replace(/\n/g, '\\n')}"`;
}

/**
 * The text of `.env` with `updates` applied: a variable already there is replaced in place (its
 * last definition), a new one is appended; every other line is kept as it was.
 */
export function mergeDotenv(text: string, updates: Record<string, string>): string {
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const pending = new Map(Object.entries(updates));
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^\s*(export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(lines[i]!);
    const key = m?.[2];
    if (key && pending.has(key)) {
      lines[i] = `${m![1] ?? ''}${key}=${formatDotenvValue(pending.get(key)!)}`;
      pending.delete(key);
    }
  }
  if (pending.size) {
    if (lines.length && lines[lines.length - 1]!.trim() !== '') lines.push('');
    if (!lines.some((l) => l.includes('line-genesys'))) lines.push('# line-genesys (written by `line-genesys init`)');
    for (const [k, v] of pending) lines.push(`${k}=${formatDotenvValue(v)}`);
  }
  return lines.join('\n') + '\n';
}

const IGNORES_ENV = new Set(['.env', '/.env', '.env*', '/.env*', '*.env']);
/** The store's default folder (relay.storePath): it holds customers' messages. */
const STORE_FOLDER = '.line-genesys/';
const IGNORES_STORE = new Set(['.line-genesys', '.line-genesys/', '/.line-genesys', '/.line-genesys/']);

/** The `.gitignore` text with `.env` and the store's folder ignored, or undefined when both already are. */
export function withIgnored(text: string): string | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const add = [...(lines.some((l) => IGNORES_ENV.has(l)) ? [] : ['.env']), ...(lines.some((l) => IGNORES_STORE.has(l)) ? [] : [STORE_FOLDER])];
  if (add.length === 0) return undefined;
  const base = text === '' || text.endsWith('\n') ? text : text + '\n';
  return `${base}${add.join('\n')}\n`;
}
