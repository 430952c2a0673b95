import type pg from 'pg';
import { extractNameCandidates } from '../../corpus/extract-aliases.js';
import type { Paper } from '../../corpus/paper.js';
import type { Embedder } from '../../embedding/embedder.js';
import type { IngestProgress, IngestSummary } from '../../ingest/ingest-papers.js';
import { DEFAULT_LEXICAL_PARAMS } from '../../retrieval/lexical-index.js';
import { paperEmbeddingText } from '../../retrieval/paper-embedding-text.js';
import { withConnection } from '../../state/postgres/with-transaction.js';
import { tokenize } from '../../text/tokenize.js';
import { EmbedderMismatchError } from '../index-errors.js';
import { encodeLexeme } from './lexeme-codec.js';
import { NAME_CANDIDATES_CURRENT_SQL } from './name-candidates-sql.js';
import { lockPaperIngest } from './paper-ingest-lock.js';
import { chooseImpactAvgdl, postingImpactSql } from './posting-impact.js';
import { writeCatalogueEntries } from './paper-catalogue.js';
import {
  PAPER_CATALOGUE_TABLE,
  PAPER_CORPUS_TABLE,
  PAPER_NAME_KEYS_TABLE,
  PAPER_NAMES_TABLE,
  PAPER_POSTINGS_TABLE,
  PAPER_TERM_LISTS_TABLE,
  PAPER_TERMS_TABLE,
  PAPER_VECTORS_TABLE,
  PAPERS_TABLE,
  packTermListsSql,
} from './paper-migrations.js';
import { termTopSql } from './packed-postings.js';
import { createPaperVectorStore, ensurePaperVectorTable, paperVectorId } from './paper-vector-store.js';
import { readPaperCorpus, type PaperCorpusRow } from './read-paper-corpus.js';

/** Rows per INSERT (and vectors per PGVectorStore.addVectors call). */
const WRITE_BATCH = 250;
const DEFAULT_EMBED_BATCH = 64;
/** The longest one statement of an ingest's transaction may run (DATABASE_STATEMENT_TIMEOUT_MS bounds requests). */
const INGEST_STATEMENT_TIMEOUT_MS = 600_000;

export interface IngestPostgresPapersOptions {
  pool: pg.Pool;
  /** How the store is named in messages (`the PostgreSQL paper store at DATABASE_URL=…`). */
  where: string;
  papers: readonly Paper[];
  embedder: Embedder;
  /** Drop every paper and vector first (also the way to switch embedders). */
  rebuild?: boolean | undefined;
  onProgress?: ((progress: IngestProgress) => void) | undefined;
  batchSize?: number | undefined;
  /** Vectors already made by `embedder` (e.g. copied from the local index): these papers are not embedded again. */
  vectorOf?: ((paperId: string) => ArrayLike<number> | undefined) | undefined;
}

interface Existing {
  hashes: Map<string, string>;
  positions: Map<string, number>;
  /** Papers whose stored name candidates are missing or from an earlier version (see NAME_CANDIDATES_CURRENT_SQL), or without name rows: extracted again. */
  staleNames: Set<string>;
}

/** What to write: the input without later duplicates, the papers to (re-)embed, the removed ids, the moved ones. */
function planChanges(input: readonly Paper[], existing: Existing) {
  const papers: Paper[] = [];
  const seen = new Set<string>();
  for (const paper of input) if (!seen.has(paper.id) && seen.add(paper.id)) papers.push(paper);
  const toWrite = papers.filter((paper) => existing.hashes.get(paper.id) !== paper.contentHash);
  const written = new Set(toWrite.map((paper) => paper.id));
  const staleNames = papers.filter((paper) => existing.staleNames.has(paper.id) && !written.has(paper.id));
  const added = toWrite.filter((paper) => !existing.hashes.has(paper.id)).length;
  const removed = [...existing.hashes.keys()].filter((id) => !seen.has(id));
  const moved = papers.map((paper, position) => ({ id: paper.id, position })).filter((p) => existing.positions.has(p.id) && existing.positions.get(p.id) !== p.position);
  const summary: Omit<IngestSummary, 'rebuilt'> = {
    added,
    updated: toWrite.length - added,
    unchanged: papers.length - toWrite.length,
    removed: removed.length,
    skipped: input.length - papers.length,
    total: papers.length,
  };
  return { papers, toWrite, removed, moved, staleNames, summary };
}

