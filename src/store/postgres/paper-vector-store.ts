import { createHash } from 'node:crypto';
import { Embeddings } from '@langchain/core/embeddings';
import { PGVectorStore } from '@langchain/community/vectorstores/pgvector';
import type pg from 'pg';
import type { Embedder } from '../../embedding/embedder.js';

import { PAPER_VECTORS_TABLE } from './paper-migrations.js';

/** Our embedder as langchain Embeddings (what PGVectorStore embeds documents and queries with). */
class EmbedderEmbeddings extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }
  embedDocuments(texts: string[]): Promise<number[][]> {
    return this.embedder.embed(texts);
  }
  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedder.embed([text]);
    return vector ?? [];
  }
}

/** A stable UUID for a paper id (PGVectorStore's id column is a uuid). */
export function paperVectorId(paperId: string): string {
  const hex = createHash('sha256').update(`paperbot-paper:${paperId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * langchain's PGVectorStore over the papers' vectors (cosine distance). `queryable` is a pool, or the
 * client of an ingest's transaction (PGVectorStore only calls `.query` on it after construction).
 */
export function createPaperVectorStore(queryable: pg.Pool | pg.PoolClient, embedder: Embedder): PGVectorStore {
  return new PGVectorStore(new EmbedderEmbeddings(embedder), {
    pool: queryable as pg.Pool,
    tableName: PAPER_VECTORS_TABLE,
    columns: { idColumnName: 'id', vectorColumnName: 'embedding', contentColumnName: 'text', metadataColumnName: 'metadata' },
    distanceStrategy: 'cosine',
  });
}

/** Create the vectors table (with the embedder's dimensions, so the HNSW index is used) and its cosine HNSW index. */
export async function ensurePaperVectorTable(client: pg.PoolClient, store: PGVectorStore, dimensions: number): Promise<void> {
  await store.ensureTableInDatabase(dimensions);
  // Our own statement rather than createHnswIndex, which logs a failure instead of throwing it.
  await client.query(`CREATE INDEX IF NOT EXISTS ${PAPER_VECTORS_TABLE}_hnsw ON ${PAPER_VECTORS_TABLE} USING hnsw (embedding vector_cosine_ops)`);
}
