import type { WordSimilarity } from '../embedding/word-neighbours.js';
import { isStopWord, stem, words } from '../text/tokenize.js';
import type { HybridTuning } from './hybrid-tuning.js';
import type { LexicalStatistics } from './candidate-source.js';

/** What the words of a query say, judged against the corpus (lexical index) and general English (word frequencies). */
export interface QueryVocabulary {
  /** Rarity weight of a query word for soft matching: a / (a + p(word)); 1 for words without a frequency. */
  wordWeight(word: string): number;
  /** Stemmed query terms that are noise: unknown to the corpus and to English ("wht", "pls"). */
  noiseTerms(query: string): Set<string>;
  /** Mean log ratio of corpus to English frequency of the query's content words (0 when there are none). */
  domainScore(query: string): number;
  /** Stemmed query terms that name few papers and are not everyday English (see `rareTermMinRank`). */
  rareTerms(query: string): string[];
  /** Whether one word (as the query writes it, lower-cased) is in at most the rare-term share of papers and is not everyday English. */
  isRareWord(word: string): boolean;
}

/** Surfaces of a word for matching: itself, or for "rehearsal-free" the joined word and its parts. */
const surfacesOf = (word: string) => (word.includes('-') || word.includes("'") ? [word.replace(/[-']/g, ''), ...word.split(/[-']/)] : [word]);

/** Without word frequencies (a non-offline embedder) every word counts as known and nothing is rare or noise. */
export function createQueryVocabulary(deps: { lexical: LexicalStatistics; wordSimilarity: WordSimilarity | undefined; tuning: HybridTuning }): QueryVocabulary {
  const { lexical, wordSimilarity: ws, tuning } = deps;
  const maxRareDf = () => Math.max(tuning.rareTermMaxDf, Math.floor(tuning.rareTermMaxShare * lexical.size));
  const isRareWord = (word: string) => {
    if (!ws || tuning.rareTermMinRank <= 0 || lexical.documentFrequency(stem(word.replace(/[-']/g, ''))) > maxRareDf()) return false;
    const rank = ws.frequencyRank(word);
    return rank === undefined || rank >= tuning.rareTermMinRank;
  };
  const isNoiseWord = (surface: string) => ws !== undefined && ws.frequencyRank(surface) === undefined && lexical.documentFrequency(stem(surface)) === 0;

  return {
    wordWeight(word) {
      if (ws?.frequencyRank(word) === undefined) return 1;
      return tuning.softA / (tuning.softA + ws.englishProbability(word));
    },
    noiseTerms(query) {
      const out = new Set<string>();
      if (!ws) return out;
      for (const word of words(query)) {
        if (isStopWord(word) || word.includes('-') || word.includes("'")) continue; // parts of compounds may still carry meaning
        if (isNoiseWord(word)) out.add(stem(word));
      }
      return out;
    },
    domainScore(query) {
      if (!ws || tuning.minDomain <= 0) return 0;
      const content = words(query)
        .flatMap((w) => w.split(/[-']/))
        .filter((w) => w.length > 2 && !isStopWord(w) && !/\d/.test(w) && !isNoiseWord(w));
      if (content.length === 0) return 0;
      const papers = Math.max(1, lexical.size);
      let total = 0;
      for (const word of content) {
        const df = lexical.documentFrequency(stem(word));
        if (df > 0) total += Math.log((df + 0.1) / papers / ws.englishProbability(word));
      }
      return total / content.length;
    },
    rareTerms(query) {
      if (!ws || tuning.rareTermMinRank <= 0) return [];
      const out = new Set<string>();
      for (const surface of words(query).flatMap(surfacesOf)) {
        if (surface.length < 3 || !/\p{L}/u.test(surface) || isStopWord(surface)) continue;
        if (lexical.documentFrequency(stem(surface)) >= 1 && isRareWord(surface)) out.add(stem(surface));
      }
      return [...out];
    },
    isRareWord,
  };
}
