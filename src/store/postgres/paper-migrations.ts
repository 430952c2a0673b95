import type pg from 'pg';
import type { Migration } from '../../state/postgres/apply-migrations.js';
import { postingImpactSql } from './posting-impact.js';
import { PAPER_TERMS_AGGREGATE_SQL, termTopSql } from './packed-postings.js';

/** The `component` of the paper store's migrations (the bot state's is `state`). */
export const PAPERS_COMPONENT = 'papers';

/** Papers with their stemmed terms and the generated, weighted tsvector (title A, abstract B). */
export const PAPERS_TABLE = 'paperbot_papers';
/**
 * Every term of the papers: its document frequency and id (what a process keeps in memory) and, packed,
 * its best postings by impact (`top`, read by BM25: packed-postings.ts; migration 7).
 */
export const PAPER_TERMS_TABLE = 'paperbot_paper_terms';
/**
 * The postings of the tsvector, one row per (paper, term): how often the term is in the title and in the
 * abstract, the paper's BM25 length, and the posting's impact (posting-impact.ts). BM25 reads the best
 * postings of the query's terms by impact, then looks up the pool's papers by (paper, term).
 */
export const PAPER_POSTINGS_TABLE = 'paperbot_paper_postings';
/**
 * The table of the papers' vectors: langchain's PGVectorStore's (id = paperVectorId(paper id),
 * metadata.paperId), created by the first ingest (paper-vector-store.ts) once the dimensions are known.
 */
export const PAPER_VECTORS_TABLE = 'paperbot_paper_vectors';
/** HNSW candidates per search: at least the searcher's top-k (pgvector returns at most ef_search rows). */
export const HNSW_EF_SEARCH = 100;

/**
 * A new connection's session searches HNSW_EF_SEARCH candidates (pgvector's default, 40, is below the
 * searcher's top-k): set once when it connects, not per query.
 */
export async function searchHnswCandidates(client: pg.ClientBase): Promise<void> {
  await client.query(`SET hnsw.ef_search = ${HNSW_EF_SEARCH}`);
}

/**
 * The list of every paper, one narrow row per paper, read when a process first names or lists papers
 * (not by opening, once every paper has name rows: `named`): `entry` is the JSON text of
 * {@link CatalogueRow} (the paper without its abstract, and its name candidates), `position` its corpus
 * order. A copy of what `paperbot_papers` holds, written with it by every ingest: reading the entries
 * out of the wide papers table (terms, tsvector, the whole paper) took several times longer.
 */
export const PAPER_CATALOGUE_TABLE = 'paperbot_paper_catalogue';

/**
 * The papers' name candidates one row per name, under its alias key (aliasKey): a search finds the
 * papers its words name with one indexed lookup, without the catalogue in memory. A name is one of a
 * paper's aliases when no other paper has a name under its key (and, if coined, it is mentioned by at
 * most one paper: see distinctAliases). `ordinal` keeps the candidates' order (defined, then coined).
 */
export const PAPER_NAMES_TABLE = 'paperbot_paper_names';
/**
 * How many papers have a name under each key of the names table (recomputed by every ingest): a key
 * with one owner is an alias key, looked up without reading the rows of a name many papers share.
 */
export const PAPER_NAME_KEYS_TABLE = 'paperbot_paper_name_keys';

/**
 * Each paper's terms packed in one row (packed-postings.ts): term ids with their title and abstract
 * counts, and its BM25 length, id and corpus position. BM25 scores the papers of its pool from these rows.
 */
export const PAPER_TERM_LISTS_TABLE = 'paperbot_paper_term_lists';

/**
 * SQL: write (or rewrite) the packed term lists of the papers `p`, of all of them or of those `join`
 * (a join on `p.key`, e.g. with a table of the papers an ingest wrote) keeps.
 */
export function packTermListsSql(join = ''): string {
  return `INSERT INTO ${PAPER_TERM_LISTS_TABLE} (paper_key, id, position, lexical_length, terms)
     SELECT e.key, e.id, e.position, e.lexical_length, ${PAPER_TERMS_AGGREGATE_SQL}
     FROM (
       SELECT p.key, p.id, p.position, p.lexical_length, t.id AS term_id, s.title_tf, s.abstract_tf,
              t.id - lag(t.id, 1, -1) OVER (PARTITION BY p.key ORDER BY t.id) AS step
       FROM ${PAPERS_TABLE} p ${join}
         JOIN ${PAPER_POSTINGS_TABLE} s ON s.paper_key = p.key JOIN ${PAPER_TERMS_TABLE} t ON t.term = s.term
     ) e
     GROUP BY e.key, e.id, e.position, e.lexical_length
     ON CONFLICT (paper_key) DO UPDATE SET id = EXCLUDED.id, position = EXCLUDED.position, lexical_length = EXCLUDED.lexical_length, terms = EXCLUDED.terms`;
}

