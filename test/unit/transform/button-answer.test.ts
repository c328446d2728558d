import { describe, expect, it } from 'vitest';
import { answerData, parseStoredAnswer, readAnswerData, storedAnswer, type ButtonAnswer } from '../../../src/transform/button-answer.js';

const ORIGIN = '5e6f7a8b9c0d4be2f3a4b5c6d7e8f9a0';
const thai: ButtonAnswer = { originatingMessageId: ORIGIN, type: 'QuickReply', text: 'โอนเงิน "ด่วน"', payload: 'refund_bank' };

describe('answerData: the answer in postback data when it fits', () => {
  it('writes lg1: and the JSON array [id, Q|B, text, payload], quotes escaped, Thai as is', () => {
    expect(answerData(thai)).toEqual({ data: `lg1:["${ORIGIN}","Q","โอนเงิน \\"ด่วน\\"","refund_bank"]` });
    expect(answerData({ ...thai, type: 'Button', text: 'Book Now' }).data).toBe(`lg1:["${ORIGIN}","B","Book Now","refund_bank"]`);
  });

  it('reads back what it wrote', () => {
    expect(readAnswerData(`lg1:["${ORIGIN}","Q","โอนเงิน \\"ด่วน\\"","refund_bank"]`)).toEqual({ answer: thai });
    expect(readAnswerData(`lg1:["${ORIGIN}","B","Book Now",""]`)).toEqual({ answer: { originatingMessageId: ORIGIN, type: 'Button', text: 'Book Now', payload: '' } });
  });
});

describe('answerData: a reference when the answer does not fit in 300 characters', () => {
  const long: ButtonAnswer = { ...thai, payload: 'x'.repeat(300) };

  it('puts lg1r: and a 22-character reference in data, and names the answer to keep under it', () => {
    const { data, keep } = answerData(long);
    expect(data).toMatch(/^lg1r:[A-Za-z0-9_-]{22}$/);
    expect(keep).toEqual({ ref: data.slice('lg1r:'.length), answer: long });
    expect(readAnswerData(data)).toEqual({ ref: data.slice('lg1r:'.length) });
  });

  it('the same answer gets the same reference (a retried push keeps what it sent); another answer another one', () => {
    expect(answerData({ ...long }).data).toBe(answerData(long).data);
    expect(answerData({ ...long, payload: 'y'.repeat(300) }).data).not.toBe(answerData(long).data);
    expect(answerData({ ...long, originatingMessageId: 'another' }).data).not.toBe(answerData(long).data);
  });

  it('a 300-character inline form still fits; 301 does not', () => {
    // lg1:["<32>","Q","Yes","<payload>"] is 53 characters plus the payload.
    const base = { originatingMessageId: ORIGIN, type: 'QuickReply' as const, text: 'Yes' };
    expect(answerData({ ...base, payload: 'p'.repeat(247) }).data).toHaveLength(300);
    expect(answerData({ ...base, payload: 'p'.repeat(247) }).keep).toBeUndefined();
    expect(answerData({ ...base, payload: 'p'.repeat(248) }).data).toMatch(/^lg1r:/);
  });
});

describe('readAnswerData: data the relay did not write is no answer', () => {
  it.each([
    ['a rich menu’s data', 'action=track&order=TH-20931'],
    ['an older relay’s bare payload', 'refund_bank'],
    ['not JSON after lg1:', 'lg1:{oops'],
    ['not an array of four strings', `lg1:["${ORIGIN}","Q","Yes"]`],
    ['an unknown button kind', `lg1:["${ORIGIN}","D","Yes","y"]`],
    ['no originating message', 'lg1:["","Q","Yes","y"]'],
    ['no text', `lg1:["${ORIGIN}","Q","","y"]`],
    ['a reference of the wrong length', 'lg1r:abc'],
    ['a reference with other characters', 'lg1r:AbCdEfGhIjKlMnOpQrSt/+'],
  ])('%s', (_what, data) => {
    expect(readAnswerData(data)).toBeUndefined();
  });

  it('no data at all', () => {
    expect(readAnswerData(undefined)).toBeUndefined();
    expect(readAnswerData(42)).toBeUndefined();
  });
});

describe('storedAnswer / parseStoredAnswer: the answer kept under a reference', () => {
  it('reads back what was kept', () => {
    const long: ButtonAnswer = { originatingMessageId: ORIGIN, type: 'Button', text: 'Book Now', payload: 'x'.repeat(500) };
    expect(parseStoredAnswer(storedAnswer(long))).toEqual(long);
  });

  it('nothing kept, or text that is not an answer: undefined', () => {
    expect(parseStoredAnswer(undefined)).toBeUndefined();
    expect(parseStoredAnswer('{oops')).toBeUndefined();
    expect(parseStoredAnswer('null')).toBeUndefined();
    expect(parseStoredAnswer(JSON.stringify({ originatingMessageId: ORIGIN, type: 'DatePicker', text: 't', payload: 'p' }))).toBeUndefined();
  });
});
