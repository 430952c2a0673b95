import type pg from 'pg';
import type { ConversationTurn } from '../../answer/answer-types.js';
import type { BotThread, ThreadStore } from '../thread-store.js';
import { withTransaction } from './with-transaction.js';

interface TurnRow {
  role: 'user' | 'assistant';
  author: string | null;
  content: string;
}

const PRUNE_SQL = `DELETE FROM thread_turns WHERE thread_id = $1 AND id NOT IN
                     (SELECT id FROM thread_turns WHERE thread_id = $1 ORDER BY id DESC LIMIT $2)`;

/** ThreadStore in PostgreSQL. */
export class PostgresThreadStore implements ThreadStore {
  /** The last append per thread still running in this process: appends are stored in call order. */
  private readonly appending = new Map<string, Promise<void>>();
  constructor(private readonly pool: pg.Pool) {}

  async createThread(thread: BotThread): Promise<void> {
    await this.pool.query(
      `INSERT INTO threads (thread_id, channel_id, guild_id, created_by, question, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (thread_id) DO NOTHING`,
      [thread.threadId, thread.channelId, thread.guildId, thread.createdBy, thread.question, thread.createdAt],
    );
  }

  async getThread(threadId: string): Promise<BotThread | undefined> {
    const { rows } = await this.pool.query<BotThread>(
      `SELECT thread_id AS "threadId", channel_id AS "channelId", guild_id AS "guildId", created_by AS "createdBy",
              question, created_at AS "createdAt" FROM threads WHERE thread_id = $1`,
      [threadId],
    );
    return rows[0];
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.pool.query('DELETE FROM threads WHERE thread_id = $1', [threadId]);
  }

  async isBotThread(threadId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM threads WHERE thread_id = $1', [threadId]);
    return (rowCount ?? 0) > 0;
  }

  addTurn(threadId: string, turn: ConversationTurn, at: number): Promise<void> {
    return this.appendTurns(threadId, [turn], at);
  }

  appendTurns(threadId: string, turns: readonly ConversationTurn[], at: number, options: { keep?: number } = {}): Promise<void> {
    const previous = this.appending.get(threadId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.appendNow(threadId, turns, at, options));
    const settled = next.catch(() => undefined);
    this.appending.set(threadId, settled);
    void settled.then(() => {
      if (this.appending.get(threadId) === settled) this.appending.delete(threadId);
    });
    return next;
  }

  private async appendNow(threadId: string, turns: readonly ConversationTurn[], at: number, options: { keep?: number }): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      // The thread's row lock orders writers: turn ids are drawn only while it is held, so another
      // process's exchange never lands between these turns.
      const { rowCount } = await client.query('SELECT 1 FROM threads WHERE thread_id = $1 FOR UPDATE', [threadId]);
      if (!rowCount) throw new Error(`Thread ${threadId} is not recorded; its turns cannot be stored.`);
      for (const turn of turns) {
        await client.query('INSERT INTO thread_turns (thread_id, role, author, content, created_at) VALUES ($1, $2, $3, $4, $5)', [
          threadId,
          turn.role,
          turn.author ?? null,
          turn.content,
          at,
        ]);
      }
      if (options.keep !== undefined) await client.query(PRUNE_SQL, [threadId, Math.max(0, options.keep)]);
    });
  }

  async recentTurns(threadId: string, maxTurns: number): Promise<ConversationTurn[]> {
    const { rows } = await this.pool.query<TurnRow>('SELECT role, author, content FROM thread_turns WHERE thread_id = $1 ORDER BY id DESC LIMIT $2', [
      threadId,
      Math.max(0, maxTurns),
    ]);
    return rows.reverse().map((row) => (row.author ? { role: row.role, content: row.content, author: row.author } : { role: row.role, content: row.content }));
  }

  async pruneTurns(threadId: string, keep: number): Promise<void> {
    await this.pool.query(PRUNE_SQL, [threadId, Math.max(0, keep)]);
  }
}