async function readExisting(client: pg.PoolClient): Promise<Existing> {
  // Names are current when this version stored the candidates and wrote their name rows (the catalogue row is `named`).
  const { rows } = await client.query<{ id: string; content_hash: string; position: number; names_current: boolean }>(
    `SELECT p.id, p.content_hash, p.position, ${NAME_CANDIDATES_CURRENT_SQL} AND coalesce(c.named, false) AS names_current
     FROM ${PAPERS_TABLE} p LEFT JOIN ${PAPER_CATALOGUE_TABLE} c ON c.key = p.key`,
  );
  return {
    hashes: new Map(rows.map((r) => [r.id, r.content_hash])),
    positions: new Map(rows.map((r) => [r.id, r.position])),
    staleNames: new Set(rows.filter((r) => !r.names_current).map((r) => r.id)),
  };
}

async function embedAll(options: IngestPostgresPapersOptions, papers: readonly Paper[]): Promise<number[][]> {
  const { embedder, onProgress } = options;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_EMBED_BATCH);
  const vectors: number[][] = [];
  onProgress?.({ phase: 'embedding', done: 0, total: papers.length });
  for (let start = 0; start < papers.length; start += batchSize) {
    const batch = papers.slice(start, start + batchSize);
    const given = batch.map((paper) => options.vectorOf?.(paper.id));
    const missing = batch.filter((_, i) => !given[i]);
    const fresh = missing.length ? await embedder.embed(missing.map(paperEmbeddingText)) : [];
    if (fresh.length !== missing.length) throw new Error(`Embedder ${embedder.id} returned ${fresh.length} vectors for ${missing.length} texts`);
    let next = 0;
    const out = given.map((vector) => (vector ? Array.from(vector) : fresh[next++]!));
    if (out.length !== batch.length || out.some((v) => v.length !== embedder.dimensions || !v.every(Number.isFinite))) {
      throw new Error(`Embedder ${embedder.id} returned invalid vectors (expected ${batch.length} of ${embedder.dimensions} dimensions)`);
    }
    vectors.push(...out);
    onProgress?.({ phase: 'embedding', done: start + batch.length, total: papers.length });
  }
  return vectors;
}

/** A paper's BM25 length (title terms count `titleWeight` times), as the embedded index counts it. */
function lexicalLength(titleTerms: number, abstractTerms: number): number {
  return DEFAULT_LEXICAL_PARAMS.titleWeight * titleTerms + abstractTerms;
}

/** Insert or replace the catalogue rows of `papers` (their terms and name candidates; the tsvector is generated). */
async function upsertPapers(client: pg.PoolClient, papers: readonly Paper[], positionOf: (id: string) => number): Promise<void> {
  for (let start = 0; start < papers.length; start += WRITE_BATCH) {
    const batch = papers.slice(start, start + WRITE_BATCH);
    const titles = batch.map((p) => tokenize(p.title).map(encodeLexeme));
    const abstracts = batch.map((p) => tokenize(p.abstract).map(encodeLexeme));
    const names = batch.map(extractNameCandidates);
    await client.query(
      `INSERT INTO ${PAPERS_TABLE} (id, position, content_hash, paper, title_terms, abstract_terms, lexical_length, name_candidates)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::jsonb[], $5::text[], $6::text[], $7::int[], $8::jsonb[])
       ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, content_hash = EXCLUDED.content_hash, paper = EXCLUDED.paper,
         title_terms = EXCLUDED.title_terms, abstract_terms = EXCLUDED.abstract_terms, lexical_length = EXCLUDED.lexical_length,
         name_candidates = EXCLUDED.name_candidates`,
      [
        batch.map((p) => p.id),
        batch.map((p) => positionOf(p.id)),
        batch.map((p) => p.contentHash),
        batch.map((p) => JSON.stringify(p)),
        titles.map((t) => t.join(' ')),
        abstracts.map((t) => t.join(' ')),
        batch.map((_, i) => lexicalLength(titles[i]!.length, abstracts[i]!.length)),
        names.map((n) => JSON.stringify(n)),
      ],
    );
    await writeCatalogueEntries(client, batch, names);
  }
}

