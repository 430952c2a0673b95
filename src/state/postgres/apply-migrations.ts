import type pg from 'pg';
import { withConnection } from './with-transaction.js';

/** One schema change; `version`s of a component are 1, 2, 3… in order. Never edit a released one. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Migrations applied, per component (e.g. `state`, `papers`), in the database's current schema. */
export const MIGRATIONS_TABLE = 'paperbot_migrations';

/** The schema of the database is newer than this paperbot knows (another, newer version migrated it). */
export class SchemaTooNewError extends Error {
  constructor(component: string, found: number, known: number) {
    super(`The ${component} tables in the database have schema version ${found}, newer than this paperbot (${known}). Upgrade paperbot.`);
  }
}

/** The longest one migration's statement may run (DATABASE_STATEMENT_TIMEOUT_MS bounds requests, not migrations). */
export const MIGRATION_STATEMENT_TIMEOUT_MS = 1_800_000;

/**
 * Bring a component's tables up to date: each pending migration runs in its own transaction and is
 * recorded in MIGRATIONS_TABLE with it (a failing one changes nothing). Start-ups racing each other
 * are serialised by an advisory lock (per schema), so every migration runs exactly once. Returns the
 * version after.
 */
export async function applyMigrations(pool: pg.Pool, component: string, migrations: readonly Migration[]): Promise<number> {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`Migration ${migration.name} of ${component} is numbered ${migration.version}, expected ${index + 1}.`);
  });
  // A connection that failed here may still hold the lock or a transaction: withConnection drops it.
  return withConnection(pool, async (client) => {
    await client.query(`SELECT pg_advisory_lock(hashtext('paperbot.migrations:' || current_schema()))`);
    try {
      return await migrateLocked(client, component, migrations);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext('paperbot.migrations:' || current_schema()))`);
    }
  });
}

async function migrateLocked(client: pg.PoolClient, component: string, migrations: readonly Migration[]): Promise<number> {
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
       component   TEXT NOT NULL,
       version     INTEGER NOT NULL,
       name        TEXT NOT NULL,
       applied_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
       PRIMARY KEY (component, version)
     )`,
  );
  const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${MIGRATIONS_TABLE} WHERE component = $1`, [component]);
  const current = rows[0]?.version ?? 0;
  if (current > migrations.length) throw new SchemaTooNewError(component, current, migrations.length);
  for (const migration of migrations.slice(current)) {
    await client.query('BEGIN');
    try {
      // A batch job: rewriting a large table may take longer than a request's statement timeout.
      await client.query(`SET LOCAL statement_timeout = ${MIGRATION_STATEMENT_TIMEOUT_MS}`);
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (component, version, name) VALUES ($1, $2, $3)`, [component, migration.version, migration.name]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }
  return Math.max(current, migrations.length);
}
