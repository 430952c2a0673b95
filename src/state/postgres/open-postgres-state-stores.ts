import { PostgresWatchStore } from './postgres-watch-store.js';
import type pg from 'pg';
import type { Logger } from '../../app/logger.js';
import type { DatabaseConfig } from '../../config.js';
import type { StateStores } from '../state-stores.js';
import { applyMigrations } from './apply-migrations.js';
import { DatabaseUnavailableError } from './database-unavailable-error.js';
import { createPostgresPool } from './postgres-pool.js';
import { PostgresCooldownStore } from './postgres-cooldown-store.js';
import { PostgresDigestStore } from './postgres-digest-store.js';
import { PostgresFeedbackStore } from './postgres-feedback-store.js';
import { PostgresFetchRunStore } from './postgres-fetch-run-store.js';
import { FEEDS_COMPONENT, FEEDS_MIGRATIONS } from './feed-migrations.js';
import { GAPS_COMPONENT, GAPS_MIGRATIONS, PostgresGapStore } from './postgres-gap-store.js';
import { FEEDBACK_REGRESSION_COMPONENT, FEEDBACK_REGRESSION_MIGRATIONS } from './feedback-regression-migrations.js';
import { PostgresSettingsStore } from './postgres-settings-store.js';
import { PostgresThreadStore } from './postgres-thread-store.js';
import { STATE_COMPONENT, STATE_MIGRATIONS } from './state-migrations.js';

/** The state stores over one pool (each store takes a connection per statement or transaction). */
export function postgresStateStores(pool: pg.Pool): StateStores {
  return {
    threads: new PostgresThreadStore(pool),
    digests: new PostgresDigestStore(pool),
    feedback: new PostgresFeedbackStore(pool),
    settings: new PostgresSettingsStore(pool),
    cooldowns: new PostgresCooldownStore(pool),
    fetchRuns: new PostgresFetchRunStore(pool),
    gaps: new PostgresGapStore(pool),
    watches: new PostgresWatchStore(pool),
    close: () => pool.end(),
  };
}

/** Bring every bot-state component's tables up to date, in dependency order. */
export async function migrateStateTables(pool: pg.Pool): Promise<void> {
  await applyMigrations(pool, STATE_COMPONENT, STATE_MIGRATIONS);
  await applyMigrations(pool, FEEDS_COMPONENT, FEEDS_MIGRATIONS);
  await applyMigrations(pool, GAPS_COMPONENT, GAPS_MIGRATIONS);
  await applyMigrations(pool, FEEDBACK_REGRESSION_COMPONENT, FEEDBACK_REGRESSION_MIGRATIONS);
}

/**
 * Connect to DATABASE_URL and bring the state tables up to date (versioned migrations, safe when
 * several processes start at once). Any failure here is a DatabaseUnavailableError.
 */
export async function openPostgresStateStores(database: DatabaseConfig, options: { logger?: Logger } = {}): Promise<StateStores> {
  const pool = createPostgresPool(database, options.logger);
  try {
    await migrateStateTables(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnavailableError(database, error);
  }
  return postgresStateStores(pool);
}
