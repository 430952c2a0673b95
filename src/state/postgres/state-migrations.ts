import type { Migration } from './apply-migrations.js';

/** The `component` of the bot state's migrations in the migrations table. */
export const STATE_COMPONENT = 'state';

/**
 * The bot state's tables in PostgreSQL (the SQLite schema's counterpart). Times are ms since the
 * epoch (bigint); JSON values are jsonb, settings keep their JSON text (decoded by SETTINGS).
 * Append new migrations at the end — never edit a released one.
 */
export const STATE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'bot state: threads, feedback, digests, settings',
    sql: `
      CREATE TABLE threads (
        thread_id   TEXT PRIMARY KEY,
        channel_id  TEXT NOT NULL,
        guild_id    TEXT,
        created_by  TEXT NOT NULL,
        question    TEXT NOT NULL,
        created_at  BIGINT NOT NULL
      );
      CREATE TABLE thread_turns (
        id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        thread_id   TEXT NOT NULL REFERENCES threads(thread_id) ON DELETE CASCADE,
        role        TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        author      TEXT,
        content     TEXT NOT NULL,
        created_at  BIGINT NOT NULL
      );
      CREATE INDEX thread_turns_by_thread ON thread_turns (thread_id, id);

      CREATE TABLE answers (
        answer_id   TEXT PRIMARY KEY,
        question    TEXT NOT NULL,
        answer      TEXT NOT NULL,
        sources     JSONB NOT NULL,
        mode        TEXT NOT NULL,
        user_id     TEXT,
        channel_id  TEXT,
        created_at  BIGINT NOT NULL
      );
      CREATE TABLE feedback (
        answer_id   TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        vote        TEXT NOT NULL CHECK (vote IN ('up', 'down')),
        question    TEXT NOT NULL,
        answer      TEXT NOT NULL,
        sources     JSONB NOT NULL,
        created_at  BIGINT NOT NULL,
        PRIMARY KEY (answer_id, user_id)
      );

      CREATE TABLE digest_runs (
        run_key       TEXT PRIMARY KEY,
        seq           BIGINT GENERATED ALWAYS AS IDENTITY,
        kind          TEXT NOT NULL CHECK (kind IN ('scheduled', 'manual')),
        scheduled_for BIGINT,
        status        TEXT NOT NULL CHECK (status IN ('posting', 'posted')),
        topic         TEXT,
        channel_id    TEXT,
        message_id    TEXT,
        paper_ids     JSONB,
        created_at    BIGINT NOT NULL,
        posted_at     BIGINT,
        claimed_by    TEXT,
        lease_until   BIGINT
      );
      CREATE TABLE digest_drafts (
        run_key     TEXT PRIMARY KEY,
        seq         BIGINT GENERATED ALWAYS AS IDENTITY,
        kind        TEXT NOT NULL CHECK (kind IN ('scheduled', 'manual')),
        topic       TEXT NOT NULL,
        topic_index INTEGER NOT NULL,
        channel_id  TEXT NOT NULL,
        paper_ids   JSONB NOT NULL,
        new_count   INTEGER NOT NULL,
        created_at  BIGINT NOT NULL
      );
      CREATE TABLE digest_parts (
        run_key     TEXT NOT NULL REFERENCES digest_drafts(run_key) ON DELETE CASCADE,
        part_index  INTEGER NOT NULL,
        payload     JSONB NOT NULL,
        message_id  TEXT,
        posted_at   BIGINT,
        PRIMARY KEY (run_key, part_index)
      );

      CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      );`,
  },
  {
    version: 2,
    name: 'per-user cooldowns',
    sql: `
      CREATE TABLE cooldowns (
        user_id   TEXT PRIMARY KEY,
        until_at  BIGINT NOT NULL
      );`,
  },
];
