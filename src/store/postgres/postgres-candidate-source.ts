import type pg from 'pg';
import type { CandidateSource, WeightedTerm } from '../../retrieval/candidate-source.js';
import type { LexicalMatch, LexicalParams } from '../../retrieval/lexical-index.js';
import type { VectorMatch } from '../vector-index.js';
import { encodeLexeme } from './lexeme-codec.js';
import { withTransaction } from '../../state/postgres/with-transaction.js';
import { HNSW_EF_SEARCH, PAPER_POSTINGS_TABLE, PAPER_TERM_LISTS_TABLE, PAPER_TERMS_TABLE, PAPER_VECTORS_TABLE, PAPERS_TABLE } from './paper-migrations.js';
import type { TermStatistics } from './term-statistics.js';
import { postingImpactSql } from './posting-impact.js';
import { impactDrift, narrowPool, packedQuery, packedTermIds, poolByImpact, scorePackedTerms, TOP_POSTINGS, type PackedQueryTerm } from './packed-postings.js';

/**
 * BM25 of the embedded index with `params` over the postings table, in two steps (the reference the packed
 * BM25 is measured against, and what reads past the packed best postings). The pool: the `$6` postings of
 * highest impact of each query term (an index-only scan of (term, impact): a term in half the corpus
 * costs no more than a rare one), summed per paper, the best `$7` papers kept. Then those papers are
 * scored exactly — every query term's posting looked up by (paper, term), its impact computed with the
 * current average length `$5` — with the caller's IDFs. Exact while every list fits in `$6`
 * (the bundled corpus); beyond, a paper in no term's best postings is missed (`npm run
 * bench:paper-stores -- --papers N` prints how often the top 10 differs). Ties go to the paper earlier
 * in corpus order: the papers scoring at least the k-th best score are ordered by score, then position.
 */
const bm25Sql = (params: LexicalParams) => `
  WITH q AS (SELECT * FROM unnest($1::text[], $2::float8[], $3::bool[]) AS q(term, idf, covers)),
  pool AS MATERIALIZED (
    SELECT s.paper_key
    FROM q CROSS JOIN LATERAL (
      SELECT paper_key, impact FROM ${PAPER_POSTINGS_TABLE} WHERE term = q.term ORDER BY impact DESC LIMIT $6::int
    ) s
    GROUP BY s.paper_key ORDER BY sum(q.idf * s.impact) DESC LIMIT $7::int
  ),
  scored AS MATERIALIZED (
    SELECT s.paper_key,
           sum(q.idf * s.impact) AS score,
           coalesce(sum(q.idf) FILTER (WHERE q.covers), 0) AS mass
    FROM (
      SELECT paper_key, term, ${postingImpactSql('$5', params)} AS impact FROM ${PAPER_POSTINGS_TABLE}
      WHERE paper_key = ANY (ARRAY(SELECT paper_key FROM pool)) AND term = ANY ($1::text[])
    ) s JOIN q ON q.term = s.term
    GROUP BY s.paper_key
  ),
  cut AS (SELECT min(score) AS score FROM (SELECT score FROM scored ORDER BY score DESC LIMIT $4::int) top)
  SELECT p.id, s.score, s.mass
  FROM scored s JOIN ${PAPERS_TABLE} p ON p.key = s.paper_key
  WHERE s.score >= (SELECT score FROM cut)
  ORDER BY s.score DESC, p.position LIMIT $4::int`;

/** How many postings of each query term BM25 reads (the best by impact), and how many papers it then scores exactly. */
export interface Bm25Reach {
  /** Postings read of each query term: its best by impact (all of a shorter list). Up to TOP_POSTINGS from the packed rows; beyond, from the postings table. */
  postingsPerTerm: number;
  /** Papers of the best summed impacts then scored exactly (at least the k asked for). */
  scoredPapers: number;
  /** Of those, how many are read in the first statement, best upper bound first (at least the k asked for; default FIRST_READ). */
  firstRead?: number;
}

