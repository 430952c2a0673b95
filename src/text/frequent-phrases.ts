import { isStopWord, words } from './tokenize.js';

/** Words of paper titles too generic to make a topic on their own. */
export const GENERIC_TITLE_WORDS: ReadonlySet<string> = new Set(
  `model models learning large language based using towards toward via new approach method methods framework
   efficient effective improving improved scalable simple unified general generalist benchmark dataset data study
   survey analysis system systems task tasks network networks deep neural training pre-training pretraining
   open foundation better beyond through without technical report machine natural v2 v3 2 3`.split(/\s+/),
);

/**
 * The most frequent phrases of short texts (titles, questions): two-word phrases found in at least
 * `minCount` texts first, then single words not already covered; deterministic (ties alphabetical).
 * Stop words, numbers and `generic` words never make a phrase on their own.
 */
export function frequentPhrases(texts: readonly string[], options: { count: number; minCount: number; generic: ReadonlySet<string> }): string[] {
  const { generic } = options;
  const bigrams = new Map<string, number>();
  const unigrams = new Map<string, number>();
  for (const text of texts) {
    const textWords = words(text);
    const seenBigrams = new Set<string>();
    const seenUnigrams = new Set<string>();
    for (let i = 0; i < textWords.length; i++) {
      const a = textWords[i] as string;
      if (a.length > 2 && !isStopWord(a) && !generic.has(a) && !/^\d+$/.test(a)) seenUnigrams.add(a);
      const b = textWords[i + 1];
      if (b === undefined || isStopWord(a) || isStopWord(b) || a.length < 3 || b.length < 3) continue;
      if (generic.has(a) && generic.has(b)) continue;
      seenBigrams.add(`${a} ${b}`);
    }
    for (const bigram of seenBigrams) bigrams.set(bigram, (bigrams.get(bigram) ?? 0) + 1);
    for (const unigram of seenUnigrams) unigrams.set(unigram, (unigrams.get(unigram) ?? 0) + 1);
  }
  const ranked = (counts: Map<string, number>) =>
    [...counts.entries()].filter(([, n]) => n >= options.minCount).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([term]) => term);

  const phrases: string[] = [];
  const covered = new Set<string>();
  for (const phrase of ranked(bigrams)) {
    if (phrases.length >= options.count) break;
    const parts = phrase.split(' ');
    if (parts.every((part) => covered.has(part))) continue;
    phrases.push(phrase);
    for (const part of parts) if (!generic.has(part)) covered.add(part);
  }
  for (const word of ranked(unigrams)) {
    if (phrases.length >= options.count) break;
    if (covered.has(word)) continue;
    phrases.push(word);
    covered.add(word);
  }
  return phrases;
}
