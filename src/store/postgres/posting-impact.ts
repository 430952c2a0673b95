import { DEFAULT_LEXICAL_PARAMS, type LexicalParams } from '../../retrieval/lexical-index.js';

/**
 * A posting's impact: its BM25 term-frequency part, tf·(k1+1) / (tf + k1·(1 − b + b·len/avgdl)), as a
 * SQL expression over the postings' columns (`title_tf`, `abstract_tf`, `lexical_length`) for the
 * average length `avgdl` (an SQL expression). The postings of a term ordered by impact put the papers
 * it scores best first: BM25 reads the best of each term's list, not the whole list.
 */
export function postingImpactSql(avgdl: string, params: LexicalParams = DEFAULT_LEXICAL_PARAMS): string {
  const tf = `(${params.titleWeight} * title_tf + abstract_tf)::float8`;
  return `(${tf} * ${params.k1 + 1} / (${tf} + ${params.k1} * (1 - ${params.b} + ${params.b} * lexical_length / (${avgdl})::float8)))`;
}

/**
 * How far the corpus's average length may move from the one the impacts were computed with before
 * an ingest computes them all again (the impacts only order each term's postings; scores are exact).
 */
export const IMPACT_AVGDL_DRIFT = 0.05;

/** The average length to compute impacts with after an ingest: the previous one while within the drift, else the new one (and every impact again). */
export function chooseImpactAvgdl(previous: number | undefined, current: number): { avgdl: number; recomputeAll: boolean } {
  if (previous !== undefined && previous > 0 && Math.abs(current / previous - 1) <= IMPACT_AVGDL_DRIFT) return { avgdl: previous, recomputeAll: false };
  return { avgdl: current, recomputeAll: previous !== undefined };
}
