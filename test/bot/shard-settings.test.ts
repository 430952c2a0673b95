import { describe, expect, it } from 'vitest';
import { clientOptions } from '../../src/bot/discord-connection.js';
import { loadBotConfig } from '../../src/bot/load-bot-config.js';

describe('sharding settings', () => {
  it('SHARD_COUNT is "auto" by default, or a number', () => {
    expect(loadBotConfig({}).sharding.shardCount).toBe('auto');
    expect(loadBotConfig({ SHARD_COUNT: ' 3 ' }).sharding.shardCount).toBe(3);
    expect(loadBotConfig({ SHARD_COUNT: 'auto' }).sharding.shardCount).toBe('auto');
  });

  it('a process started by the ShardingManager knows its shard and gives it to discord.js', () => {
    const config = loadBotConfig({ SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2' });
    expect(config.sharding.shard).toEqual({ id: 1, count: 2 });
    expect(clientOptions(config, true)).toMatchObject({ shards: [1], shardCount: 2 });
  });

  it('`npm start` is one shard of one, whatever SHARD_COUNT says (it is read by start:sharded only)', () => {
    const config = loadBotConfig({ SHARD_COUNT: 'auto', SHARDS: '3' });
    expect(config.sharding.shard).toBeUndefined();
    expect(clientOptions(config, true)).toMatchObject({ shards: [0], shardCount: 1 });
  });
});
