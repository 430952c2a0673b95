import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, DeferMode } from '../src/bot/bot-context.js';
import { startThreadFromMessage, threadPlan, type ThreadOutcome } from '../src/bot/answer-threads.js';
import { interactionTarget } from '../src/bot/command-helpers.js';
import { deliverAnswer } from '../src/bot/deliver-answer.js';
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

const INLINE_NOTES: Record<string, string> = {
  'no-permission': "I couldn't start a thread here (I lack the permission to create public threads), so I answered inline; follow-up messages won't be answered with context. Ask again with /ask.",
  dm: 'Follow-up questions work in server channels, where I start a thread for them; here, ask again with /ask.',
};

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext, question: string): Promise<void> {
  const plan = threadPlan({ inGuild: interaction.inGuild(), channelType: interaction.channel?.type });
  const { result, firstMessage } = await deliverAnswer({
    ctx,
    target: interactionTarget(interaction),
    title: question,
    question,
    userId: interaction.user.id,
    channelId: interaction.channelId,
    note: !plan.start && plan.reason === 'dm' ? INLINE_NOTES.dm : undefined,
    run: (options) => ctx.paperbot.ask(question, options),
  });
  if (!plan.start) return;

  // A thread started from a message has the message's id: record it before asking Discord, so a
  // follow-up typed the instant the thread appears is already recognised.
  const now = ctx.clock.now();
  const remember = (threadId: string) => {
    ctx.threads.createThread({ threadId, channelId: interaction.channelId, guildId: interaction.guildId, createdBy: interaction.user.id, question, createdAt: now });
    const author = interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : interaction.user.username;
    ctx.threads.addTurn(threadId, { role: 'user', content: question, author }, now);
    ctx.threads.addTurn(threadId, { role: 'assistant', content: result.answer }, now);
  };
  remember(firstMessage.id);
  let outcome: ThreadOutcome;
  try {
    outcome = await startThreadFromMessage(interaction.client, interaction.channelId, firstMessage.id, question);
  } catch (error) {
    ctx.logger.warn({ err: error, event: 'thread-failed' }, 'could not start a thread');
    outcome = { kind: 'inline', reason: 'error' };
  }
  if (outcome.kind === 'thread') {
    if (outcome.threadId !== firstMessage.id) {
      ctx.threads.deleteThread(firstMessage.id);
      remember(outcome.threadId);
    }
    ctx.logger.info({ event: 'thread-started', threadId: outcome.threadId }, 'thread started');
    return;
  }
  ctx.threads.deleteThread(firstMessage.id);
  if (outcome.reason === 'no-permission') {
    await interaction.followUp({ content: INLINE_NOTES['no-permission'], flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  }
}
