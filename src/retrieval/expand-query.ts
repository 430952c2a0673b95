import type { WordNeighbourIndex } from '../embedding/word-neighbours.js';
import { isStopWord, stem, words } from '../text/tokenize.js';
import type { LexicalIndex } from './lexical-index.js';

/** Knobs of word-vector query expansion. */
export interface QueryExpansionOptions {
  /** Neighbours taken per query word (0 = no expansion). */
  neighbours: number;
  /** Minimal word-vector cosine of a neighbour. */
  minSimilarity: number;
  /** An expansion term's BM25 weight = `weight` × its cosine (original terms weigh 1). */
  weight: number;
  /** Only words at or beyond this source frequency rank are expanded (common words are not). */
  minRank: number;
}

/** A weighted BM25 query term (see {@link LexicalIndex.searchTerms}). */
export interface WeightedTerm {
  term: string;
  weight: number;
  /** False for expansion terms: they help ranking but do not count as query coverage. */
  coverage: boolean;
}

/**
 * The query's own terms (weight 1) plus, for each rarer query word, its nearest corpus words by
 * word vector (down-weighted, only words whose stem the index knows — the neighbour index is
 * built over those). Lets "shrinking a network" reach abstracts that say "compression"/"pruning".
 */
export function expandQueryTerms(
  query: string,
  deps: { lexical: LexicalIndex; neighbours: WordNeighbourIndex; frequencyRank: (word: string) => number | undefined },
  options: QueryExpansionOptions,
): WeightedTerm[] {
  const terms = new Map<string, WeightedTerm>();
  for (const { term } of deps.lexical.queryTerms(query)) terms.set(term, { term, weight: 1, coverage: true });
  if (options.neighbours <= 0) return [...terms.values()];
  const expansions = new Map<string, number>();
  for (const word of new Set(words(query))) {
    if (isStopWord(word) || word.includes('-') || word.includes("'")) continue;
    const rank = deps.frequencyRank(word);
    if (rank === undefined || rank < options.minRank) continue;
    for (const n of deps.neighbours.nearest(word, options.neighbours, options.minSimilarity)) {
      const term = stem(n.word);
      if (terms.has(term) || !deps.lexical.hasTerm(term)) continue;
      const weight = options.weight * n.similarity;
      if (weight > (expansions.get(term) ?? 0)) expansions.set(term, weight);
    }
  }
  for (const [term, weight] of expansions) terms.set(term, { term, weight, coverage: false });
  return [...terms.values()];
}
