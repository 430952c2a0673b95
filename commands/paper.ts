import { MAX_PAPER_NAME_CHARS } from '../src/answer/resolve-paper.js';
import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { AutocompleteChoice, BotContext, DeferMode } from '../src/bot/bot-context.js';
import { paperChoicesFor } from '../src/bot/command-helpers.js';
import { formatPaper } from '../src/bot/format-answer.js';
import type { Paper, PaperEntry } from '../src/corpus/paper.js';
import { loadNamedPapers } from '../src/corpus/paper-loader.js';
import { validateUserText } from '../src/bot/validate-input.js';

export const data = new SlashCommandBuilder()
  .setName('paper')
  .setDescription('Show one paper: title, link and abstract.')
  .addStringOption((option) => option.setName('paper').setDescription('The paper (start typing its title)').setRequired(true).setAutocomplete(true));

/** Resolving the name is fast (before acknowledging); the abstract may come from the database, so the reply follows the acknowledgement. */
export const defer: DeferMode = 'public';

/** The paper, resolved (bounded work); an unknown or ambiguous name is an ephemeral error. */
export function parse(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<PaperEntry> {
  const max = Math.min(MAX_PAPER_NAME_CHARS, ctx.config.answer.maxQuestionChars);
  return ctx.paperbot.resolvePaper(validateUserText(interaction.options.getString('paper', true), max, 'paper name', false));
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext, entry: PaperEntry): Promise<void> {
  const [paper] = (await loadNamedPapers(ctx.paperbot.loadPapers, [entry])) as [Paper];
  await interaction.editReply(formatPaper(paper));
}

export function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<() => AutocompleteChoice[]> {
  return paperChoicesFor(interaction, ctx.paperbot);
}
