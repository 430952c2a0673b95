import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { DISCORD_LIMITS } from '../src/bot/discord-limits.js';
import { formatConsensusPages } from '../src/bot/format-consensus.js';
import { showPages } from '../src/bot/show-pages.js';
import { validateUserText } from '../src/bot/validate-input.js';

export const data = new SlashCommandBuilder()
  .setName('consensus')
  .setDescription('Do the papers agree? Each relevant paper’s stance on a claim, with its evidence.')
  .addStringOption((option) => option.setName('claim').setDescription('The claim, e.g. "prompting avoids forgetting without rehearsal"').setRequired(true).setMaxLength(DISCORD_LIMITS.stringOption));

export const defer: DeferMode = 'public';
export const preconditions = ['cooldown'] as const;

/** The claim, cleaned and within MAX_QUESTION_CHARS (one line). */
export function parse(interaction: ChatInputCommandInteraction, ctx: BotContext): string {
  return validateUserText(interaction.options.getString('claim', true), ctx.config.answer.maxQuestionChars, 'claim', false);
}

/** The stances of the relevant papers (a field each, pages of 10 with buttons) and the synthesis. */
export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext, claim: string): Promise<void> {
  await ctx.turns.next();
  const started = ctx.clock.now();
  const result = await ctx.paperbot.consensus(claim);
  const pages = formatConsensusPages(result);
  await showPages(interaction, pages, { logger: ctx.logger });
  ctx.logger.info({ event: 'consensus', mode: result.mode, papers: result.papers.length, pages: pages.length, usage: result.usage, ms: ctx.clock.now() - started }, 'consensus shown');
}
