import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type StateDatabase = Database.Database;

/** The file name of the bot's SQLite database inside `config.stateDir`. */
export const STATE_DATABASE_FILE = 'paperbot.sqlite';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
 * Append new migrations at the end — never edit a released one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: threads started by the bot and their conversation turns.
  `CREATE TABLE threads (
     thread_id   TEXT PRIMARY KEY,
     channel_id  TEXT NOT NULL,
     guild_id    TEXT,
     created_by  TEXT NOT NULL,
     question    TEXT NOT NULL,
     created_at  INTEGER NOT NULL
   );
   CREATE TABLE thread_turns (
     id          INTEGER PRIMARY KEY AUTOINCREMENT,
     thread_id   TEXT NOT NULL REFERENCES threads(thread_id) ON DELETE CASCADE,
     role        TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
     author      TEXT,
     content     TEXT NOT NULL,
     created_at  INTEGER NOT NULL
   );
   CREATE INDEX thread_turns_by_thread ON thread_turns(thread_id, id);`,
  // 2: answers shown (for feedback) and the votes on them.
  `CREATE TABLE answers (
     answer_id   TEXT PRIMARY KEY,
     question    TEXT NOT NULL,
     answer      TEXT NOT NULL,
     sources     TEXT NOT NULL,
     mode        TEXT NOT NULL,
     user_id     TEXT,
     channel_id  TEXT,
     created_at  INTEGER NOT NULL
   );
   CREATE TABLE feedback (
     answer_id   TEXT NOT NULL,
     user_id     TEXT NOT NULL,
     vote        TEXT NOT NULL CHECK (vote IN ('up', 'down')),
     question    TEXT NOT NULL,
     answer      TEXT NOT NULL,
     sources     TEXT NOT NULL,
     created_at  INTEGER NOT NULL,
     PRIMARY KEY (answer_id, user_id)
   );`,
  // 3: digest runs and persisted settings (settings override the environment).
  `CREATE TABLE digest_runs (
     run_key     TEXT PRIMARY KEY,
     kind        TEXT NOT NULL CHECK (kind IN ('scheduled', 'manual')),
     scheduled_for INTEGER,
     status      TEXT NOT NULL CHECK (status IN ('posting', 'posted')),
     topic       TEXT,
     channel_id  TEXT,
     message_id  TEXT,
     paper_ids   TEXT,
     created_at  INTEGER NOT NULL,
     posted_at   INTEGER
   );
   CREATE TABLE settings (
     key   TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
  // 4: a digest run's composed messages and which of them were posted, so a run that failed part-way
  //    is resumed (only the missing parts, in order) instead of being re-posted in full.
  `CREATE TABLE digest_drafts (
     run_key     TEXT PRIMARY KEY,
     kind        TEXT NOT NULL CHECK (kind IN ('scheduled', 'manual')),
     topic       TEXT NOT NULL,
     topic_index INTEGER NOT NULL,
     channel_id  TEXT NOT NULL,
     paper_ids   TEXT NOT NULL,
     new_count   INTEGER NOT NULL,
     created_at  INTEGER NOT NULL
   );
   CREATE TABLE digest_parts (
     run_key     TEXT NOT NULL REFERENCES digest_drafts(run_key) ON DELETE CASCADE,
     part_index  INTEGER NOT NULL,
     payload     TEXT NOT NULL,
     message_id  TEXT,
     posted_at   INTEGER,
     PRIMARY KEY (run_key, part_index)
   );`,
  // 5: a claim names its owner and holds a lease the owner renews while posting: a live owner's claim
  //    is never taken over, an expired one (its process died) is.
  `ALTER TABLE digest_runs ADD COLUMN claimed_by TEXT;
   ALTER TABLE digest_runs ADD COLUMN lease_until INTEGER;`,
  // 6: every setting value is JSON (typed by SETTINGS); the string-valued ones were stored raw.
  `UPDATE settings SET value = json_quote(value) WHERE key IN ('digest.channelId', 'digest.cron', 'digest.timezone');`,
  // 7: per-user cooldowns (until when a user must wait), kept with the rest of the state.
  `CREATE TABLE cooldowns (
     user_id   TEXT PRIMARY KEY,
     until_at  INTEGER NOT NULL
   );`,
  // 8: scheduled feed fetches, claimed per schedule slot (a lease like digest runs), with their outcome.
  `CREATE TABLE fetch_runs (
     run_key     TEXT PRIMARY KEY,
     status      TEXT NOT NULL CHECK (status IN ('running', 'done')),
     started_at  INTEGER NOT NULL,
     finished_at INTEGER,
     outcome     TEXT,
     clean       INTEGER,
     claimed_by  TEXT,
     lease_until INTEGER
   );
   CREATE INDEX fetch_runs_by_finish ON fetch_runs(status, finished_at);`,
  // 9: coverage gaps — refused and low-evidence questions (salted user hashes, never ids), and the salt.
  `CREATE TABLE coverage_gaps (
     id         INTEGER PRIMARY KEY AUTOINCREMENT,
     question   TEXT NOT NULL,
     asked_at   INTEGER NOT NULL,
     guild_id   TEXT,
     user_hash  TEXT NOT NULL,
     reason     TEXT NOT NULL CHECK (reason IN ('refused', 'low-evidence')),
     command    TEXT NOT NULL
   );
   CREATE INDEX coverage_gaps_by_time ON coverage_gaps (asked_at);
   CREATE TABLE coverage_gap_salt (
     id    INTEGER PRIMARY KEY CHECK (id = 1),
     salt  TEXT NOT NULL
   );`,
  // 10: feedback that becomes regression tests — the command behind an answer, and the paper a 👎 voter says should have answered.
  `ALTER TABLE answers ADD COLUMN command TEXT;
   CREATE TABLE feedback_expected (
     answer_id  TEXT NOT NULL,
     user_id    TEXT NOT NULL,
     paper_id   TEXT NOT NULL,
     title      TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (answer_id, user_id)
   );`,
  // 11: /watch subscriptions (one per target and topic) and the notices sent per fetch run.
  `CREATE TABLE watches (
     id            TEXT PRIMARY KEY,
     scope         TEXT NOT NULL CHECK (scope IN ('user', 'channel')),
     target_id     TEXT NOT NULL,
     subscriber_id TEXT NOT NULL,
     topic         TEXT NOT NULL,
     topic_key     TEXT NOT NULL,
     created_at    INTEGER NOT NULL,
     UNIQUE (scope, target_id, topic_key)
   );
   CREATE TABLE watch_notices (
     watch_id  TEXT NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
     run_key   TEXT NOT NULL,
     sent_at   INTEGER NOT NULL,
     PRIMARY KEY (watch_id, run_key)
   );`,
];

/** Apply pending migrations inside one transaction each. Returns the schema version after. */
export function migrateStateDatabase(db: StateDatabase, migrations: readonly string[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`The state database has schema version ${current}, newer than this paperbot (${migrations.length}). Upgrade paperbot.`);
  }
  for (let version = current; version < migrations.length; version++) {
    const sql = migrations[version] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Open (creating if needed) the bot's SQLite database: WAL journal, foreign keys on, migrated.
 * Pass `':memory:'` for a throw-away database in tests.
 */
export function openStateDatabase(file: string): StateDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrateStateDatabase(db);
  return db;
}

/** `<stateDir>/paperbot.sqlite`. */
export function stateDatabasePath(stateDir: string): string {
  return path.join(stateDir, STATE_DATABASE_FILE);
}
