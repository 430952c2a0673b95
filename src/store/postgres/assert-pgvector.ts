import type pg from 'pg';
import { describeDatabase } from '../../state/postgres/describe-database.js';
import { UserFacingError } from '../../errors.js';

/** The papers cannot be kept in this database: it has no pgvector. Names both ways out. */
export class PgvectorMissingError extends UserFacingError {
  constructor(url: string, detail: string) {
    super(
      'paper-store-unavailable',
      `The papers cannot be stored in the database at ${describeDatabase(url)}: ${detail}. ` +
        'Either set PAPER_STORE=local to keep the papers in the local index (the bot state stays in the database), ' +
        'or install pgvector in the database (e.g. the pgvector/pgvector image, then CREATE EXTENSION vector).',
    );
  }
}

/**
 * Make sure the `vector` extension is there: installed, or installable (then it is created).
 * Throws PgvectorMissingError otherwise.
 */
export async function assertPgvector(pool: pg.Pool, url: string): Promise<void> {
  const { rows } = await pool.query<{ installed: boolean; available: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS installed,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available`,
  );
  if (rows[0]?.installed) return;
  if (!rows[0]?.available) throw new PgvectorMissingError(url, 'it has no pgvector (the `vector` extension is not available)');
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    throw new PgvectorMissingError(url, `the \`vector\` extension could not be created (${error instanceof Error ? error.message : String(error)})`);
  }
}
