/**
 * Structured logs with redaction. One JSON object per line (or a readable line for people), always
 * to stderr by default so that stdout stays for results. Any field whose name looks like a secret is
 * replaced before it is written; `maskSecret` shows just enough of a secret to recognise it.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

const SECRET_KEY = /secret|token|authorization|signature|password|api[-_]?key|cookie/i;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
  readonly level: LogLevel;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'json' | 'pretty';
  write?: (line: string) => void;
  bindings?: Record<string, unknown>;
}

/**
 * Characters a terminal acts on rather than prints: C0 (ESC starts a control sequence, CR and LF
 * start a forged line), DEL, C1 (U+009B is CSI to some terminals), the line and paragraph
 * separators, and the bidi overrides and isolates that reorder what follows them.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from outside (a webhook path, a refusal reason) made safe to print to a terminal: each
 * character above as its escape, `\x1b` or `\u202e`. Everything else is kept as it is.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16)}`;
  });
}

/**
 * JSON.stringify, with the characters above that it leaves raw (DEL, C1, U+2028/2029, the bidi
 * controls) written as \\u escapes too: the line parses to the same value and prints safely.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Replaces the values of secret-looking keys, recursively (bounded depth). */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message, ...(redact({ ...value }, depth + 1) as object) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

/** "••••c0de (32 chars)": enough to tell two secrets apart, never enough to use one. */
export function maskSecret(secret: string | undefined): string {
  if (!secret) return '(not set)';
  if (secret.length < 12) return `•••• (${secret.length} chars)`;
  return `••••${secret.slice(-4)} (${secret.length} chars)`;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const format = opts.format ?? 'json';
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const bindings = opts.bindings ?? {};

  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[lvl] < ORDER[level]) return;
    const data = redact({ ...bindings, ...fields }) as Record<string, unknown>;
    if (format === 'json') {
      write(jsonLine({ time: new Date().toISOString(), level: lvl, msg, ...data }));
    } else {
      const extra = Object.entries(data)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      write(printable(`${lvl.padEnd(5)} ${msg}${extra ? ' ' + extra : ''}`));
    }
  };

  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (b) => createLogger({ level, format, write, bindings: { ...bindings, ...b } }),
  };
}

export const silentLogger: Logger = createLogger({ level: 'silent' });

export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  if (!value) return undefined;
  const v = value.toLowerCase();
  return v in ORDER ? (v as LogLevel) : undefined;
}
