import { randomUUID } from 'node:crypto';
import type { AnswerSource } from '../../answer/answer-types.js';
import type { FeedbackRow, FeedbackStore, ShownAnswer, Vote } from '../feedback-store.js';
import { parseJsonColumn, toFeedbackRow, toShownAnswer, type ShownAnswerRow, type VoteRow } from '../state-rows.js';
import type { StateDatabase } from './open-state-database.js';

/** FeedbackStore in the SQLite state database. */
export class SqliteFeedbackStore implements FeedbackStore {
  constructor(private readonly db: StateDatabase) {}

  async recordShownAnswer(shown: ShownAnswer, at: number, answerId: string = randomUUID()): Promise<string> {
    this.db
      .prepare(
        `INSERT INTO answers (answer_id, question, answer, sources, mode, user_id, channel_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(answerId, shown.question, shown.answer, JSON.stringify(shown.sources), shown.mode, shown.userId ?? null, shown.channelId ?? null, at);
    return answerId;
  }

  async findShownAnswer(answerId: string): Promise<ShownAnswer | undefined> {
    const row = this.db.prepare('SELECT question, answer, sources, mode, user_id, channel_id FROM answers WHERE answer_id = ?').get(answerId) as
      | (Omit<ShownAnswerRow, 'sources'> & { sources: string })
      | undefined;
    return row ? toShownAnswer({ ...row, sources: parseJsonColumn<AnswerSource[]>(row.sources) }) : undefined;
  }

  async recordVote(vote: { answerId: string; userId: string; vote: Vote }, at: number): Promise<boolean> {
    // One statement: the vote carries the answer's question, answer and sources, or nothing is written.
    const result = this.db
      .prepare(
        `INSERT INTO feedback (answer_id, user_id, vote, question, answer, sources, created_at)
         SELECT answer_id, ?, ?, question, answer, sources, ? FROM answers WHERE answer_id = ?
         ON CONFLICT(answer_id, user_id) DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at`,
      )
      .run(vote.userId, vote.vote, at, vote.answerId);
    return result.changes > 0;
  }

  async exportVotes(): Promise<FeedbackRow[]> {
    const rows = this.db
      .prepare('SELECT answer_id, user_id, vote, question, answer, sources, created_at FROM feedback ORDER BY created_at, answer_id, user_id')
      .all() as (Omit<VoteRow, 'sources'> & { sources: string })[];
    return rows.map((row) => toFeedbackRow({ ...row, sources: parseJsonColumn<AnswerSource[]>(row.sources) }));
  }
}
