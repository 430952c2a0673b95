import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { FeedbackRow, FeedbackStore, ShownAnswer, Vote } from '../feedback-store.js';
import { toFeedbackRow, toShownAnswer, type ShownAnswerRow, type VoteRow } from '../state-rows.js';

/** FeedbackStore in PostgreSQL. */
export class PostgresFeedbackStore implements FeedbackStore {
  constructor(private readonly pool: pg.Pool) {}

  async recordShownAnswer(shown: ShownAnswer, at: number, answerId: string = randomUUID()): Promise<string> {
    await this.pool.query(
      `INSERT INTO answers (answer_id, question, answer, sources, mode, user_id, channel_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [answerId, shown.question, shown.answer, JSON.stringify(shown.sources), shown.mode, shown.userId ?? null, shown.channelId ?? null, at],
    );
    return answerId;
  }

  async findShownAnswer(answerId: string): Promise<ShownAnswer | undefined> {
    const { rows } = await this.pool.query<ShownAnswerRow>('SELECT question, answer, sources, mode, user_id, channel_id FROM answers WHERE answer_id = $1', [answerId]);
    return rows[0] ? toShownAnswer(rows[0]) : undefined;
  }

  async recordVote(vote: { answerId: string; userId: string; vote: Vote }, at: number): Promise<boolean> {
    // One statement: the vote carries the answer's question, answer and sources, or nothing is written.
    const { rowCount } = await this.pool.query(
      `INSERT INTO feedback (answer_id, user_id, vote, question, answer, sources, created_at)
       SELECT answer_id, $1, $2, question, answer, sources, $3 FROM answers WHERE answer_id = $4
       ON CONFLICT (answer_id, user_id) DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at`,
      [vote.userId, vote.vote, at, vote.answerId],
    );
    return (rowCount ?? 0) > 0;
  }

  async exportVotes(): Promise<FeedbackRow[]> {
    const { rows } = await this.pool.query<VoteRow>(
      'SELECT answer_id, user_id, vote, question, answer, sources, created_at FROM feedback ORDER BY created_at, answer_id, user_id',
    );
    return rows.map(toFeedbackRow);
  }
}
