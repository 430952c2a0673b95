import { SqliteWatchStore } from './sqlite-watch-store.js';
import type { StateStores } from '../state-stores.js';
import { openStateDatabase } from './open-state-database.js';
import { SqliteCooldownStore } from './sqlite-cooldown-store.js';
import { SqliteDigestStore } from './sqlite-digest-store.js';
import { SqliteFeedbackStore } from './sqlite-feedback-store.js';
import { SqliteFetchRunStore } from './sqlite-fetch-run-store.js';
import { SqliteGapStore } from './sqlite-gap-store.js';
import { SqliteSettingsStore } from './sqlite-settings-store.js';
import { SqliteThreadStore } from './sqlite-thread-store.js';

/** The state stores over one SQLite database file (created and migrated if needed); `':memory:'` for a throw-away one. */
export function openSqliteStateStores(file: string): StateStores {
  const db = openStateDatabase(file);
  return {
    threads: new SqliteThreadStore(db),
    digests: new SqliteDigestStore(db),
    feedback: new SqliteFeedbackStore(db),
    settings: new SqliteSettingsStore(db),
    cooldowns: new SqliteCooldownStore(db),
    fetchRuns: new SqliteFetchRunStore(db),
    gaps: new SqliteGapStore(db),
    watches: new SqliteWatchStore(db),
    close: async () => {
      db.close();
    },
  };
}
