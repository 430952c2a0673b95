import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { DISCORD_LIMITS } from '../src/bot/discord-limits.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { answerInteraction } from '../src/bot/command-helpers.js';
import { MAX_TOPIC_CHARS } from '../src/answer/summarize-topic.js';
import { validateUserText } from '../src/bot/validate-input.js';

export const data = new SlashCommandBuilder()
  .setName('summarize')
  .setDescription('Summarize what the corpus says about a topic, with citations.')
  .addStringOption((option) => option.setName('topic').setDescription('A topic, e.g. "diffusion models for video"').setRequired(true).setMaxLength(DISCORD_LIMITS.stringOption));

export const defer: DeferMode = 'public';
export const preconditions = ['cooldown'] as const;

/** The topic, cleaned (one line) and within the core's limit. */
export function parse(interaction: ChatInputCommandInteraction, ctx: BotContext): string {
  return validateUserText(interaction.options.getString('topic', true), Math.min(MAX_TOPIC_CHARS, ctx.config.answer.maxQuestionChars), 'topic', false);
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext, topic: string): Promise<void> {
  await answerInteraction(interaction, ctx, { title: `Summary: ${topic}`, question: `Summarize: ${topic}`, run: (options) => ctx.paperbot.summarize(topic, options) });
}
