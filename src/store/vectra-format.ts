import type { Paper } from '../corpus/paper.js';
import { vectorNorm } from './packed-vector-index.js';
import { STREAM_CHUNK_CHARS } from './stream-json.js';

/** The version field vectra writes in index.json. */
export const VECTRA_INDEX_VERSION = 1;
/** The one metadata key stored per item (declared indexed, so vectra keeps it inside index.json). */
export const ITEM_METADATA_KEYS = ['contentHash'];
/** Significant digits kept per vector component: float32 precision. */
const STORED_DIGITS = 7;

/**
 * A vector as plain numbers with float32 precision: half the JSON text of full float64 numbers and
 * faster to parse; cosine scores change by < 1e-6.
 */
export function storedVector(vector: ArrayLike<number>): number[] {
  const out = new Array<number>(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i]!;
    if (!Number.isFinite(x)) throw new Error('Cannot store a vector with non-finite values');
    out[i] = x === 0 ? 0 : Number(x.toPrecision(STORED_DIGITS));
  }
  return out;
}

/**
 * index.json exactly as vectra writes it (same metadata_config and per-item metadata), in chunks of
 * about STREAM_CHUNK_CHARS. `progress.items` counts the items in the chunks yielded so far.
 */
export function* vectraIndexChunks(papers: readonly Paper[], vectorFor: (id: string) => ArrayLike<number>, progress: { items: number }): Generator<string> {
  yield `{"version":${VECTRA_INDEX_VERSION},"metadata_config":${JSON.stringify({ indexed: ITEM_METADATA_KEYS })},"items":[`;
  let chunk = '';
  for (let i = 0; i < papers.length; i++) {
    const paper = papers[i]!;
    const vector = storedVector(vectorFor(paper.id));
    chunk += `${i > 0 ? ',' : ''}{"id":${JSON.stringify(paper.id)},"metadata":${JSON.stringify({ contentHash: paper.contentHash })},"vector":${JSON.stringify(vector)},"norm":${vectorNorm(vector)}}`;
    if (chunk.length >= STREAM_CHUNK_CHARS) {
      progress.items = i + 1;
      yield chunk;
      chunk = '';
    }
  }
  progress.items = papers.length;
  yield `${chunk}]}`;
}
