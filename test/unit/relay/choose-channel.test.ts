import { describe, expect, it } from 'vitest';
import type { ChannelConfig } from '../../../src/config.js';
import { chooseChannel } from '../../../src/relay/deliver-outbound.js';
import type { RelayContext } from '../../../src/relay/context.js';
import { MemoryStore } from '../../../src/store/memory.js';

const channel = (id: string): ChannelConfig => ({ id, market: id.toUpperCase(), brand: 'b', channelSecret: 's', accessToken: 't', integrationId: 'shared' });

function ctx(store = new MemoryStore()): RelayContext {
  const channels = [channel('th'), channel('tw')];
  return { store, channel: (id: string) => channels.find((c) => c.id === id) } as unknown as RelayContext;
}

describe('chooseChannel: which LINE channel an agent reply goes out on', async () => {
  const user = 'U4af4980629c5f1b2e1d4c3b2a1f0e9d8';
  it('the only candidate', async () => {
    expect((await chooseChannel(ctx(), ['tw'], user))?.id).toBe('tw');
  });
  it('among several (one shared integration), the channel the customer last wrote on', async () => {
    const c = ctx();
    await c.store.setLastChannel(user, 'tw', 1);
    expect((await chooseChannel(c, ['th', 'tw'], user))?.id).toBe('tw');
  });
  it('a customer never seen: the first candidate', async () => {
    expect((await chooseChannel(ctx(), ['th', 'tw'], user))?.id).toBe('th');
  });
  it('a last channel outside the candidates is not used', async () => {
    const c = ctx();
    await c.store.setLastChannel(user, 'jp', 1);
    expect((await chooseChannel(c, ['tw', 'th'], user))?.id).toBe('tw');
  });
  it('no configured candidate: none', async () => {
    expect(await chooseChannel(ctx(), ['jp'], user)).toBeUndefined();
  });
});
