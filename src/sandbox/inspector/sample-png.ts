/**
 * A small picture for the sandbox customer to send (a landscape: sky, sun, hills), drawn and encoded
 * as a PNG here so the sandbox needs no file and no network.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes RGB pixels (width*height*3 bytes) as a PNG. */
export function encodePng(width: number, height: number, rgb: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) rgb.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

function pixel(x: number, y: number, w: number, h: number): [number, number, number] {
  const hill = h * 0.68 + Math.sin(x / w * Math.PI * 2) * h * 0.08;
  if (y > hill) return y > hill + 6 ? [6, 160, 80] : [6, 199, 85];
  if ((x - w * 0.72) ** 2 + (y - h * 0.3) ** 2 < (h * 0.14) ** 2) return [255, 204, 51];
  const t = y / h;
  return [Math.round(120 + 90 * t), Math.round(180 + 50 * t), 250];
}

let cached: Buffer | undefined;

/** A 160x120 PNG. */
export function samplePng(): Buffer {
  if (cached) return cached;
  const w = 160;
  const h = 120;
  const rgb = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgb.set(pixel(x, y, w, h), (y * w + x) * 3);
  return (cached = encodePng(w, h, rgb));
}
