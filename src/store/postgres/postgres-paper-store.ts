import type pg from 'pg';
import type { Logger } from '../../app/logger.js';
import type { DatabaseConfig } from '../../config.js';
import { assignDistinctAliases, extractNameCandidates, NAME_CANDIDATE_FIELDS, type NameCandidates } from '../../corpus/extract-aliases.js';
import { mentionCounter } from '../../retrieval/match-aliases.js';
import type { Paper, PaperEntry } from '../../corpus/paper.js';
import type { Embedder } from '../../embedding/embedder.js';
import type { IngestSummary } from '../../ingest/ingest-papers.js';
import { DEFAULT_LEXICAL_PARAMS } from '../../retrieval/lexical-index.js';
import { applyMigrations } from '../../state/postgres/apply-migrations.js';
import { DatabaseUnavailableError } from '../../state/postgres/database-unavailable-error.js';
import { describeDatabase } from '../../state/postgres/describe-database.js';
import { createPostgresPool } from '../../state/postgres/postgres-pool.js';
import { UserFacingError } from '../../errors.js';
import { EmbedderMismatchError } from '../index-errors.js';
import type { OpenedPaperStore, PaperStore } from '../paper-store.js';
import { decodeLexeme } from './lexeme-codec.js';
import { assertPgvector } from './assert-pgvector.js';
import { PAPER_CATALOGUE_TABLE, PAPER_MIGRATIONS, PAPER_TERMS_TABLE, PAPERS_COMPONENT, PAPERS_TABLE, searchHnswCandidates } from './paper-migrations.js';
import { createPostgresCandidateSource } from './postgres-candidate-source.js';
import type { CatalogueRow } from './paper-catalogue.js';
import { readPaperCorpus, type PaperCorpusRow } from './read-paper-corpus.js';
import { withTransaction } from '../../state/postgres/with-transaction.js';
import { TermStatistics } from './term-statistics.js';

export interface PostgresPaperStoreOptions {
  database: DatabaseConfig;
  embedder: Embedder;
  /**
   * First use: a database without papers is filled by this (e.g. an ingest of the corpus folder,
   * given the function that writes papers into the database).
   */
  fillEmpty?: ((writePapers: (papers: readonly Paper[]) => Promise<IngestSummary>) => Promise<unknown>) | undefined;
  logger?: Logger | undefined;
  /** How often `currentVersion` asks the database (default VERSION_CHECK_INTERVAL_MS); in between it answers what it read last. */
  versionCheckIntervalMs?: number | undefined;
}

/** How messages name the store. */
export function describePaperDatabase(url: string): string {
  return `the PostgreSQL paper store (${describeDatabase(url)})`;
}

/** A pool for the paper store (its sessions search HNSW_EF_SEARCH candidates). */
export function createPaperPool(database: DatabaseConfig, logger?: Logger): pg.Pool {
  return createPostgresPool(database, logger, searchHnswCandidates);
}

/** Connect, check pgvector and migrate the paper tables (connection failures name DATABASE_URL, masked). */
export async function preparePaperDatabase(pool: pg.Pool, database: DatabaseConfig, source = 'DATABASE_URL'): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    throw new DatabaseUnavailableError(database, error, source);
  }
  await assertPgvector(pool, database.url);
  try {
    await applyMigrations(pool, PAPERS_COMPONENT, PAPER_MIGRATIONS);
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    throw new DatabaseUnavailableError(database, error, source);
  }
}

/** How often a running process asks the database whether the papers changed (at most; cached in between). */
export const VERSION_CHECK_INTERVAL_MS = 5_000;

/**
 * The corpus row, the catalogue entries (papers without their abstracts, from the narrow catalogue
 * table) and the term statistics as of one moment (one REPEATABLE READ snapshot: an ingest committing
 * meanwhile is either wholly in or wholly out). Checks the embedder. Name candidates stored by an
 * earlier version are extracted again from the abstracts (read for those papers only) until the next
 * ingest stores current ones.
 */
async function readPapers(
  pool: pg.Pool,
  where: string,
  embedder: Embedder,
): Promise<{ corpus: PaperCorpusRow; papers: PaperEntry[]; statistics: TermStatistics }> {
  return withTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const corpus = await readPaperCorpus(client);
    if (!corpus) throw new UserFacingError('index-missing', `No papers in ${where} yet: run \`paperbot ingest\` to add them.`);
    if (corpus.embedder.id !== embedder.id || corpus.embedder.dimensions !== embedder.dimensions) throw new EmbedderMismatchError(where, corpus.embedder, embedder);
    // Each entry parsed as its row arrives, so the texts of all the rows are never held at once (memory).
    const { rows: entries } = await client.query<[CatalogueRow]>({
      text: `SELECT entry FROM ${PAPER_CATALOGUE_TABLE} ORDER BY position`,
      rowMode: 'array',
      types: { getTypeParser: () => (text: string) => JSON.parse(text) as CatalogueRow },
    });
    const papers = entries.map(([entry]) => entry.paper);
    const known = entries.map(([entry]) => asNameCandidates(entry.names));
    const stale = papers.filter((_, i) => !known[i]).map((paper) => paper.id);
    const whole = stale.length > 0 ? await readWholePapers(client, stale) : new Map<string, Paper>();
    const nameCandidates = papers.map((paper, i) => known[i] ?? extractNameCandidates({ title: paper.title, abstract: whole.get(paper.id)?.abstract ?? '' }));
    const terms = await client.query<{ term: string; df: number }>(`SELECT term, df FROM ${PAPER_TERMS_TABLE}`);
    const statistics = new TermStatistics(new Map(terms.rows.map((row) => [decodeLexeme(row.term), row.df])), papers.length);
    // This open's own objects: their names are set in place.
    assignDistinctAliases(papers, nameCandidates, mentionCounter(statistics));
    return { corpus, papers, statistics };
  });
}

