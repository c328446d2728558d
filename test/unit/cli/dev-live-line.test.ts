import { PassThrough } from 'node:stream';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { createOutput } from '../../../src/cli/output.js';
import { activityRecord, activityBodies, formatActivity, resultClass } from '../../../src/cli/commands/dev/live-line.js';
import type { Activity } from '../../../src/relay/activity.js';

const ESC = '\u001b[';
const plain = new Chalk({ level: 0 });
const colour = new Chalk({ level: 1 });
const at = new Date(2025, 0, 2, 9, 5, 7).getTime();

const inbound: Activity = { at, direction: 'in', stage: 'delivery', status: 'delivered', type: 'message/text', channelId: 'th', market: 'TH', httpStatus: 200, latencyMs: 42, jobId: 7, source: { secret: 'payload' } };
const outbound: Activity = { at, direction: 'out', stage: 'webhook', status: 'accepted', type: 'Text', channelId: 'tw', market: 'TW', httpStatus: 200, jobId: 8 };

describe('formatActivity', () => {
  it('writes time, arrow, channel and market, type, result, latency and job', () => {
    const line = formatActivity(inbound, plain);
    expect(line).toMatch(/^09:05:07 --> th TH +message\/text +200 delivered +42 ms +job 7$/);
  });

  it('points the arrow back for Genesys → LINE and leaves out a latency it does not have', () => {
    const line = formatActivity(outbound, plain);
    expect(line).toMatch(/^09:05:07 <-- tw TW +Text +200 accepted +job 8$/);
    expect(line).not.toContain('ms');
  });

  it('adds the detail of a refusal or failure', () => {
    const line = formatActivity({ at, direction: 'in', stage: 'webhook', status: 'refused', type: 'signature_invalid', httpStatus: 401, detail: 'x-line-signature does not match' }, plain);
    expect(line).toContain('401 refused');
    expect(line).toContain('— x-line-signature does not match');
    expect(line).toContain('--> ?');
  });

  it('has no escape codes without colour, and colours the result by class with it', () => {
    for (const a of [inbound, outbound]) expect(formatActivity(a, plain)).not.toContain(ESC);
    const ok = formatActivity(inbound, colour);
    expect(ok).toContain(`${ESC}1mmessage/text`); // bold type
    expect(ok).toContain(`${ESC}32mdelivered`); // green
    expect(ok).toContain(`${ESC}2m09:05:07`); // dim time
    expect(formatActivity({ ...inbound, status: 'dead', httpStatus: undefined }, colour)).toContain(`${ESC}31mdead`); // red
    expect(formatActivity({ ...inbound, status: 'retrying', httpStatus: undefined }, colour)).toContain(`${ESC}33mretrying`); // yellow
    expect(formatActivity({ ...inbound, status: 'refused', httpStatus: 401 }, colour)).toContain(`${ESC}33m401`);
  });

  it('honours NO_COLOR through the CLI output even on a terminal', () => {
    const stdout = Object.assign(new PassThrough(), { isTTY: true });
    const withColour = createOutput({ stdout, stderr: stdout, stdin: new PassThrough(), env: {}, cwd: '.' }, { json: false });
    const noColour = createOutput({ stdout, stderr: stdout, stdin: new PassThrough(), env: { NO_COLOR: '1' }, cwd: '.' }, { json: false });
    expect(formatActivity(inbound, withColour.color)).toContain(ESC);
    expect(formatActivity(inbound, noColour.color)).not.toContain(ESC);
  });
});

describe('formatActivity: ids and columns', () => {
  const quick: Activity = { at, direction: 'out', stage: 'webhook', status: 'accepted', type: 'Structured/QuickReply', channelId: 'th', market: 'TH', httpStatus: 200, jobId: 1, id: '3f1c0e8a9b2d4c6e8f0a1b2c3d4e5f60' };
  const sticker: Activity = { at, direction: 'in', stage: 'webhook', status: 'accepted', type: 'message/sticker', channelId: 'th', market: 'TH', httpStatus: 200, jobId: 2, id: '01JDQ7Z3A4B5C6D7E8F9G0H1J2' };

  it('prints the event id that simulate prints', () => {
    expect(formatActivity(quick, plain)).toContain('3f1c0e8a9b2d4c6e8f0a1b2c3d4e5f60');
    expect(formatActivity(sticker, plain)).toContain('01JDQ7Z3A4B5C6D7E8F9G0H1J2');
  });

  it('keeps the columns aligned for a long type such as Structured/QuickReply', () => {
    const a = formatActivity(quick, plain);
    const b = formatActivity(sticker, plain);
    const short = formatActivity(inbound, plain);
    expect(a.indexOf('200 accepted')).toBe(short.indexOf('200 delivered'));
    expect(b.indexOf('200 accepted')).toBe(short.indexOf('200 delivered'));
    expect(a.indexOf('job 1')).toBe(b.indexOf('job 2'));
    const delivered = formatActivity({ ...quick, stage: 'delivery', status: 'delivered', httpStatus: undefined, latencyMs: 501 }, plain);
    expect(delivered.indexOf(quick.id!)).toBe(a.indexOf(quick.id!));
    expect(formatActivity({ ...quick, type: 'Structured/Attachment+QuickReply' }, plain).indexOf('200 accepted')).toBe(a.indexOf('200 accepted'));
  });

  it('shows a retry with its type and the upstream status', () => {
    const line = formatActivity({ at, direction: 'out', stage: 'delivery', status: 'retrying', type: 'Text', channelId: 'th', market: 'TH', httpStatus: 503, jobId: 4, detail: 'LINE push answered 503 (retry in 1000 ms)' }, plain);
    expect(line).toMatch(/<-- th TH +Text +503 retrying/);
  });

  it('--verbose: the bodies under the line, indented', () => {
    const lines = activityBodies({ ...inbound, produced: { text: 'hi' } });
    expect(lines).toEqual(['    in   {"secret":"payload"}', '    out  {"text":"hi"}']);
    expect(activityBodies({ ...inbound, source: undefined })).toEqual([]);
  });
});

describe('resultClass', () => {
  it.each([
    [{ status: 'delivered' }, 'ok'],
    [{ status: 'accepted', httpStatus: 200 }, 'ok'],
    [{ status: 'duplicate', httpStatus: 200 }, 'muted'],
    [{ status: 'ignored' }, 'muted'],
    [{ status: 'retrying' }, 'warn'],
    [{ status: 'refused', httpStatus: 401 }, 'warn'],
    [{ status: 'refused', httpStatus: 503 }, 'fail'],
    [{ status: 'failed' }, 'fail'],
    [{ status: 'dead' }, 'fail'],
  ] as const)('%j is %s', (a, cls) => {
    expect(resultClass(a)).toBe(cls);
  });
});

describe('activityRecord (--json)', () => {
  it('is the event with an ISO time and without payloads', () => {
    const r = activityRecord(inbound);
    expect(r).toMatchObject({ event: 'activity', direction: 'in', status: 'delivered', type: 'message/text', channelId: 'th', latencyMs: 42, time: new Date(at).toISOString() });
    expect(r).not.toHaveProperty('source');
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('carries the payloads with --verbose', () => {
    expect(activityRecord(inbound, true)).toHaveProperty('source', { secret: 'payload' });
  });
});
