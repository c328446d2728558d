/**
 * templates/architect/inbound-message-flow.yaml read as Archy reads it: Archy's YAML reader follows YAML 1.1,
 * where an unquoted yes/no/on/off is a boolean, so a decision's `yes:` output would become `true:`.
 * The template and its rendering must read the same under YAML 1.1 and 1.2.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderFlow } from '../../src/cli/commands/init/flow.js';

const template = readFileSync(new URL('../../templates/architect/inbound-message-flow.yaml', import.meta.url), 'utf8');
const yaml11 = (text: string) => parse(text, { version: '1.1' });

/** Every key of every mapping, at any depth. */
function keys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keys);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keys(v)]);
  return [];
}

describe('templates/architect/inbound-message-flow.yaml under YAML 1.1', () => {
  it('reads the same as under YAML 1.2', () => {
    expect(yaml11(template)).toEqual(parse(template));
  });

  it('has no key a YAML 1.1 reader turns into a boolean; the decision outputs are "yes"', () => {
    const flow = yaml11(template).inboundShortMessage;
    expect(keys(flow).filter((k) => k === 'true' || k === 'false')).toEqual([]);
    const decision = flow.states[0].state.actions.find((a: Record<string, unknown>) => a.decision).decision;
    expect(Object.keys(decision.outputs)).toEqual(['yes']);
  });

  it('leaves the division and the queue names to init, as parameters', () => {
    const flow = yaml11(template).inboundShortMessage;
    expect(flow.division).toBe('{{division}}');
    const placeholders = [...new Set([...template.matchAll(/\{\{([#/]?\w+)\}\}/g)].map((m) => m[1]))];
    expect(placeholders.sort()).toEqual(['#markets', '/markets', 'default_queue', 'division', 'flow_name', 'market', 'queue']);
  });

  it('routes through the integration recipient: the instructions name recipient.id', () => {
    expect(template).toContain("PUT /api/v2/routing/message/recipients/{recipientId}");
    expect(template).toContain("recipientId is the integration's `recipient.id`");
  });

  it('rendered by init for two markets, still reads the same under YAML 1.1, with the division given', () => {
    const text = renderFlow(template, { prefix: 'LINE', markets: ['TH', 'TW'], division: 'Asia "North"' });
    const flow = yaml11(text).inboundShortMessage;
    expect(yaml11(text)).toEqual(parse(text));
    expect(flow.division).toBe('Asia "North"');
    const decisions = flow.states[0].state.actions.filter((a: Record<string, unknown>) => a.decision);
    expect(decisions.map((a: any) => a.decision.outputs.yes.actions[0].transferToAcd.targetQueue.lit.name)).toEqual(['LINE TH', 'LINE TW']);
    expect(keys(flow).filter((k) => k === 'true' || k === 'false')).toEqual([]);
    expect(renderFlow(template, { prefix: 'LINE', markets: ['TH'] })).toContain('division: "Home"');
  });
});
