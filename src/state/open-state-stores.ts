import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import { stateDatabasePath } from './sqlite/open-state-database.js';
import { openSqliteStateStores } from './sqlite/open-sqlite-state-stores.js';
import type { StateStores } from './state-stores.js';

/** Where the configured state lives, for messages. */
export function stateLocation(config: Pick<Config, 'stateDir'>): string {
  return `the SQLite database ${stateDatabasePath(config.stateDir)}`;
}

/** Open the configured state (the embedded SQLite database under `stateDir`), creating it if needed. */
export async function openStateStores(config: Pick<Config, 'stateDir'>): Promise<StateStores> {
  return openSqliteStateStores(stateDatabasePath(config.stateDir));
}

/** Open the configured state only if it exists (a reader such as `paperbot feedback --export` creates nothing). */
export async function openExistingStateStores(config: Pick<Config, 'stateDir'>): Promise<StateStores | undefined> {
  return existsSync(stateDatabasePath(config.stateDir)) ? openStateStores(config) : undefined;
}
