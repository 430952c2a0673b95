import { describe, expect, it } from 'vitest';
import { DEFAULT_LEXICAL_PARAMS } from '../../../src/retrieval/lexical-index.js';
import { packedQuery, poolByImpact, scorePackedTerms } from '../../../src/store/postgres/packed-postings.js';

/** A term's packed `top` as PostgreSQL writes it (int4send(key) || float4send(impact), big-endian). */
function packTop(postings: readonly [number, number][]): Buffer {
  const out = Buffer.alloc(postings.length * 8);
  postings.forEach(([key, impact], i) => {
    out.writeInt32BE(key, i * 8);
    out.writeFloatBE(impact, i * 8 + 4);
  });
  return out;
}

/** The pool computed the plain way: sums in a Map, sorted, the best `size` and everything tied with the last. */
function naivePool(tops: readonly { idf: number; top: Buffer }[], perTerm: number, size: number): number[] {
  const sums = new Map<number, number>();
  for (const { idf, top } of tops) {
    for (let i = 0; i < Math.min(perTerm, top.length / 8); i++) sums.set(top.readInt32BE(i * 8), (sums.get(top.readInt32BE(i * 8)) ?? 0) + idf * top.readFloatBE(i * 8 + 4));
  }
  const sorted = [...sums].sort((a, b) => b[1] - a[1]);
  if (sorted.length <= size) return sorted.map(([key]) => key).sort((a, b) => a - b);
  const cut = sorted[size - 1]![1];
  return sorted.filter(([, sum]) => sum >= cut).map(([key]) => key).sort((a, b) => a - b);
}

function random(seed: number): () => number {
  let x = seed;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('poolByImpact (the pool of the packed BM25)', () => {
  it('keeps the papers of the highest summed idf × impact, as a plain Map-and-sort does, over many random corpora', () => {
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      const terms = 1 + Math.floor(next() * 12);
      const papers = 1 + Math.floor(next() * 3000);
      // Impacts on a coarse grid, so that ties (also at the cut) are common.
      const tops = Array.from({ length: terms }, () => {
        const keys = [...new Set(Array.from({ length: Math.floor(next() * 600) }, () => 1 + Math.floor(next() * papers)))];
        const postings = keys.map((key) => [key, Math.round(next() * 8) / 4] as [number, number]).sort((a, b) => b[1] - a[1]);
        return { idf: 0.5 + Math.round(next() * 8) / 2, top: packTop(postings) };
      });
      const perTerm = 1 + Math.floor(next() * 700);
      const size = Math.floor(next() * 500);
      const got = poolByImpact(tops, perTerm, size).sort((a, b) => a - b);
      expect(got).toEqual(size === 0 ? [] : naivePool(tops, perTerm, size));
    }
  });

  it('reads only the first perTerm postings of each term', () => {
    const top = packTop([[1, 3], [2, 2], [3, 1]]);
    expect(poolByImpact([{ idf: 1, top }], 2, 10).sort()).toEqual([1, 2]);
    expect(poolByImpact([{ idf: 1, top }], 0, 10)).toEqual([]);
    expect(poolByImpact([], 10, 10)).toEqual([]);
  });
});

describe('scorePackedTerms (a pooled paper scored from its packed terms)', () => {
  it('is the BM25 of the embedded index for the query terms the paper holds, with their coverage mass', () => {
    // Term 7 twice in the title and once in the abstract, term 9 three times in the abstract, term 11 not asked.
    const terms = Buffer.alloc(24);
    [[7, 2, 1], [9, 0, 3], [11, 1, 1]].forEach(([id, title, abstract], i) => {
      terms.writeInt32BE(id!, i * 8);
      terms.writeInt16BE(title!, i * 8 + 4);
      terms.writeInt16BE(abstract!, i * 8 + 6);
    });
    const query = packedQuery([
      { id: 42, idf: 4, covers: true },
      { id: 9, idf: 0.5, covers: false },
      { id: 7, idf: 2, covers: true },
    ]);
    const { k1, b, titleWeight } = DEFAULT_LEXICAL_PARAMS;
    const [length, avgdl] = [30, 20];
    const part = (idf: number, tf: number) => (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / avgdl));
    const { score, mass } = scorePackedTerms(terms, length, query, avgdl, DEFAULT_LEXICAL_PARAMS);
    expect(score).toBeCloseTo(part(2, titleWeight * 2 + 1) + part(0.5, 3), 12);
    expect(mass).toBe(2);
  });

  it('finds every query term a paper holds, as a plain scan does, over many random papers and queries', () => {
    const next = random(11);
    for (let round = 0; round < 300; round++) {
      const ids = [...new Set(Array.from({ length: Math.floor(next() * 150) }, () => Math.floor(next() * 400)))].sort((a, b) => a - b);
      const packed = Buffer.alloc(ids.length * 8);
      ids.forEach((id, i) => {
        packed.writeInt32BE(id, i * 8);
        packed.writeInt16BE(Math.floor(next() * 3), i * 8 + 4);
        packed.writeInt16BE(1 + Math.floor(next() * 5), i * 8 + 6);
      });
      const terms = Array.from({ length: Math.floor(next() * 20) }, () => ({ id: Math.floor(next() * 400), idf: next() * 5, covers: next() > 0.3 }));
      const query = packedQuery(terms);
      let [score, mass] = [0, 0];
      for (const term of query.terms) {
        const i = ids.indexOf(term.id);
        if (i < 0) continue;
        const tf = DEFAULT_LEXICAL_PARAMS.titleWeight * packed.readInt16BE(i * 8 + 4) + packed.readInt16BE(i * 8 + 6);
        score += (term.idf * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * 50) / 40));
        if (term.covers) mass += term.idf;
      }
      const got = scorePackedTerms(packed, 50, query, 40, DEFAULT_LEXICAL_PARAMS);
      expect(got.score).toBeCloseTo(score, 9);
      expect(got.mass).toBeCloseTo(mass, 9);
    }
  });
});
