import { describe, expect, it } from 'vitest';
import { DEFAULT_LEXICAL_PARAMS } from '../../../src/retrieval/lexical-index.js';
import { impactDrift, narrowPool, packedQuery, packedTermIds, poolByImpact, scorePackedTerms, TOP_POSTINGS, type PackedTop } from '../../../src/store/postgres/packed-postings.js';
import { packTerms, unpackTerms } from '../../support/packed-terms.js';

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
function naivePool(tops: readonly PackedTop[], perTerm: number, size: number): number[] {
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
        return { idf: 0.5 + Math.round(next() * 8) / 2, top: packTop(postings), df: postings.length };
      });
      const perTerm = 1 + Math.floor(next() * 700);
      const size = Math.floor(next() * 500);
      const got = Array.from(poolByImpact(tops, perTerm, size).keys).sort((a, b) => a - b);
      expect(got).toEqual(size === 0 ? [] : naivePool(tops, perTerm, size));
    }
  });

  it('reads only the first perTerm postings of each term', () => {
    const top = packTop([[1, 3], [2, 2], [3, 1]]);
    expect(Array.from(poolByImpact([{ idf: 1, top, df: 3 }], 2, 10).keys).sort()).toEqual([1, 2]);
    expect(Array.from(poolByImpact([{ idf: 1, top, df: 3 }], 0, 10).keys)).toEqual([]);
    expect(Array.from(poolByImpact([], 10, 10).keys)).toEqual([]);
  });
});

describe('scorePackedTerms (a pooled paper scored from its packed terms)', () => {
  it('is the BM25 of the embedded index for the query terms the paper holds, with their coverage mass', () => {
    // Term 7 twice in the title and once in the abstract, term 9 three times in the abstract, term 11 not asked.
    const terms = packTerms([
      { id: 7, title: 2, abstract: 1 },
      { id: 9, title: 0, abstract: 3 },
      { id: 11, title: 1, abstract: 1 },
    ]);
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

  it('finds every query term a paper holds, as a plain scan does, over many random papers and queries (varints of one to four bytes)', () => {
    const next = random(11);
    for (let round = 0; round < 300; round++) {
      // Term ids up to 5 million and counts up to 300: steps and counts of every varint length.
      const ids = [...new Set(Array.from({ length: Math.floor(next() * 150) }, () => Math.floor(next() ** 3 * 5_000_000)))].sort((a, b) => a - b);
      const entries = ids.map((id) => ({ id, title: next() < 0.5 ? 0 : Math.floor(next() ** 4 * 300), abstract: next() < 0.5 ? 1 : Math.floor(next() ** 4 * 300) }));
      const packed = packTerms(entries);
      expect(Array.from(packedTermIds(packed))).toEqual(ids);
      const terms = Array.from({ length: Math.floor(next() * 20) }, () => ({ id: next() < 0.5 && ids.length ? ids[Math.floor(next() * ids.length)]! : Math.floor(next() * 5_000_000), idf: next() * 5, covers: next() > 0.3 }));
      const query = packedQuery(terms);
      let [score, mass] = [0, 0];
      for (const term of query.terms) {
        const entry = entries.find((e) => e.id === term.id);
        if (!entry) continue;
        const tf = DEFAULT_LEXICAL_PARAMS.titleWeight * entry.title + entry.abstract;
        score += (term.idf * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * 50) / 40));
        if (term.covers) mass += term.idf;
      }
      const got = scorePackedTerms(packed, 50, query, 40, DEFAULT_LEXICAL_PARAMS);
      expect(got.score).toBeCloseTo(score, 9);
      expect(got.mass).toBeCloseTo(mass, 9);
    }
  });

  it('takes about two bytes a term for the usual counts (a quarter of fixed-width int4 + int2 + int2 entries)', () => {
    // A paper's ~100 distinct terms spread over a 50,000-term vocabulary, most once in the abstract.
    const next = random(5);
    const ids = [...new Set(Array.from({ length: 100 }, () => Math.floor(next() * 50_000)))];
    const packed = packTerms(ids.map((id) => ({ id, title: next() < 0.1 ? 1 : 0, abstract: next() < 0.8 ? 1 : 2 })));
    expect(packed.length / ids.length).toBeLessThan(8 / 3);
    expect(unpackTerms(packed).map((e) => e.id)).toEqual([...ids].sort((a, b) => a - b));
  });
});

