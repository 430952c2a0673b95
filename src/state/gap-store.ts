/** Why a question is a coverage gap: refused (the corpus had nothing relevant) or answered citing nothing. */
export type GapReason = 'refused' | 'low-evidence';

/** A question the corpus could not answer well. Never the asker's id: only a salted hash of it. */
export interface CoverageGap {
  question: string;
  /** ms since the epoch. */
  askedAt: number;
  guildId: string | null;
  /** HMAC-SHA256 of the user id with the installation's salt (see `hashUserId`). */
  userHash: string;
  reason: GapReason;
  /** `ask`, `summarize`, `follow-up`… */
  command: string;
}

/** The coverage-gap log (its own tables: `coverage_gaps`, `coverage_gap_salt`). */
export interface GapStore {
  recordGap(gap: CoverageGap): Promise<void>;
  /** Gaps asked at or after `since`, oldest first (only one server's with `guildId`; at most `limit`, the newest). */
  listGaps(options: { since: number; guildId?: string; limit?: number }): Promise<CoverageGap[]>;
  /** Delete gaps asked before `before`; how many were deleted. */
  pruneGaps(before: number): Promise<number>;
  /** Delete every gap; how many were deleted. The salt is kept. */
  purgeGaps(): Promise<number>;
  /** The salt of user hashes: the stored one, else `candidate`, stored once (concurrent callers agree). */
  hashSalt(candidate: string): Promise<string>;
}
