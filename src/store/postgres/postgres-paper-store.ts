import type pg from 'pg';
import type { Logger } from '../../app/logger.js';
import type { DatabaseConfig } from '../../config.js';
import { assignDistinctAliases, extractNameCandidates, isDistinctName, NAME_CANDIDATE_FIELDS, type NameCandidates } from '../../corpus/extract-aliases.js';
import { findNamedPapersIn, mentionCounter, type FindNamedPapers } from '../../retrieval/match-aliases.js';
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
import { assertPgvector } from './assert-pgvector.js';
import { PAPER_CATALOGUE_TABLE, PAPER_MIGRATIONS, PAPER_NAME_KEYS_TABLE, PAPER_NAMES_TABLE, PAPERS_COMPONENT, PAPERS_TABLE, searchHnswCandidates } from './paper-migrations.js';
import { createPostgresCandidateSource } from './postgres-candidate-source.js';
import type { CatalogueRow } from './paper-catalogue.js';
import { readPaperCorpus, type PaperCorpusRow } from './read-paper-corpus.js';
import { withTransaction } from '../../state/postgres/with-transaction.js';
import { readTermStatistics, type TermStatistics } from './term-statistics.js';

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

/** What opening reads: the corpus row and the term statistics, and the catalogue only while some papers have no name rows yet. */
interface OpeningRead {
  corpus: PaperCorpusRow;
  statistics: TermStatistics;
  /** Each term's id in the papers' packed term lists. */
  termIds: ReadonlyMap<string, number>;
  /** The catalogue, read at once: an earlier version wrote some papers without name rows (until the next ingest). */
  papers?: PaperEntry[] | undefined;
}

/**
 * The corpus row and the term statistics as of one moment (one REPEATABLE READ snapshot: an ingest
 * committing meanwhile is either wholly in or wholly out); checks the embedder. Only when some papers
 * have no name rows yet (written by an earlier version) is the catalogue read too, in the same snapshot:
 * a search then matches names in memory.
 */
async function readOpening(pool: pg.Pool, where: string, embedder: Embedder): Promise<OpeningRead> {
  return withTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const corpus = await readPaperCorpus(client);
    if (!corpus) throw new UserFacingError('index-missing', `No papers in ${where} yet: run \`paperbot ingest\` to add them.`);
    if (corpus.embedder.id !== embedder.id || corpus.embedder.dimensions !== embedder.dimensions) throw new EmbedderMismatchError(where, corpus.embedder, embedder);
    const { statistics, termIds } = await readTermStatistics(client, corpus.paperCount);
    const unnamed = await client.query(`SELECT 1 FROM ${PAPER_CATALOGUE_TABLE} WHERE NOT named LIMIT 1`);
    return { corpus, statistics, termIds, papers: unnamed.rows.length > 0 ? await readCatalogue(client, statistics) : undefined };
  });
}

/**
 * Every paper's catalogue entry (the narrow catalogue table, without abstracts), with its names set in
 * place. Name candidates stored by an earlier version are extracted again from the abstracts (read for
 * those papers only) until the next ingest stores current ones.
 */
async function readCatalogue(client: pg.PoolClient, statistics: TermStatistics): Promise<PaperEntry[]> {
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
  // This read's own objects: their names are set in place.
  assignDistinctAliases(papers, nameCandidates, mentionCounter(statistics));
  return papers;
}

/** The catalogue read on its own (REPEATABLE READ: one ingest's papers, wholly in or out). */
async function readCatalogueNow(pool: pg.Pool, statistics: TermStatistics): Promise<PaperEntry[]> {
  return withTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return readCatalogue(client, statistics);
  });
}

/** Name candidates as an ingest of this version stored them; anything else (NULL, or an earlier version's) is extracted again. */
function asNameCandidates(value: unknown): NameCandidates | undefined {
  const stored = value as Partial<Record<keyof NameCandidates, unknown>> | null;
  const isNames = (list: unknown) => Array.isArray(list) && list.every((name) => typeof name === 'string');
  return stored && NAME_CANDIDATE_FIELDS.every((field) => isNames(stored[field])) ? (stored as NameCandidates) : undefined;
}

/** The whole papers `ids` as the database holds them now (without names). */
async function readWholePapers(queryable: pg.Pool | pg.PoolClient, ids: readonly string[]): Promise<Map<string, Paper>> {
  if (ids.length === 0) return new Map();
  const { rows } = await queryable.query<{ paper: Paper }>(`SELECT paper FROM ${PAPERS_TABLE} WHERE id = ANY($1::text[])`, [ids]);
  return new Map(rows.map((row) => [row.paper.id, row.paper]));
}

/**
 * The whole papers `ids` as the database holds them now, with their names from the name rows: a name is
 * an alias when no other paper has one under its key (its key has one owner) and, if coined, at most one
 * paper mentions it (distinctAliases, for these papers only); acronyms from the stored name candidates.
 */
