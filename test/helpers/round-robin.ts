/** The round-robin forwarder (round-robin.mjs) as a child process in front of the relays. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitForExit } from './relay-process.js';

const SCRIPT = fileURLToPath(new URL('./round-robin.mjs', import.meta.url));

export interface RoundRobin {
  url: string;
  /** What the targets answered, by status; 502 where a target gave no answer. */
  statuses(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export function startRoundRobin(targets: string[]): Promise<RoundRobin> {
  const child = spawn(process.execPath, [SCRIPT, ...targets], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the forwarder did not start in 15 s; stderr: ${err}`)), 15_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1]!;
      resolve({
        url,
        statuses: async () => (await (await fetch(`${url}/__forwarder/statuses`)).json()) as Record<string, number>,
        close: async () => {
          child.kill('SIGKILL');
          await waitForExit(child);
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the forwarder exited with ${code}; stderr: ${err}`));
    });
  });
}
