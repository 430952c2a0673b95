import type pg from 'pg';
import type { DatabaseConfig } from '../../config.js';
import type { StateDatabase } from '../sqlite/open-state-database.js';
import { applyMigrations } from './apply-migrations.js';
import { DatabaseUnavailableError } from './database-unavailable-error.js';
import { createPostgresPool } from './postgres-pool.js';
import { STATE_COMPONENT, STATE_MIGRATIONS } from './state-migrations.js';
import { FEEDS_COMPONENT, FEEDS_MIGRATIONS } from './feed-migrations.js';
import { withTransaction } from './with-transaction.js';

/** What a copy added to the database (rows already there are left as they are and not counted). */
export interface StateCopyCounts {
  threads: number;
  turns: number;
  answers: number;
  votes: number;
  digestRuns: number;
  digestDrafts: number;
  settings: number;
  /** /watch subscriptions (their notices and the fetch runs are not copied). */
  watches: number;
}

type Row = Record<string, unknown>;

/** Insert each row unless its key is already there; returns the rows inserted (as RETURNING gives them). */
async function insertNew(client: pg.PoolClient, table: string, columns: readonly string[], key: string, rows: readonly Row[]): Promise<Row[]> {
  const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders}) ON CONFLICT (${key}) DO NOTHING RETURNING ${key}`;
  const inserted: Row[] = [];
  for (const row of rows) {
    const result = await client.query(sql, columns.map((column) => row[column] ?? null));
    inserted.push(...result.rows);
  }
  return inserted;
}

/** Copy a thread's turns in their order (only for threads this copy added, so a re-run adds none twice). */
async function copyTurns(client: pg.PoolClient, sqlite: StateDatabase, threadIds: readonly string[]): Promise<number> {
  const select = sqlite.prepare('SELECT thread_id, role, author, content, created_at FROM thread_turns WHERE thread_id = ? ORDER BY id');
  let count = 0;
  for (const threadId of threadIds) {
    for (const turn of select.all(threadId) as Row[]) {
      await client.query('INSERT INTO thread_turns (thread_id, role, author, content, created_at) VALUES ($1, $2, $3, $4, $5)', [
        turn.thread_id,
        turn.role,
        turn.author,
        turn.content,
        turn.created_at,
      ]);
      count++;
    }
  }
  return count;
}

async function copyDigests(client: pg.PoolClient, sqlite: StateDatabase): Promise<Pick<StateCopyCounts, 'digestRuns' | 'digestDrafts'>> {
  const runs = sqlite.prepare('SELECT * FROM digest_runs ORDER BY rowid').all() as Row[];
  const runColumns = ['run_key', 'kind', 'scheduled_for', 'status', 'topic', 'channel_id', 'message_id', 'paper_ids', 'created_at', 'posted_at', 'claimed_by', 'lease_until'];
  const insertedRuns = await insertNew(client, 'digest_runs', runColumns, 'run_key', runs);
  const drafts = sqlite.prepare('SELECT * FROM digest_drafts ORDER BY rowid').all() as Row[];
  const draftColumns = ['run_key', 'kind', 'topic', 'topic_index', 'channel_id', 'paper_ids', 'new_count', 'created_at'];
  const insertedDrafts = await insertNew(client, 'digest_drafts', draftColumns, 'run_key', drafts);
  const parts = sqlite.prepare('SELECT run_key, part_index, payload, message_id, posted_at FROM digest_parts WHERE run_key = ? ORDER BY part_index');
  for (const { run_key: runKey } of insertedDrafts) {
    await insertNew(client, 'digest_parts', ['run_key', 'part_index', 'payload', 'message_id', 'posted_at'], 'run_key, part_index', parts.all(runKey) as Row[]);
  }
  return { digestRuns: insertedRuns.length, digestDrafts: insertedDrafts.length };
}

/**
 * Copy the embedded bot state (an open SQLite state database) into PostgreSQL: migrated first, then
 * everything in one transaction. Idempotent: what the database already has (same thread, answer, vote,
 * run, setting key or watch) is kept and not copied again. Cooldowns are not copied (they last seconds),
 * nor scheduled fetch runs (the next fetch reaches back a week).
 * A database that cannot be reached or migrated is a DatabaseUnavailableError naming `source`.
 */
export async function copySqliteStateToPostgres(sqlite: StateDatabase, database: DatabaseConfig, source?: string): Promise<StateCopyCounts> {
  const pool = createPostgresPool(database);
  try {
    await (async () => {
      await applyMigrations(pool, STATE_COMPONENT, STATE_MIGRATIONS);
      await applyMigrations(pool, FEEDS_COMPONENT, FEEDS_MIGRATIONS);
    })().catch((error: unknown) => {
      throw new DatabaseUnavailableError(database, error, source);
    });
    return await withTransaction(pool, async (client) => {
      const threads = await insertNew(client, 'threads', ['thread_id', 'channel_id', 'guild_id', 'created_by', 'question', 'created_at'], 'thread_id', sqlite.prepare('SELECT * FROM threads ORDER BY rowid').all() as Row[]);
      const turns = await copyTurns(client, sqlite, threads.map((row) => String(row.thread_id)));
      const answerColumns = ['answer_id', 'question', 'answer', 'sources', 'mode', 'user_id', 'channel_id', 'created_at'];
      const answers = await insertNew(client, 'answers', answerColumns, 'answer_id', sqlite.prepare('SELECT * FROM answers ORDER BY rowid').all() as Row[]);
      const voteColumns = ['answer_id', 'user_id', 'vote', 'question', 'answer', 'sources', 'created_at'];
      const votes = await insertNew(client, 'feedback', voteColumns, 'answer_id, user_id', sqlite.prepare('SELECT * FROM feedback ORDER BY rowid').all() as Row[]);
      const digests = await copyDigests(client, sqlite);
      const settings = await insertNew(client, 'settings', ['key', 'value'], 'key', sqlite.prepare('SELECT key, value FROM settings ORDER BY key').all() as Row[]);
      const watchColumns = ['id', 'scope', 'target_id', 'subscriber_id', 'topic', 'topic_key', 'created_at'];
      const watches = await insertNew(client, 'watches', watchColumns, 'scope, target_id, topic_key', sqlite.prepare('SELECT * FROM watches ORDER BY rowid').all() as Row[]);
      return { threads: threads.length, turns, answers: answers.length, votes: votes.length, ...digests, settings: settings.length, watches: watches.length };
    });
  } finally {
    await pool.end();
  }
}
