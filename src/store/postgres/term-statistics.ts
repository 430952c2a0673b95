import type pg from 'pg';
import type { LexicalStatistics } from '../../retrieval/candidate-source.js';
import { bm25Idf, tfIdfWeights, weightQueryTerms } from '../../retrieval/lexical-index.js';
import { decodeLexeme } from './lexeme-codec.js';
import { PAPER_TERMS_TABLE } from './paper-migrations.js';

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

/** The terms table as a process keeps it: the statistics of `paperCount` papers, and each term's id in the papers' packed term lists. */
export async function readTermStatistics(
  queryable: pg.Pool | pg.PoolClient,
  paperCount: number,
): Promise<{ statistics: TermStatistics; termIds: Map<string, number> }> {
  const { rows } = await queryable.query<[string, number, number]>({ text: `SELECT term, df, id FROM ${PAPER_TERMS_TABLE}`, rowMode: 'array' });
  const decoded = rows.map(([term, df, id]) => [decodeLexeme(term), df, id] as const);
  return { statistics: new TermStatistics(new Map(decoded.map(([term, df]) => [term, df])), paperCount), termIds: new Map(decoded.map(([term, , id]) => [term, id])) };
}