/** Name candidates as an ingest of this version stored them; anything else (NULL, or an earlier version's) is extracted again. */
function asNameCandidates(value: unknown): NameCandidates | undefined {
  const stored = value as Partial<Record<keyof NameCandidates, unknown>> | null;
  const isNames = (list: unknown) => Array.isArray(list) && list.every((name) => typeof name === 'string');
  return stored && NAME_CANDIDATE_FIELDS.every((field) => isNames(stored[field])) ? (stored as NameCandidates) : undefined;
}

/** The whole papers `ids` as the database holds them now. */
async function readWholePapers(queryable: pg.Pool | pg.PoolClient, ids: readonly string[]): Promise<Map<string, Paper>> {
  if (ids.length === 0) return new Map();
  const { rows } = await queryable.query<{ paper: Paper }>(`SELECT paper FROM ${PAPERS_TABLE} WHERE id = ANY($1::text[])`, [ids]);
  return new Map(rows.map((row) => [row.paper.id, row.paper]));
}

/** The store's papers as opened: searches and abstracts go to the database through `pool`. */
function openedPapers(pool: pg.Pool, read: Awaited<ReturnType<typeof readPapers>>, close: () => Promise<void>): OpenedPaperStore {
  const { corpus, papers, statistics } = read;
  return {
    papers,
    wholePapers: (ids) => readWholePapers(pool, ids),
    lexical: statistics,
    candidates: createPostgresCandidateSource({ pool, statistics, totalLength: corpus.totalLength, params: DEFAULT_LEXICAL_PARAMS }),
    info: { backend: 'postgres', embedder: corpus.embedder, paperCount: papers.length, updatedAt: corpus.updatedAt, version: String(corpus.generation) },
    close,
  };
}

/**
 * The papers in PostgreSQL: catalogue, tsvector and postings in our tables, vectors in langchain's
 * PGVectorStore (pgvector, HNSW, cosine). Opening reads the catalogue entries and the term statistics —
 * never the vectors or the abstracts: the dense and lexical top-k are queries, and so are the abstracts
 * of the papers an answer shows. A database without papers is filled on first use.
 * A running process catches up with another's ingest: `currentVersion` is the corpus generation (read
 * at most every `versionCheckIntervalMs`), `reopen` reads the papers again over the same pool. Closing
 * any opened version ends that pool.
 */
export function createPostgresPaperStore(options: PostgresPaperStoreOptions): PaperStore {
  const { database, embedder } = options;
  const where = describePaperDatabase(database.url);
  const interval = options.versionCheckIntervalMs ?? VERSION_CHECK_INTERVAL_MS;
  /** The pool of the last open (shared by its reopened versions), until one of them is closed. */
  let current: { pool: pg.Pool; close(): Promise<void> } | undefined;
  let checked: { at: number; version: string | undefined } | undefined;
  const remember = (pool: pg.Pool) => {
    let ending: Promise<void> | undefined;
    const held = {
      pool,
      close: () => {
        if (current === held) [current, checked] = [undefined, undefined];
        return (ending ??= pool.end());
      },
    };
    current = held;
    return held;
  };
  const opened = (held: { pool: pg.Pool; close(): Promise<void> }, read: Awaited<ReturnType<typeof readPapers>>) => {
    checked = { at: Date.now(), version: String(read.corpus.generation) };
    return openedPapers(held.pool, read, held.close);
  };
  return {
    async open() {
      const pool = createPaperPool(database, options.logger);
      try {
        await preparePaperDatabase(pool, database);
        if (!(await readPaperCorpus(pool)) && options.fillEmpty) {
          // Writing pulls in langchain's PGVectorStore (slow to import): only when there is something to write.
          const { ingestPostgresPapers } = await import('./ingest-postgres-papers.js');
          await options.fillEmpty((papers) => ingestPostgresPapers({ pool, where, papers, embedder }));
        }
        const read = await readPapers(pool, where, embedder);
        return opened(remember(pool), read);
      } catch (error) {
        await pool.end().catch(() => undefined);
        throw error;
      }
    },
    async currentVersion() {
      if (!current) return undefined;
      if (checked && Date.now() - checked.at < interval) return checked.version;
      const corpus = await readPaperCorpus(current.pool);
      checked = { at: Date.now(), version: corpus && String(corpus.generation) };
      return checked.version;
    },
    async reopen() {
      const held = current;
      if (!held) throw new Error(`${where} is closed`);
      return opened(held, await readPapers(held.pool, where, embedder));
    },
  };
}
