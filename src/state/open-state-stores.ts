import { existsSync } from 'node:fs';
import type { Logger } from '../app/logger.js';
import type { Config } from '../config.js';
import { lockStateDir, type StateDirLock } from './lock-state-dir.js';
import { describeDatabase } from './postgres/describe-database.js';
import { stateDatabasePath } from './sqlite/open-state-database.js';
import { openSqliteStateStores } from './sqlite/open-sqlite-state-stores.js';
import type { StateStores } from './state-stores.js';

type StateConfig = Pick<Config, 'stateDir'> & Partial<Pick<Config, 'database'>>;

/** Where the configured state lives, for messages (a database URL with its password masked). */
export function stateLocation(config: StateConfig): string {
  return config.database ? `the PostgreSQL database at ${describeDatabase(config.database.url)}` : `the SQLite database ${stateDatabasePath(config.stateDir)}`;
}

/**
 * Open the configured state, creating or migrating it if needed: PostgreSQL with DATABASE_URL (shared
 * by any number of processes), else the embedded SQLite database under `stateDir`.
 */
export async function openStateStores(config: StateConfig, options: { logger?: Logger } = {}): Promise<StateStores> {
  if (config.database) {
    // Loaded only when configured: the embedded path never loads pg.
    const { openPostgresStateStores } = await import('./postgres/open-postgres-state-stores.js');
    return openPostgresStateStores(config.database, options);
  }
  return openSqliteStateStores(stateDatabasePath(config.stateDir));
}

/**
 * Open the configured state only if it exists (a reader such as `paperbot feedback --export` creates
 * no SQLite file); a configured database always exists.
 */
export async function openExistingStateStores(config: StateConfig): Promise<StateStores | undefined> {
  if (config.database) return openStateStores(config);
  return existsSync(stateDatabasePath(config.stateDir)) ? openStateStores(config) : undefined;
}

/**
 * The bot's hold on its state: the embedded SQLite state admits one bot process (StateLockedError for
 * a second); a database is shared by design (several processes, shards), so nothing is locked.
 */
export async function lockState(config: StateConfig): Promise<StateDirLock> {
  if (config.database) return { release: async () => undefined };
  return lockStateDir(config.stateDir);
}
