/**
 * The Architect inbound message flow (Archy YAML) that routes on the `market` participant data,
 * rendered from templates/architect/inbound-message-flow.yaml for the configured markets.
 *
 * The template is valid YAML as it stands. It has `{{name}}` placeholders (inside double-quoted
 * strings) and one repeated block between the comment lines `# {{#markets}}` and `# {{/markets}}`,
 * written once per market.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const FLOW_TEMPLATE = new URL('../../../../templates/architect/inbound-message-flow.yaml', import.meta.url);
export const FLOW_FILE = 'architect/inbound-message-flow.yaml';

export interface FlowSettings {
  /** Integration name prefix, e.g. LINE: queues are "<prefix> <MARKET>". */
  prefix: string;
  markets: string[];
  /** The Genesys division of the flow and its queues. Default: Home. */
  division?: string;
}

/** Escapes a value for a YAML double-quoted string. */
function yamlEscape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in values ? yamlEscape(values[key]!) : whole));
}

/** The division of the flow and its queues: the one given (--division), else Home. */
export function flowDivision(division: string | undefined): string {
  return division?.trim() || 'Home';
}

export function queueName(prefix: string, market: string): string {
  return `${prefix} ${market}`;
}

/** The queues the flow transfers to: one per market, then the default one. */
export function flowQueues(s: FlowSettings): string[] {
  return [...[...new Set(s.markets)].map((m) => queueName(s.prefix, m)), queueName(s.prefix, 'General')];
}

const STAMP = /^# line-genesys init: markets (.*); sha256 ([0-9a-f]{16})\r?\n/;
const digest = (body: string) => createHash('sha256').update(body).digest('hex').slice(0, 16);

/**
 * The flow for these markets (each once, in the order given), stamped on its first line with a
 * digest of the rest, so a later run can tell its own untouched output from a file a person edited.
 */
export function renderFlow(template: string, s: FlowSettings): string {
  const markets = [...new Set(s.markets)];
  const section = /^[ \t]*# \{\{#markets\}\}[ \t]*\r?\n([\s\S]*?)^[ \t]*# \{\{\/markets\}\}[ \t]*\r?\n/m;
  const expanded = template.replace(section, (_all, block: string) =>
    markets.map((market) => fill(block, { market, queue: queueName(s.prefix, market) })).join(''),
  );
  const body = fill(expanded, { flow_name: `${s.prefix} inbound messages`, division: flowDivision(s.division), default_queue: queueName(s.prefix, 'General') });
  return `# line-genesys init: markets ${markets.join(', ')}; sha256 ${digest(body)}\n${body}`;
}

/** True when `text` is a flow init wrote and nobody changed since (its stamp still matches). */
export function isUneditedFlow(text: string): boolean {
  const m = STAMP.exec(text);
  return Boolean(m) && digest(text.slice(m![0].length)) === m![2];
}

export function loadFlowTemplate(): string {
  return readFileSync(FLOW_TEMPLATE, 'utf8');
}
