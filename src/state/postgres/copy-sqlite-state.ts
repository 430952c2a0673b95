import type pg from 'pg';
import type { DatabaseConfig } from '../../config.js';
import type { StateDatabase } from '../sqlite/open-state-database.js';
import { DatabaseUnavailableError } from './database-unavailable-error.js';
import { migrateStateTables } from './open-postgres-state-stores.js';
import { createPostgresPool } from './postgres-pool.js';
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
  /** The papers 👎 voters said should have answered. */
  expectedPapers: number;
  /** Coverage-gap log entries (refused and low-evidence questions). */
  gaps: number;
  /**
   * False when the database already had another salt for user hashes: the copied gaps keep the embedded
   * install's hashes, so someone who asked on both counts as two people.
   */
  gapSaltKept: boolean;
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

/** The coverage-gap log and its salt; a gap already there (same time, asker hash, command and question) is not copied again. */
async function copyGaps(client: pg.PoolClient, sqlite: StateDatabase): Promise<Pick<StateCopyCounts, 'gaps' | 'gapSaltKept'>> {
  const salt = (sqlite.prepare('SELECT salt FROM coverage_gap_salt WHERE id = 1').get() as { salt: string } | undefined)?.salt;
  let gapSaltKept = true;
  if (salt !== undefined) {
    await client.query('INSERT INTO coverage_gap_salt (id, salt) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [salt]);
    const { rows } = await client.query<{ salt: string }>('SELECT salt FROM coverage_gap_salt WHERE id = 1');
    gapSaltKept = rows[0]?.salt === salt;
  }
  let gaps = 0;
  for (const gap of sqlite.prepare('SELECT question, asked_at, guild_id, user_hash, reason, command FROM coverage_gaps ORDER BY id').all() as Row[]) {
    const result = await client.query(
      `INSERT INTO coverage_gaps (question, asked_at, guild_id, user_hash, reason, command)
       SELECT $1, $2, $3, $4, $5, $6
       WHERE NOT EXISTS (SELECT 1 FROM coverage_gaps WHERE asked_at = $2 AND user_hash = $4 AND command = $6 AND question = $1)`,
      [gap.question, gap.asked_at, gap.guild_id ?? null, gap.user_hash, gap.reason, gap.command],
    );
    gaps += result.rowCount ?? 0;
  }
  return { gaps, gapSaltKept };
}

/**
 * Copy the embedded bot state (an open SQLite state database) into PostgreSQL: migrated first, then
 * everything in one transaction. Idempotent: what the database already has (same thread, answer, vote,
 * expected paper, run, setting key, watch or gap) is kept and not copied again. Cooldowns are not copied (they last seconds),
 * nor scheduled fetch runs (the next fetch reaches back a week).
 * A database that cannot be reached or migrated is a DatabaseUnavailableError naming `source`.
 */
export async function copySqliteStateToPostgres(sqlite: StateDatabase, database: DatabaseConfig, source?: string): Promise<StateCopyCounts> {
  const pool = createPostgresPool(database);
  try {
    await migrateStateTables(pool).catch((error: unknown) => {
      throw new DatabaseUnavailableError(database, error, source);
    });
    return await withTransaction(pool, async (client) => {
      const threads = await insertNew(client, 'threads', ['thread_id', 'channel_id', 'guild_id', 'created_by', 'question', 'created_at'], 'thread_id', sqlite.prepare('SELECT * FROM threads ORDER BY rowid').all() as Row[]);
      const turns = await copyTurns(client, sqlite, threads.map((row) => String(row.thread_id)));
      const answerColumns = ['answer_id', 'question', 'answer', 'sources', 'mode', 'user_id', 'channel_id', 'created_at', 'command'];
      const answers = await insertNew(client, 'answers', answerColumns, 'answer_id', sqlite.prepare('SELECT * FROM answers ORDER BY rowid').all() as Row[]);
      const voteColumns = ['answer_id', 'user_id', 'vote', 'question', 'answer', 'sources', 'created_at'];
      const votes = await insertNew(client, 'feedback', voteColumns, 'answer_id, user_id', sqlite.prepare('SELECT * FROM feedback ORDER BY rowid').all() as Row[]);
      const expectedColumns = ['answer_id', 'user_id', 'paper_id', 'title', 'created_at'];
      const expected = await insertNew(client, 'feedback_expected', expectedColumns, 'answer_id, user_id', sqlite.prepare('SELECT * FROM feedback_expected ORDER BY rowid').all() as Row[]);
      const digests = await copyDigests(client, sqlite);
      const settings = await insertNew(client, 'settings', ['key', 'value'], 'key', sqlite.prepare('SELECT key, value FROM settings ORDER BY key').all() as Row[]);
      const watchColumns = ['id', 'scope', 'target_id', 'subscriber_id', 'topic', 'topic_key', 'created_at'];
      const watches = await insertNew(client, 'watches', watchColumns, 'scope, target_id, topic_key', sqlite.prepare('SELECT * FROM watches ORDER BY rowid').all() as Row[]);
      const gaps = await copyGaps(client, sqlite);
      return { threads: threads.length, turns, answers: answers.length, votes: votes.length, ...digests, settings: settings.length, watches: watches.length, expectedPapers: expected.length, ...gaps };
    });
  } finally {
    await pool.end();
  }
}
