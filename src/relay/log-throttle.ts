/**
 * One log line per key per interval, so a flood of refusals cannot flood the log: the first line is
 * written at once, and when the interval ends a summary says how many more there were.
 */
type Write = (msg: string, fields: Record<string, unknown>) => void;
export type ThrottledWrite = (key: string, msg: string, fields: Record<string, unknown>) => void;

export function createLogThrottle(intervalMs: number, write: Write): ThrottledWrite {
  const repeats = new Map<string, number>();
  return function throttled(key, msg, fields) {
    if (intervalMs <= 0) return write(msg, fields);
    const seen = repeats.get(key);
    if (seen !== undefined) {
      repeats.set(key, seen + 1);
      return;
    }
    write(msg, fields);
    repeats.set(key, 0);
    setTimeout(() => {
      const more = repeats.get(key) ?? 0;
      repeats.delete(key);
      if (more > 0) write(`${msg} (and ${more} more like it within ${intervalMs} ms)`, { ...fields, repeated: more });
    }, intervalMs).unref();
  };
}
