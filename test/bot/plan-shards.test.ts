import { afterEach, describe, expect, it } from 'vitest';
import { loadBotConfig } from '../../src/bot/load-bot-config.js';
import { planShards, startGroups } from '../../src/bot/plan-shards.js';
import { RESPAWN_MAX_DELAY_MS, respawnDelayMs } from '../../src/bot/shard-supervisor.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';

const fakes: FakeDiscord[] = [];
afterEach(async () => {
  while (fakes.length) await fakes.pop()!.close();
});

async function fakeWith(options: { recommendedShards: number; maxConcurrency: number }): Promise<FakeDiscord> {
  const fake = await startFakeDiscord(options);
  fakes.push(fake);
  return fake;
}

function configFor(fake: FakeDiscord, shardCount: string) {
  const config = loadBotConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, SHARD_COUNT: shardCount });
  return { ...config, discord: { ...config.discord, token: fake.token } };
}

describe('planShards', () => {
  it('SHARD_COUNT=auto takes Discord’s recommendation from GET /gateway/bot; a number wins over it', async () => {
    const fake = await fakeWith({ recommendedShards: 3, maxConcurrency: 2 });
    expect(await planShards(configFor(fake, 'auto'))).toEqual({ count: 3, recommended: 3, maxConcurrency: 2 });
    expect(await planShards(configFor(fake, '5'))).toEqual({ count: 5, recommended: 3, maxConcurrency: 2 });
    expect(fake.requests.filter((r) => r.path === '/gateway/bot')).toHaveLength(2);
  });

  it('a wrong token is Discord’s 401', async () => {
    const fake = await fakeWith({ recommendedShards: 1, maxConcurrency: 1 });
    const config = configFor(fake, 'auto');
    await expect(planShards({ ...config, discord: { ...config.discord, token: 'not-the-token' } })).rejects.toMatchObject({ status: 401 });
  });
});

describe('shard start-up and respawn pacing', () => {
  it('starts shards in groups of max_concurrency', () => {
    expect(startGroups({ count: 5, maxConcurrency: 2 })).toEqual([[0, 1], [2, 3], [4]]);
    expect(startGroups({ count: 2, maxConcurrency: 16 })).toEqual([[0, 1]]);
    expect(startGroups({ count: 3, maxConcurrency: 1 })).toEqual([[0], [1], [2]]);
  });

  it('respawns after 1 s, doubling while a shard keeps dying, at most a minute', () => {
    expect([1, 2, 3, 4].map(respawnDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(respawnDelayMs(30)).toBe(RESPAWN_MAX_DELAY_MS);
  });
});
