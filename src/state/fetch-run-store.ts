import type { ClaimResult } from './digest-store.js';

/** What a scheduled fetch brought, kept for the digest ("which feed failed") and the next fetch's window. */
export interface FetchRunOutcome {
  /** Corpus ids of the papers this fetch added. */
  newPaperIds: string[];
  updatedPaperIds: string[];
  /** Feeds that failed, with why (the next run retries them). */
  failedFeeds: { feed: string; error: string }[];
  /** Every feed the run pulled. */
  feeds: string[];
}

export interface FetchRunRecord {
  runKey: string;
  status: 'running' | 'done';
  startedAt: number;
  finishedAt: number | null;
  outcome: FetchRunOutcome | null;
}

export interface FetchRunClaim {
  runKey: string;
  /** Who claims (one id per running fetch service). */
  owner: string;
  at: number;
  leaseMs: number;
}

/**
 * Scheduled feed fetches: one run per schedule slot, claimed before fetching (so shards, or a
 * restarted process, never fetch one slot twice) with a lease its owner renews, completed with its
 * outcome. Same claim semantics as the digest runs (`ClaimResult`; 'posted' = already done).
 */
export interface FetchRunStore {
  /** Claim a new run, or one whose owner's lease expired; a done run or a live claim is not claimed. Atomic. */
  claimRun(claim: FetchRunClaim): Promise<ClaimResult>;
  /** Extend the owner's lease; false when the claim is no longer the owner's. */
  renewClaim(runKey: string, owner: string, leaseUntil: number): Promise<boolean>;
  /** Record the outcome; false when the claim was no longer the owner's. */
  completeRun(runKey: string, owner: string, outcome: FetchRunOutcome, at: number): Promise<boolean>;
  /** Give the claim up after a failure, so the slot can be tried again. */
  abandonRun(runKey: string, owner: string): Promise<void>;
  /** Runs finished at or after `at`, oldest first. */
  completedRunsSince(at: number): Promise<FetchRunRecord[]>;
  /** The latest finished run in which every feed succeeded (the next fetch starts its window there). */
  lastCleanRun(): Promise<FetchRunRecord | undefined>;
}
