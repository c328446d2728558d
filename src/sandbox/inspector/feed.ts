/**
 * What the inspector page is sent, as Server-Sent Events: every entry gets an id from one sequence,
 * the last `max` of each kind are kept, and a new (or reconnecting) client is sent what it missed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type FeedKind = 'activity' | 'chat';
export interface FeedEntry<T = unknown> { id: number; kind: FeedKind; data: T }

const HEARTBEAT_MS = 15_000;

export class EventFeed {
  private seq = 0;
  private readonly lists: Record<FeedKind, FeedEntry[]> = { activity: [], chat: [] };
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly max = 500) {
    this.heartbeat = setInterval(() => this.broadcast(': ping\n\n'), HEARTBEAT_MS).unref();
  }

  /** Adds an entry; `data` is given its id (as `id`) before it is kept and sent. */
  add<T extends object>(kind: FeedKind, data: T): FeedEntry<T & { id: number }> {
    const id = ++this.seq;
    const entry = { id, kind, data: { ...data, id } };
    const list = this.lists[kind];
    list.push(entry);
    if (list.length > this.max) list.splice(0, list.length - this.max);
    this.broadcast(frame(entry));
    return entry;
  }

  get(kind: FeedKind, id: number): FeedEntry | undefined {
    return this.lists[kind].find((e) => e.id === id);
  }

  list(kind: FeedKind): unknown[] {
    return this.lists[kind].map((e) => e.data);
  }

  /** Answers a GET with an event stream: first what the client has not seen, then everything new. */
  subscribe(req: IncomingMessage, res: ServerResponse): void {
    const last = Number(req.headers['last-event-id'] ?? 0) || 0;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 1000\n\n');
    const missed = [...this.lists.activity, ...this.lists.chat].filter((e) => e.id > last).sort((a, b) => a.id - b.id);
    for (const e of missed) res.write(frame(e));
    this.clients.add(res);
    const drop = () => this.clients.delete(res);
    req.on('close', drop);
    res.on('error', drop);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private broadcast(text: string): void {
    for (const res of this.clients) res.write(text);
  }
}

function frame(e: FeedEntry): string {
  return `id: ${e.id}\nevent: ${e.kind}\ndata: ${JSON.stringify(e.data)}\n\n`;
}
