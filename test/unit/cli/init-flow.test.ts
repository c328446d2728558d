/** The Architect inbound message flow: one transfer per market, read from participant data `market`. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isUneditedFlow, loadFlowTemplate, renderFlow } from '../../../src/cli/commands/init/flow.js';

const template = loadFlowTemplate();
const flowOf = (text: string) => parse(text).inboundShortMessage;
const stateOf = (text: string) => flowOf(text).states[0].state;

describe('templates/architect/inbound-message-flow.yaml', () => {
  it('is valid YAML as it stands: an inbound message flow with its placeholders', () => {
    const flow = flowOf(template);
    expect(flow.name).toBe('{{flow_name}}');
    expect(flow.startUpRef).toBe(`/inboundShortMessage/states/state[${flow.states[0].state.refId}]`);
  });
});

describe('renderFlow', () => {
  const text = renderFlow(template, { prefix: 'LINE', markets: ['TH', 'TW', 'TH'] });
  const state = stateOf(text);

  it('reads market (and brand) from participant data into state variables', () => {
    const get = state.actions[0].getParticipantData;
    expect(get.attributes.map((a: any) => [a.attribute.name.lit, a.attribute.variable])).toEqual([['market', 'State.market'], ['brand', 'State.brand']]);
    expect(state.variables.map((v: any) => v.stringVariable.name)).toEqual(['State.market', 'State.brand']);
  });

  it('one decision per market (each once), each transferring to the queue "<prefix> <MARKET>"', () => {
    const decisions = state.actions.filter((a: any) => a.decision).map((a: any) => a.decision);
    expect(decisions.map((d: any) => d.condition.exp)).toEqual(['State.market == "TH"', 'State.market == "TW"']);
    expect(decisions.map((d: any) => d.outputs.yes.actions[0].transferToAcd.targetQueue.lit.name)).toEqual(['LINE TH', 'LINE TW']);
  });

  it('anything else goes to the default queue, then disconnects; no placeholder is left', () => {
    const tail = state.actions.slice(-2);
    expect(tail[0].transferToAcd.targetQueue.lit.name).toBe('LINE General');
    expect(tail[1]).toHaveProperty('disconnect');
    expect(flowOf(text).name).toBe('LINE inbound messages');
    expect(text).not.toMatch(/\{\{/);
  });

  it('quotes a prefix safely for YAML', () => {
    const odd = renderFlow(template, { prefix: 'Acme "LINE" \\ desk', markets: ['JP'] });
    expect(stateOf(odd).actions[1].decision.outputs.yes.actions[0].transferToAcd.targetQueue.lit.name).toBe('Acme "LINE" \\ desk JP');
  });

  it('is stamped, so init can tell its own output from an edited file', () => {
    expect(text.split('\n')[0]).toMatch(/^# line-genesys init: markets TH, TW; sha256 [0-9a-f]{16}$/);
    expect(isUneditedFlow(text)).toBe(true);
    expect(isUneditedFlow(text.replace('LINE General', 'Support'))).toBe(false);
    expect(isUneditedFlow(text.split('\n').slice(1).join('\n'))).toBe(false);
  });
});
