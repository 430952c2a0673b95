import type { WordNeighbourIndex } from '../embedding/word-neighbours.js';
import { isStopWord, stem, words } from '../text/tokenize.js';

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
 * Per-word soft matching of candidate papers: each content word of the query scores a paper by its
 * best word-vector cosine to any word of that paper (1 for the word itself), and the paper's score
 * is the rarity-weighted mean over the query words, in [0, 1]. Only the given candidates are
 * scored, so the cost is (candidates × query words × neighbours) set look-ups whatever the corpus size.
 */
export function softMatchScores(
  query: string,
  candidateIds: readonly string[],
  deps: {
    neighbours: WordNeighbourIndex;
    /** The (stemmed) terms of a paper. */
    termsOf: (id: string) => ReadonlySet<string>;
    wordWeight: (word: string) => number;
    frequencyRank: (word: string) => number | undefined;
  },
  options: SoftMatchOptions,
): Map<string, number> {
  const qWords = [...new Set(words(query))].filter((w) => !isStopWord(w) && w.length > 1);
  const perWord: { weight: number; own: string; near: { term: string; sim: number }[] }[] = [];
  for (const word of qWords) {
    const weight = deps.wordWeight(word);
    if (weight <= 0) continue;
    const own = stem(word.replace(/-/g, ''));
    const rank = deps.frequencyRank(word);
    const near = (rank !== undefined && rank >= options.minRank ? deps.neighbours.nearest(word, options.neighbours, options.floor) : [])
      .map((n) => ({ term: stem(n.word), sim: (n.similarity - options.floor) / (1 - options.floor) }))
      .filter((n) => n.term !== own);
    perWord.push({ weight, own, near });
  }
  const total = perWord.reduce((s, w) => s + w.weight, 0);
  const scores = new Map<string, number>();
  if (total <= 0) return scores;
  for (const id of candidateIds) {
    const terms = deps.termsOf(id);
    let score = 0;
    for (const { weight, own, near } of perWord) {
      let best = terms.has(own) ? 1 : 0;
      // `near` is best first: the first neighbour present is the best one.
      if (best < 1) for (const n of near) if (terms.has(n.term)) { best = n.sim; break; }
      score += weight * best;
    }
    if (score > 0) scores.set(id, score / total);
  }
  return scores;
}
