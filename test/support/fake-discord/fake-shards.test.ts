import { Client, Events, GatewayIntentBits, REST, Routes, type Interaction } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { addGuild, shardOfGuild, startFakeDiscord, type FakeDiscord } from './index.js';
import { guildIdOnShard, parseShard } from './fake-shards.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function shardClient(fake: FakeDiscord, shard: number, count: number): Promise<{ client: Client; interactions: Interaction[] }> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: fake.apiBase }, shards: [shard], shardCount: count });
  cleanups.push(() => client.destroy());
  const interactions: Interaction[] = [];
  client.on(Events.InteractionCreate, (interaction) => void interactions.push(interaction));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(fake.token);
  await ready;
  return { client, interactions };
}

describe('fake Discord sharding', () => {
  it('routes each guild to its shard: (guild_id >> 22) % count, for GUILD_CREATE and interactions', async () => {
    const fake = await startFakeDiscord({ heartbeatIntervalMs: 1000, recommendedShards: 2, maxConcurrency: 2 });
    cleanups.push(() => fake.close());
    const defaultShard = shardOfGuild(fake.ids.guild, 2);
    const other = addGuild(fake, { name: 'Second Guild', shard: [1 - defaultShard, 2] });
    expect(shardOfGuild(other.id, 2)).toBe(1 - defaultShard);

    const gateway = (await new REST({ api: fake.apiBase }).setToken(fake.token).get(Routes.gatewayBot())) as { shards: number; session_start_limit: { max_concurrency: number } };
    expect(gateway.shards).toBe(2);
    expect(gateway.session_start_limit.max_concurrency).toBe(2);

    const shards = [await shardClient(fake, 0, 2), await shardClient(fake, 1, 2)];
    await fake.waitForShards(2);
    expect(fake.identifies.map((d) => d.shard)).toEqual([[0, 2], [1, 2]]);
    expect([...shards[defaultShard]!.client.guilds.cache.keys()]).toEqual([fake.ids.guild]);
    expect([...shards[1 - defaultShard]!.client.guilds.cache.keys()]).toEqual([other.id]);

    fake.sendSlashCommand({ name: 'ask', options: { question: 'q' }, guildId: other.id, channelId: other.textChannel });
    fake.sendSlashCommand({ name: 'ask', options: { question: 'q' }, channelId: fake.ids.textChannel });
    await fake.waitUntil(() => (shards.every((s) => s.interactions.length >= 1) ? true : undefined));
    expect(shards[1 - defaultShard]!.interactions.map((i) => i.guildId)).toEqual([other.id]);
    expect(shards[defaultShard]!.interactions.map((i) => i.guildId)).toEqual([fake.ids.guild]);
  });

  it('guild ids land on the asked shard; IDENTIFY shard pairs are validated', () => {
    for (const [id, count] of [[0, 2], [1, 2], [2, 3], [4, 5]] as const) expect(shardOfGuild(guildIdOnShard(id, count), count)).toBe(id);
    expect(parseShard(undefined)).toEqual([0, 1]);
    expect(parseShard([1, 2])).toEqual([1, 2]);
    expect(parseShard([2, 2])).toBeUndefined();
    expect(parseShard([0, 0])).toBeUndefined();
    expect(parseShard('0,1')).toBeUndefined();
  });
});
