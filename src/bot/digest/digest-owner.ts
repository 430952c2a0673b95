import { DiscordAPIError, RESTJSONErrorCodes, type ChatInputCommandInteraction } from 'discord.js';
import { UserFacingError } from '../../errors.js';
import type { BotContext } from '../bot-context.js';

/**
 * The server that owns the digest settings (they are global, one digest for the whole bot):
 * DISCORD_GUILD_ID when set, else the server of the configured digest channel. Undefined when no
 * server owns it yet (no channel set, or the channel is gone / no longer visible to the bot).
 */
export async function digestOwnerGuild(interaction: Pick<ChatInputCommandInteraction, 'client'>, ctx: BotContext): Promise<string | undefined> {
  if (ctx.config.discord.guildId) return ctx.config.discord.guildId;
  const { channelId } = await ctx.digest.settings();
  if (!channelId) return undefined;
  try {
    // allowUnknownGuild: under sharding, the channel's server may be another shard's.
    const channel = await interaction.client.channels.fetch(channelId, { allowUnknownGuild: true });
    return channel && 'guildId' in channel && channel.guildId ? channel.guildId : undefined;
  } catch (error) {
    if (error instanceof DiscordAPIError && (error.code === RESTJSONErrorCodes.UnknownChannel || error.code === RESTJSONErrorCodes.MissingAccess)) return undefined;
    throw error;
  }
}

/** Refuse changes to the digest from a server other than the one that owns it. */
export async function assertDigestOwner(interaction: Pick<ChatInputCommandInteraction, 'client' | 'guildId'>, ctx: BotContext): Promise<void> {
  const owner = await digestOwnerGuild(interaction, ctx);
  if (owner !== undefined && owner !== interaction.guildId) {
    throw new UserFacingError('digest-other-server', 'The digest is run from another server, so it can only be changed there (by its admins).');
  }
}
