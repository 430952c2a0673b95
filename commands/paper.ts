import { MAX_PAPER_NAME_CHARS } from '../src/answer/resolve-paper.js';
import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { AutocompleteChoice, BotContext, DeferMode } from '../src/bot/bot-context.js';
import { paperChoicesFor } from '../src/bot/command-helpers.js';
import { formatPaper } from '../src/bot/format-answer.js';
import { validateUserText } from '../src/bot/validate-input.js';

export const data = new SlashCommandBuilder()
  .setName('paper')
  .setDescription('Show one paper: title, link and abstract.')
  .addStringOption((option) => option.setName('paper').setDescription('The paper (start typing its title)').setRequired(true).setAutocomplete(true));

/** Resolving a paper is fast: the command replies directly. */
export const defer: DeferMode = 'none';

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const input = validateUserText(interaction.options.getString('paper', true), Math.min(MAX_PAPER_NAME_CHARS, ctx.config.answer.maxQuestionChars), 'paper name');
  const paper = ctx.paperbot.resolvePaper(input);
  await interaction.reply(formatPaper(paper));
}

export function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): AutocompleteChoice[] {
  return paperChoicesFor(interaction, ctx.paperbot);
}
