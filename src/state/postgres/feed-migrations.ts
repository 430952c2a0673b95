import type { Migration } from './apply-migrations.js';

/** The `component` of the feed tables (scheduled fetches, watches) in the migrations table. */
export const FEEDS_COMPONENT = 'feeds';

/** The feed state's tables in PostgreSQL (times in ms since the epoch). Append new migrations at the end. */
export const FEEDS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'scheduled feed fetches',
    sql: `
      CREATE TABLE fetch_runs (
        run_key     TEXT PRIMARY KEY,
        status      TEXT NOT NULL CHECK (status IN ('running', 'done')),
        started_at  BIGINT NOT NULL,
        finished_at BIGINT,
        outcome     JSONB,
        clean       BOOLEAN,
        claimed_by  TEXT,
        lease_until BIGINT
      );
      CREATE INDEX fetch_runs_by_finish ON fetch_runs (status, finished_at);`,
  },
  {
    version: 2,
    name: '/watch subscriptions and their notices',
    sql: `
      CREATE TABLE watches (
        id            TEXT PRIMARY KEY,
        scope         TEXT NOT NULL CHECK (scope IN ('user', 'channel')),
        target_id     TEXT NOT NULL,
        subscriber_id TEXT NOT NULL,
        topic         TEXT NOT NULL,
        topic_key     TEXT NOT NULL,
        created_at    BIGINT NOT NULL,
        UNIQUE (scope, target_id, topic_key)
      );
      CREATE TABLE watch_notices (
        watch_id  TEXT NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
        run_key   TEXT NOT NULL,
        sent_at   BIGINT NOT NULL,
        PRIMARY KEY (watch_id, run_key)
      );`,
  },
];
