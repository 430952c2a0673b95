/**
 * vectra-style embedder: texts in, one vector per text out (same order).
 * `id` names the model (e.g. `offline-glove-sif-100d@1`, `openai:text-embedding-3-small`) and is
 * recorded in the index manifest together with `dimensions`; a mismatch on load is an error.
 */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<number[][]>;
}
