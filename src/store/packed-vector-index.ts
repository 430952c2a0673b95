import type { VectorIndex, VectorMatch } from './vector-index.js';

/**
 * Brute-force cosine search over vectors packed once into one Float32Array of unit vectors: a query
 * is one normalisation and one dot-product scan, with a bounded top-k list.
 * Scores equal vectra's `queryItems` cosine (dot / (|a|·|b|)) to float32 precision; ties go to the
 * earlier item. Zero vectors never match (their cosine is undefined; vectra drops them too).
 */
export class PackedVectorIndex implements VectorIndex {
  private readonly ids: string[];
  private readonly packed: Float32Array;
  /** 1 for rows with a non-zero vector (zero vectors never match, as in vectra, whose cosine is NaN). */
  private readonly live: Uint8Array;

  constructor(
    items: Iterable<{ id: string; vector: ArrayLike<number> }>,
    readonly dimensions: number,
  ) {
    const list = Array.isArray(items) ? (items as { id: string; vector: ArrayLike<number> }[]) : [...items];
    this.ids = new Array<string>(list.length);
    this.packed = new Float32Array(list.length * dimensions);
    this.live = new Uint8Array(list.length);
    list.forEach((item, row) => {
      const { vector } = item;
      if (vector.length !== dimensions) throw new Error(`Vector of ${item.id} has ${vector.length} dimensions; expected ${dimensions}`);
      this.ids[row] = item.id;
      const length = vectorNorm(vector);
      if (length === 0 || !Number.isFinite(length)) return;
      this.live[row] = 1;
      const base = row * dimensions;
      for (let d = 0; d < dimensions; d++) this.packed[base + d] = vector[d]! / length;
    });
  }

  get size(): number {
    return this.ids.length;
  }

  async query(vector: readonly number[], k: number): Promise<VectorMatch[]> {
    const dims = this.dimensions;
    if (vector.length !== dims) throw new Error(`Query vector has ${vector.length} dimensions; the index has ${dims}`);
    const length = vectorNorm(vector);
    const limit = Math.min(Math.floor(k), this.ids.length);
    if (limit <= 0 || length === 0 || !Number.isFinite(length)) return [];
    const q = new Float32Array(dims);
    for (let d = 0; d < dims; d++) q[d] = vector[d]! / length;

    const packed = this.packed;
    const rows = this.ids.length;
    const live = this.live;
    // Top-k kept sorted best first in two parallel arrays; `floor` is the score to beat once full.
    const topRows = new Int32Array(limit);
    const topScores = new Float64Array(limit);
    let filled = 0;
    let floor = -Infinity;
    for (let row = 0, base = 0; row < rows; row++, base += dims) {
      if (live[row] === 0) continue;
      // Four accumulators: about twice as fast as one in V8 for 100-d rows.
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      let d = 0;
      for (; d + 3 < dims; d += 4) {
        d0 += q[d]! * packed[base + d]!;
        d1 += q[d + 1]! * packed[base + d + 1]!;
        d2 += q[d + 2]! * packed[base + d + 2]!;
        d3 += q[d + 3]! * packed[base + d + 3]!;
      }
      for (; d < dims; d++) d0 += q[d]! * packed[base + d]!;
      const dot = d0 + d1 + d2 + d3;
      if (filled === limit && dot <= floor) continue;
      let i = filled < limit ? filled++ : limit - 1;
      while (i > 0 && topScores[i - 1]! < dot) {
        topScores[i] = topScores[i - 1]!;
        topRows[i] = topRows[i - 1]!;
        i--;
      }
      topScores[i] = dot;
      topRows[i] = row;
      if (filled === limit) floor = topScores[limit - 1]!;
    }
    const matches: VectorMatch[] = [];
    for (let i = 0; i < filled; i++) matches.push({ id: this.ids[topRows[i]!]!, score: topScores[i]! });
    return matches;
  }
}

/** Euclidean length of a vector. */
export function vectorNorm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  return Math.sqrt(sum);
}
