export type DigestRunKind = 'scheduled' | 'manual';

export interface DigestRunRecord {
  runKey: string;
  kind: DigestRunKind;
  scheduledFor: number | null;
  status: 'posting' | 'posted';
  topic: string | null;
  channelId: string | null;
  messageId: string | null;
  paperIds: string[] | null;
  createdAt: number;
  postedAt: number | null;
}

/** One message of a composed digest (its payload is stored as JSON); `postedAt` is set once Discord accepted it. */
export interface DigestPart {
  index: number;
  payload: unknown;
  messageId: string | null;
  postedAt: number | null;
}

/** A run's composed digest, kept until every part is posted (and after, as a record of the message ids). */
export interface DigestDraft {
  runKey: string;
  kind: DigestRunKind;
  topic: string;
  topicIndex: number;
  channelId: string;
  paperIds: string[];
  newCount: number;
  createdAt: number;
  parts: DigestPart[];
}

export type NewDigestDraft = Omit<DigestDraft, 'parts' | 'createdAt'> & { payloads: readonly unknown[] };

export interface RunClaim {
  runKey: string;
  kind: DigestRunKind;
  scheduledFor: number | null;
  /** Who claims (one id per running digest service). */
  owner: string;
  at: number;
  leaseMs: number;
}

export type ClaimResult = { claimed: true } | { claimed: false; reason: 'posted' } | { claimed: false; reason: 'held'; leaseUntil: number };

export interface CompletedRun {
  topic: string;
  channelId: string;
  messageId: string | null;
  paperIds: string[];
}

/**
 * Digest runs: claimed before posting (so two triggers, or two processes, never post one run twice),
 * their composed messages recorded part by part, completed after.
 */
export interface DigestStore {
  /**
   * Claim a run for `owner` until `at + leaseMs`: a new run, or one whose claim expired (its owner died
   * mid-post). A run posted, or claimed by a live owner (lease not expired), is not claimed. Atomic.
   */
  claimRun(claim: RunClaim): Promise<ClaimResult>;
  /** Extend the owner's lease; false when the claim is no longer the owner's (taken over after it expired). */
  renewClaim(runKey: string, owner: string, leaseUntil: number): Promise<boolean>;
  /** Mark the owner's run posted; false when the claim was no longer the owner's. */
  completeRun(runKey: string, owner: string, done: CompletedRun, at: number): Promise<boolean>;
  /**
   * Give up the owner's claim after a failed post, so a later trigger can try again. The draft is kept
   * when some of its parts were posted (the retry posts only the rest); otherwise it is dropped.
   */
  abandonRun(runKey: string, owner: string): Promise<void>;
  /** Record a run's composed messages (none posted yet); the caller holds the run's claim. */
  saveDraft(draft: NewDigestDraft, at: number): Promise<DigestDraft>;
  getDraft(runKey: string): Promise<DigestDraft | undefined>;
  /** Record that one part reached Discord (committed before the next part is sent). */
  markPartPosted(runKey: string, index: number, messageId: string | null, at: number): Promise<void>;
  /** The oldest draft of this kind whose run is not posted yet (a manual digest that failed part-way). */
  unfinishedDraft(kind: DigestRunKind): Promise<DigestDraft | undefined>;
  getRun(runKey: string): Promise<DigestRunRecord | undefined>;
  /** The most recent posted run (scheduled or manual), for "new since the last digest". */
  lastPostedRun(): Promise<DigestRunRecord | undefined>;
  /** Every posted run, oldest first. */
  postedRuns(): Promise<DigestRunRecord[]>;
}
