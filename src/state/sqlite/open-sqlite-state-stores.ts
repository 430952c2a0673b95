import type { StateStores } from '../state-stores.js';
import { openStateDatabase } from './open-state-database.js';
import { SqliteDigestStore } from './sqlite-digest-store.js';
import { SqliteFeedbackStore } from './sqlite-feedback-store.js';
import { SqliteSettingsStore } from './sqlite-settings-store.js';
import { SqliteThreadStore } from './sqlite-thread-store.js';

/** How messages name a SQLite state database. */
export function sqliteStateLocation(file: string): string {
  return file === ':memory:' ? 'an in-memory SQLite database' : `the SQLite database ${file}`;
}

/** The state stores over one SQLite database file (created and migrated if needed); `':memory:'` for a throw-away one. */
export function openSqliteStateStores(file: string): StateStores {
  const db = openStateDatabase(file);
  return {
    threads: new SqliteThreadStore(db),
    digests: new SqliteDigestStore(db),
    feedback: new SqliteFeedbackStore(db),
    settings: new SqliteSettingsStore(db),
    location: sqliteStateLocation(file),
    close: async () => {
      db.close();
    },
  };
}
