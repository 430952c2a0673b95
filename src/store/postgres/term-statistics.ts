import type { LexicalStatistics } from '../../retrieval/candidate-source.js';
import { bm25Idf } from '../../retrieval/lexical-index.js';
import { tokenize } from '../../text/tokenize.js';

/**
 * The lexical statistics of a database-backed corpus: document frequencies only (no postings), with
 * the same IDF and term weights as the embedded {@link LexicalIndex}.
 */
export class TermStatistics implements LexicalStatistics {
  constructor(
    private readonly df: ReadonlyMap<string, number>,
    readonly size: number,
  ) {}

  documentFrequency(term: string): number {
    return this.df.get(term) ?? 0;
  }

  idf(term: string): number {
    return bm25Idf(this.documentFrequency(term), this.size);
  }

  queryTerms(query: string): { term: string; idf: number }[] {
    return [...new Set(tokenize(query))].map((term) => ({ term, idf: this.idf(term) }));
  }

  hasTerm(term: string): boolean {
    return this.df.has(term);
  }

  termWeights(text: string): Map<string, number> {
    const tf = new Map<string, number>();
    for (const t of tokenize(text)) tf.set(t, (tf.get(t) ?? 0) + 1);
    const out = new Map<string, number>();
    for (const [t, n] of tf) out.set(t, (1 + Math.log(n)) * this.idf(t));
    return out;
  }
}