/** Extract again the name candidates of unchanged papers stored without current ones (by an earlier version), in the papers table and the catalogue. */
async function refreshNameCandidates(client: pg.PoolClient, papers: readonly Paper[]): Promise<void> {
  for (let start = 0; start < papers.length; start += WRITE_BATCH) {
    const batch = papers.slice(start, start + WRITE_BATCH);
    const names = batch.map(extractNameCandidates);
    await client.query(`UPDATE ${PAPERS_TABLE} p SET name_candidates = u.names FROM unnest($1::text[], $2::jsonb[]) AS u(id, names) WHERE p.id = u.id`, [
      batch.map((p) => p.id),
      names.map((n) => JSON.stringify(n)),
    ]);
    await writeCatalogueEntries(client, batch, names);
  }
}

/** The ingest's scratch tables (dropped at its commit or rollback): the terms whose postings it changed, and the papers it wrote. */
const CHANGED_TERMS = 'paperbot_changed_terms';
const WRITTEN_PAPERS = 'paperbot_written_papers';

async function createScratchTables(client: pg.PoolClient): Promise<void> {
  await client.query(`CREATE TEMP TABLE ${CHANGED_TERMS} (term TEXT PRIMARY KEY) ON COMMIT DROP`);
  await client.query(`CREATE TEMP TABLE ${WRITTEN_PAPERS} (key INTEGER PRIMARY KEY) ON COMMIT DROP`);
}

/** Delete the postings of the papers `ids`, noting their terms as changed. */
async function deletePostings(client: pg.PoolClient, ids: readonly string[]): Promise<void> {
  await client.query(
    `WITH gone AS (DELETE FROM ${PAPER_POSTINGS_TABLE} WHERE paper_key IN (SELECT key FROM ${PAPERS_TABLE} WHERE id = ANY($1::text[])) RETURNING term)
     INSERT INTO ${CHANGED_TERMS} SELECT DISTINCT term FROM gone ON CONFLICT DO NOTHING`,
    [ids],
  );
}

/**
 * Replace the postings of the papers `ids` with those of their (just written) tsvector: title occurrences
 * have weight A; the impact is computed with the average length `impactAvgdl`. Their terms are noted as
 * changed, the papers as written.
 */
async function writePostings(client: pg.PoolClient, ids: readonly string[], impactAvgdl: number): Promise<void> {
  await deletePostings(client, ids);
  await client.query(`INSERT INTO ${WRITTEN_PAPERS} SELECT key FROM ${PAPERS_TABLE} WHERE id = ANY($1::text[]) ON CONFLICT DO NOTHING`, [ids]);
  await client.query(
    `WITH added AS (
     INSERT INTO ${PAPER_POSTINGS_TABLE} (paper_key, term, title_tf, abstract_tf, lexical_length, impact)
     SELECT paper_key, term, title_tf, abstract_tf, lexical_length, ${postingImpactSql('$2')}
     FROM (
       SELECT p.key AS paper_key, u.lexeme AS term,
              (SELECT count(*) FROM unnest(u.weights) AS w WHERE w = 'A') AS title_tf,
              (SELECT count(*) FROM unnest(u.weights) AS w WHERE w <> 'A') AS abstract_tf,
              p.lexical_length
       FROM ${PAPERS_TABLE} p CROSS JOIN LATERAL unnest(p.search) AS u
       WHERE p.id = ANY($1::text[])
     ) s
     RETURNING term)
     INSERT INTO ${CHANGED_TERMS} SELECT DISTINCT term FROM added ON CONFLICT DO NOTHING`,
    [ids, impactAvgdl],
  );
}

