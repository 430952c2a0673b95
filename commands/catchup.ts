import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { threadCatchUpEmbed } from '../src/bot/catch-up-reply.js';
import { NO_MENTIONS } from '../src/bot/discord-limits.js';

export const data = new SlashCommandBuilder().setName('catchup').setDescription('A short summary of this thread so far: who asked what, what was answered (only you see it).');

export const defer: DeferMode = 'ephemeral';

/** In a thread the bot started: its summary, ephemeral. */
export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const embed = await threadCatchUpEmbed(ctx, interaction.channelId);
  await interaction.editReply({ embeds: [embed], allowedMentions: NO_MENTIONS });
}
