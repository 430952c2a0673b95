import type { ConversationTurn } from '../../answer/answer-types.js';
import type { StateDatabase } from './open-state-database.js';

export interface BotThread {
  threadId: string;
  channelId: string;
  guildId: string | null;
  createdBy: string;
  question: string;
  createdAt: number;
}

/** Threads the bot started and their conversation memory, persisted in the state database. */
export class ThreadStore {
  constructor(private readonly db: StateDatabase) {}

  createThread(thread: BotThread): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO threads (thread_id, channel_id, guild_id, created_by, question, created_at)
         VALUES (@threadId, @channelId, @guildId, @createdBy, @question, @createdAt)`,
      )
      .run(thread);
  }

  getThread(threadId: string): BotThread | undefined {
    const row = this.db
      .prepare(
        `SELECT thread_id AS threadId, channel_id AS channelId, guild_id AS guildId, created_by AS createdBy,
                question, created_at AS createdAt FROM threads WHERE thread_id = ?`,
      )
      .get(threadId) as BotThread | undefined;
    return row;
  }

  deleteThread(threadId: string): void {
    this.db.prepare('DELETE FROM threads WHERE thread_id = ?').run(threadId);
  }

  isBotThread(threadId: string): boolean {
    return this.db.prepare('SELECT 1 FROM threads WHERE thread_id = ?').get(threadId) !== undefined;
  }

  addTurn(threadId: string, turn: ConversationTurn, at: number): void {
    this.db
      .prepare('INSERT INTO thread_turns (thread_id, role, author, content, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(threadId, turn.role, turn.author ?? null, turn.content, at);
  }

  /** The last `maxTurns` turns of a thread, oldest first (the bounded memory window). */
  recentTurns(threadId: string, maxTurns: number): ConversationTurn[] {
    const rows = this.db
      .prepare(
        `SELECT role, author, content FROM thread_turns WHERE thread_id = ? ORDER BY id DESC LIMIT ?`,
      )
      .all(threadId, Math.max(0, maxTurns)) as { role: 'user' | 'assistant'; author: string | null; content: string }[];
    return rows.reverse().map((row) => (row.author ? { role: row.role, content: row.content, author: row.author } : { role: row.role, content: row.content }));
  }

  /** Drop turns beyond the newest `keep` (the window is all that is ever read). */
  pruneTurns(threadId: string, keep: number): void {
    this.db
      .prepare(
        `DELETE FROM thread_turns WHERE thread_id = ? AND id NOT IN
           (SELECT id FROM thread_turns WHERE thread_id = ? ORDER BY id DESC LIMIT ?)`,
      )
      .run(threadId, threadId, Math.max(0, keep));
  }
}
