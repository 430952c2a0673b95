import type { Client, Message } from 'discord.js';
import { GENERIC_APOLOGY, isUserFacingError } from '../errors.js';
import { sanitizeText } from '../text/normalize-input.js';
import { writeAnswer } from './answer-request.js';
import { recordExchange } from './answer-threads.js';
import type { BotContext } from './bot-context.js';
import { NO_MENTIONS_REPLY } from './discord-limits.js';
import { formatNotice } from './format-answer.js';
import { runRequest } from './run-request.js';
import { validateUserText } from './validate-input.js';

/** Said once in a thread the bot started but no longer remembers (its state database was reset). */
export const CONTEXT_LOST =
  "I no longer have this thread's earlier conversation (my memory of it was reset), so I did not answer that. " +
  'Ask again here and I will answer without the earlier context, or start a new thread with /ask.';

/** Remove mentions of the bot from a message's text. */
export function stripBotMention(content: string, botId: string): string {
  return content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

/** Which messages in threads get answered. */
export function shouldAnswerFollowUp(options: {
  authorIsBot: boolean;
  authorId: string;
  botId: string;
  isBotThread: boolean;
  mentionOnly: boolean;
  mentionsBot: boolean;
  webhook: boolean;
}): boolean {
  if (options.authorIsBot || options.webhook || options.authorId === options.botId) return false;
  if (!options.isBotThread) return false;
  if (options.mentionOnly && !options.mentionsBot) return false;
  return true;
}

/** True when the message is in a thread the bot created. */
function inThreadStartedBy(message: Message, botId: string): boolean {
  const channel = message.channel;
  return channel.isThread() && channel.ownerId === botId;
}

/** Remember a forgotten bot thread again (without its old turns), so the notice is given once. */
async function adoptForgottenThread(message: Message, ctx: BotContext): Promise<void> {
  const channel = message.channel;
  const parentId = channel.isThread() ? channel.parentId : null;
  const name = channel.isThread() ? channel.name : '';
  await ctx.threads.createThread({ threadId: message.channelId, channelId: parentId ?? message.channelId, guildId: message.guildId, createdBy: message.author.id, question: name, createdAt: ctx.clock.now() });
}

/**
 * A message in a thread the bot started: answered like /ask — the same request path (parse once,
 * cooldown precondition, errors answered) and the same answer path — with the thread's recent turns
 * as history; then both turns are remembered before the answer is shown.
 */
export async function answerFollowUp(message: Message, client: Client, ctx: BotContext, mentionOnly: boolean): Promise<void> {
  const botId = client.user?.id;
  if (!botId) return;
  const known = await ctx.threads.isBotThread(message.channelId);
  const forgotten = !known && inThreadStartedBy(message, botId);
  const mentionsBot = message.mentions.users.has(botId);
  const webhook = Boolean(message.webhookId);
  if (!shouldAnswerFollowUp({ authorIsBot: message.author.bot, authorId: message.author.id, botId, isBotThread: known || forgotten, mentionOnly, mentionsBot, webhook })) return;
  const text = stripBotMention(message.content, botId);
  // Nothing visible (only zero-width or control characters): ignored, never a public error.
  if (!sanitizeText(text)) return;
  const logger = ctx.logger.child({ messageId: message.id, threadId: message.channelId, userId: message.author.id, kind: 'follow-up' });
  const local: BotContext = { ...ctx, logger };
  const reply = (content: string) => message.reply({ ...formatNotice(content), allowedMentions: NO_MENTIONS_REPLY });
  if (forgotten) {
    await adoptForgottenThread(message, ctx);
    await reply(CONTEXT_LOST).catch((error: unknown) => logger.warn({ err: error }, 'could not say the thread context is gone'));
    return;
  }
  await runRequest(local, {
    userId: message.author.id,
    logger,
    preconditions: ['cooldown'],
    parse: () => validateUserText(text, ctx.config.answer.maxQuestionChars),
    run: (question) => answerInThread(local, message, question),
    answerError: (error) => reply(isUserFacingError(error) ? error.message : GENERIC_APOLOGY),
  });
}

async function answerInThread(ctx: BotContext, message: Message, question: string): Promise<void> {
  const history = await ctx.threads.recentTurns(message.channelId, ctx.config.discord.threadHistoryTurns);
  if ('sendTyping' in message.channel) void message.channel.sendTyping().catch(() => undefined);
  const placeholder = await message.reply({ ...formatNotice('Thinking…'), allowedMentions: NO_MENTIONS_REPLY });
  const written = await writeAnswer(
    ctx,
    { title: question, question, userId: message.author.id, channelId: message.channelId, guildId: message.guildId, command: 'follow-up', run: (options) => ctx.paperbot.ask(question, { ...options, history }) },
    {
      edit: (payload) => placeholder.edit({ ...payload, content: payload.content ?? '' }),
      followUp: (payload) => message.reply({ ...payload, allowedMentions: NO_MENTIONS_REPLY }),
    },
  );
  // Stored before the answer is shown, so a reply typed the moment it appears has them as history.
  await recordExchange(ctx, message.channelId, { question, author: message.member?.displayName ?? message.author.username, answer: written.result.answer });
  await written.show();
}
