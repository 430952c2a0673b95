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

/** The query's side of soft matching: its content words with their weights and their corpus-word neighbours. */
export interface SoftMatchQuery {
  words: readonly { weight: number; own: string; near: readonly { term: string; sim: number }[] }[];
  /** Sum of the words' weights (0: nothing to match). */
  total: number;
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
  deps: SoftMatchQueryDeps & {
    /** The (stemmed) terms of a paper. */
    termsOf: (id: string) => ReadonlySet<string>;
  },
  options: SoftMatchOptions,
): Map<string, number> {
  return scoreSoftMatch(prepareSoftMatch(query, deps, options), candidateIds, deps.termsOf);
}

export interface SoftMatchQueryDeps {
  neighbours: WordNeighbourIndex;
  wordWeight: (word: string) => number;
  frequencyRank: (word: string) => number | undefined;
}

/** The query's content words with their weights, and whether their neighbours are looked up (rarer than `minRank`). */
function softWords(query: string, deps: SoftMatchQueryDeps, options: SoftMatchOptions): { word: string; weight: number; lookUp: boolean }[] {
  const qWords = [...new Set(words(query))].filter((w) => !isStopWord(w) && w.length > 1);
  return qWords.flatMap((word) => {
    const weight = deps.wordWeight(word);
    if (weight <= 0) return [];
    const rank = deps.frequencyRank(word);
    return [{ word, weight, lookUp: rank !== undefined && rank >= options.minRank }];
  });
}

/** The query's side of soft matching (the neighbour look-ups: the costly part, done before the candidates are known). */
export function prepareSoftMatch(query: string, deps: SoftMatchQueryDeps, options: SoftMatchOptions): SoftMatchQuery {
  return softMatchOf(softWords(query, deps, options), deps, options);
}

/** The query's side of soft matching from its content words (their neighbours looked up, or memoised). */
function softMatchOf(qWords: ReturnType<typeof softWords>, deps: SoftMatchQueryDeps, options: SoftMatchOptions): SoftMatchQuery {
  const perWord = qWords.map(({ word, weight, lookUp }) => {
    const own = stem(word.replace(/-/g, ''));
    const near = (lookUp ? deps.neighbours.nearest(word, options.neighbours, options.floor) : [])
      .map((n) => ({ term: stem(n.word), sim: (n.similarity - options.floor) / (1 - options.floor) }))
      .filter((n) => n.term !== own);
    return { weight, own, near };
  });
  return { words: perWord, total: perWord.reduce((s, w) => s + w.weight, 0) };
}

/**
 * {@link prepareSoftMatch} with the event loop let in while the neighbours are looked up (each new
 * word is a pass over the corpus's words: milliseconds): a search's database statements are sent and
 * read meanwhile. The look-ups are memoised, so the final synchronous preparation finds them done.
 */
export async function prepareSoftMatchYielding(query: string, deps: SoftMatchQueryDeps, options: SoftMatchOptions): Promise<SoftMatchQuery> {
  const qWords = softWords(query, deps, options);
  for (const { word, lookUp } of qWords) if (lookUp) await deps.neighbours.nearestYielding(word, options.neighbours, options.floor);
  return softMatchOf(qWords, deps, options);
}

/** The soft-match scores of the candidates (by id; papers scoring 0 left out). */
export function scoreSoftMatch(prepared: SoftMatchQuery, candidateIds: readonly string[], termsOf: (id: string) => ReadonlySet<string>): Map<string, number> {
  const scores = new Map<string, number>();
  if (prepared.total <= 0) return scores;
  for (const id of candidateIds) {
    const terms = termsOf(id);
    let score = 0;
    for (const { weight, own, near } of prepared.words) {
      let best = terms.has(own) ? 1 : 0;
      // `near` is best first: the first neighbour present is the best one.
      if (best < 1) for (const n of near) if (terms.has(n.term)) { best = n.sim; break; }
      score += weight * best;
    }
    if (score > 0) scores.set(id, score / prepared.total);
  }
  return scores;
}
