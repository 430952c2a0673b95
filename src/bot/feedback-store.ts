import { randomUUID } from 'node:crypto';
import type { AnswerSource } from '../answer/answer-types.js';
import type { StateDatabase } from './state/open-state-database.js';

export type Vote = 'up' | 'down';

/** An answer the bot showed, kept so that a later 👍/👎 can be stored with its question, answer and sources. */
export interface ShownAnswer {
  question: string;
  answer: string;
  sources: AnswerSource[];
  mode: 'llm' | 'extractive';
  userId?: string;
  channelId?: string;
}

/** One exported vote (`paperbot feedback --export`). */
export interface FeedbackRow {
  answerId: string;
  userId: string;
  vote: Vote;
  question: string;
  answer: string;
  sources: AnswerSource[];
  /** ISO time of the (latest) vote. */
  votedAt: string;
}

/** Remember an answer; returns its id (used in the feedback buttons' custom ids). */
export function recordShownAnswer(db: StateDatabase, shown: ShownAnswer, at: number, answerId: string = randomUUID()): string {
  db.prepare(
    `INSERT INTO answers (answer_id, question, answer, sources, mode, user_id, channel_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(answerId, shown.question, shown.answer, JSON.stringify(shown.sources), shown.mode, shown.userId ?? null, shown.channelId ?? null, at);
  return answerId;
}

/**
 * Store a user's vote on an answer; a second vote by the same user replaces the first.
 * Returns false when the answer is unknown (e.g. a button from before the database was reset).
 */
export function recordFeedback(db: StateDatabase, vote: { answerId: string; userId: string; vote: Vote }, at: number): boolean {
  const answer = db.prepare('SELECT question, answer, sources FROM answers WHERE answer_id = ?').get(vote.answerId) as
    | { question: string; answer: string; sources: string }
    | undefined;
  if (!answer) return false;
  db.prepare(
    `INSERT INTO feedback (answer_id, user_id, vote, question, answer, sources, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(answer_id, user_id) DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at`,
  ).run(vote.answerId, vote.userId, vote.vote, answer.question, answer.answer, answer.sources, at);
  return true;
}

/** Every stored vote, oldest first. */
export function exportFeedback(db: StateDatabase): FeedbackRow[] {
  const rows = db
    .prepare('SELECT answer_id, user_id, vote, question, answer, sources, created_at FROM feedback ORDER BY created_at, answer_id, user_id')
    .all() as { answer_id: string; user_id: string; vote: Vote; question: string; answer: string; sources: string; created_at: number }[];
  return rows.map((row) => ({
    answerId: row.answer_id,
    userId: row.user_id,
    vote: row.vote,
    question: row.question,
    answer: row.answer,
    sources: JSON.parse(row.sources) as AnswerSource[],
    votedAt: new Date(row.created_at).toISOString(),
  }));
}