/** Enough for the searcher's top-k (50) and small enough that a common term's list costs little (measured by `npm run bench:paper-stores -- --papers N`). */
export const DEFAULT_BM25_REACH: Bm25Reach = { postingsPerTerm: 2000, scoredPapers: 400 };

/**
 * The dense top-k over PGVectorStore's table, as its similarity search orders it (cosine distance `<=>`,
 * the HNSW index) but reading only the paper id and the distance — PGVectorStore's own search selects
 * every column, so it would also send each row's vector and text, which the searcher does not use — and,
 * in the same statement, each paper's packed term list (the searcher needs its candidates' terms: no
 * statement of their own for these), found by paper id (migration 9's index) rather than through the
 * papers' rows, whose abstracts make them pages a cold database would have to read. The session's
 * `hnsw.ef_search` is set when the pool connects (see createPaperPool).
 */
const DENSE_SQL = `
  SELECT d.id, d.distance, l.terms
  FROM (SELECT metadata->>'paperId' AS id, embedding <=> $1::vector AS distance FROM ${PAPER_VECTORS_TABLE} ORDER BY distance LIMIT $2::int) d
  LEFT JOIN ${PAPER_TERM_LISTS_TABLE} l ON l.id = d.id
  ORDER BY d.distance`;

/**
 * The packed BM25 reads: each query term's best postings, then the pooled papers' term lists. The bytes
 * come as PostgreSQL's hex text, which `pg` turns into a Buffer itself (measured by hand at 100k papers:
 * no slower than sending them as base64, and nothing left to decode here).
 */
const TERM_TOPS_SQL = `SELECT term, top FROM ${PAPER_TERMS_TABLE} WHERE term = ANY ($1::text[])`;
const TERM_LISTS_SQL = `SELECT id, position, lexical_length, terms FROM ${PAPER_TERM_LISTS_TABLE} WHERE paper_key = ANY ($1::int[])`;
/** Papers' packed term lists by paper id (the candidates' terms that BM25 did not just read). */
const TERM_LISTS_BY_ID_SQL = `SELECT id, terms FROM ${PAPER_TERM_LISTS_TABLE} WHERE id = ANY ($1::text[])`;

/**
 * Pooled papers BM25 reads first (the best upper bounds; at least the k asked for). Twice the searcher's
 * top-k: where the bounds are tight, a first read suffices; where they are loose (a large corpus's common
 * terms), the second statement reads the rest that can still beat the k-th exact score.
 */
export const FIRST_READ = 100;

type DenseRow = { id: string; distance: number; terms: Buffer | null };

/** The k best of scored papers with a positive score, ties by corpus order. */
function topByScore<T extends { score: number; position: number }>(scored: readonly T[], k: number): T[] {
  const top = scored.filter((paper) => paper.score > 0);
  top.sort((a, b) => b.score - a.score || a.position - b.position);
  return top.slice(0, k);
}

/** Term lists kept from the latest BM25 and dense reads (by paper id, about 0.8 KB each), so that the candidates' terms mostly need no statement. */
export const RECENT_TERM_LISTS = 2_000;

export interface PostgresCandidateSourceDeps {
  pool: pg.Pool;
  statistics: TermStatistics;
  /** Each term's id in the papers' packed term lists (read with the statistics). */
  termIds: ReadonlyMap<string, number>;
  /** Sum of the papers' BM25 lengths (for the average document length). */
  totalLength: number;
  /** The average length the postings' impacts were computed with (the corpus row's); unknown: every pooled paper is read. */
  impactAvgdl?: number | undefined;
  params: LexicalParams;
  reach?: Bm25Reach | undefined;
}

/**
 * The searcher's candidates from PostgreSQL: BM25 from the packed rows (the query terms' best postings,
 * then the term lists of the pooled papers that can be in the top k, in one or two statements; past
 * TOP_POSTINGS, one statement over the postings table), and pgvector's HNSW over PGVectorStore's table
 * (one statement).
 */
