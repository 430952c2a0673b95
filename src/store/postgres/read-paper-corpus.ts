import type pg from 'pg';
import type { EmbedderIdentity } from '../index-manifest.js';
import { PAPER_CORPUS_TABLE } from './paper-migrations.js';

/** The corpus row: what the papers in the database were embedded with, how many, and their generation. */
export interface PaperCorpusRow {
  embedder: EmbedderIdentity;
  paperCount: number;
  totalLength: number;
  generation: number;
  updatedAt: string;
  /** The average BM25 length the postings' impacts were computed with (see posting-impact.ts). */
  impactAvgdl: number | undefined;
}

/** The corpus row, or undefined before the first ingest. */
export async function readPaperCorpus(queryable: pg.Pool | pg.PoolClient): Promise<PaperCorpusRow | undefined> {
  const { rows } = await queryable.query<{ embedder_id: string; dimensions: number; paper_count: number; total_length: string | number; generation: string | number; updated_at: Date; impact_avgdl: number | null }>(
    `SELECT embedder_id, dimensions, paper_count, total_length, generation, updated_at, impact_avgdl FROM ${PAPER_CORPUS_TABLE}`,
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    embedder: { id: row.embedder_id, dimensions: row.dimensions },
    paperCount: row.paper_count,
    totalLength: Number(row.total_length),
    generation: Number(row.generation),
    updatedAt: new Date(row.updated_at).toISOString(),
    impactAvgdl: row.impact_avgdl ?? undefined,
  };
}
