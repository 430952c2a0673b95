import type { Paper } from '../corpus/paper.js';
import type { Candidate } from './score-candidates.js';

/**
 * Optional model help for retrieval (RETRIEVAL_ASSIST). Each method returns undefined when it cannot
 * help (no answer, a fault, an invalid reply): the search then goes on with the fused order.
 */
export interface RetrievalAssist {
  /** An abstract-like passage a paper answering the query might contain (HyDE), searched next to the query. */
  rewrite?(query: string): Promise<string | undefined>;
  /** One relevance score per paper, in the order given (higher is better). */
  rerank?(query: string, papers: readonly Paper[]): Promise<number[] | undefined>;
}

/** How many of the best fused candidates a reranking call sees. */
export const RERANK_TOP = 30;
/**
 * The query's candidates merged with those of its rewrite: each paper scores the sum of its fused
 * scores in the two lists (CombSUM; 0 where absent), scaled so the best is 1. A paper only the rewrite
 * found keeps no signal of the query's own (no coverage or soft match, the lowest cosine), so its
 * relevance is judged on what the user wrote.
 */
export function mergeWithRewrite(own: readonly Candidate[], rewritten: readonly Candidate[]): Candidate[] {
  const minCosine = Math.min(...own.map((c) => c.cosine), 0);
  const merged = new Map<string, { candidate: Candidate; score: number }>();
  for (const c of own) merged.set(c.id, { candidate: { ...c }, score: c.fused });
  for (const c of rewritten) {
    const entry = merged.get(c.id);
    if (entry) entry.score += c.fused;
    else merged.set(c.id, { candidate: { ...c, lexical: 0, coverage: 0, soft: 0, cosine: minCosine, named: null }, score: c.fused });
  }
  const ranked = [...merged.values()].sort((a, b) => b.score - a.score || a.candidate.id.localeCompare(b.candidate.id));
  const top = ranked[0]?.score || 1;
  return ranked.map(({ candidate, score }) => ({ ...candidate, fused: score / top }));
}

/**
 * The first `scores.length` candidates reordered by score (ties keep their fused order), the rest
 * after them unchanged. Scores shown stay the fused scores of the ranks (so they still fall with rank).
 */
export function applyRerank(candidates: readonly Candidate[], scores: readonly number[]): Candidate[] {
  const n = Math.min(scores.length, candidates.length);
  const order = candidates
    .slice(0, n)
    .map((c, i) => ({ c, i, s: scores[i]! }))
    .sort((a, b) => b.s - a.s || a.i - b.i);
  const head = order.map(({ c }, rank) => ({ ...c, fused: candidates[rank]!.fused }));
  return [...head, ...candidates.slice(n)];
}
