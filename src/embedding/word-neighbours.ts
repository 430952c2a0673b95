import type { WordVectors } from './word-vector-asset.js';
import { createRowDotProducts } from './dot-products.js';
import { zipfProbability } from './zipf.js';

/** Words whose neighbour lists are memoised; past this the cache starts again. */
const NEIGHBOUR_CACHE_LIMIT = 20_000;

/** A vocabulary word near another one, with the cosine of their word vectors. */
export interface WordNeighbour {
  word: string;
  similarity: number;
}

/** Nearest-word look-ups over a fixed subset of the vocabulary (e.g. the words a corpus uses). */
export interface WordNeighbourIndex {
  /** How many words the index covers. */
  readonly size: number;
  /**
   * Up to `k` covered words with cosine ≥ `minSimilarity` to `word`, best first, excluding `word`
   * itself; [] when `word` has no vector. Cost: one pass over the covered words (≤ the asset's
   * vocabulary, so bounded whatever the corpus size); results are memoised per word.
   */
  nearest(word: string, k: number, minSimilarity: number): WordNeighbour[];
  /**
   * The same as `nearest`, its pass over the covered words done in slices with the event loop let in
   * between (a search's database statements go on being sent and read meanwhile).
   */
  nearestYielding(word: string, k: number, minSimilarity: number): Promise<WordNeighbour[]>;
}

/** Covered words per slice of a yielding look-up (a few milliseconds of work). */
const ROWS_PER_SLICE = 8_192;

/** Word-level similarity an embedder can offer next to sentence embeddings (the offline one does). */
export interface WordSimilarity {
  /** Source frequency rank of a word (0 = most frequent); undefined when the word has no vector. */
  frequencyRank(word: string): number | undefined;
  /** Estimated probability of the word in general English (Zipf, from its rank; words without a vector count as the rarest). */
  englishProbability(word: string): number;
  /** Build a neighbour index over the vocabulary words `include` accepts (one pass over the vocabulary). */
  neighbourIndex(include: (word: string) => boolean): WordNeighbourIndex;
}

/** Whether an embedder (or anything) also offers {@link WordSimilarity} as `wordSimilarity`. */
export function hasWordSimilarity(value: unknown): value is { wordSimilarity: WordSimilarity } {
  const ws = (value as { wordSimilarity?: Partial<WordSimilarity> } | null)?.wordSimilarity;
  return typeof ws?.neighbourIndex === 'function' && typeof ws.frequencyRank === 'function' && typeof ws.englishProbability === 'function';
}

/** {@link WordSimilarity} over a loaded word-vector asset (cosines of the raw, dequantised vectors). */
export function createWordSimilarity(wv: WordVectors): WordSimilarity {
  const { dims } = wv.manifest;
  const unit = (row: number, out: Float32Array, at: number) => {
    const base = row * dims;
    let n = 0;
    for (let d = 0; d < dims; d++) n += wv.vectors[base + d]! ** 2;
    const f = n > 0 ? 1 / Math.sqrt(n) : 0;
    for (let d = 0; d < dims; d++) out[at + d] = wv.vectors[base + d]! * f;
  };
  return {
    frequencyRank: (word) => {
      const row = wv.index.get(word);
      return row === undefined ? undefined : wv.ranks[row];
    },
    englishProbability: (word) => {
      const row = wv.index.get(word);
      const size = wv.manifest.sourceVocabularySize;
      return zipfProbability(row === undefined ? size : wv.ranks[row]!, size);
    },
    neighbourIndex(include) {
      const rows: number[] = [];
      for (let row = 0; row < wv.words.length; row++) if (include(wv.words[row]!)) rows.push(row);
      // The covered words' unit vectors, and their products with a query word's (WebAssembly SIMD where available).
      const products = createRowDotProducts(rows.length, dims);
      rows.forEach((row, i) => unit(row, products.matrix, i * dims));
      const cache = new Map<string, WordNeighbour[]>();
      const maxK = new Map<string, number>();
      /** One look-up, pausing (`yield`) between slices of the covered words. */
      function* lookUp(word: string, k: number, minSimilarity: number): Generator<void, WordNeighbour[]> {
        const key = `${word}\u0000${minSimilarity}`;
        const cached = cache.get(key);
        if (cached && (maxK.get(key) ?? 0) >= k) return cached.slice(0, k);
        const row = wv.index.get(word);
        if (row === undefined || k <= 0) return [];
        const query = new Float32Array(dims);
        unit(row, query, 0);
        const sims = new Float32Array(rows.length);
        for (let from = 0; from < rows.length; from += ROWS_PER_SLICE) {
          products.compute(query, from, Math.min(rows.length, from + ROWS_PER_SLICE), sims);
          if (from + ROWS_PER_SLICE < rows.length) yield;
        }
        const top: WordNeighbour[] = [];
        for (let i = 0; i < rows.length; i++) {
          const s = sims[i]!;
          if (s < minSimilarity || rows[i] === row) continue;
          if (top.length === k && s <= top[k - 1]!.similarity) continue;
          let j = top.length;
          while (j > 0 && top[j - 1]!.similarity < s) j--;
          top.splice(j, 0, { word: wv.words[rows[i]!]!, similarity: s });
          if (top.length > k) top.pop();
        }
        if (cache.size >= NEIGHBOUR_CACHE_LIMIT) {
          cache.clear();
          maxK.clear();
        }
        cache.set(key, top);
        maxK.set(key, k);
        return top.slice();
      }
      return {
        size: rows.length,
        nearest(word, k, minSimilarity) {
          const steps = lookUp(word, k, minSimilarity);
          for (;;) {
            const step = steps.next();
            if (step.done) return step.value;
          }
        },
        async nearestYielding(word, k, minSimilarity) {
          const steps = lookUp(word, k, minSimilarity);
          for (;;) {
            const step = steps.next();
            if (step.done) return step.value;
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
        },
      };
    },
  };
}
