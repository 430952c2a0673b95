import { describe, expect, it } from 'vitest';
import { applyRerank, mergeWithRewrite } from '../../src/retrieval/assist-ranking.js';
import type { Candidate } from '../../src/retrieval/score-candidates.js';

const candidate = (id: string, fused: number, extra: Partial<Candidate> = {}): Candidate => ({ id, terms: new Set(), lexical: 5, coverage: 0.8, cosine: 0.6, soft: 0.7, named: null, fused, ...extra });
const ids = (cs: readonly Candidate[]) => cs.map((c) => c.id);

describe('mergeWithRewrite', () => {
  it('scores each paper by the sum of its fused scores in both lists, scaled to a best of 1', () => {
    const own = [candidate('a', 0.9), candidate('b', 0.8), candidate('c', 0.7)];
    const rewritten = [candidate('c', 0.9), candidate('d', 0.85), candidate('a', 0.5)];
    const merged = mergeWithRewrite(own, rewritten);
    expect(ids(merged)).toEqual(['c', 'a', 'd', 'b']);
    expect(merged.map((c) => c.fused)).toEqual([1, 1.4 / 1.6, 0.85 / 1.6, 0.8 / 1.6]);
    expect(merged[0]!.fused).toBe(1);
    const scores = merged.map((c) => c.fused);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
  });

  it('keeps the query’s own signals, and gives a paper only the rewrite found none of its signals', () => {
    const own = [candidate('a', 0.9, { cosine: 0.5 }), candidate('b', 0.8, { cosine: 0.3 })];
    const rewritten = [candidate('d', 0.9, { cosine: 0.95, coverage: 1, soft: 1, lexical: 9, named: 'rare' })];
    const d = mergeWithRewrite(own, rewritten).find((c) => c.id === 'd')!;
    expect(d).toMatchObject({ lexical: 0, coverage: 0, soft: 0, cosine: 0, named: null });
    expect(mergeWithRewrite(own, rewritten).find((c) => c.id === 'a')).toMatchObject({ cosine: 0.5, coverage: 0.8 });
  });
});

describe('applyRerank', () => {
  const fused = [candidate('a', 0.9), candidate('b', 0.8), candidate('c', 0.7), candidate('d', 0.6)];

  it('reorders the scored head by score, keeps the tail, and keeps scores falling with rank', () => {
    const out = applyRerank(fused, [1, 9, 5]);
    expect(ids(out)).toEqual(['b', 'c', 'a', 'd']);
    expect(out.map((c) => c.fused)).toEqual([0.9, 0.8, 0.7, 0.6]);
  });

  it('keeps the fused order among equal scores', () => {
    expect(ids(applyRerank(fused, [3, 3, 3, 3]))).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(applyRerank(fused, [0, 7, 0, 7]))).toEqual(['b', 'd', 'a', 'c']);
  });
});
