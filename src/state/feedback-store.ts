import type { AnswerSource } from '../answer/answer-types.js';

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

/** Answers shown and the votes on them. */
export interface FeedbackStore {
  /** Remember an answer; returns its id (used in the feedback buttons' custom ids), a new UUID unless given. */
  recordShownAnswer(shown: ShownAnswer, at: number, answerId?: string): Promise<string>;
  /** An answer recorded with `recordShownAnswer` (e.g. to recompute its claim check for "Show evidence"); undefined when unknown. */
  findShownAnswer(answerId: string): Promise<ShownAnswer | undefined>;
  /**
   * Store a user's vote on an answer; a second vote by the same user replaces the first.
   * Resolves false when the answer is unknown (e.g. a button from before the state was reset).
   */
  recordVote(vote: { answerId: string; userId: string; vote: Vote }, at: number): Promise<boolean>;
  /** Every stored vote, oldest first. */
  exportVotes(): Promise<FeedbackRow[]>;
}
