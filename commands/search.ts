import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { DISCORD_LIMITS } from '../src/bot/discord-limits.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { formatSearchResults } from '../src/bot/format-answer.js';
import { validateUserText } from '../src/bot/validate-input.js';

export const data = new SlashCommandBuilder()
  .setName('search')
  .setDescription('Find papers in the corpus (no language model needed).')
  .addStringOption((option) => option.setName('query').setDescription('What to look for').setRequired(true).setMaxLength(DISCORD_LIMITS.stringOption))
  .addIntegerOption((option) => option.setName('count').setDescription('How many results (default 10)').setMinValue(1).setMaxValue(25));

export const defer: DeferMode = 'public';

/** The query, cleaned and within MAX_QUESTION_CHARS. */
export function parse(interaction: ChatInputCommandInteraction, ctx: BotContext): string {
  return validateUserText(interaction.options.getString('query', true), ctx.config.answer.maxQuestionChars, 'search query');
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext, query: string): Promise<void> {
  const response = await ctx.paperbot.search(query, { k: interaction.options.getInteger('count') ?? 10 });
  const [first, ...rest] = formatSearchResults(response);
  if (first) await interaction.editReply({ ...first, content: '' });
  for (const payload of rest) await interaction.followUp(payload);
  ctx.logger.info({ event: 'search', hits: response.hits.length, relevant: response.relevant }, 'searched');
}
