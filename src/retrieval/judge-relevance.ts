import type { HybridTuning } from './hybrid-tuning.js';
import type { QueryVocabulary } from './query-vocabulary.js';
import type { Candidate } from './score-candidates.js';

/** The calibrated `relevant` flags of one search. */
export interface RelevanceJudge {
  /** Whether a candidate is likely about the query (not just the nearest thing). */
  hit(candidate: Candidate): boolean;
  /** Whether the query is on-topic for the corpus, given the flags of its hits. */
  query(hitFlags: readonly boolean[]): boolean;
}

/**
 * Relevance of one query's candidates: the query names the paper by a rare alias, or enough evidence
 * (dense cosine + lexical coverage, and a soft match when soft matching is on), or a rare query term the
 * paper contains. The query is on-topic
 * when a hit is relevant or when its words are the field's vocabulary (a paraphrase of a paper rarely
 * matches one abstract well, but is still a question for us).
 */
export function judgeRelevance(
  query: string,
  deps: { tuning: HybridTuning; softOn: boolean; vocabulary: QueryVocabulary },
): RelevanceJudge {
  const { tuning, softOn, vocabulary } = deps;
  const rare = vocabulary.rareTerms(query);
  return {
    hit: (c) =>
      c.named === 'rare' ||
      (Math.max(0, c.cosine) + c.coverage >= tuning.minEvidence && (!softOn || c.soft >= tuning.minSoft)) ||
      (rare.length > 0 && rare.some((t) => c.terms.has(t))),
    query: (flags) => flags.length > 0 && (flags.some(Boolean) || (tuning.minDomain > 0 && vocabulary.domainScore(query) >= tuning.minDomain)),
  };
}
