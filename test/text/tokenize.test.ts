import { describe, expect, it } from 'vitest';
import { tokenize, words } from '../../src/text/tokenize.js';
import { loadTestCorpus } from '../support/load-test-corpus.js';

/** The words of a text by the definition (the Unicode classes after lower-casing and NFKC), without the ASCII shortcut. */
const reference = (text: string) => text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*/gu) ?? [];

describe('words', () => {
  it('gives the words of the Unicode definition for every title and abstract of the corpus', () => {
    for (const paper of loadTestCorpus()) {
      const text = `${paper.title} ${paper.abstract}`;
      expect(words(text)).toEqual(reference(text));
    }
  });

  it('gives the words of the Unicode definition for random ASCII and non-ASCII text (the shortcut is ASCII only)', () => {
    const alphabet = ['a', 'Z', '7', '-', "'", ' ', '.', '_', 'é', 'É', 'ß', 'ﬁ', '①', 'K', 'İ', 'ℌ', '日', '\u0301', 'x'];
    let seed = 42;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 2000; i++) {
      const asciiOnly = i % 2 === 0;
      const pool = asciiOnly ? alphabet.filter((c) => c.charCodeAt(0) < 128) : alphabet;
      const text = Array.from({ length: Math.floor(next() * 40) }, () => pool[Math.floor(next() * pool.length)]).join('');
      expect(words(text)).toEqual(reference(text));
    }
  });

  it('splits hyphenated and apostrophe words into their parts for search terms', () => {
    expect(words("Rehearsal-free LLMs' don't")).toEqual(['rehearsal-free', "llms", "don't"]);
    expect(tokenize('Rehearsal-free continual learning')).toEqual(['rehearsalfre', 'rehears', 'free', 'continu', 'learn']);
  });
});
