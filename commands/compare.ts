import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { AutocompleteChoice, BotContext, DeferMode } from '../src/bot/bot-context.js';
import { answerInteraction, paperChoicesFor } from '../src/bot/command-helpers.js';
import { MAX_PAPER_NAME_CHARS } from '../src/answer/resolve-paper.js';
import type { PaperEntry } from '../src/corpus/paper.js';
import { UserFacingError } from '../src/errors.js';
import { validateUserText } from '../src/bot/validate-input.js';

export const data = new SlashCommandBuilder()
  .setName('compare')
  .setDescription('Compare two papers of the corpus, with citations.')
  .addStringOption((option) => option.setName('paper_a').setDescription('First paper (start typing its title)').setRequired(true).setAutocomplete(true))
  .addStringOption((option) => option.setName('paper_b').setDescription('Second paper (start typing its title)').setRequired(true).setAutocomplete(true));

export const defer: DeferMode = 'public';
export const preconditions = ['cooldown'] as const;

/** Both papers, resolved before acknowledging (bounded work), so an unknown or ambiguous name is an ephemeral error. */
export async function parse(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<{ a: PaperEntry; b: PaperEntry }> {
  const max = Math.min(MAX_PAPER_NAME_CHARS, ctx.config.answer.maxQuestionChars);
  const a = await ctx.paperbot.resolvePaper(validateUserText(interaction.options.getString('paper_a', true), max, 'paper name', false));
  const b = await ctx.paperbot.resolvePaper(validateUserText(interaction.options.getString('paper_b', true), max, 'paper name', false));
  if (a.id === b.id) throw new UserFacingError('same-paper', 'Please pick two different papers.');
  return { a, b };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext, { a, b }: { a: PaperEntry; b: PaperEntry }): Promise<void> {
  const title = `${a.title} vs ${b.title}`;
  await answerInteraction(interaction, ctx, { title, question: `Compare: ${title}`, run: (options) => ctx.paperbot.compare(a.id, b.id, options) });
}

export function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<() => AutocompleteChoice[]> {
  return paperChoicesFor(interaction, ctx.paperbot);
}
