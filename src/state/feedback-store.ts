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
  /** What produced it (`ask`, `compare`, `summarize`, `follow-up`…), for `paperbot feedback --stats`. */
  command?: string;
}

/** The paper a 👎 voter says should have answered (`paperbot feedback --export --as-eval`). */
export interface ExpectedPaperRow {
  answerId: string;
  userId: string;
  question: string;
  paperId: string;
  title: string;
  /** ISO time it was chosen. */
  chosenAt: string;
}

/** One vote for the statistics: what command the answer came from, and when. */
export interface VoteStatRow {
  command: string | null;
  vote: Vote;
  /** ms since the epoch. */
  votedAt: number;
}

/** A shown answer as stored, with its id and when it was shown (ms since the epoch). */
export interface StoredAnswer extends ShownAnswer {
  answerId: string;
  shownAt: number;
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
  /**
   * Store a user's vote on an answer; a second vote by the same user replaces the first.
   * Resolves false when the answer is unknown (e.g. a button from before the state was reset).
   */
  recordVote(vote: { answerId: string; userId: string; vote: Vote }, at: number): Promise<boolean>;
  /** Every stored vote, oldest first. */
  exportVotes(): Promise<FeedbackRow[]>;
  /** One shown answer (for its "Sources" and "Show evidence" buttons), undefined when unknown. */
  getShownAnswer(answerId: string): Promise<StoredAnswer | undefined>;
  /** The answers shown in a channel or thread, oldest first (at most `limit`, the newest ones). */
  answersInChannel(channelId: string, limit?: number): Promise<StoredAnswer[]>;
  /** Remember which paper should have answered (after a 👎); a second choice by the same user replaces the first. False when the answer is unknown. */
  recordExpectedPaper(choice: { answerId: string; userId: string; paperId: string; title: string }, at: number): Promise<boolean>;
  /** Every chosen paper whose voter's vote is still 👎, with the question, oldest first. */
  exportExpectedPapers(): Promise<ExpectedPaperRow[]>;
  /** Every vote with its answer's command and time (for the statistics). */
  voteStats(): Promise<VoteStatRow[]>;
  /** File an answer under another channel (an /ask answer under the thread opened on it); false when unknown. */
  moveAnswerToChannel(answerId: string, channelId: string): Promise<boolean>;
}
