/**
 * The bench's processes talk over the fork IPC channel: the parent `call`s a command, the child
 * answers. The child side also samples its RSS, so the parent can ask for the peak under load.
 */
import { fork } from 'node:child_process';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

/**
 * Child side: answers {id, cmd, args} messages with handlers[cmd](args). Also samples RSS every
 * 100 ms and measures CPU time, for the built-in markUsage and usage commands.
 */
export function serveParent(handlers) {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }, 100);
  sampler.unref();
  let cpuAtMark = process.cpuUsage();
  // Where a slow answer can come from inside the process: event-loop stalls and GC pauses.
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let gc = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.totalMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const builtIn = {
    /** Starts a new window for the RSS peak and the CPU time. */
    markUsage: () => {
      peak = process.memoryUsage.rss();
      cpuAtMark = process.cpuUsage();
      loop.reset();
      gc = { count: 0, totalMs: 0, maxMs: 0 };
      return true;
    },
    /** RSS (peak since the mark, now, process high-water mark) and CPU ms (user + system) since the mark. */
    usage: () => {
      const now = process.memoryUsage.rss();
      const cpu = process.cpuUsage(cpuAtMark);
      return { rssPeak: Math.max(peak, now), rss: now, maxRss: process.resourceUsage().maxRSS * 1024, memory: process.memoryUsage(), cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        eventLoopDelay: { p50Ms: ms(loop.percentile(50)), p99Ms: ms(loop.percentile(99)), maxMs: ms(loop.max) },
        gc: { count: gc.count, totalMs: Math.round(gc.totalMs), maxMs: Math.round(gc.maxMs * 100) / 100 },
        // This thread's heap by space (MB committed): where the RSS goes, beside the other threads' and native memory.
        heapSpacesMb: Object.fromEntries(getHeapSpaceStatistics().map((sp) => [sp.space_name, Math.round(sp.physical_space_size / 1e5) / 10])) };
    },
  };
  process.on('message', async (msg) => {
    if (!msg || typeof msg !== 'object' || msg.id === undefined) return;
    const handler = handlers[msg.cmd] ?? builtIn[msg.cmd];
    try {
      if (!handler) throw new Error(`unknown command ${msg.cmd}`);
      const value = await handler(msg.args);
      process.send?.({ id: msg.id, ok: true, value });
    } catch (e) {
      process.send?.({ id: msg.id, ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) });
    }
  });
  // The parent going away ends the child (a crashed bench leaves nothing running).
  process.on('disconnect', () => process.exit(0));
}

/** Child side: tell the parent we are up. */
export function ready(info) {
  process.send?.({ ready: true, ...info });
}

/**
 * Parent side: forks `file` with `args`, waits for its ready message (bounded), and returns
 * { pid, info, call(cmd, args), stop() }. A child that exits early rejects with its stderr.
 */
export function startChild(file, args = [], { execArgv = [], timeoutMs = 15_000, env = process.env } = {}) {
  const child = fork(file, args, { execArgv, env, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    process.stderr.write(d);
  });
  const pending = new Map();
  let serial = 0;
  let exited;
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exited = { code, signal }))));
  child.on('message', (msg) => {
    const p = msg && pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new Error(`${file} ${p.cmd}: ${msg.error}`));
  });
  exitPromise.then(({ code, signal }) => {
    for (const p of pending.values()) p.reject(new Error(`${file} exited (${signal ?? code}) during ${p.cmd}\n${stderr}`));
    pending.clear();
  });

  const api = {
    pid: child.pid,
    info: undefined,
    call(cmd, callArgs, callTimeoutMs = 60_000) {
      if (exited) return Promise.reject(new Error(`${file} has exited (${exited.signal ?? exited.code})`));
      const id = ++serial;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${file} did not answer ${cmd} within ${callTimeoutMs} ms`));
        }, callTimeoutMs);
        const done = (f) => (v) => {
          clearTimeout(timer);
          f(v);
        };
        pending.set(id, { cmd, resolve: done(resolve), reject: done(reject) });
        child.send({ id, cmd, args: callArgs });
      });
    },
    /** Asks the child to stop (it exits itself, so --cpu-prof gets written); kills it after 10 s. */
    async stop() {
      if (exited) return exited;
      api.call('stop', undefined, 10_000).catch(() => {});
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const r = await exitPromise;
      clearTimeout(timer);
      return r;
    },
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} did not become ready within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('message', function onReady(msg) {
      if (!msg?.ready) return;
      clearTimeout(timer);
      child.off('message', onReady);
      api.info = msg;
      resolve(api);
    });
    exitPromise.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (${signal ?? code}) before it was ready\n${stderr}`));
    });
  });
}

/**
 * Child side, for a server with no queue of its own (bare, floor, naive): answers the parent's
 * `counts` (`running()`: requests still at work) and `stop` (closes the server, then `cleanup()`),
 * then says it is up, at the server's URL.
 */
export function serveServer(server, { running = () => 0, cleanup = () => {} } = {}) {
  serveParent({
    counts: () => ({ pending: 0, running: running(), dead: 0, done: 0 }),
    stop: () => {
      server.close();
      server.closeAllConnections();
      cleanup();
      setImmediate(() => process.exit(0));
      return true;
    },
  });
  ready({ url: `http://127.0.0.1:${server.address().port}` });
}
