import type { VectorIndex, VectorMatch } from '../store/vector-index.js';

/** Brute-force cosine index held in one Float32Array (for tests, evaluation and benchmarks). */
export class InMemoryVectorIndex implements VectorIndex {
  private readonly ids: string[];
  private readonly data: Float32Array;
  readonly dimensions: number;

  constructor(items: readonly { id: string; vector: ArrayLike<number> }[]) {
    this.dimensions = items[0]?.vector.length ?? 0;
    this.ids = items.map((i) => i.id);
    this.data = new Float32Array(items.length * this.dimensions);
    items.forEach((item, row) => {
      if (item.vector.length !== this.dimensions) {
        throw new Error(`vector of ${item.id} has ${item.vector.length} dimensions, expected ${this.dimensions}`);
      }
      let norm = 0;
      for (let d = 0; d < this.dimensions; d++) norm += (item.vector[d] ?? 0) ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let d = 0; d < this.dimensions; d++) this.data[row * this.dimensions + d] = (item.vector[d] ?? 0) / norm;
    });
  }

  get size(): number {
    return this.ids.length;
  }

  async query(vector: readonly number[], k: number): Promise<VectorMatch[]> {
    const dims = this.dimensions;
    if (vector.length !== dims) throw new Error(`query vector has ${vector.length} dimensions, index has ${dims}`);
    let qn = 0;
    for (let d = 0; d < dims; d++) qn += vector[d]! ** 2;
    qn = Math.sqrt(qn);
    if (qn === 0 || k <= 0) return [];
    const q = Float32Array.from(vector, (x) => x / qn);
    // Keep a small sorted top-k (k is tiny compared with N).
    const topScores: number[] = [];
    const topRows: number[] = [];
    const n = this.ids.length;
    for (let row = 0; row < n; row++) {
      let s = 0;
      const base = row * dims;
      for (let d = 0; d < dims; d++) s += q[d]! * this.data[base + d]!;
      if (topScores.length < k || s > topScores[topScores.length - 1]!) {
        let i = topScores.length;
        while (i > 0 && topScores[i - 1]! < s) i--;
        topScores.splice(i, 0, s);
        topRows.splice(i, 0, row);
        if (topScores.length > k) {
          topScores.pop();
          topRows.pop();
        }
      }
    }
    return topRows.map((row, i) => ({ id: this.ids[row]!, score: topScores[i]! }));
  }
}
