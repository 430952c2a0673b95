import type { ClientOptions } from 'discord.js';
import { z } from 'zod';
import { emptyToUndefined } from '../config.js';

/** SHARD_COUNT: `auto` (Discord's recommendation, GET /gateway/bot) or a number of shards. */
export const shardCountSchema = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .trim()
    .regex(/^(auto|[1-9]\d{0,3})$/, 'must be "auto" or a whole number of shards (1 or more)')
    .default('auto')
    .transform((value): number | 'auto' => (value === 'auto' ? 'auto' : Number(value))),
);

export interface ShardingConfig {
  /** SHARD_COUNT for `npm run start:sharded`. */
  shardCount: number | 'auto';
  /** This process's shard when discord.js's ShardingManager started it; undefined for `npm start`. */
  shard: { id: number; count: number } | undefined;
}

/**
 * The shard of a process started by the ShardingManager, from the variables it sets (SHARDING_MANAGER,
 * SHARDS = the shard id, SHARD_COUNT = the total); undefined otherwise.
 */
export function shardOfProcess(env: NodeJS.ProcessEnv): ShardingConfig['shard'] {
  if (env.SHARDING_MANAGER !== 'true') return undefined;
  const id = Number(env.SHARDS);
  const count = Number(env.SHARD_COUNT);
  return Number.isInteger(id) && Number.isInteger(count) && id >= 0 && id < count ? { id, count } : undefined;
}

/**
 * The discord.js shard options, always explicit: the process's shard under the ShardingManager, else
 * one shard of one (so SHARD_COUNT=auto in .env never reaches the client of `npm start`).
 */
export function shardClientOptions(sharding: ShardingConfig): Pick<ClientOptions, 'shards' | 'shardCount'> {
  return sharding.shard ? { shards: [sharding.shard.id], shardCount: sharding.shard.count } : { shards: [0], shardCount: 1 };
}
