import type { ConversationTurn } from '../answer/answer-types.js';

/** A thread the bot started (from an /ask answer); follow-ups in it are answered with its turns. */
export interface BotThread {
  threadId: string;
  channelId: string;
  guildId: string | null;
  createdBy: string;
  question: string;
  createdAt: number;
}

/** Threads the bot started and their conversation memory. */
export interface ThreadStore {
  /** Record a thread; a thread already recorded is kept as it is. */
  createThread(thread: BotThread): Promise<void>;
  getThread(threadId: string): Promise<BotThread | undefined>;
  /** Forget a thread and its turns. */
  deleteThread(threadId: string): Promise<void>;
  isBotThread(threadId: string): Promise<boolean>;
  /** Append one turn (appendTurns with one). */
  addTurn(threadId: string, turn: ConversationTurn, at: number): Promise<void>;
  /**
   * Append turns in order as one unit (a question and its answer): no other writer's turn lands
   * between them and none is lost. With `keep`, turns beyond the newest `keep` are then dropped.
   */
  appendTurns(threadId: string, turns: readonly ConversationTurn[], at: number, options?: { keep?: number }): Promise<void>;
  /** The last `maxTurns` turns of a thread, oldest first (the bounded memory window). */
  recentTurns(threadId: string, maxTurns: number): Promise<ConversationTurn[]>;
  /** Drop turns beyond the newest `keep` (the window is all that is ever read). */
  pruneTurns(threadId: string, keep: number): Promise<void>;
}
