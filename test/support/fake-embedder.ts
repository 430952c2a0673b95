import { createHash } from 'node:crypto';
import type { Embedder } from '../../src/embedding/embedder.js';

export interface FakeEmbedderOptions {
  /** Vector size (default 32). */
  dimensions?: number;
  /** Embedder id recorded in index manifests (default `fake-hashed-bow-<dimensions>d@1`). */
  id?: string;
  /** Wait this long in every embed() call (e.g. to make an ingest slow enough to interrupt). */
  delayMs?: number;
}

/** A deterministic test embedder that also records how it was called. */
export interface FakeEmbedder extends Embedder {
  /** Number of embed() calls so far. */
  readonly calls: number;
  /** Every text embedded so far, in order. */
  readonly texts: readonly string[];
  reset(): void;
}

function bucketOf(word: string, dimensions: number): { index: number; sign: number } {
  const digest = createHash('md5').update(word).digest();
  return { index: digest.readUInt32LE(0) % dimensions, sign: (digest[4]! & 1) === 0 ? 1 : -1 };
}

/**
 * Hashed bag of words: each lower-cased word adds ±1 to one of `dimensions` buckets (signed feature
 * hashing), then the vector is L2-normalised. Texts sharing words get similar vectors, so nearest
 * neighbour queries behave sensibly in tests; an empty text gives the zero vector.
 */
export function createFakeEmbedder(options: FakeEmbedderOptions = {}): FakeEmbedder {
  const dimensions = options.dimensions ?? 32;
  const id = options.id ?? `fake-hashed-bow-${dimensions}d@1`;
  let calls = 0;
  let texts: string[] = [];
  const embedOne = (text: string): number[] => {
    const vector = new Array<number>(dimensions).fill(0);
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      const { index, sign } = bucketOf(word, dimensions);
      vector[index]! += sign;
    }
    const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
    return norm === 0 ? vector : vector.map((x) => x / norm);
  };
  return {
    id,
    dimensions,
    get calls() {
      return calls;
    },
    get texts() {
      return texts;
    },
    reset() {
      calls = 0;
      texts = [];
    },
    async embed(input: readonly string[]): Promise<number[][]> {
      calls += 1;
      texts.push(...input);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      return input.map(embedOne);
    },
  };
}
