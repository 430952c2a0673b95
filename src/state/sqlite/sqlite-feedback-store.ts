import { randomUUID } from 'node:crypto';
import type { AnswerSource } from '../../answer/answer-types.js';
import type { ExpectedPaperRow, FeedbackRow, FeedbackStore, ShownAnswer, StoredAnswer, Vote, VoteStatRow } from '../feedback-store.js';
import { EXPECTED_PAPERS_SQL, VOTE_STATS_SQL, parseJsonColumn, toExpectedPaperRow, toFeedbackRow, toStoredAnswer, type AnswerRow, type ExpectedRow, type VoteRow } from '../state-rows.js';
import type { StateDatabase } from './open-state-database.js';

/** FeedbackStore in the SQLite state database. */
export class SqliteFeedbackStore implements FeedbackStore {
  constructor(private readonly db: StateDatabase) {}

  async recordShownAnswer(shown: ShownAnswer, at: number, answerId: string = randomUUID()): Promise<string> {
    this.db
      .prepare(
        `INSERT INTO answers (answer_id, question, answer, sources, mode, user_id, channel_id, created_at, command)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(answerId, shown.question, shown.answer, JSON.stringify(shown.sources), shown.mode, shown.userId ?? null, shown.channelId ?? null, at, shown.command ?? null);
    return answerId;
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

  async getShownAnswer(answerId: string): Promise<StoredAnswer | undefined> {
    const row = this.db.prepare(`SELECT ${ANSWER_COLUMNS} FROM answers WHERE answer_id = ?`).get(answerId) as TextAnswerRow | undefined;
    return row ? toStoredAnswer({ ...row, sources: parseJsonColumn<AnswerSource[]>(row.sources) }) : undefined;
  }

  async answersInChannel(channelId: string, limit = 500): Promise<StoredAnswer[]> {
    const rows = this.db
      .prepare(`SELECT ${ANSWER_COLUMNS} FROM answers WHERE channel_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`)
      .all(channelId, limit) as TextAnswerRow[];
    return rows.reverse().map((row) => toStoredAnswer({ ...row, sources: parseJsonColumn<AnswerSource[]>(row.sources) }));
  }

  async recordExpectedPaper(choice: { answerId: string; userId: string; paperId: string; title: string }, at: number): Promise<boolean> {
    const result = this.db
      .prepare(
        `INSERT INTO feedback_expected (answer_id, user_id, paper_id, title, created_at)
         SELECT answer_id, ?, ?, ?, ? FROM answers WHERE answer_id = ?
         ON CONFLICT(answer_id, user_id) DO UPDATE SET paper_id = excluded.paper_id, title = excluded.title, created_at = excluded.created_at`,
      )
      .run(choice.userId, choice.paperId, choice.title, at, choice.answerId);
    return result.changes > 0;
  }

  async exportExpectedPapers(): Promise<ExpectedPaperRow[]> {
    const rows = this.db.prepare(EXPECTED_PAPERS_SQL).all() as ExpectedRow[];
    return rows.map(toExpectedPaperRow);
  }

  async voteStats(): Promise<VoteStatRow[]> {
    const rows = this.db.prepare(VOTE_STATS_SQL).all() as { command: string | null; vote: Vote; created_at: number }[];
    return rows.map((row) => ({ command: row.command, vote: row.vote, votedAt: Number(row.created_at) }));
  }

  async moveAnswerToChannel(answerId: string, channelId: string): Promise<boolean> {
    return this.db.prepare('UPDATE answers SET channel_id = ? WHERE answer_id = ?').run(channelId, answerId).changes > 0;
  }
}

const ANSWER_COLUMNS = 'answer_id, question, answer, sources, mode, user_id, channel_id, created_at';
type TextAnswerRow = Omit<AnswerRow, 'sources'> & { sources: string };
