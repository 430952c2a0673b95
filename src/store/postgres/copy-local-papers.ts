import type { DatabaseConfig } from '../../config.js';
import type { IngestSummary } from '../../ingest/ingest-papers.js';
import { readIndexSnapshot } from '../index-snapshot.js';
import { ingestPostgresPapers } from './ingest-postgres-papers.js';
import { createPaperPool, describePaperDatabase, preparePaperDatabase } from './postgres-paper-store.js';

/**
 * `paperbot migrate --to`: copy the local index's papers and their vectors (not re-embedded) into the
 * PostgreSQL paper store, in one transaction, as an ingest would. Idempotent: papers already there
 * with the same content are kept. Undefined when there is no local index to copy.
 */
export async function copyLocalPapersToPostgres(indexDir: string, database: DatabaseConfig): Promise<IngestSummary | undefined> {
  const snapshot = await readIndexSnapshot(indexDir);
  if (!snapshot) return undefined;
  const { embedder: identity } = snapshot.manifest;
  const embedder = {
    ...identity,
    embed: () => Promise.reject(new Error('every vector is copied from the local index')),
  };
  const pool = createPaperPool(database);
  try {
    await preparePaperDatabase(pool, database, '--to');
    return await ingestPostgresPapers({ pool, where: describePaperDatabase(database.url), papers: snapshot.papers, embedder, vectorOf: (id) => snapshot.vectors.get(id) });
  } finally {
    await pool.end().catch(() => undefined);
  }
}
