import type { Config } from '../config.js';
import type { Embedder } from '../embedding/embedder.js';
import { ingestCorpusDir } from '../ingest/ingest-corpus-dir.js';
import { describeSkipped } from '../ingest/open-or-build-index.js';
import type { Paper } from '../corpus/paper.js';
import type { IngestProgress, IngestSummary } from '../ingest/ingest-papers.js';
import { createLocalPaperStore } from '../ingest/local-paper-store.js';
import type { PaperStore } from '../store/paper-store.js';

/** The PostgreSQL paper store's modules, loaded only when configured. Reading never loads langchain's pgvector module (slow to import): only writing does. */
const postgresStoreModule = () => import('../store/postgres/postgres-paper-store.js');
const postgresModules = async () => {
  const [store, ingest] = await Promise.all([postgresStoreModule(), import('../store/postgres/ingest-postgres-papers.js')]);
  return { ...store, ...ingest };
};
import type { Logger } from './logger.js';

export interface PaperStoreDeps {
  embedder: Embedder;
  bundledCorpusFile: string;
  onProgress?: ((progress: IngestProgress) => void) | undefined;
  onWarning: (message: string) => void;
  logger?: Logger | undefined;
}

/**
 * The one place that decides where the papers are read from (PAPER_STORE; `postgres` is the default
 * with DATABASE_URL): the local index, or PostgreSQL with pgvector. Either is filled from the corpus
 * folder on first use.
 */
export function createPaperStore(config: Config, deps: PaperStoreDeps): PaperStore {
  const corpus = { corpusDir: config.corpusDir, indexDir: config.indexDir, embedder: deps.embedder, bundledCorpusFile: deps.bundledCorpusFile, onProgress: deps.onProgress, onWarning: deps.onWarning };
  const database = config.paperStore === 'postgres' ? config.database : undefined;
  if (database) {
    const fillEmpty = async (writePapers: (papers: readonly Paper[]) => Promise<IngestSummary>) => {
      const built = await ingestCorpusDir({ ...corpus, lockWaitMs: 120_000, writePapers });
      if (built.skipped.length > 0) deps.onWarning(describeSkipped(built.skipped));
    };
    // One store (its module loaded on first use): it keeps the pool its reopened versions share.
    let store: Promise<PaperStore> | undefined;
    const postgres = () => (store ??= postgresStoreModule().then((m) => m.createPostgresPaperStore({ database, embedder: deps.embedder, logger: deps.logger, fillEmpty })));
    return {
      open: async () => (await postgres()).open(),
      currentVersion: async () => (await postgres()).currentVersion!(),
      reopen: async () => (await postgres()).reopen!(),
    };
  }
  return createLocalPaperStore(corpus);
}

/** Where `paperbot ingest` writes the corpus's papers when they are not in the local index. */
export interface PaperTarget {
  /** How messages name it (the database URL masked). */
  where: string;
  write(papers: readonly Paper[], options: { rebuild: boolean; onProgress?: ((progress: IngestProgress) => void) | undefined }): Promise<IngestSummary>;
  close(): Promise<void>;
}

/** The PostgreSQL paper store as the target of an ingest (checked and migrated), or undefined for the local index. */
export async function openPaperTarget(config: Config, embedder: Embedder): Promise<PaperTarget | undefined> {
  if (config.paperStore !== 'postgres' || !config.database) return undefined;
  const database = config.database;
  const { createPaperPool, preparePaperDatabase, describePaperDatabase, ingestPostgresPapers } = await postgresModules();
  const pool = createPaperPool(database);
  try {
    await preparePaperDatabase(pool, database);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const where = describePaperDatabase(database.url);
  return {
    where,
    write: (papers, options) => ingestPostgresPapers({ pool, where, papers, embedder, rebuild: options.rebuild, onProgress: options.onProgress }),
    close: () => pool.end(),
  };
}

/**
 * Check, before anything else starts (the sharding manager), that the papers can be stored where
 * PAPER_STORE says: with `postgres`, the database is reachable and has pgvector (else a clear error
 * naming PAPER_STORE=local and installing pgvector).
 */
export async function assertPaperStoreAvailable(config: Pick<Config, 'paperStore' | 'database'>): Promise<void> {
  if (config.paperStore !== 'postgres' || !config.database) return;
  const { createPaperPool, preparePaperDatabase } = await postgresStoreModule();
  const pool = createPaperPool(config.database);
  try {
    await preparePaperDatabase(pool, config.database);
  } finally {
    await pool.end().catch(() => undefined);
  }
}
