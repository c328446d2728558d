/**
 * init's first step, usable as each answer is given: a Genesys token for the region and OAuth
 * client, and each LINE channel's bot for its access token. Each success is remembered, so a
 * credential checked when it was entered is not asked of the platform again.
 */
import { LineGenesysError } from '../../../errors.js';
import { GenesysClient } from '../../../genesys/client.js';
import { LineClient } from '../../../line/client.js';
import type { CallLog } from './call-log.js';
import { botInfo, type BotInfo } from './line-channels.js';

export class Credentials {
  private readonly genesysClients = new Map<string, GenesysClient>();
  private readonly bots = new Map<string, BotInfo>();

  /** `genesysUrls`: the base URLs for a region (config.ts's rules: flags, environment, defaults). */
  constructor(
    private readonly genesysUrls: (region: string) => { api: string; login: string },
    private readonly lineApi: string,
    private readonly log: CallLog,
  ) {}

  /** A client whose token Genesys issued; rejects with the typed error when it refuses. */
  async genesys(region: string, clientId: string, clientSecret: string): Promise<GenesysClient> {
    const key = JSON.stringify([region, clientId, clientSecret]);
    const known = this.genesysClients.get(key);
    if (known) return known;
    const urls = this.genesysUrls(region);
    const client = new GenesysClient({ apiBaseUrl: urls.api, loginBaseUrl: urls.login, clientId, clientSecret });
    await this.log.read('POST', `${urls.login}/oauth/token`, () => client.tokens.get(), 'grant_type=client_credentials');
    this.genesysClients.set(key, client);
    return client;
  }

  /** The bot of this access token (GET /v2/bot/info); rejects with the typed error when LINE refuses. */
  async bot(channelId: string, accessToken: string): Promise<BotInfo> {
    const key = JSON.stringify([channelId, accessToken]);
    const known = this.bots.get(key);
    if (known) return known;
    const bot = await botInfo(new LineClient({ accessToken, apiBaseUrl: this.lineApi }), channelId, this.log);
    this.bots.set(key, bot);
    return bot;
  }
}

/** true, or a refusal in one line (the typed error's message): what gatherInputs shows before asking again. */
export async function verdictOf(check: Promise<unknown>): Promise<true | string> {
  try {
    await check;
    return true;
  } catch (e) {
    if (e instanceof LineGenesysError) return e.message;
    throw e;
  }
}
