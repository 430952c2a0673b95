import { aliasKey, isCoinedName } from '../corpus/extract-aliases.js';
import type { PaperEntry } from '../corpus/paper.js';
import { stem, words } from '../text/tokenize.js';
import type { LexicalStatistics } from './candidate-source.js';

/**
 * How a query names a paper by one of its aliases: `rare` — several words ("TÜLU 3"), or a rare word
 * (few papers, not everyday English: "clamp-dpo"), or a coined name written as the paper writes it
 * ("PILOT", "ContinUal"); `exact` — a plain word written as the paper writes it ("Diana"). A rare
 * name makes the paper relevant; both lift it.
 */
export type NameMatch = 'rare' | 'exact';

/** Longest alias, in query words, looked up ("Warm start RL" → 3). */
const MAX_ALIAS_WORDS = 3;

/** In how many papers a name occurs, by the lexical index (the name's words joined, stemmed). */
export function mentionCounter(lexical: LexicalStatistics): (name: string) => number {
  return (name) => lexical.documentFrequency(stem(aliasKey(name)));
}

/** Finds the papers a query names by their aliases (`Paper.aliases`). */
export function createAliasMatcher(papers: readonly PaperEntry[], isRareWord: (word: string) => boolean): (query: string) => Map<string, NameMatch> {
  const byKey = new Map<string, { id: string; alias: string }[]>();
  for (const paper of papers) {
    for (const alias of paper.aliases ?? []) {
      const key = aliasKey(alias);
      const owners = byKey.get(key) ?? [];
      owners.push({ id: paper.id, alias });
      byKey.set(key, owners);
    }
  }
  return (query) => {
    const found = new Map<string, NameMatch>();
    if (byKey.size === 0) return found;
    const qWords = words(query);
    for (let n = 1; n <= MAX_ALIAS_WORDS; n++) {
      for (let i = 0; i + n <= qWords.length; i++) {
        const owners = byKey.get(aliasKey(qWords.slice(i, i + n).join(' ')));
        if (!owners) continue;
        for (const { id, alias } of owners) {
          const written = containsWord(query, alias);
          const match: NameMatch | undefined = n > 1 || isRareWord(qWords[i]!) || (written && isCoinedName(alias)) ? 'rare' : written ? 'exact' : undefined;
          if (match && found.get(id) !== 'rare') found.set(id, match);
        }
      }
    }
    return found;
  };
}

/** Whether `text` contains `word` exactly (case-sensitive), not inside a longer word. */
function containsWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = text[at - 1];
    const after = text[at + word.length];
    if ((!before || !/[\p{L}\p{N}]/u.test(before)) && (!after || !/[\p{L}\p{N}]/u.test(after))) return true;
  }
  return false;
}