describe('narrowPool (the pooled papers that can be in the exact top k)', () => {
  const { k1, b, titleWeight } = DEFAULT_LEXICAL_PARAMS;
  /** A random corpus as the packed rows hold it: each paper's packed terms and length, each term's `top` by impact (computed with `impactAvgdl`). */
  function corpus(next: () => number, impactAvgdl: number, perTermCap: number) {
    const papers = Array.from({ length: 50 + Math.floor(next() * 400) }, (_, key) => {
      // Term ids 0..29, the low ones common (as in text).
      const ids = [...new Set(Array.from({ length: 1 + Math.floor(next() * 12) }, () => Math.floor(30 * next() ** 2)))].sort((x, y) => x - y);
      const counts = ids.map((id) => [id, Math.floor(next() * 2), 1 + Math.floor(next() * 4)] as const);
      const packed = packTerms(counts.map(([id, title, abstract]) => ({ id, title, abstract })));
      return { key, length: 5 + Math.floor(next() * 60), counts, packed };
    });
    const tops = new Map<number, [number, number][]>();
    for (const paper of papers) {
      for (const [id, title, abstract] of paper.counts) {
        const tf = titleWeight * title + abstract;
        const impact = Math.fround((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * paper.length) / impactAvgdl)));
        tops.set(id, [...(tops.get(id) ?? []), [paper.key, impact]]);
      }
    }
    const termTop = (id: number) => {
      const all = (tops.get(id) ?? []).sort((x, y) => y[1] - x[1]);
      return { top: packTop(all.slice(0, Math.min(perTermCap, TOP_POSTINGS))), df: all.length };
    };
    return { papers, termTop };
  }

  it("keeps every paper of the pool's exact top k, and bounds each pooled paper's exact score, over many random corpora and drifted lengths", () => {
    const next = random(23);
    let dropped = 0;
    let pooledTotal = 0;
    for (let round = 0; round < 300; round++) {
      const impactAvgdl = 20 + next() * 20;
      const avgdl = impactAvgdl * (0.95 + next() * 0.1);
      const { papers, termTop } = corpus(next, impactAvgdl, 5 + Math.floor(next() * 80));
      const queryIds = [...new Set(Array.from({ length: 1 + Math.floor(next() * 6) }, () => Math.floor(30 * next())))];
      const query = packedQuery(queryIds.map((id) => ({ id, idf: 0.1 + next() * 4, covers: true })));
      const tops = query.terms.map((term) => ({ idf: term.idf, ...termTop(term.id) }));
      const perTerm = 1 + Math.floor(next() * 100);
      const pool = poolByImpact(tops, perTerm, 1 + Math.floor(next() * 200));
      const k = 1 + Math.floor(next() * 30);
      const drift = impactDrift(avgdl, impactAvgdl);
      const exact = (key: number) => scorePackedTerms(papers[key]!.packed, papers[key]!.length, query, avgdl, DEFAULT_LEXICAL_PARAMS).score;
      pool.keys.forEach((key, i) => {
        expect(exact(key)).toBeGreaterThanOrEqual(drift.low * pool.found[i]!);
        expect(exact(key)).toBeLessThanOrEqual(drift.high * (pool.found[i]! + pool.unseen[i]!));
      });
      const narrowed = narrowPool(pool, k, drift);
      expect(narrowed.upper).toEqual([...narrowed.upper].sort((x, y) => y - x));
      const topK = (keys: readonly number[]) => keys.map((key) => [key, exact(key)] as const).sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, k);
      expect(topK(narrowed.keys)).toEqual(topK(Array.from(pool.keys)));
      dropped += pool.keys.length - narrowed.keys.length;
      pooledTotal += pool.keys.length;
    }
    // It does leave papers out (else it would bound nothing).
    expect(dropped / pooledTotal).toBeGreaterThan(0.2);
  });

  it('leaves nothing out when a term with postings had none of them read, or k covers the pool', () => {
    const top = packTop([[1, 2], [2, 1.5], [3, 1]]);
    const pool = poolByImpact([{ idf: 1, top, df: 3 }, { idf: 2, top: packTop([]), df: 5 }], 3, 10);
    expect(Array.from(pool.unseen)).toEqual([Infinity, Infinity, Infinity]);
    expect(narrowPool(pool, 1, { low: 1, high: 1 }).keys).toEqual([1, 2, 3]);
    const complete = poolByImpact([{ idf: 1, top, df: 3 }], 3, 10);
    expect(Array.from(complete.unseen)).toEqual([0, 0, 0]);
    expect(narrowPool(complete, 1, { low: 1, high: 1 }).keys).toEqual([1]);
    expect(narrowPool(complete, 3, { low: 1, high: 1 }).keys).toEqual([1, 2, 3]);
    // Only two of three postings read: a paper not found may hold the term with up to the second's impact.
    const cut = poolByImpact([{ idf: 1, top, df: 3 }, { idf: 1, top: packTop([[3, 0.5]]), df: 1 }], 2, 10);
    expect(Array.from(cut.keys)).toEqual([1, 2, 3]);
    expect(Array.from(cut.unseen)).toEqual([0, 0, 1.5]);
  });
});
