import {
  ChannelType,
  DiscordAPIError,
  RESTJSONErrorCodes,
  Routes,
  ThreadAutoArchiveDuration,
  type APIChannel,
  type Client,
  type Message,
} from 'discord.js';
import type { ConversationTurn } from '../answer/answer-types.js';
import type { BotContext } from './bot-context.js';
import { deliverAnswer } from './deliver-answer.js';
import { DISCORD_LIMITS as L, NO_MENTIONS_REPLY } from './discord-limits.js';
import { formatNotice } from './format-answer.js';
import { truncate } from './split-text.js';
import { UserFacingError, isUserFacingError, GENERIC_APOLOGY } from '../errors.js';
import { validateUserText } from './validate-input.js';
import { sanitizeText } from '../text/normalize-input.js';

/** A thread name from a question: one line of visible characters (no bidi, zero-width or control characters), ≤ 100 characters, never empty. */
export function threadName(question: string): string {
  const oneLine = sanitizeText(question).replace(/\s+/g, ' ').trim();
  return truncate(oneLine || 'Question', L.threadName);
}

export type ThreadOutcome =
  | { kind: 'thread'; threadId: string }
  | { kind: 'inline'; reason: 'dm' | 'in-thread' | 'no-permission' | 'unsupported-channel' | 'error' };

/** Where /ask was used, as far as the thread decision needs. */
export interface AskLocation {
  inGuild: boolean;
  channelType: ChannelType | undefined;
}

/** Whether /ask's answer may start a thread here (guild text channels; not DMs, not inside threads). */
export function threadPlan(location: AskLocation): { start: true } | { start: false; reason: 'dm' | 'in-thread' | 'unsupported-channel' } {
  if (!location.inGuild) return { start: false, reason: 'dm' };
  const type = location.channelType;
  if (type === ChannelType.PublicThread || type === ChannelType.PrivateThread || type === ChannelType.AnnouncementThread) return { start: false, reason: 'in-thread' };
  // Unknown (uncached) channels are tried; the API answers if it cannot be done.
  if (type !== undefined && type !== ChannelType.GuildText && type !== ChannelType.GuildAnnouncement) return { start: false, reason: 'unsupported-channel' };
  return { start: true };
}

/** Start a public thread from a message (POST /channels/{channel}/messages/{message}/threads). */
export async function startThreadFromMessage(client: Client, channelId: string, messageId: string, name: string): Promise<ThreadOutcome> {
  try {
    const thread = (await client.rest.post(Routes.threads(channelId, messageId), {
      body: { name: threadName(name), auto_archive_duration: ThreadAutoArchiveDuration.OneDay },
    })) as APIChannel;
    return { kind: 'thread', threadId: thread.id };
  } catch (error) {
    if (error instanceof DiscordAPIError && (error.code === RESTJSONErrorCodes.MissingPermissions || error.code === RESTJSONErrorCodes.MissingAccess)) {
      return { kind: 'inline', reason: 'no-permission' };
    }
    if (error instanceof DiscordAPIError) return { kind: 'inline', reason: 'unsupported-channel' };
    throw error;
  }
}

/** Said once in a thread the bot started but no longer remembers (its state database was reset). */
export const CONTEXT_LOST =
  "I no longer have this thread's earlier conversation (my memory of it was reset), so I did not answer that. " +
  'Ask again here and I will answer without the earlier context, or start a new thread with /ask.';

/** True when the message is in a thread the bot created. */
function startedBy(message: Message, botId: string): boolean {
  const channel = message.channel;
  return channel.isThread() && channel.ownerId === botId;
}

/** Remember a forgotten bot thread again (without its old turns), so the notice is given once. */
async function adoptForgottenThread(message: Message, ctx: BotContext): Promise<void> {
  const channel = message.channel;
  await ctx.threads.createThread({
    threadId: message.channelId,
    channelId: channel.isThread() ? (channel.parentId ?? message.channelId) : message.channelId,
    guildId: message.guildId,
    createdBy: message.author.id,
    question: channel.isThread() ? channel.name : '',
    createdAt: ctx.clock.now(),
  });
}

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