async function readNamedPapers(pool: pg.Pool, ids: readonly string[], mentions: (name: string) => number): Promise<Map<string, Paper>> {
  if (ids.length === 0) return new Map();
  // One join grouped by paper (a subquery per paper took half again as long at 100k papers).
  const { rows } = await pool.query<{ paper: Paper; acronyms: string[] | null; names: string[] | null; coined: boolean[] | null }>(
    `SELECT p.paper, p.name_candidates -> 'acronyms' AS acronyms,
       array_agg(n.name ORDER BY n.ordinal) FILTER (WHERE k.key IS NOT NULL) AS names,
       array_agg(n.coined ORDER BY n.ordinal) FILTER (WHERE k.key IS NOT NULL) AS coined
     FROM ${PAPERS_TABLE} p
       LEFT JOIN ${PAPER_NAMES_TABLE} n ON n.paper_key = p.key
       LEFT JOIN ${PAPER_NAME_KEYS_TABLE} k ON k.key = n.key AND k.owners = 1
     WHERE p.id = ANY($1::text[]) GROUP BY p.id`,
    [ids],
  );
  return new Map(
    rows.map(({ paper, acronyms, names, coined }) => [
      paper.id,
      // Their keys have one owner (the query keeps only those names).
      { ...paper, aliases: (names ?? []).filter((name, i) => isDistinctName(name, coined?.[i] === true, 1, mentions)), acronyms: acronyms ?? [] },
    ]),
  );
}

/**
 * The papers with an alias under one of `keys`, from the name rows: the rows under those of the keys
 * one paper alone has a name under (the key table says which, so a name thousands of papers share
 * costs one lookup), a coined one kept when at most one paper mentions it.
 */
function findNamedInDatabase(pool: pg.Pool, mentions: (name: string) => number): FindNamedPapers {
  return async (keys) => {
    if (keys.length === 0) return [];
    const { rows } = await pool.query<{ key: string; id: string; name: string; coined: boolean }>(
      `SELECT n.key, p.id, n.name, n.coined
       FROM ${PAPER_NAME_KEYS_TABLE} k JOIN ${PAPER_NAMES_TABLE} n ON n.key = k.key JOIN ${PAPERS_TABLE} p ON p.key = n.paper_key
       WHERE k.key = ANY($1::text[]) AND k.owners = 1 ORDER BY n.key, n.ordinal`,
      [[...new Set(keys)]],
    );
    return rows.filter((row) => isDistinctName(row.name, row.coined, 1, mentions)).map((row) => ({ key: row.key, id: row.id, alias: row.name }));
  };
}

/** The whole papers of `ids` with the names of their (in-memory) catalogue entries. */
function withEntryNames(papers: ReadonlyMap<string, Paper>, byId: ReadonlyMap<string, PaperEntry>): Map<string, Paper> {
  return new Map(
    [...papers].map(([id, paper]) => {
      const entry = byId.get(id);
      return [id, entry ? { ...paper, aliases: entry.aliases ?? [], acronyms: entry.acronyms ?? [] } : paper];
    }),
  );
}

/**
 * The store's papers as opened: searches, names and abstracts go to the database through `pool`; the
 * catalogue is read when first asked for (or was read by opening: see OpeningRead).
 */
function openedPapers(pool: pg.Pool, read: OpeningRead, close: () => Promise<void>): OpenedPaperStore {
  const { corpus, statistics, termIds, papers } = read;
  const mentions = mentionCounter(statistics);
  const candidates = createPostgresCandidateSource({ pool, statistics, termIds, totalLength: corpus.totalLength, impactAvgdl: corpus.impactAvgdl, params: DEFAULT_LEXICAL_PARAMS });
  const info = { backend: 'postgres', embedder: corpus.embedder, paperCount: corpus.paperCount, updatedAt: corpus.updatedAt, version: String(corpus.generation) } as const;
  if (papers) {
    const byId = new Map(papers.map((paper) => [paper.id, paper]));
    return {
      catalogue: async () => papers,
      wholePapers: async (ids) => withEntryNames(await readWholePapers(pool, ids), byId),
      findNamed: findNamedPapersIn(papers),
      lexical: statistics,
      candidates,
      info: { ...info, paperCount: papers.length },
      close,
    };
  }
  return {
    catalogue: () => readCatalogueNow(pool, statistics),
    wholePapers: (ids) => readNamedPapers(pool, ids, mentions),
    findNamed: findNamedInDatabase(pool, mentions),
    lexical: statistics,
    candidates,
    info,
    close,
  };
}

/**
 * The papers in PostgreSQL: catalogue, names, tsvector and postings in our tables, vectors in langchain's
 * PGVectorStore (pgvector, HNSW, cosine). Opening reads the corpus row and the term statistics — never
 * the vectors, the abstracts or the list of papers: the dense and lexical top-k, the papers a query names
 * and the abstracts of the papers an answer shows are queries; the catalogue (every paper's entry, for
 * naming, listing and autocomplete) is read when first asked for. A database without papers is filled on
 * first use.
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
  const opened = (held: { pool: pg.Pool; close(): Promise<void> }, read: OpeningRead) => {
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
        const read = await readOpening(pool, where, embedder);
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
      return opened(held, await readOpening(held.pool, where, embedder));
    },
  };
}
