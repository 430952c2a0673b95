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

/** A paper's alias (one of its distinct names, `Paper.aliases`) under its key (aliasKey). */
export interface NamedPaper {
  key: string;
  id: string;
  alias: string;
}

/**
 * The papers with an alias under one of `keys` (every one of them: a store answers from its own table,
 * see the PostgreSQL store's names; in memory, {@link findNamedPapersIn}).
 */
export type FindNamedPapers = (keys: readonly string[]) => Promise<readonly NamedPaper[]>;

/** {@link FindNamedPapers} over papers in memory (their `aliases`), indexed on first use. */
export function findNamedPapersIn(papers: readonly PaperEntry[]): FindNamedPapers {
  let byKey: Map<string, NamedPaper[]> | undefined;
  const index = () => {
    const built = new Map<string, NamedPaper[]>();
    for (const paper of papers) {
      for (const alias of paper.aliases ?? []) {
        const key = aliasKey(alias);
        const owners = built.get(key) ?? [];
        owners.push({ key, id: paper.id, alias });
        built.set(key, owners);
      }
    }
    return built;
  };
  return async (keys) => {
    byKey ??= index();
    return [...new Set(keys)].flatMap((key) => byKey!.get(key) ?? []);
  };
}

/** The alias keys a search looks up for `query` (see createAliasMatcher). */
export function queryNameKeys(query: string): string[] {
  return [...new Set(queryNameGrams(query).map((gram) => gram.key))];
}

/** The query's runs of one to MAX_ALIAS_WORDS words, each with its alias key. */
function queryNameGrams(query: string): { key: string; words: number; first: string }[] {
  const qWords = words(query);
  const grams = [];
  for (let n = 1; n <= MAX_ALIAS_WORDS; n++) {
    for (let i = 0; i + n <= qWords.length; i++) grams.push({ key: aliasKey(qWords.slice(i, i + n).join(' ')), words: n, first: qWords[i]! });
  }
  return grams.filter((gram) => gram.key !== '');
}

/** Finds the papers a query names by their aliases (`Paper.aliases`, looked up with `findNamed`: one lookup per query). */
export function createAliasMatcher(findNamed: FindNamedPapers, isRareWord: (word: string) => boolean): (query: string) => Promise<Map<string, NameMatch>> {
  return async (query) => {
    const found = new Map<string, NameMatch>();
    const grams = queryNameGrams(query);
    if (grams.length === 0) return found;
    const byKey = new Map<string, NamedPaper[]>();
    for (const owner of await findNamed(grams.map((gram) => gram.key))) byKey.set(owner.key, [...(byKey.get(owner.key) ?? []), owner]);
    for (const gram of grams) {
      for (const { id, alias } of byKey.get(gram.key) ?? []) {
        const written = containsWord(query, alias);
        const match: NameMatch | undefined = gram.words > 1 || isRareWord(gram.first) || (written && isCoinedName(alias)) ? 'rare' : written ? 'exact' : undefined;
        if (match && found.get(id) !== 'rare') found.set(id, match);
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
