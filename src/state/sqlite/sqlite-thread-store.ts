import type { ConversationTurn } from '../../answer/answer-types.js';
import type { BotThread, ThreadStore } from '../thread-store.js';
import type { StateDatabase } from './open-state-database.js';

interface TurnRow {
  role: 'user' | 'assistant';
  author: string | null;
  content: string;
}

/** ThreadStore in the SQLite state database. */
export class SqliteThreadStore implements ThreadStore {
  constructor(private readonly db: StateDatabase) {}

  async createThread(thread: BotThread): Promise<void> {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO threads (thread_id, channel_id, guild_id, created_by, question, created_at)
         VALUES (@threadId, @channelId, @guildId, @createdBy, @question, @createdAt)`,
      )
      .run(thread);
  }

  async getThread(threadId: string): Promise<BotThread | undefined> {
    return this.db
      .prepare(
        `SELECT thread_id AS threadId, channel_id AS channelId, guild_id AS guildId, created_by AS createdBy,
                question, created_at AS createdAt FROM threads WHERE thread_id = ?`,
      )
      .get(threadId) as BotThread | undefined;
  }

  async deleteThread(threadId: string): Promise<void> {
    this.db.prepare('DELETE FROM threads WHERE thread_id = ?').run(threadId);
  }

  async isBotThread(threadId: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM threads WHERE thread_id = ?').get(threadId) !== undefined;
  }

  addTurn(threadId: string, turn: ConversationTurn, at: number): Promise<void> {
    return this.appendTurns(threadId, [turn], at);
  }

  async appendTurns(threadId: string, turns: readonly ConversationTurn[], at: number, options: { keep?: number } = {}): Promise<void> {
    const insert = this.db.prepare('INSERT INTO thread_turns (thread_id, role, author, content, created_at) VALUES (?, ?, ?, ?, ?)');
    // IMMEDIATE: the write lock is taken first, so another process's turns cannot land in between.
    this.db
      .transaction(() => {
        for (const turn of turns) insert.run(threadId, turn.role, turn.author ?? null, turn.content, at);
        if (options.keep !== undefined) this.prune(threadId, options.keep);
      })
      .immediate();
  }

  async recentTurns(threadId: string, maxTurns: number): Promise<ConversationTurn[]> {
    const rows = this.db
      .prepare('SELECT role, author, content FROM thread_turns WHERE thread_id = ? ORDER BY id DESC LIMIT ?')
      .all(threadId, Math.max(0, maxTurns)) as TurnRow[];
    return rows.reverse().map((row) => (row.author ? { role: row.role, content: row.content, author: row.author } : { role: row.role, content: row.content }));
  }

  async pruneTurns(threadId: string, keep: number): Promise<void> {
    this.prune(threadId, keep);
  }

  private prune(threadId: string, keep: number): void {
    this.db
      .prepare(
        `DELETE FROM thread_turns WHERE thread_id = ? AND id NOT IN
           (SELECT id FROM thread_turns WHERE thread_id = ? ORDER BY id DESC LIMIT ?)`,
      )
      .run(threadId, threadId, Math.max(0, keep));
  }
}
