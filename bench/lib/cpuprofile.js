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

/**
 * The stage of a webhook's life a sample belongs to: the first rule that a frame of its stack meets
 * (the leaf's own frame counts), in this order. The floor's and the relay's profiles side by side,
 * by stage, say where the relay spends what the floor does not (BENCHMARKS.md, issue 15).
 */
const STAGES = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['store (SQLite, batching)', (f) => /\/dist\/store\/|\/better-sqlite3\//.test(f.url)],
  ['LINE signature (HMAC)', (f) => /\/dist\/signature\.js$/.test(f.url) || f.url === 'node:internal/crypto/hash'],
  ['Genesys POST (client, undici)', (f) => /\/undici\/|\/dist\/upstream\.js$|\/dist\/genesys\/client\.js$/.test(f.url)],
  ['parse + validate the webhook', (f) => /\/dist\/(http\/parse-json|relay\/validate-line)\.js$/.test(f.url)],
  ['HTTP server (request in, answer out)', (f) => /^node:(_http_|net$|internal\/streams|internal\/stream_base|internal\/http)/.test(f.url) || f.functionName === 'writev' || f.url.startsWith('wasm:') || /\/dist\/(http\/send|http\/read-body|relay\/node-listener)\.js$/.test(f.url)],
  ['relay logic (jobs, transform, worker, observe)', (f) => /\/dist\/(relay|transform|genesys|line)\//.test(f.url)],
];
const OTHER_STAGE = 'other (timers, microtasks, node internals)';

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
  const stageBy = new Map();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n || n.callFrame.functionName === '(idle)') continue;
    const stack = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) stack.push(byId.get(cur).callFrame);
    const stage = STAGES.find(([, meets]) => stack.some(meets))?.[0] ?? OTHER_STAGE;
    stageBy.set(stage, (stageBy.get(stage) ?? 0) + us);
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
  return { file: path, wallMs: Math.round(totalUs / 1000), busyMs: Math.round(busyUs / 1000), stages: rank(stageBy), self: rank(selfBy), areas: rank(areaBy), oursInclusive: rank(inclusive) };
}

export function formatProfile(a) {
  const lines = [`${a.file}: ${a.busyMs} ms busy of ${a.wallMs} ms`];
  const table = (title, rows) => {
    lines.push(`  ${title}`);
    for (const r of rows) lines.push(`    ${String(r.pctOfBusy).padStart(5)}%  ${String(r.ms).padStart(6)} ms  ${r.name}`);
  };
  table('time by stage of a webhook (% of busy)', a.stages);
  table('self time by area (% of busy)', a.areas);
  table('self time by function', a.self);
  table('inclusive time of our functions (dist/)', a.oursInclusive);
  return lines.join('\n');
}