/**
 * The average length the new postings' impacts are computed with: the corpus's while its impacts are
 * current, else (first ingest, rebuild, a database from before impacts) the average of the papers
 * written — exact for a rebuild; the corpus row's end-of-ingest check corrects the rest.
 */
function startingImpactAvgdl(corpus: PaperCorpusRow | undefined, rebuild: boolean, toWrite: readonly Paper[]): number {
  if (!rebuild && corpus?.impactAvgdl) return corpus.impactAvgdl;
  if (!rebuild && corpus && corpus.paperCount > 0) return corpus.totalLength / corpus.paperCount || 1;
  const total = toWrite.reduce((sum, p) => sum + lexicalLength(tokenize(p.title).length, tokenize(p.abstract).length), 0);
  return toWrite.length > 0 ? total / toWrite.length || 1 : 1;
}

/** How many papers have a name under each key, recomputed from the name rows (inside the ingest's transaction). */
async function refreshNameKeys(client: pg.PoolClient): Promise<void> {
  await client.query(`DELETE FROM ${PAPER_NAME_KEYS_TABLE}`);
  await client.query(`INSERT INTO ${PAPER_NAME_KEYS_TABLE} (key, owners) SELECT key, count(DISTINCT paper_key) FROM ${PAPER_NAMES_TABLE} GROUP BY key`);
}

/**
 * The document frequencies recounted from the postings. A term keeps its id while some paper has it (the
 * papers' packed term lists refer to it); a new term gets a new one.
 */
async function refreshTerms(client: pg.PoolClient): Promise<void> {
  const counts = 'paperbot_term_counts';
  await client.query(`CREATE TEMP TABLE ${counts} ON COMMIT DROP AS SELECT term, count(*)::int AS df FROM ${PAPER_POSTINGS_TABLE} GROUP BY term`);
  await client.query(`DELETE FROM ${PAPER_TERMS_TABLE} t WHERE NOT EXISTS (SELECT 1 FROM ${counts} c WHERE c.term = t.term)`);
  await client.query(`UPDATE ${PAPER_TERMS_TABLE} t SET df = c.df FROM ${counts} c WHERE c.term = t.term AND t.df <> c.df`);
  await client.query(
    `INSERT INTO ${PAPER_TERMS_TABLE} (term, df, top) SELECT c.term, c.df, ''::bytea FROM ${counts} c
     WHERE NOT EXISTS (SELECT 1 FROM ${PAPER_TERMS_TABLE} t WHERE t.term = c.term)`,
  );
}

/**
 * The packed BM25 rows (packed-postings.ts) of what the ingest changed: the best postings of the terms
 * whose postings changed (of every term when `allTerms`), and the term lists of the papers it wrote.
 */
async function refreshPackedPostings(client: pg.PoolClient, allTerms: boolean): Promise<void> {
  await client.query(
    `UPDATE ${PAPER_TERMS_TABLE} t SET top = ${termTopSql(PAPER_POSTINGS_TABLE, 't.term')}
     ${allTerms ? '' : `WHERE t.term IN (SELECT term FROM ${CHANGED_TERMS})`}`,
  );
  await client.query(packTermListsSql(`JOIN ${WRITTEN_PAPERS} w ON w.key = p.key`));
}

/**
 * Term statistics, the packed BM25 rows and the corpus row, recomputed from the papers (inside the
 * ingest's transaction). When the average length moved past IMPACT_AVGDL_DRIFT from the impacts', every
 * impact is computed again (and every term's best postings).
 */
