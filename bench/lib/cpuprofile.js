/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time by function,
 * inclusive time of our own functions (dist/), and self time by area (ours, node:http, SQLite, GC…).
 */
import { readFileSync } from 'node:fs';

function where(frame) {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `ours ${url.slice(dist + 1)}`;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 14).split('/');
    return `pkg ${rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node ').replace(/\/.*$/, '');
  return url.replace(/^file:\/\//, '');
}

function label(frame) {
  const file = frame.url ? frame.url.replace(/^.*\/(dist|node_modules)\//, '$1/').replace(/^file:\/\//, '') : '';
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
}

export function analyzeProfile(path, top = 15) {
  const p = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i + 1] ?? 0;
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
  }
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);
  const idleUs = p.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((a, n) => a + (self.get(n.id) ?? 0), 0);
  const busyUs = totalUs - idleUs;

  const selfBy = new Map();
  const areaBy = new Map();
  const inclusive = new Map();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n || n.callFrame.functionName === '(idle)') continue;
    selfBy.set(label(n.callFrame), (selfBy.get(label(n.callFrame)) ?? 0) + us);
    areaBy.set(where(n.callFrame), (areaBy.get(where(n.callFrame)) ?? 0) + us);
    // Inclusive time of our functions: charge each distinct one of them on the stack once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame;
      if (!f.url.includes('/dist/')) continue;
      const l = label(f);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    }
  }
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), pctOfBusy: Math.round((1000 * us) / busyUs) / 10 }));
  return { file: path, wallMs: Math.round(totalUs / 1000), busyMs: Math.round(busyUs / 1000), self: rank(selfBy), areas: rank(areaBy), oursInclusive: rank(inclusive) };
}

export function formatProfile(a) {
  const lines = [`${a.file}: ${a.busyMs} ms busy of ${a.wallMs} ms`];
  const table = (title, rows) => {
    lines.push(`  ${title}`);
    for (const r of rows) lines.push(`    ${String(r.pctOfBusy).padStart(5)}%  ${String(r.ms).padStart(6)} ms  ${r.name}`);
  };
  table('self time by area (% of busy)', a.areas);
  table('self time by function', a.self);
  table('inclusive time of our functions (dist/)', a.oursInclusive);
  return lines.join('\n');
}
