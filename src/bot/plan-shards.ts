import { REST, Routes, type RESTGetAPIGatewayBotResult } from 'discord.js';
import type { BotConfig } from './load-bot-config.js';

export interface ShardPlan {
  /** Shards to run: SHARD_COUNT, or Discord's recommendation for `auto`. */
  count: number;
  /** Discord's recommended shard count for this bot (GET /gateway/bot). */
  recommended: number;
  /** How many shards may IDENTIFY at once (session_start_limit.max_concurrency). */
  maxConcurrency: number;
}

/** Ask Discord (GET /gateway/bot, at DISCORD_API_BASE when set) how many shards to run and how fast they may start. */
export async function planShards(config: Pick<BotConfig, 'discord' | 'sharding'> & { discord: { token: string } }): Promise<ShardPlan> {
  const rest = new REST(config.discord.apiBase ? { api: config.discord.apiBase } : {}).setToken(config.discord.token);
  const gateway = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  const recommended = Math.max(1, gateway.shards);
  const count = config.sharding.shardCount === 'auto' ? recommended : config.sharding.shardCount;
  return { count, recommended, maxConcurrency: Math.max(1, gateway.session_start_limit.max_concurrency) };
}

/** Shard ids in start-up groups: `maxConcurrency` shards may IDENTIFY together, the next group 5 s later. */
export function startGroups(plan: Pick<ShardPlan, 'count' | 'maxConcurrency'>): number[][] {
  const groups: number[][] = [];
  for (let first = 0; first < plan.count; first += plan.maxConcurrency) {
    groups.push(Array.from({ length: Math.min(plan.maxConcurrency, plan.count - first) }, (_, i) => first + i));
  }
  return groups;
}
