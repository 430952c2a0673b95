import {
  ChannelType,
  DiscordAPIError,
  RESTJSONErrorCodes,
  Routes,
  ThreadAutoArchiveDuration,
  type APIChannel,
  type Client,
} from 'discord.js';
import { sanitizeText } from '../text/normalize-input.js';
import type { BotContext } from './bot-context.js';
import { DISCORD_LIMITS as L } from './discord-limits.js';
import { truncate } from './split-text.js';

/** Turns kept per thread in the database (the answer window is THREAD_HISTORY_TURNS of them). */
const MIN_TURNS_KEPT = 50;

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

/** One question and its answer in a thread. */
export interface Exchange {
  question: string;
  /** Display name of who asked. */
  author: string;
  answer: string;
}

/** Remember a question and its answer as the thread's two newest turns (older ones beyond the kept window are dropped). */
export async function recordExchange(ctx: BotContext, threadId: string, exchange: Exchange): Promise<void> {
  const turns = [
    { role: 'user' as const, content: exchange.question, author: exchange.author },
    { role: 'assistant' as const, content: exchange.answer },
  ];
  // One transaction: two writers never interleave a thread's question/answer pairs.
  await ctx.threads.appendTurns(threadId, turns, ctx.clock.now(), { keep: Math.max(ctx.config.discord.threadHistoryTurns * 2, MIN_TURNS_KEPT) });
}

/** Where a thread is opened from: the answer's first message in a channel of a server. */
export interface ThreadOrigin {
  client: Client;
  channelId: string;
  guildId: string | null;
  messageId: string;
  userId: string;
}

/**
 * Open the follow-up thread on an answer and remember it with its first exchange. The thread is
 * recorded under the message's id (a thread started from a message takes its id) before Discord is
 * asked, so a follow-up typed the instant the thread appears is already recognised.
 */
export async function openAnswerThread(ctx: BotContext, origin: ThreadOrigin, exchange: Exchange): Promise<ThreadOutcome> {
  const remember = async (threadId: string) => {
    const thread = { threadId, channelId: origin.channelId, guildId: origin.guildId, createdBy: origin.userId, question: exchange.question, createdAt: ctx.clock.now() };
    await ctx.threads.createThread(thread);
    await recordExchange(ctx, threadId, exchange);
  };
  await remember(origin.messageId);
  let outcome: ThreadOutcome;
  try {
    outcome = await startThreadFromMessage(origin.client, origin.channelId, origin.messageId, exchange.question);
  } catch (error) {
    ctx.logger.warn({ err: error, event: 'thread-failed' }, 'could not start a thread');
    outcome = { kind: 'inline', reason: 'error' };
  }
  if (outcome.kind === 'thread' && outcome.threadId === origin.messageId) return outcome;
  await ctx.threads.deleteThread(origin.messageId);
  if (outcome.kind === 'thread') await remember(outcome.threadId);
  return outcome;
}