/**
 * Answer a message in a thread the bot started, with the thread's recent turns as context, then
 * remember both turns (persisted, bounded by `threadHistoryTurns`).
 */
export async function answerFollowUp(message: Message, client: Client, ctx: BotContext, mentionOnly: boolean): Promise<void> {
  const botId = client.user?.id;
  if (!botId) return;
  const known = await ctx.threads.isBotThread(message.channelId);
  const forgotten = !known && startedBy(message, botId);
  if (
    !shouldAnswerFollowUp({
      authorIsBot: message.author.bot,
      authorId: message.author.id,
      botId,
      isBotThread: known || forgotten,
      mentionOnly,
      mentionsBot: message.mentions.users.has(botId),
      webhook: Boolean(message.webhookId),
    })
  ) {
    return;
  }
  const text = stripBotMention(message.content, botId);
  // Nothing visible (only zero-width or control characters): ignored, never a public error.
  if (!sanitizeText(text)) return;
  const logger = ctx.logger.child({ messageId: message.id, threadId: message.channelId, userId: message.author.id, kind: 'follow-up' });
  const local: BotContext = { ...ctx, logger };
  const reply = (content: string) => message.reply({ ...formatNotice(content), allowedMentions: NO_MENTIONS_REPLY });
  if (forgotten) {
    await adoptForgottenThread(message, ctx);
    await reply(CONTEXT_LOST).catch((e: unknown) => logger.warn({ err: e }, 'could not say the thread context is gone'));
    return;
  }
  // Only a cooldown this message took is given back on failure (a rejected message must not reset one).
  let tookCooldown = false;
  try {
    const question = validateUserText(text, ctx.config.answer.maxQuestionChars);
    const wait = ctx.cooldown.take(message.author.id);
    if (wait > 0) throw new UserFacingError('cooldown', `Please wait ${wait} s before asking again.`);
    tookCooldown = true;
    const history: ConversationTurn[] = ctx.threads.recentTurns(message.channelId, ctx.config.discord.threadHistoryTurns);
    const author = message.member?.displayName ?? message.author.username;
    if ('sendTyping' in message.channel) void message.channel.sendTyping().catch(() => undefined);
    const placeholder = await reply('Thinking…');
    // The turns are stored before the answer is shown, so a reply typed the moment it appears has them as history.
    const remember = (result: { answer: string }) => {
      const now = ctx.clock.now();
      ctx.threads.addTurn(message.channelId, { role: 'user', content: question, author }, now);
      ctx.threads.addTurn(message.channelId, { role: 'assistant', content: result.answer }, now);
      ctx.threads.pruneTurns(message.channelId, Math.max(ctx.config.discord.threadHistoryTurns * 2, 50));
    };
    await deliverAnswer({
      ctx: local,
      onAnswer: remember,
      title: question,
      question,
      userId: message.author.id,
      channelId: message.channelId,
      target: {
        edit: (payload) => placeholder.edit({ ...payload, content: payload.content ?? '' }),
        followUp: (payload) => message.reply({ ...payload, allowedMentions: NO_MENTIONS_REPLY }),
      },
      run: (options) => ctx.paperbot.ask(question, { ...options, history }),
    });
  } catch (error) {
    if (tookCooldown) ctx.cooldown.release(message.author.id);
    if (isUserFacingError(error)) {
      await reply(error.message).catch((e: unknown) => logger.warn({ err: e }, 'could not send an error reply'));
    } else {
      logger.error({ err: error, event: 'follow-up-failed' }, 'follow-up failed');
      await reply(GENERIC_APOLOGY).catch((e: unknown) => logger.warn({ err: e }, 'could not send an apology'));
    }
  }
}
