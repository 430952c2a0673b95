import type { Paper } from '../../corpus/paper.js';
import { isStopWord, words } from '../../text/tokenize.js';

/** Words too generic to make a digest topic on their own. */
const GENERIC = new Set(
  `model models learning large language based using towards toward via new approach method methods framework
   efficient effective improving improved scalable simple unified general generalist benchmark dataset data study
   survey analysis system systems task tasks network networks deep neural training pre-training pretraining
   open foundation better beyond through without technical report machine natural v2 v3 2 3`.split(/\s+/),
);

/**
 * Digest topics discovered from the corpus: the most frequent title phrases (two-word phrases in
 * at least `minPapers` titles first, then single words), deterministic (ties alphabetical).
 */
export function discoverTopics(papers: readonly Paper[], count = 8, minPapers = 3): string[] {
  const bigrams = new Map<string, number>();
  const unigrams = new Map<string, number>();
  for (const paper of papers) {
    const titleWords = words(paper.title.replace(/^[^:]{1,40}:\s*/, (prefix) => (prefix.split(/\s+/).length <= 3 ? '' : prefix)));
    const seenBigrams = new Set<string>();
    const seenUnigrams = new Set<string>();
    for (let i = 0; i < titleWords.length; i++) {
      const a = titleWords[i] as string;
      if (a.length > 2 && !isStopWord(a) && !GENERIC.has(a) && !/^\d+$/.test(a)) seenUnigrams.add(a);
      const b = titleWords[i + 1];
      if (b === undefined || isStopWord(a) || isStopWord(b) || a.length < 3 || b.length < 3) continue;
      if (GENERIC.has(a) && GENERIC.has(b)) continue;
      seenBigrams.add(`${a} ${b}`);
    }
    for (const bigram of seenBigrams) bigrams.set(bigram, (bigrams.get(bigram) ?? 0) + 1);
    for (const unigram of seenUnigrams) unigrams.set(unigram, (unigrams.get(unigram) ?? 0) + 1);
  }
  const ranked = (counts: Map<string, number>) =>
    [...counts.entries()].filter(([, n]) => n >= minPapers).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([term]) => term);

  const topics: string[] = [];
  const covered = new Set<string>();
  for (const phrase of ranked(bigrams)) {
    if (topics.length >= count) break;
    const parts = phrase.split(' ');
    if (parts.every((part) => covered.has(part))) continue;
    topics.push(phrase);
    for (const part of parts) if (!GENERIC.has(part)) covered.add(part);
  }
  for (const word of ranked(unigrams)) {
    if (topics.length >= count) break;
    if (covered.has(word)) continue;
    topics.push(word);
    covered.add(word);
  }
  return topics;
}
