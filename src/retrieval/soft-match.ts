import type { WordNeighbourIndex } from '../embedding/word-neighbours.js';
import { isStopWord, stem, words } from '../text/tokenize.js';
import type { LexicalIndex } from './lexical-index.js';

/** Knobs of per-word soft matching. */
export interface SoftMatchOptions {
  /** Corpus-word neighbours considered per query word. */
  neighbours: number;
  /** Word cosine at or below which a neighbour counts 0; similarities map to (cos − floor) / (1 − floor). */
  floor: number;
  /** Words more frequent than this source rank match only themselves (their neighbours are too generic and the look-up costs time). */
  minRank: number;
}

/**
 * Per-word soft matching: each content word of the query scores a paper by its best word-vector
 * cosine to any word of that paper (1 for the word itself), and the paper's score is the
 * rarity-weighted mean over the query words, in [0, 1]. Uses the lexical index's postings of each
 * query word's nearest corpus words, so the cost is bounded by those postings, not the vocabulary.
 */
export function softMatchScores(
  query: string,
  deps: {
    lexical: LexicalIndex;
    neighbours: WordNeighbourIndex;
    wordWeight: (word: string) => number;
    frequencyRank: (word: string) => number | undefined;
  },
  options: SoftMatchOptions,
): Map<string, number> {
  const qWords = [...new Set(words(query))].filter((w) => !isStopWord(w) && w.length > 1);
  const perWord: { weight: number; best: Map<string, number> }[] = [];
  for (const word of qWords) {
    const weight = deps.wordWeight(word);
    if (weight <= 0) continue;
    const best = new Map<string, number>();
    const visit = (term: string, sim: number) => {
      for (const id of deps.lexical.papersWithTerm(term)) if (sim > (best.get(id) ?? 0)) best.set(id, sim);
    };
    const own = stem(word.replace(/-/g, ''));
    visit(own, 1);
    const rank = deps.frequencyRank(word);
    const neighbours = rank !== undefined && rank >= options.minRank ? deps.neighbours.nearest(word, options.neighbours, options.floor) : [];
    for (const n of neighbours) {
      const term = stem(n.word);
      if (term !== own) visit(term, (n.similarity - options.floor) / (1 - options.floor));
    }
    perWord.push({ weight, best });
  }
  const total = perWord.reduce((s, w) => s + w.weight, 0);
  const scores = new Map<string, number>();
  if (total <= 0) return scores;
  for (const { weight, best } of perWord) for (const [id, sim] of best) scores.set(id, (scores.get(id) ?? 0) + (weight * sim) / total);
  return scores;
}