async function refreshCorpusRow(client: pg.PoolClient, embedder: Embedder, impactAvgdl: number, rebuild: boolean): Promise<void> {
  await refreshTerms(client);
  const totals = await client.query<{ count: number; total: number }>(`SELECT count(*)::int AS count, coalesce(sum(lexical_length), 0)::float8 AS total FROM ${PAPERS_TABLE}`);
  const { count, total } = totals.rows[0]!;
  const impacts = chooseImpactAvgdl(impactAvgdl, count > 0 ? total / count || 1 : 1);
  if (impacts.recomputeAll) await client.query(`UPDATE ${PAPER_POSTINGS_TABLE} SET impact = ${postingImpactSql('$1')}`, [impacts.avgdl]);
  await refreshPackedPostings(client, rebuild || impacts.recomputeAll);
  await client.query(
    `INSERT INTO ${PAPER_CORPUS_TABLE} (embedder_id, dimensions, paper_count, total_length, generation, updated_at, impact_avgdl)
     VALUES ($1, $2, $3, $4, 1, now(), $5)
     ON CONFLICT (singleton) DO UPDATE SET embedder_id = EXCLUDED.embedder_id, dimensions = EXCLUDED.dimensions, paper_count = EXCLUDED.paper_count,
       total_length = EXCLUDED.total_length, generation = ${PAPER_CORPUS_TABLE}.generation + 1, updated_at = EXCLUDED.updated_at, impact_avgdl = EXCLUDED.impact_avgdl`,
    [embedder.id, embedder.dimensions, count, total, impacts.avgdl],
  );
}

type ChangePlan = ReturnType<typeof planChanges>;

