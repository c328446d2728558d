/**
 * Content over relay.mediaMaxSize (here video=1MB, file=64MB) is not kept: the agent gets the placeholder text,
 * as for content LINE no longer has, and nothing is left in the store's media folder. Content at
 * the cap is relayed. The SQLite store, so "nothing kept" is a look at the folder.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lineTemplate, startBed, type Bed } from '../helpers/bed.js';

const MB = 1024 * 1024;
let bed: Bed;
let folder: string;
beforeAll(async () => {
  const storePath = join(mkdtempSync(join(tmpdir(), 'lg-cap-')), 'relay.db');
  folder = `${storePath}-media`;
  bed = await startBed({ store: 'sqlite', storePath, env: { LINE_GENESYS_MEDIA_MAX_SIZE: 'video=1MB,file=64MB' } });
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.genesys.reset();
  bed.line.reset();
});

/**
 * GET on a connection of its own (closed after): the global fetch's pool could keep one open to the
 * relay, whose close would then wait out the keep-alive.
 */
function download(url: string): Promise<{ status: number; length: string | undefined; bytes: number }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ status: res.statusCode!, length: res.headers['content-length'], bytes }));
    }).on('error', reject);
  });
}

const filesKept = () => (existsSync(folder) ? readdirSync(folder) : []);

/** Posts the video (or file) template with content of `size` bytes; answers what Genesys got and the emulator's count of bytes made. */
async function sendVideo(size: number, noLength: boolean, template: 'video' | 'file' = 'video') {
  const body = lineTemplate(template);
  const id: string = body.events[0].message.id;
  bed.line.setContent(id, { body: { generate: size }, contentType: 'video/mp4', noLength });
  await bed.postLine(body);
  await bed.genesys.waitFor((g) => g.messages.length === 1, 30_000);
  return { id, message: bed.genesys.messages[0]!.body, sent: bed.line.contentOf(id)!.sent ?? 0 };
}

describe('media over relay.mediaMaxSize', () => {
  it('a Content-Length over the cap: the placeholder, without downloading the body', async () => {
    const before = filesKept();
    // 2 GB announced for a file capped at 64 MB: reading up to the cap would make 64 MB; what the
    // emulator made without being read (the socket's and the stream's buffers) is far less.
    const { id, message, sent } = await sendVideo(2048 * MB, false, 'file');
    expect(message.text).toBe(`[LINE file "receipt.pdf": content could not be fetched (message id ${id})]`);
    expect(message.content).toBeUndefined();
    expect(sent).toBeLessThan(32 * MB);
    expect(filesKept()).toEqual(before);
  });

  it('no Content-Length, a body that passes the cap while streaming: the placeholder, the partial file deleted', async () => {
    const before = filesKept();
    const { id, message, sent } = await sendVideo(MB + 1, true);
    expect(message.text).toBe(`[LINE video: content could not be fetched (message id ${id})]`);
    expect(sent).toBeGreaterThan(0);
    expect(filesKept()).toEqual(before);
  });

  it('content at the cap is relayed and served whole', async () => {
    const before = filesKept();
    const { message } = await sendVideo(MB, true);
    const served = await download(message.content![0]!.attachment.url);
    expect(served.status).toBe(200);
    expect(served.length).toBe(String(MB));
    expect(served.bytes).toBe(MB);
    expect(filesKept()).toHaveLength(before.length + 1);
  });
});
