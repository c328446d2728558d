/** relay.reply, relay.replyFreshness and relay.markAsRead, as a user sets them (environment or config file). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { ConfigError } from '../../../src/errors.js';
import { relayEnv } from '../../helpers/bed.js';

const env = relayEnv({ url: 'http://127.0.0.1:9' }, { url: 'http://127.0.0.1:9' });
const load = (extra: Record<string, string> = {}, cwd = mkdtempSync(join(tmpdir(), 'lg-chat-'))) => loadConfig({ cwd, env: { ...env, ...extra }, dotenv: false });

describe('chat settings', () => {
  it('default to replies for the first request within 50 s, and read marks when an answer is delivered', () => {
    expect(load().relay.chat).toEqual({ reply: 'first', replyFreshnessMs: 50_000, markAsRead: 'agent-reply' });
  });

  it('come from the environment or the config file', () => {
    expect(load({ LINE_GENESYS_REPLY: 'never', LINE_GENESYS_REPLY_FRESHNESS: '20s', LINE_GENESYS_MARK_AS_READ: 'off' }).relay.chat).toEqual({
      reply: 'never',
      replyFreshnessMs: 20_000,
      markAsRead: 'off',
    });
    const cwd = mkdtempSync(join(tmpdir(), 'lg-chat-'));
    writeFileSync(join(cwd, 'line-genesys.config.json'), JSON.stringify({ relay: { reply: 'first', replyFreshness: '30s', markAsRead: 'delivered' } }));
    expect(load({}, cwd).relay.chat).toEqual({ reply: 'first', replyFreshnessMs: 30_000, markAsRead: 'delivered' });
  });

  it('refuse a value they do not know, naming the setting and the choices', () => {
    expect(() => load({ LINE_GENESYS_REPLY: 'always' })).toThrow(ConfigError);
    expect(() => load({ LINE_GENESYS_REPLY: 'always' })).toThrow(/relay\.reply.*"always" must be first or never/);
    expect(() => load({ LINE_GENESYS_MARK_AS_READ: 'yes' })).toThrow(/relay\.markAsRead.*must be agent-reply, delivered or off/);
  });
});
