/** Percentiles over plain arrays of milliseconds (exact: the samples are kept, not bucketed). */

/** Sorted copy as a Float64Array (numeric sort). */
export function sorted(values) {
  const a = Float64Array.from(values);
  a.sort();
  return a;
}

/** Nearest-rank percentile of a sorted array; undefined when empty. */
export function percentile(sortedValues, p) {
  const n = sortedValues.length;
  if (n === 0) return undefined;
  const rank = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
  return sortedValues[rank];
}

/** { count, p50, p90, p99, max } of a list of milliseconds, rounded to 0.01 ms. */
export function summarize(values) {
  const s = sorted(values);
  const r = (v) => (v === undefined ? undefined : Math.round(v * 100) / 100);
  return { count: s.length, p50: r(percentile(s, 50)), p90: r(percentile(s, 90)), p99: r(percentile(s, 99)), max: r(s[s.length - 1]) };
}

export function median(values) {
  return percentile(sorted(values), 50);
}

/** High-resolution wall-clock time in ms, comparable across processes on one machine. */
export function wallNow() {
  return performance.timeOrigin + performance.now();
}
