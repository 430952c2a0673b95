import type pg from 'pg';
import type { Embedder } from '../../embedding/embedder.js';
import type { CandidateSource, WeightedTerm } from '../../retrieval/candidate-source.js';
import type { LexicalMatch, LexicalParams } from '../../retrieval/lexical-index.js';
import type { VectorMatch } from '../vector-index.js';
import { encodeLexeme } from './lexeme-codec.js';
import { PAPERS_TABLE } from './paper-migrations.js';
import { withConnection } from '../../state/postgres/with-transaction.js';
import { createPaperVectorStore, HNSW_EF_SEARCH } from './paper-vector-store.js';
import type { TermStatistics } from './term-statistics.js';

/** A lexeme as a tsquery operand ('…' with quotes doubled; our stems are letters and digits anyway). */
const quoteLexeme = (term: string) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * BM25 of the embedded index, computed in PostgreSQL: the GIN index finds the papers holding any
 * query term (`search @@ a | b | …`), the term frequencies come from the tsvector's weights (title
 * occurrences, weight A, count `titleWeight`), and the IDFs are the caller's (from the same statistics
 * as the embedded index). Ties go to the paper earlier in corpus order.
 */
const BM25_SQL = `
  WITH q AS (SELECT * FROM unnest($1::text[], $2::float8[], $3::bool[]) AS q(term, idf, covers)),
  hits AS (
    SELECT p.id, p.position, p.lexical_length, u.lexeme, u.weights
    FROM ${PAPERS_TABLE} p CROSS JOIN LATERAL unnest(p.search) AS u
    WHERE p.search @@ $4::tsquery AND u.lexeme = ANY($1::text[])
  ),
  scored AS (
    SELECT h.id, h.position,
           sum(q.idf * t.tf * ($6::float8 + 1) / (t.tf + $6::float8 * (1 - $7::float8 + $7::float8 * h.lexical_length / $8::float8))) AS score,
           coalesce(sum(q.idf) FILTER (WHERE q.covers), 0) AS mass
    FROM hits h
    JOIN q ON q.term = h.lexeme
    CROSS JOIN LATERAL (SELECT sum(CASE WHEN w = 'A' THEN $9::float8 ELSE 1 END) AS tf FROM unnest(h.weights) AS w) t
    GROUP BY h.id, h.position
  )
  SELECT id, score, mass FROM scored ORDER BY score DESC, position LIMIT $5::int`;

export interface PostgresCandidateSourceDeps {
  pool: pg.Pool;
  embedder: Embedder;
  statistics: TermStatistics;
  /** Sum of the papers' BM25 lengths (for the average document length). */
  totalLength: number;
  params: LexicalParams;
}

/** The searcher's candidates from PostgreSQL: BM25 over the tsvector (GIN) and pgvector's HNSW through PGVectorStore. */
export function createPostgresCandidateSource(deps: PostgresCandidateSourceDeps): CandidateSource {
  const { pool, statistics, params } = deps;
  // Connections whose session already searches HNSW_EF_SEARCH candidates (pgvector's default, 40, is below the top-k).
  const tuned = new WeakSet<pg.PoolClient>();
  const avgdl = statistics.size > 0 ? deps.totalLength / statistics.size || 1 : 1;
  return {
    async lexical(queryTerms: readonly WeightedTerm[], k: number): Promise<LexicalMatch[]> {
      const terms = queryTerms.map((t) => ({ term: t.term, idf: (t.idf ?? statistics.idf(t.term)) * (t.weight ?? 1), covers: t.coverage !== false }));
      if (!terms.length || statistics.size === 0 || k <= 0) return [];
      const totalIdf = terms.reduce((sum, t) => sum + (t.covers ? t.idf : 0), 0);
      const known = terms.filter((t) => statistics.hasTerm(t.term));
      if (!known.length) return [];
      const lexemes = known.map((t) => encodeLexeme(t.term));
      const tsquery = lexemes.map(quoteLexeme).join(' | ');
      const { rows } = await pool.query<{ id: string; score: number; mass: number }>(BM25_SQL, [
        lexemes,
        known.map((t) => t.idf),
        known.map((t) => t.covers),
        tsquery,
        k,
        params.k1,
        params.b,
        avgdl,
        params.titleWeight,
      ]);
      return rows.map((row) => ({ id: row.id, score: Number(row.score), coverage: totalIdf > 0 ? Number(row.mass) / totalIdf : 0 }));
    },
    async dense(vector: readonly number[], k: number): Promise<VectorMatch[]> {
      // A zero vector (a query of unknown words) has no direction: pgvector's cosine would be NaN.
      if (k <= 0 || statistics.size === 0 || !vector.some((x) => x !== 0)) return [];
      const found = await withConnection(pool, async (client) => {
        if (!tuned.has(client)) {
          await client.query(`SET hnsw.ef_search = ${Math.max(HNSW_EF_SEARCH, k)}`);
          tuned.add(client);
        }
        return createPaperVectorStore(client, deps.embedder).similaritySearchVectorWithScore([...vector], k);
      });
      // PGVectorStore returns the cosine distance; the searcher works with the cosine similarity.
      return found.map(([document, distance]) => ({ id: String(document.metadata.paperId), score: 1 - distance }));
    },
  };
}
