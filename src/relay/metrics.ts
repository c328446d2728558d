/** Counters and gauges for GET /metrics, in Prometheus text format. */

/** Gauges read when /metrics is asked: by name, rows of labels and value. */
export type Gauges = Record<string, Array<[Record<string, string>, number]>>;
export class Metrics {
  private counters = new Map<string, number>();
  /** Series keys already formatted, by a key that is cheap to build (counted on every webhook). */
  private keys = new Map<string, string>();

  inc(name: string, labels: Record<string, string> = {}, by = 1): void {
    const key = this.key(name, labels);
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  get(name: string, labels: Record<string, string> = {}): number {
    return this.counters.get(this.key(name, labels)) ?? 0;
  }

  private key(name: string, labels: Record<string, string>): string {
    let raw = name;
    for (const k in labels) raw += `\u0000${k}\u0001${labels[k]}`;
    let key = this.keys.get(raw);
    if (key === undefined) {
      key = `${name}${formatLabels(labels)}`;
      this.keys.set(raw, key);
    }
    return key;
  }

  render(gauges: Gauges = {}): string {
    const lines: string[] = [];
    const byName = new Map<string, string[]>();
    for (const [key, v] of this.counters) {
      const name = key.replace(/\{.*$/, '');
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name)!.push(`${key} ${v}`);
    }
    for (const [name, rows] of byName) lines.push(`# TYPE ${name} counter`, ...rows.sort());
    for (const [name, rows] of Object.entries(gauges)) {
      lines.push(`# TYPE ${name} gauge`, ...rows.map(([l, v]) => `${name}${formatLabels(l)} ${v}`));
    }
    return lines.join('\n') + '\n';
  }
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (!entries.length) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}
