import type { AnswerResult } from '../answer/answer-types.js';
import type { GapStore } from '../state/gap-store.js';
import { gapReason } from './classify-gap.js';
import { groupGaps, type GapTopic } from './group-gaps.js';
import { hashUserId, newSalt } from './hash-user-id.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Longest question text kept. */
export const GAP_QUESTION_MAX_CHARS = 1_000;

/** One answered request, as the gap log sees it. */
export interface GapCandidate {
  question: string;
  userId: string;
  guildId: string | null;
  command: string;
  result: Pick<AnswerResult, 'refused' | 'sources' | 'nearest'>;
}

export interface GapReport {
  since: number;
  total: number;
  topics: GapTopic[];
}

/** The coverage-gap log: records refused / low-evidence questions (hashed askers), prunes past retention, reports topics. */
export interface GapLog {
  /** Record the request when it is a gap (and prune old entries); true when recorded. */
  record(candidate: GapCandidate): Promise<boolean>;
  /** The gaps since a time, grouped into topics (one server's with `guildId`). */
  report(options: { since: number; guildId?: string; maxTopics?: number }): Promise<GapReport>;
  /** Delete the whole log; how many entries were deleted. */
  purge(): Promise<number>;
}

export interface GapLogOptions {
  store: GapStore;
  /** GAPS_RETENTION_DAYS. */
  retentionDays: number;
  /** GAPS_SALT; unset → one generated and stored in the database the first time. */
  salt: string | undefined;
  now: () => number;
}

export function createGapLog(options: GapLogOptions): GapLog {
  const { store, now } = options;
  let salt: Promise<string> | undefined;
  const saltOnce = () => (salt ??= options.salt ? Promise.resolve(options.salt) : store.hashSalt(newSalt()));
  const prune = () => store.pruneGaps(now() - options.retentionDays * DAY_MS);
  return {
    async record(candidate) {
      const reason = gapReason(candidate.result);
      if (!reason) return false;
      const userHash = hashUserId(await saltOnce(), candidate.userId);
      const question = [...candidate.question.trim()].slice(0, GAP_QUESTION_MAX_CHARS).join('');
      await store.recordGap({ question, askedAt: now(), guildId: candidate.guildId, userHash, reason, command: candidate.command });
      await prune();
      return true;
    },
    async report({ since, guildId, maxTopics }) {
      await prune();
      const gaps = await store.listGaps({ since: Math.max(since, now() - options.retentionDays * DAY_MS), ...(guildId ? { guildId } : {}) });
      return { since, total: gaps.length, topics: groupGaps(gaps, maxTopics ? { maxTopics } : {}) };
    },
    purge: () => store.purgeGaps(),
  };
}