export function createPostgresCandidateSource(deps: PostgresCandidateSourceDeps): CandidateSource {
  const { pool, statistics, params, termIds } = deps;
  const reach = deps.reach ?? DEFAULT_BM25_REACH;
  const sql = bm25Sql(params);
  const avgdl = statistics.size > 0 ? deps.totalLength / statistics.size || 1 : 1;
  /** A kept list, and its terms once decoded (a candidate again in a later search is not decoded again). */
  const recentLists = new Map<string, { packed: Buffer; terms?: ReadonlySet<string> }>();
  const keepList = (id: string, packed: Buffer) => {
    const kept = recentLists.get(id);
    recentLists.delete(id);
    recentLists.set(id, { packed, terms: kept?.packed.equals(packed) ? kept.terms : undefined });
    if (recentLists.size > RECENT_TERM_LISTS) recentLists.delete(recentLists.keys().next().value!);
  };
  let termNames: string[] | undefined;
  /** A paper's terms from its packed list (a term id this view does not know, from a later ingest, is left out). */
  const decodeTerms = (packed: Buffer): Set<string> => {
    if (!termNames) {
      termNames = [];
      for (const [term, id] of termIds) termNames[id] = term;
    }
    const terms = new Set<string>();
    for (const id of packedTermIds(packed)) {
      const term = termNames[id];
      if (term !== undefined) terms.add(term);
    }
    return terms;
  };

  const drift = deps.impactAvgdl && deps.impactAvgdl > 0 ? impactDrift(avgdl, deps.impactAvgdl) : undefined;

  /** The pooled papers' term lists, each scored exactly (kept for the candidates' terms). */
  const scoreLists = async (keys: readonly number[], query: ReturnType<typeof packedQuery>) => {
    if (!keys.length) return [];
    const lists = await pool.query<{ id: string; position: number; lexical_length: number; terms: Buffer }>(TERM_LISTS_SQL, [keys]);
    for (const row of lists.rows) keepList(row.id, row.terms);
    return lists.rows.map((row) => ({ id: row.id, position: row.position, ...scorePackedTerms(row.terms, row.lexical_length, query, avgdl, params) }));
  };

  /**
   * The pool from the terms' packed best postings, then its exact top k (ties by corpus order) from the
   * pooled papers' term lists. Only the papers that can be in that top k are read (see narrowPool): the
   * best upper bounds first, then, in a second statement, those of the rest whose upper bound reaches
   * the k-th exact score found — the same top k as reading the whole pool.
   */
  const packedBm25 = async (known: readonly { term: string; idf: number; covers: boolean }[], k: number): Promise<{ id: string; score: number; mass: number }[]> => {
    const byLexeme = new Map(known.map((t) => [encodeLexeme(t.term), t]));
    const tops = await pool.query<{ term: string; top: Buffer }>(TERM_TOPS_SQL, [[...byLexeme.keys()]]);
    const pooled = poolByImpact(
      tops.rows.map((row) => {
        const term = byLexeme.get(row.term)!;
        return { idf: term.idf, top: row.top, df: statistics.documentFrequency(term.term) };
      }),
      reach.postingsPerTerm,
      Math.max(k, reach.scoredPapers),
    );
    if (!pooled.keys.length) return [];
    const ids = known.map((t) => termIds.get(t.term));
    const queryTerms = packedQuery(known.flatMap((t, i): PackedQueryTerm[] => (ids[i] === undefined ? [] : [{ id: ids[i], idf: t.idf, covers: t.covers }])));
    // The bounds hold for the terms this view has ids of (the ones scored) and weights that are not negative: else read the whole pool.
    const bounded = drift && ids.every((id) => id !== undefined) && known.every((t) => t.idf >= 0);
    if (!bounded) return topByScore(await scoreLists(Array.from(pooled.keys), queryTerms), k);
    const narrowed = narrowPool(pooled, k, drift);
    const firstRead = Math.max(k, reach.firstRead ?? FIRST_READ);
    const scored = await scoreLists(narrowed.keys.slice(0, firstRead), queryTerms);
    if (narrowed.keys.length > firstRead) {
      const positive = scored.map((paper) => paper.score).filter((score) => score > 0).sort((a, b) => b - a);
      const kth = positive.length >= k ? positive[k - 1]! : -Infinity;
      let end = firstRead;
      while (end < narrowed.keys.length && !(narrowed.upper[end]! < kth)) end++;
      scored.push(...(await scoreLists(narrowed.keys.slice(firstRead, end), queryTerms)));
    }
    return topByScore(scored, k);
  };

  return {
    async lexical(queryTerms: readonly WeightedTerm[], k: number): Promise<LexicalMatch[]> {
      const terms = queryTerms.map((t) => ({ term: t.term, idf: (t.idf ?? statistics.idf(t.term)) * (t.weight ?? 1), covers: t.coverage !== false }));
      if (!terms.length || statistics.size === 0 || k <= 0) return [];
      const totalIdf = terms.reduce((sum, t) => sum + (t.covers ? t.idf : 0), 0);
      const known = terms.filter((t) => statistics.hasTerm(t.term));
      if (!known.length) return [];
      const toMatch = (rows: readonly { id: string; score: number; mass: number }[]) =>
        rows.map((row) => ({ id: row.id, score: Number(row.score), coverage: totalIdf > 0 ? Number(row.mass) / totalIdf : 0 }));
      if (reach.postingsPerTerm <= TOP_POSTINGS) return toMatch(await packedBm25(known, k));
      const { rows } = await pool.query<{ id: string; score: number; mass: number }>(sql, [
        known.map((t) => encodeLexeme(t.term)),
        known.map((t) => t.idf),
        known.map((t) => t.covers),
        k,
        avgdl,
        reach.postingsPerTerm,
        Math.max(k, reach.scoredPapers),
      ]);
      return toMatch(rows);
    },
    async paperTerms(ids: readonly string[]): Promise<Map<string, ReadonlySet<string>>> {
      const out = new Map<string, ReadonlySet<string>>();
      const missing: string[] = [];
      for (const id of new Set(ids)) {
        const kept = recentLists.get(id);
        if (kept) out.set(id, (kept.terms ??= decodeTerms(kept.packed)));
        else missing.push(id);
      }
      if (missing.length > 0) {
        const { rows } = await pool.query<{ id: string; terms: Buffer }>(TERM_LISTS_BY_ID_SQL, [missing]);
        for (const row of rows) {
          keepList(row.id, row.terms);
          const terms = decodeTerms(row.terms);
          recentLists.get(row.id)!.terms = terms;
          out.set(row.id, terms);
        }
      }
      return out;
    },
    async dense(vector: readonly number[], k: number): Promise<VectorMatch[]> {
      // A zero vector (a query of unknown words) has no direction: pgvector's cosine would be NaN.
      if (k <= 0 || statistics.size === 0 || !vector.some((x) => x !== 0)) return [];
      const params = [`[${vector.join(',')}]`, k];
      // HNSW returns at most ef_search rows: a top-k above the session's setting raises it for this search only.
      const { rows } =
        k <= HNSW_EF_SEARCH
          ? await pool.query<DenseRow>(DENSE_SQL, params)
          : await withTransaction(pool, async (client) => {
              await client.query(`SET LOCAL hnsw.ef_search = ${Math.floor(k)}`);
              return client.query<DenseRow>(DENSE_SQL, params);
            });
      for (const row of rows) if (row.terms) keepList(row.id, row.terms);
      // The searcher works with the cosine similarity.
      return rows.map((row) => ({ id: row.id, score: 1 - Number(row.distance) }));
    },
  };
}
