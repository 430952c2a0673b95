import type { LexicalStatistics } from '../../retrieval/candidate-source.js';
import { bm25Idf, tfIdfWeights, weightQueryTerms } from '../../retrieval/lexical-index.js';

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
    return weightQueryTerms(query, (term) => this.idf(term));
  }

  hasTerm(term: string): boolean {
    return this.df.has(term);
  }

  termWeights(text: string): Map<string, number> {
    return tfIdfWeights(text, (term) => this.idf(term));
  }
}
