import { stemmer } from 'stemmer';

/**
 * English stop words (a compact list tuned for search queries over paper abstracts: function words
 * plus question phrasing like "which", "paper", "there").
 */
const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for
from further had hadn't has hasn't have haven't having he her here hers herself him himself his how i if in into is
isn't it it's its itself just let's me more most mustn't my myself no nor not now of off on once only or other ought
our ours ourselves out over own same shan't she should shouldn't so some such than that that's the their theirs them
themselves then there there's these they this those through to too under until up very was wasn't we were weren't
what what's when where which while who whom why will with won't would wouldn't you your yours yourself yourselves
one ones i.e e.g etc via paper papers anything something any there's is there`.split(/\s+/),
);

const WORD = /[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*/gu;
/** WORD on lower-cased ASCII text, where NFKC changes nothing and the classes are [a-z0-9]: about three times faster. */
const ASCII_WORD = /[a-z0-9]+(?:[-'][a-z0-9]+)*/g;
const ASCII = /^[\x00-\x7f]*$/;

/** Lower-cased words of a text (letters/digits, keeping inner hyphens/apostrophes). */
export function words(text: string): string[] {
  const lower = text.toLowerCase();
  return (ASCII.test(lower) ? lower.match(ASCII_WORD) : lower.normalize('NFKC').match(WORD)) ?? [];
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

const stemCache = new Map<string, string>();

/** Porter stem of one lower-cased word (memoised: stemming dominates indexing time). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stemmer(word);
    if (stemCache.size >= 200_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/**
 * Search terms of a text: lower-cased words, stop words removed, hyphenated words also split into
 * their parts ("rehearsal-free" → "rehearsal-free", "rehearsal", "free"), Porter-stemmed.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    if (STOP_WORDS.has(word)) continue;
    if (word.includes('-') || word.includes("'")) {
      const parts = word.split(/[-']/).filter((p) => p && !STOP_WORDS.has(p));
      if (word.includes('-')) out.push(stem(word.replaceAll('-', '')));
      for (const part of parts) out.push(stem(part));
    } else {
      out.push(stem(word));
    }
  }
  return out;
}

/** Split a text into sentences (abstract-aware: does not split on "e.g.", decimals or "et al."). */
export function splitSentences(text: string): string[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const sentences: string[] = [];
  let carry = '';
  for (const { segment } of segmenter.segment(text)) {
    const s = carry + segment;
    if (/\b(e\.g|i\.e|et al|vs|cf|Fig|Eq)\.\s*$/i.test(s.trim())) {
      carry = s;
      continue;
    }
    carry = '';
    const trimmed = s.trim();
    if (trimmed) sentences.push(trimmed);
  }
  if (carry.trim()) sentences.push(carry.trim());
  return sentences;
}
