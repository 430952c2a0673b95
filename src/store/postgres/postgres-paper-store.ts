import type pg from 'pg';
import type { Logger } from '../../app/logger.js';
import type { DatabaseConfig } from '../../config.js';
import type { Paper } from '../../corpus/paper.js';
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
import { PAPER_MIGRATIONS, PAPER_TERMS_TABLE, PAPERS_COMPONENT, PAPERS_TABLE, searchHnswCandidates } from './paper-migrations.js';
import { createPostgresCandidateSource } from './postgres-candidate-source.js';
import { readPaperCorpus } from './read-paper-corpus.js';
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

async function loadPapers(pool: pg.Pool): Promise<{ papers: Paper[]; statistics: TermStatistics }> {
  const papers = (await pool.query<{ paper: Paper }>(`SELECT paper FROM ${PAPERS_TABLE} ORDER BY position`)).rows.map((row) => row.paper);
  const terms = await pool.query<{ term: string; df: number }>(`SELECT term, df FROM ${PAPER_TERMS_TABLE}`);
  return { papers, statistics: new TermStatistics(new Map(terms.rows.map((row) => [decodeLexeme(row.term), row.df])), papers.length) };
}

/**
 * The papers in PostgreSQL: catalogue, tsvector and postings in our tables, vectors in langchain's PGVectorStore
 * (pgvector, HNSW, cosine). Opening reads the papers and the term statistics — never the vectors:
 * the dense and lexical top-k are queries. A database without papers is filled on first use.
 */
export function createPostgresPaperStore(options: PostgresPaperStoreOptions): PaperStore {
  const { database, embedder } = options;
  const where = describePaperDatabase(database.url);
  return {
    async open(): Promise<OpenedPaperStore> {
      const pool = createPaperPool(database, options.logger);
      try {
        await preparePaperDatabase(pool, database);
        let corpus = await readPaperCorpus(pool);
        if (!corpus && options.fillEmpty) {
          // Writing pulls in langchain's PGVectorStore (slow to import): only when there is something to write.
          const { ingestPostgresPapers } = await import('./ingest-postgres-papers.js');
          await options.fillEmpty((papers) => ingestPostgresPapers({ pool, where, papers, embedder }));
          corpus = await readPaperCorpus(pool);
        }
        if (!corpus) throw new UserFacingError('index-missing', `No papers in ${where} yet: run \`paperbot ingest\` to add them.`);
        if (corpus.embedder.id !== embedder.id || corpus.embedder.dimensions !== embedder.dimensions) throw new EmbedderMismatchError(where, corpus.embedder, embedder);
        const { papers, statistics } = await loadPapers(pool);
        const candidates = createPostgresCandidateSource({ pool, statistics, totalLength: corpus.totalLength, params: DEFAULT_LEXICAL_PARAMS });
        return {
          papers,
          lexical: statistics,
          candidates,
          info: { backend: 'postgres', embedder: corpus.embedder, paperCount: papers.length, updatedAt: corpus.updatedAt, version: String(corpus.generation) },
          close: () => pool.end(),
        };
      } catch (error) {
        await pool.end().catch(() => undefined);
        throw error;
      }
    },
  };
}
