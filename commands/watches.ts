import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { formatNotice } from '../src/bot/format-answer.js';
import { asPlainText } from '../src/bot/safe-markdown.js';
import type { Watch } from '../src/state/watch-store.js';

export const data = new SlashCommandBuilder().setName('watches').setDescription('The topics you and this channel watch.');

export const defer: DeferMode = 'ephemeral';

const listed = (watches: readonly Watch[]) => (watches.length ? watches.map((w) => `• ${asPlainText(w.topic)}`).join('\n') : 'none');

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const mine = await ctx.watches.list('user', interaction.user.id);
  const lines = [`**Your watches** (by DM):\n${listed(mine)}`];
  if (interaction.inGuild()) lines.push(`**This channel's watches** (<#${interaction.channelId}>):\n${listed(await ctx.watches.list('channel', interaction.channelId))}`);
  lines.push('Add one with /watch, remove one with /unwatch.');
  await interaction.editReply(formatNotice(lines.join('\n\n')));
}
