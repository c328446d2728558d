/**
 * `init`'s flags, parsed: pure functions from commander's strings to checked values, each refusal a
 * UsageError (exit 2) that says what a good value looks like.
 */
import { CHANNEL_ID } from '../../../config.js';
import { UsageError } from '../../../errors.js';
import { GENESYS_REGIONS, knownRegions, regionDomain } from '../../../genesys/regions.js';

export interface InitOptions {
  region?: string;
  clientId?: string;
  clientSecret?: string;
  channel?: string[];
  lineSecret?: string[];
  lineToken?: string[];
  publicUrl?: string;
  integrationPrefix?: string;
  /** The Genesys division of the Architect flow and its queues (default Home). */
  division?: string;
  skipWebhook?: boolean;
  yes?: boolean;
  nonInteractive?: boolean;
  dryRun?: boolean;
  args?: unknown[];
}

export interface ChannelSpec {
  id: string;
  market: string;
  brand: string;
}

export function checkChannelId(id: string): true | string {
  return CHANNEL_ID.test(id) ? true : 'a short lowercase id such as th or tw (letters, digits, -)';
}

/** "th:TH:acme" → {id: th, market: TH, brand: acme}; the brand may itself contain ':'. */
export function parseChannelSpec(spec: string): ChannelSpec {
  const [id = '', market = '', ...rest] = spec.split(':');
  const brand = rest.join(':').trim();
  if (checkChannelId(id.trim()) !== true || !market.trim() || !brand) {
    throw new UsageError(`--channel "${spec}" is not <id>:<market>:<brand>`, {
      hint: 'Write it like --channel th:TH:acme (id: lowercase letters/digits, market: e.g. TH, brand: your brand name).',
    });
  }
  return { id: id.trim(), market: market.trim(), brand };
}

/** ["th=abc", "tw=def"] → {th: abc, tw: def}, for --line-secret / --line-token. */
export function parseAssignments(flag: string, values: string[] = [], ids: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    const id = eq > 0 ? v.slice(0, eq).trim() : '';
    const value = eq > 0 ? v.slice(eq + 1) : '';
    if (!id || !value) throw new UsageError(`${flag} expects <channel id>=<value>`, { hint: `Write it like ${flag} th=…` });
    if (!ids.includes(id)) {
      throw new UsageError(`${flag} names channel "${id}", which is not one of the channels (${ids.join(', ') || 'none'})`, {
        hint: 'Declare the channel with --channel <id>:<market>:<brand>.',
      });
    }
    out[id] = value;
  }
  return out;
}

export function checkRegion(region: string): true | string {
  return regionDomain(region) ? true : 'not a Genesys Cloud region (e.g. mypurecloud.jp or ap-northeast-1)';
}

export const REGION_HINT = `Known regions: ${knownRegions().join(', ')}.`;

/** The region question's choices, from the region table: named by AWS region first, so typing it jumps there. */
export function regionChoices(): Array<{ name: string; value: string }> {
  return Object.entries(GENESYS_REGIONS).map(([name, domain]) => ({ name: `${name} (${domain})`, value: name }));
}

/** Throws the UsageError for a flag value that a check refused. */
export function ensure(flag: string, value: string, check: (v: string) => true | string, hint?: string): string {
  const verdict = check(value);
  if (verdict !== true) throw new UsageError(`${flag} "${value}": ${verdict}`, hint ? { hint } : {});
  return value;
}
