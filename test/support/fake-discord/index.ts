export * from './fake-discord.js';
export { apiError } from './fake-rest.js';
export { ChannelTypes, MessageFlags, newSnowflake } from './fake-world.js';
export { addGuild, shardOfGuild, type AddedGuild } from './fake-shards.js';
