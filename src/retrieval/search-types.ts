import type { Paper } from '../corpus/paper.js';

export interface SearchOptions {
  /** How many results (default 10). */
  k?: number;
  /** Maximal-marginal-relevance re-ranking for topic-level queries (diverse results). */
  diverse?: boolean;
}

export interface SearchHit {
  paper: Paper;
  /** Fused score in [0, 1]; higher is better. */
  score: number;
  /** Calibrated: true when this hit is likely about the query (not just the nearest thing). */
  relevant: boolean;
}

export interface SearchResponse {
  query: string;
  /** True when the corpus has something on this query (at least one relevant hit). */
  relevant: boolean;
  hits: SearchHit[];
}

/** Hybrid retrieval over the loaded corpus. */
export interface PaperSearcher {
  search(query: string, options?: SearchOptions): Promise<SearchResponse>;
}
