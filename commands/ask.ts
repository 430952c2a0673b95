import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { openAnswerThread, threadPlan } from '../src/bot/answer-threads.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { answerInteraction } from '../src/bot/command-helpers.js';
import { DISCORD_LIMITS, NO_MENTIONS } from '../src/bot/discord-limits.js';
import { validateUserText } from '../src/bot/validate-input.js';

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question about the papers; the answer cites its sources.')
  .addStringOption((option) => option.setName('question').setDescription('Your question').setRequired(true).setMaxLength(DISCORD_LIMITS.stringOption));

export const defer: DeferMode = 'public';
export const preconditions = ['cooldown'] as const;

/** The question, cleaned and within MAX_QUESTION_CHARS. */
export function parse(interaction: ChatInputCommandInteraction, ctx: BotContext): string {
  return validateUserText(interaction.options.getString('question', true), ctx.config.answer.maxQuestionChars);
}

const INLINE_NOTES = {
  noPermission: "I couldn't start a thread here (I lack the permission to create public threads), so I answered inline; follow-up messages won't be answered with context. Ask again with /ask.",
  dm: 'Follow-up questions work in server channels, where I start a thread for them; here, ask again with /ask.',
};

/** The answer, then (in a server text channel) a thread on it for follow-ups. */
export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext, question: string): Promise<void> {
  const plan = threadPlan({ inGuild: interaction.inGuild(), channelType: interaction.channel?.type });
  const note = !plan.start && plan.reason === 'dm' ? INLINE_NOTES.dm : undefined;
  const { result, firstMessage, answerId } = await answerInteraction(interaction, ctx, { title: question, question, note, run: (options) => ctx.paperbot.ask(question, options) });
  if (!plan.start) return;

  const author = interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : interaction.user.username;
  const origin = { client: interaction.client, channelId: interaction.channelId, guildId: interaction.guildId, messageId: firstMessage.id, userId: interaction.user.id };
  const outcome = await openAnswerThread(ctx, origin, { question, author, answer: result.answer });
  if (outcome.kind === 'thread') {
    // The answer the thread was opened on belongs to the thread (its /export and catch-up include it).
    await ctx.feedback.moveAnswerToChannel(answerId, outcome.threadId);
    ctx.logger.info({ event: 'thread-started', threadId: outcome.threadId }, 'thread started');
  }
  else if (outcome.reason === 'no-permission') await interaction.followUp({ content: INLINE_NOTES.noPermission, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}
