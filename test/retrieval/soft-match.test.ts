import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/corpus/paper.js';
import type { WordNeighbourIndex } from '../../src/embedding/word-neighbours.js';
import { softMatchScores } from '../../src/retrieval/soft-match.js';
import { tokenize } from '../../src/text/tokenize.js';

const paper = (id: string, abstract: string): Paper => ({ id, title: id, abstract, url: '', links: [], contentHash: id, source: { file: 'x', line: 1 } });
const papers = [paper('compress', 'model compression by pruning weights'), paper('robots', 'robot arms grasp objects'), paper('other', 'a survey of benchmarks')];
// Fake neighbours: "shrinking" is near "compression" (0.8) and "pruning" (0.65).
const nearest = (word: string, k: number, min: number) =>
  (word === 'shrinking' ? [{ word: 'compression', similarity: 0.8 }, { word: 'pruning', similarity: 0.65 }] : []).filter((n) => n.similarity >= min).slice(0, k);
const neighbours: WordNeighbourIndex = { size: 2, nearest, nearestYielding: async (word, k, min) => nearest(word, k, min) };
const termsOf = (id: string) => new Set(tokenize(papers.find((p) => p.id === id)?.abstract ?? ''));
const ids = papers.map((p) => p.id);

describe('softMatchScores', () => {
  it('scores candidate papers by each query word’s best neighbour in them, rarity-weighted, in [0, 1]', () => {
    const scores = softMatchScores('shrinking robot', ids, { termsOf, neighbours, wordWeight: () => 1, frequencyRank: () => 5000 }, { neighbours: 5, floor: 0.5, minRank: 1000 });
    // shrinking → compression: (0.8 − 0.5) / 0.5 = 0.6, averaged over 2 words.
    expect(scores.get('compress')).toBeCloseTo(0.3);
    // robot matches itself (1), averaged over 2 words.
    expect(scores.get('robots')).toBeCloseTo(0.5);
    expect(scores.has('other')).toBe(false);
    // Only the given candidates are scored.
    expect([...softMatchScores('shrinking robot', ['robots'], { termsOf, neighbours, wordWeight: () => 1, frequencyRank: () => 5000 }, { neighbours: 5, floor: 0.5, minRank: 1000 }).keys()]).toEqual(['robots']);
  });

  it('matches frequent words only exactly (minRank) and weighs words by rarity', () => {
    const common = softMatchScores('shrinking', ids, { termsOf, neighbours, wordWeight: () => 1, frequencyRank: () => 10 }, { neighbours: 5, floor: 0.5, minRank: 1000 });
    expect(common.size).toBe(0);
    const weighted = softMatchScores('shrinking robot', ids, { termsOf, neighbours, wordWeight: (w) => (w === 'robot' ? 3 : 1), frequencyRank: () => 5000 }, { neighbours: 5, floor: 0.5, minRank: 1000 });
    expect(weighted.get('robots')).toBeCloseTo(0.75);
  });
});
