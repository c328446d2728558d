/** Shared by dev and start: the --port flag, and listening with a readable refusal when the port is taken. */
import { LineGenesysError, UsageError } from '../../errors.js';

/** A port flag's value (0 takes any free port); anything else is bad usage. */
export function parsePort(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new UsageError(`${flag} must be a port number from 0 to 65535 (got "${value}")`);
  return n;
}

/** `relay.listen(port, host)`, with a port in use or not allowed said as such, and what to do. */
export async function listenOn(relay: { listen(port: number, host: string): Promise<string> }, port: number, host: string): Promise<string> {
  try {
    return await relay.listen(port, host);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw e;
    throw new LineGenesysError('PORT_UNAVAILABLE', `cannot listen on ${host}:${port}: ${code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}`, {
      hint: 'Stop what uses it, or pass --port <another port> (--port 0 takes any free one).',
    });
  }
}
