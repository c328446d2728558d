/**
 * Genesys Cloud regions: the AWS region name and the domain its API and login hosts live under
 * (api.<domain>, login.<domain>). From the region table of the official SDKs (PureCloudRegionHosts of purecloud-platform-client-v2 v262).
 */
export const GENESYS_REGIONS: Readonly<Record<string, string>> = {
  'us-east-1': 'mypurecloud.com',
  'us-east-2': 'use2.us-gov-pure.cloud',
  'us-west-2': 'usw2.pure.cloud',
  'ca-central-1': 'cac1.pure.cloud',
  'eu-west-1': 'mypurecloud.ie',
  'eu-west-2': 'euw2.pure.cloud',
  'eu-central-1': 'mypurecloud.de',
  'eu-central-2': 'euc2.pure.cloud',
  'ap-northeast-1': 'mypurecloud.jp',
  'ap-northeast-2': 'apne2.pure.cloud',
  'ap-northeast-3': 'apne3.pure.cloud',
  'ap-southeast-2': 'mypurecloud.com.au',
  'ap-south-1': 'aps1.pure.cloud',
  'sa-east-1': 'sae1.pure.cloud',
  'me-central-1': 'mec1.pure.cloud',
  'mx-central-1': 'mxc1.pure.cloud',
  'ap-southeast-1': 'apse1.pure.cloud',
  'eusc-de-east-1': 'edee1.eusc-pure.cloud',
};

const DOMAINS = new Set(Object.values(GENESYS_REGIONS));

/** The domain for a region given as an AWS name ("ap-northeast-1") or a domain ("mypurecloud.jp"); undefined when unknown. */
export function regionDomain(region: string): string | undefined {
  const r = region.trim().toLowerCase();
  return GENESYS_REGIONS[r] ?? (DOMAINS.has(r) ? r : undefined);
}

export function knownRegions(): string[] {
  return Object.entries(GENESYS_REGIONS).map(([name, domain]) => `${domain} (${name})`);
}
