export interface VectorMatch {
  id: string;
  /** Cosine similarity in [-1, 1]. */
  score: number;
}

/** Nearest-neighbour lookup over the embedded papers (implemented over vectra, or in memory in tests). */
export interface VectorIndex {
  query(vector: readonly number[], k: number): Promise<VectorMatch[]>;
}
