/** Media bytes in memory, as the chunks they arrived in: for tests and the sandbox (store: memory). */
import { Readable } from 'node:stream';
import type { MediaBytes } from './media.js';

export class MemoryMediaBytes implements MediaBytes {
  private readonly items = new Map<string, { chunks: Buffer[]; expiresAt: number }>();

  async write(id: string, expiresAt: number, body: AsyncIterable<Uint8Array>): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk));
    this.items.set(id, { chunks, expiresAt });
  }

  async read(id: string): Promise<Readable | undefined> {
    const item = this.items.get(id);
    return item ? Readable.from(item.chunks, { objectMode: false }) : undefined;
  }

  async delete(id: string): Promise<void> {
    this.items.delete(id);
  }

  async prune(now: number): Promise<void> {
    for (const [id, item] of this.items) if (item.expiresAt <= now) this.items.delete(id);
  }
}
