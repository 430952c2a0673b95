import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ExpectedPaperRow, FeedbackRow, FeedbackStore, ShownAnswer, StoredAnswer, Vote, VoteStatRow } from '../feedback-store.js';
import { EXPECTED_PAPERS_SQL, VOTE_STATS_SQL, toExpectedPaperRow, toFeedbackRow, toStoredAnswer, type AnswerRow, type ExpectedRow, type VoteRow } from '../state-rows.js';

/** FeedbackStore in PostgreSQL. */
export class PostgresFeedbackStore implements FeedbackStore {
  constructor(private readonly pool: pg.Pool) {}

  async recordShownAnswer(shown: ShownAnswer, at: number, answerId: string = randomUUID()): Promise<string> {
    await this.pool.query(
      `INSERT INTO answers (answer_id, question, answer, sources, mode, user_id, channel_id, created_at, command)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [answerId, shown.question, shown.answer, JSON.stringify(shown.sources), shown.mode, shown.userId ?? null, shown.channelId ?? null, at, shown.command ?? null],
    );
    return answerId;
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

  async getShownAnswer(answerId: string): Promise<StoredAnswer | undefined> {
    const { rows } = await this.pool.query<AnswerRow>(`SELECT ${ANSWER_COLUMNS} FROM answers WHERE answer_id = $1`, [answerId]);
    return rows[0] ? toStoredAnswer(rows[0]) : undefined;
  }

  async answersInChannel(channelId: string, limit = 500): Promise<StoredAnswer[]> {
    const { rows } = await this.pool.query<AnswerRow>(
      `SELECT ${ANSWER_COLUMNS} FROM answers WHERE channel_id = $1 ORDER BY created_at DESC, answer_id DESC LIMIT $2`,
      [channelId, limit],
    );
    return rows.reverse().map(toStoredAnswer);
  }

  async recordExpectedPaper(choice: { answerId: string; userId: string; paperId: string; title: string }, at: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO feedback_expected (answer_id, user_id, paper_id, title, created_at)
       SELECT answer_id, $1, $2, $3, $4 FROM answers WHERE answer_id = $5
       ON CONFLICT (answer_id, user_id) DO UPDATE SET paper_id = excluded.paper_id, title = excluded.title, created_at = excluded.created_at`,
      [choice.userId, choice.paperId, choice.title, at, choice.answerId],
    );
    return (rowCount ?? 0) > 0;
  }

  async exportExpectedPapers(): Promise<ExpectedPaperRow[]> {
    const { rows } = await this.pool.query<ExpectedRow>(EXPECTED_PAPERS_SQL);
    return rows.map(toExpectedPaperRow);
  }

  async voteStats(): Promise<VoteStatRow[]> {
    const { rows } = await this.pool.query<{ command: string | null; vote: Vote; created_at: string }>(VOTE_STATS_SQL);
    return rows.map((row) => ({ command: row.command, vote: row.vote, votedAt: Number(row.created_at) }));
  }

  async moveAnswerToChannel(answerId: string, channelId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE answers SET channel_id = $1 WHERE answer_id = $2', [channelId, answerId]);
    return (rowCount ?? 0) > 0;
  }
}

const ANSWER_COLUMNS = 'answer_id, question, answer, sources, mode, user_id, channel_id, created_at';