/** One row: the embedder, counts and generation of the papers in the database. */
export const PAPER_CORPUS_TABLE = 'paperbot_paper_corpus';

/**
 * The paper store's tables. The vectors live in a table of langchain's PGVectorStore
 * (`paperbot_paper_vectors`), created by the first ingest once the embedder's dimensions are known.
 * `title_terms` / `abstract_terms` hold our own tokenizer's stems (space-separated), so the
 * `simple` configuration turns them into exactly the terms the embedded BM25 index uses.
 * Append new migrations at the end — never edit a released one.
 */
export const PAPER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'papers: catalogue, weighted tsvector with GIN, term statistics',
    sql: `
      CREATE TABLE ${PAPERS_TABLE} (
        id              TEXT PRIMARY KEY,
        position        INTEGER NOT NULL,
        content_hash    TEXT NOT NULL,
        paper           JSONB NOT NULL,
        title_terms     TEXT NOT NULL,
        abstract_terms  TEXT NOT NULL,
        lexical_length  INTEGER NOT NULL,
        search          TSVECTOR GENERATED ALWAYS AS (
                          setweight(to_tsvector('simple'::regconfig, title_terms), 'A') ||
                          setweight(to_tsvector('simple'::regconfig, abstract_terms), 'B')
                        ) STORED
      );
      CREATE INDEX ${PAPERS_TABLE}_search ON ${PAPERS_TABLE} USING GIN (search);
      CREATE TABLE ${PAPER_TERMS_TABLE} (
        term  TEXT PRIMARY KEY,
        df    INTEGER NOT NULL
      );
      CREATE TABLE ${PAPER_CORPUS_TABLE} (
        singleton     BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
        embedder_id   TEXT NOT NULL,
        dimensions    INTEGER NOT NULL,
        paper_count   INTEGER NOT NULL,
        total_length  BIGINT NOT NULL,
        generation    BIGINT NOT NULL,
        updated_at    TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 2,
    // BM25 reads the postings now, not the tsvector's GIN index (dropped; the tsvector stays: the postings are made from it).
    name: 'papers: postings (term, paper) for BM25 without unnesting every matching tsvector',
    sql: `
      ALTER TABLE ${PAPERS_TABLE} ADD COLUMN key INTEGER GENERATED ALWAYS AS IDENTITY;
      ALTER TABLE ${PAPERS_TABLE} ADD CONSTRAINT ${PAPERS_TABLE}_key UNIQUE (key);
      CREATE TABLE ${PAPER_POSTINGS_TABLE} (
        paper_key       INTEGER NOT NULL,
        term            TEXT NOT NULL,
        title_tf        SMALLINT NOT NULL,
        abstract_tf     SMALLINT NOT NULL,
        lexical_length  INTEGER NOT NULL,
        PRIMARY KEY (paper_key, term)
      );
      INSERT INTO ${PAPER_POSTINGS_TABLE} (paper_key, term, title_tf, abstract_tf, lexical_length)
        SELECT p.key, u.lexeme,
               (SELECT count(*) FROM unnest(u.weights) AS w WHERE w = 'A'),
               (SELECT count(*) FROM unnest(u.weights) AS w WHERE w <> 'A'),
               p.lexical_length
        FROM ${PAPERS_TABLE} p CROSS JOIN LATERAL unnest(p.search) AS u;
      DROP INDEX ${PAPERS_TABLE}_search;
      CREATE INDEX ${PAPER_POSTINGS_TABLE}_term ON ${PAPER_POSTINGS_TABLE} (term) INCLUDE (paper_key, title_tf, abstract_tf, lexical_length);
    `,
  },
  {
    version: 3,
    // BM25 reads the best postings of each term (by impact) and rescores those papers exactly, instead of every posting of a common term.
    name: 'papers: postings ordered by impact within each term',
    sql: `
      ALTER TABLE ${PAPER_CORPUS_TABLE} ADD COLUMN impact_avgdl FLOAT8;
      UPDATE ${PAPER_CORPUS_TABLE} SET impact_avgdl = greatest(total_length::float8 / greatest(paper_count, 1), 1);
      ALTER TABLE ${PAPER_POSTINGS_TABLE} ADD COLUMN impact REAL;
      UPDATE ${PAPER_POSTINGS_TABLE} SET impact = ${postingImpactSql(`(SELECT impact_avgdl FROM ${PAPER_CORPUS_TABLE})`)};
      ALTER TABLE ${PAPER_POSTINGS_TABLE} ALTER COLUMN impact SET NOT NULL;
      DROP INDEX ${PAPER_POSTINGS_TABLE}_term;
      CREATE INDEX ${PAPER_POSTINGS_TABLE}_impact ON ${PAPER_POSTINGS_TABLE} (term, impact DESC) INCLUDE (paper_key);
      ANALYZE ${PAPER_POSTINGS_TABLE};
    `,
  },
  {
    version: 4,
    // Filled by ingests (a paper written before stays NULL until it changes: its names are extracted when the papers are loaded).
    name: "papers: each paper's name candidates, extracted at ingest rather than by every process that opens the store",
    sql: `ALTER TABLE ${PAPERS_TABLE} ADD COLUMN name_candidates JSONB;`,
  },
  {
    version: 5,
    // Name candidates of an earlier version (or none) are copied as they are: opening extracts those again until the next ingest.
    name: 'papers: a narrow catalogue of the papers without their abstracts, what opening the store reads',
    sql: `
      CREATE TABLE ${PAPER_CATALOGUE_TABLE} (
        key       INTEGER PRIMARY KEY REFERENCES ${PAPERS_TABLE} (key) ON DELETE CASCADE,
        position  INTEGER NOT NULL,
        entry     TEXT NOT NULL
      );
      INSERT INTO ${PAPER_CATALOGUE_TABLE} (key, position, entry)
        SELECT key, position, jsonb_build_object('paper', paper - '{abstract,contentHash,source}'::text[], 'names', name_candidates)::text FROM ${PAPERS_TABLE};
      ANALYZE ${PAPER_CATALOGUE_TABLE};
    `,
  },
  {
    version: 6,
    // Filled by ingests: the papers written before (catalogue "named" false) get their names at the next ingest; until then opening reads the catalogue.
    name: 'papers: name candidates by alias key, so that a search needs no catalogue in memory',
    sql: `
      CREATE TABLE ${PAPER_NAMES_TABLE} (
        paper_key  INTEGER NOT NULL REFERENCES ${PAPERS_TABLE} (key) ON DELETE CASCADE,
        ordinal    SMALLINT NOT NULL,
        key        TEXT NOT NULL,
        name       TEXT NOT NULL,
        coined     BOOLEAN NOT NULL,
        PRIMARY KEY (paper_key, ordinal)
      );
      CREATE INDEX ${PAPER_NAMES_TABLE}_key ON ${PAPER_NAMES_TABLE} (key);
      CREATE TABLE ${PAPER_NAME_KEYS_TABLE} (
        key     TEXT PRIMARY KEY,
        owners  INTEGER NOT NULL
      );
      ALTER TABLE ${PAPER_CATALOGUE_TABLE} ADD COLUMN named BOOLEAN NOT NULL DEFAULT false;
      CREATE INDEX ${PAPER_CATALOGUE_TABLE}_unnamed ON ${PAPER_CATALOGUE_TABLE} (key) WHERE NOT named;
    `,
  },
  {
    version: 7,
    // Computed here once for the papers already in the database (about half a minute at 100k papers in PGlite, measured by hand); ingests keep them current.
    name: "papers: each term's best postings and each paper's terms, packed, so that BM25 reads one row per term and per pooled paper",
    sql: `
      ALTER TABLE ${PAPER_TERMS_TABLE} ADD COLUMN id INTEGER GENERATED ALWAYS AS IDENTITY;
      ALTER TABLE ${PAPER_TERMS_TABLE} ADD CONSTRAINT ${PAPER_TERMS_TABLE}_id UNIQUE (id);
      ALTER TABLE ${PAPER_TERMS_TABLE} ADD COLUMN top BYTEA;
      ALTER TABLE ${PAPER_TERMS_TABLE} ALTER COLUMN top SET STORAGE EXTERNAL;
      UPDATE ${PAPER_TERMS_TABLE} t SET top = ${termTopSql(PAPER_POSTINGS_TABLE, 't.term')};
      ALTER TABLE ${PAPER_TERMS_TABLE} ALTER COLUMN top SET NOT NULL;
      CREATE TABLE ${PAPER_TERM_LISTS_TABLE} (
        paper_key       INTEGER PRIMARY KEY REFERENCES ${PAPERS_TABLE} (key) ON DELETE CASCADE,
        id              TEXT NOT NULL,
        position        INTEGER NOT NULL,
        lexical_length  INTEGER NOT NULL,
        terms           BYTEA NOT NULL
      );
      ${packTermListsSql()};
      ANALYZE ${PAPER_TERMS_TABLE};
      ANALYZE ${PAPER_TERM_LISTS_TABLE};
    `,
  },
  {
    version: 8,
    // Every paper's list rewritten once in the new packing (27.5 s at 100k papers in PGlite, timed by hand; a database older than migration 7 writes them twice: 7 uses today's packTermListsSql too).
    name: 'papers: each paper\'s packed terms as varints (about a quarter of the bytes BM25 reads per pooled paper)',
    sql: `
      ${packTermListsSql()};
      ANALYZE ${PAPER_TERM_LISTS_TABLE};
    `,
  },
  {
    version: 9,
    name: "papers: the term lists by paper id, so that the dense top-k reads its papers' lists without the papers' rows (abstracts)",
    sql: `CREATE INDEX IF NOT EXISTS ${PAPER_TERM_LISTS_TABLE}_id ON ${PAPER_TERM_LISTS_TABLE} (id);`,
  },
];
