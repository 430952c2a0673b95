export interface VectorMatch {
  id: string;
  /** Cosine similarity in [-1, 1]. */
  score: number;
}

/** Nearest-neighbour lookup over the embedded papers (PackedVectorIndex for the local index). */
export interface VectorIndex {
  query(vector: readonly number[], k: number): Promise<VectorMatch[]>;
}
