/**
 * Sharding in the fake Discord, as Discord does it: a session's IDENTIFY names `shard: [id, count]`;
 * a guild belongs to shard `(guild_id >> 22) % count` and its events (GUILD_CREATE, interactions,
 * messages, threads…) go only to that shard's session; events of no guild (DMs) go to shard 0.
 */
import type { FakeDiscord } from './fake-discord.js';
import { makeGuild } from './fake-guild.js';
import type { Json } from './fake-world.js';

/** [shard id, shard count] of a gateway session. */
export type ShardPair = readonly [number, number];

const DISCORD_EPOCH_MS = 1_420_070_400_000n;
const GUILD_EVENTS_BY_ID = new Set(['GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE']);

/** The shard a guild's events go to. */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** The guild a dispatched event belongs to, if any. */
export function eventGuildId(t: string, d: Json): string | undefined {
  const id = GUILD_EVENTS_BY_ID.has(t) ? d.id : d.guild_id;
  return typeof id === 'string' ? id : undefined;
}

/** Whether a session on `shard` receives an event of `guildId` (no guild → shard 0). */
export function shardReceives(shard: ShardPair, guildId: string | undefined): boolean {
  const [id, count] = shard;
  return guildId === undefined ? id === 0 : shardOfGuild(guildId, count) === id;
}

/** A shard pair from IDENTIFY's `shard` field: [0, 1] when absent; undefined when invalid (close 4010). */
export function parseShard(value: unknown): ShardPair | undefined {
  if (value === undefined) return [0, 1];
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [id, count] = value as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count) || (count as number) < 1 || (id as number) < 0 || (id as number) >= (count as number)) return undefined;
  return [id as number, count as number];
}

let sequence = 0n;
/** A new guild snowflake that falls on `shardId` of `count` shards. */
export function guildIdOnShard(shardId: number, count: number): string {
  const timestamp = BigInt(Date.now()) - DISCORD_EPOCH_MS;
  // Walk the timestamp part until it lands on the shard; the low bits keep ids unique.
  for (let offset = 0n; ; offset++) {
    const id = ((timestamp + offset) << 22n) | (sequence++ & 0xfffn);
    if (shardOfGuild(id.toString(), count) === shardId) return id.toString();
  }
}

export interface AddedGuild {
  id: string;
  textChannel: string;
  secondChannel: string;
}

/**
 * Add a guild like the default one (see makeGuild; the same admin, user and bot are its members), on
 * `shard` when given. Call before the bot connects (its GUILD_CREATE is sent at IDENTIFY).
 */
export function addGuild(fake: FakeDiscord, options: { name: string; shard?: ShardPair }): AddedGuild {
  const [shardId, count] = options.shard ?? [0, 1];
  const id = guildIdOnShard(shardId, count);
  const { guild, channels } = makeGuild(id, options.name, { admin: fake.ids.adminUser, normal: fake.ids.normalUser, bot: fake.ids.botUser });
  for (const channel of channels) {
    fake.channels.set(channel.id, channel);
    fake.messages.set(channel.id, []);
  }
  fake.guilds.set(id, guild);
  return { id, textChannel: channels[0].id, secondChannel: channels[1].id };
}
