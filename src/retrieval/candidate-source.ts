import type { VectorIndex, VectorMatch } from '../store/vector-index.js';
import type { LexicalIndex, LexicalMatch } from './lexical-index.js';

/** A query term for lexical retrieval (see LexicalIndex.searchTerms). */
export interface WeightedTerm {
  term: string;
  idf?: number;
  weight?: number;
  coverage?: boolean;
}

/**
 * What the searcher needs to know of the corpus's words, synchronously: document frequencies and
 * IDF of the (stemmed) terms. {@link LexicalIndex} has them; a database-backed store keeps only
 * these statistics in memory, not the postings.
 */
export interface LexicalStatistics {
  /** Papers counted. */
  readonly size: number;
  documentFrequency(term: string): number;
  idf(term: string): number;
  queryTerms(query: string): { term: string; idf: number }[];
  hasTerm(term: string): boolean;
  termWeights(text: string): Map<string, number>;
}

/**
 * Where the searcher takes its candidates from: the lexical (BM25) top-k and the dense (cosine)
 * top-k. The fusion, calibration and refusals above it are the same whichever store answers.
 */
export interface CandidateSource {
  lexical(terms: readonly WeightedTerm[], k: number): Promise<LexicalMatch[]>;
  dense(vector: readonly number[], k: number): Promise<VectorMatch[]>;
  /**
   * The stemmed terms of papers by id, as `tokenize` gives them for title and abstract (an id it no
   * longer holds left out): a store that keeps them apart answers without reading whole papers. Absent:
   * the searcher tokenizes the papers it loads.
   */
  paperTerms?(ids: readonly string[]): Promise<ReadonlyMap<string, ReadonlySet<string>>>;
}

/** Candidates from in-process indexes (the local store, tests, evaluation). */
export function localCandidateSource(lexical: LexicalIndex, vectors: VectorIndex): CandidateSource {
  return {
    lexical: async (terms, k) => lexical.searchTerms(terms, k),
    dense: (vector, k) => vectors.query(vector, k),
  };
}