/** Write the plan in ONE transaction (catalogue, postings, vectors, removals, order, statistics), then refresh the planner's view. */
async function writeChanges(client: pg.PoolClient, options: IngestPostgresPapersOptions, plan: ChangePlan, vectors: number[][], rebuild: boolean, impactAvgdl: number): Promise<void> {
  const { embedder, onProgress } = options;
  const positions = new Map(plan.papers.map((paper, position) => [paper.id, position]));
  await client.query('BEGIN');
  try {
    // A batch job: its statements (e.g. recounting the terms of a large corpus) may take longer than a request's.
    await client.query(`SET LOCAL statement_timeout = ${INGEST_STATEMENT_TIMEOUT_MS}`);
    await createScratchTables(client);
    const store = createPaperVectorStore(client, embedder);
    if (rebuild) {
      await client.query(`DROP TABLE IF EXISTS ${PAPER_VECTORS_TABLE}`);
      await client.query(`TRUNCATE ${PAPER_POSTINGS_TABLE}`);
      await client.query(`DELETE FROM ${PAPERS_TABLE}`);
    }
    await ensurePaperVectorTable(client, store, embedder.dimensions);
    const stale = [...plan.removed, ...plan.toWrite.map((p) => p.id)].map(paperVectorId);
    for (let start = 0; start < stale.length; start += WRITE_BATCH) await store.delete({ ids: stale.slice(start, start + WRITE_BATCH) });
    if (plan.removed.length) {
      await deletePostings(client, plan.removed);
      await client.query(`DELETE FROM ${PAPERS_TABLE} WHERE id = ANY($1::text[])`, [plan.removed]);
    }
    if (plan.moved.length) {
      const moves = [plan.moved.map((m) => m.id), plan.moved.map((m) => m.position)];
      await client.query(`UPDATE ${PAPERS_TABLE} p SET position = m.position FROM unnest($1::text[], $2::int[]) AS m(id, position) WHERE p.id = m.id`, moves);
      await client.query(
        `UPDATE ${PAPER_CATALOGUE_TABLE} c SET position = m.position FROM unnest($1::text[], $2::int[]) AS m(id, position) JOIN ${PAPERS_TABLE} p ON p.id = m.id WHERE c.key = p.key`,
        moves,
      );
      await client.query(`UPDATE ${PAPER_TERM_LISTS_TABLE} l SET position = m.position FROM unnest($1::text[], $2::int[]) AS m(id, position) WHERE l.id = m.id`, moves);
    }
    await refreshNameCandidates(client, plan.staleNames);
    onProgress?.({ phase: 'writing', done: 0, total: plan.toWrite.length });
    for (let start = 0; start < plan.toWrite.length; start += WRITE_BATCH) {
      const batch = plan.toWrite.slice(start, start + WRITE_BATCH);
      await upsertPapers(client, batch, (id) => positions.get(id)!);
      await writePostings(client, batch.map((paper) => paper.id), impactAvgdl);
      const documents = batch.map((paper) => ({ pageContent: paperEmbeddingText(paper), metadata: { paperId: paper.id } }));
      await store.addVectors(vectors.slice(start, start + batch.length), documents, { ids: batch.map((paper) => paperVectorId(paper.id)) });
      onProgress?.({ phase: 'writing', done: start + batch.length, total: plan.toWrite.length });
    }
    await refreshNameKeys(client);
    await refreshCorpusRow(client, embedder, impactAvgdl, rebuild);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await refreshPlannerView(client);
}

/**
 * Planner statistics and the visibility map now, not when autovacuum comes by (PGlite has none): BM25's
 * read of each term's best postings is an index-only scan of (term, impact) once their pages are all-visible. The papers are
 * committed already, so a failure here only leaves that to autovacuum.
 */
async function refreshPlannerView(client: pg.PoolClient): Promise<void> {
  try {
    await client.query(`SET statement_timeout = ${INGEST_STATEMENT_TIMEOUT_MS}`);
    await client.query(
      `VACUUM (ANALYZE) ${PAPERS_TABLE}, ${PAPER_POSTINGS_TABLE}, ${PAPER_TERMS_TABLE}, ${PAPER_TERM_LISTS_TABLE}, ${PAPER_CATALOGUE_TABLE}, ${PAPER_NAMES_TABLE}, ${PAPER_NAME_KEYS_TABLE}`,
    );
  } catch {
    // Left to autovacuum.
  } finally {
    await client.query('RESET statement_timeout').catch(() => undefined);
  }
}

/**
 * Bring the papers in PostgreSQL up to date with `papers`: under an advisory lock (a second ingest gets
 * IndexLockedError at once), embed the new and changed papers, then write everything in ONE
 * transaction — catalogue rows, vectors (langchain's PGVectorStore on the transaction's connection),
 * removals, order, term statistics — so a failed or killed ingest leaves the previous papers as they
 * were. Re-running with the same papers writes nothing.
 */
export async function ingestPostgresPapers(options: IngestPostgresPapersOptions): Promise<IngestSummary> {
  const { embedder } = options;
  return withConnection(options.pool, (client) =>
    lockPaperIngest(client, options.where, async () => {
      const corpus = await readPaperCorpus(client);
      const rebuild = options.rebuild === true || !corpus;
      if (corpus && !rebuild && (corpus.embedder.id !== embedder.id || corpus.embedder.dimensions !== embedder.dimensions)) {
        throw new EmbedderMismatchError(options.where, corpus.embedder, embedder);
      }
      const plan = planChanges(options.papers, rebuild ? { hashes: new Map(), positions: new Map(), staleNames: new Set<string>() } : await readExisting(client));
      const summary: IngestSummary = { ...plan.summary, rebuilt: rebuild };
      if (!rebuild && plan.toWrite.length === 0 && plan.removed.length === 0 && plan.moved.length === 0 && plan.staleNames.length === 0) return summary;
      const vectors = await embedAll(options, plan.toWrite);
      await writeChanges(client, options, plan, vectors, rebuild, startingImpactAvgdl(corpus, rebuild, plan.toWrite));
      return summary;
    }),
  );
}
